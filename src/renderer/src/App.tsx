import { useTranslation } from 'react-i18next'
import { LANGUAGES, setLanguage, type Language } from './i18n'
import { TokensView } from './features/tokens/TokensView'

export function App() {
  const { t, i18n } = useTranslation()
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">{t('app.title')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <div className="lang" role="group" aria-label={t('app.language')}>
          {LANGUAGES.map((lng: Language) => (
            <button
              key={lng}
              type="button"
              className="lang-button"
              aria-pressed={i18n.language === lng}
              onClick={() => setLanguage(lng)}
              lang={lng}
            >
              {lng === 'fr' ? 'Français' : 'English'}
            </button>
          ))}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <TokensView />
      </main>
    </>
  )
}
