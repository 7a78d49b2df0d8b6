import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LANGUAGES, setLanguage, type Language } from './i18n'
import { StatusStrip } from './components/StatusStrip'
import { TokenProvider } from './lib/tokens'
import type { Route } from './lib/route'
import { HomeView } from './features/home/HomeView'
import { SignView } from './features/sign/SignView'
import { VerifyView } from './features/verify/VerifyView'
import { CertificatesView } from './features/certificates/CertificatesView'
import { JournalView } from './features/journal/JournalView'

const NAV: Array<Route['view']> = ['home', 'sign', 'verify', 'certificates', 'journal']

export function App() {
  const { t, i18n } = useTranslation()
  const [route, setRoute] = useState<Route>({ view: 'home' })
  const [visit, setVisit] = useState(0)
  const mainRef = useRef<HTMLElement>(null)

  const navigate = useCallback((r: Route) => {
    setRoute(r)
    setVisit((v) => v + 1)
  }, [])

  // keyboard users land on the new screen's content, not back at the top of the page
  useEffect(() => {
    if (visit > 0) mainRef.current?.focus()
  }, [visit])

  // a file dropped anywhere: Home proposes the right task (signed -> verify, else sign)
  const [dragging, setDragging] = useState(false)
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return
      e.preventDefault()
      setDragging(true)
    }
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false)
    }
    const drop = (e: DragEvent) => {
      e.preventDefault()
      setDragging(false)
      const files = [...(e.dataTransfer?.files ?? [])]
      const paths = files.map((f) => window.paraphe.pathForFile?.(f) ?? '').filter((p) => p !== '')
      if (paths.length > 0) navigate({ view: 'home', dropped: paths })
    }
    window.addEventListener('dragover', over)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragover', over)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', drop)
    }
  }, [navigate])

  return (
    <TokenProvider>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">{t('app.title')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <nav aria-label={t('nav.label')} className="main-nav">
          {NAV.map((v) => (
            <button key={v} type="button" className="nav-button" aria-current={route.view === v ? 'page' : undefined} onClick={() => navigate({ view: v } as Route)}>
              {t(`nav.${v}`)}
            </button>
          ))}
        </nav>
        <div className="lang" role="group" aria-label={t('app.language')}>
          {LANGUAGES.map((lng: Language) => (
            <button key={lng} type="button" className="lang-button" aria-pressed={i18n.language === lng} onClick={() => setLanguage(lng)} lang={lng}>
              {lng === 'fr' ? 'Français' : 'English'}
            </button>
          ))}
        </div>
      </header>
      <StatusStrip />
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          {t('home.dropHere')}
        </div>
      ) : null}
      <main id="main" tabIndex={-1} ref={mainRef}>
        {route.view === 'home' ? <HomeView key={visit} navigate={navigate} dropped={route.dropped ?? []} /> : null}
        {route.view === 'sign' ? <SignView key={visit} initialFiles={route.files ?? []} navigate={navigate} /> : null}
        {route.view === 'verify' ? <VerifyView key={visit} initialFiles={route.files ?? []} /> : null}
        {route.view === 'certificates' ? <CertificatesView key={visit} /> : null}
        {route.view === 'journal' ? <JournalView key={visit} /> : null}
      </main>
    </TokenProvider>
  )
}
