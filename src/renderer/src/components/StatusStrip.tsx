// Always-visible token state: which token is present, PIN tries left, certificate expiring soon.
import { useTranslation } from 'react-i18next'
import { daysLeft } from '../lib/format'
import { useTokens } from '../lib/tokens'
import { triesText } from './PinDialog'
import { Icon } from './Icon'

export function StatusStrip() {
  const { t } = useTranslation()
  const { loading, error, tokens } = useTokens()
  let content
  if (error) content = <span className="strip-item strip-danger">{t('strip.error')}</span>
  else if (loading && tokens.length === 0) content = <span className="strip-item">{t('strip.loading')}</span>
  else if (tokens.length === 0) content = <span className="strip-item strip-warning">{t('strip.noToken')}</span>
  else
    content = tokens.map((e) => {
      const counter = e.pin?.pin ?? null
      const signing = e.details.certificates.filter((c) => c.hasPrivateKey && c.signatureCertificate)
      const soonest = signing.map((c) => daysLeft(c.notAfter)).sort((a, b) => a - b)[0]
      const pinTone = counter?.locked || counter?.finalTry || counter?.triesLeft === 1 ? 'strip-danger' : counter?.countLow ? 'strip-warning' : 'strip-ok'
      return (
        <span key={`${e.details.modulePath}|${e.details.serialNumber}`} className="strip-token" data-testid="strip-token">
          <span className="strip-item">
            <Icon name="key" size={16} /> {e.details.label}
          </span>
          <span className={`strip-item ${pinTone}`} data-testid="strip-pin">
            {t('strip.pin', { text: counter ? triesText(t, counter) : t('strip.pinUnknown') })}
          </span>
          {soonest !== undefined && soonest < 90 ? (
            <span className={`strip-item ${soonest < 30 ? 'strip-danger' : 'strip-warning'}`} data-testid="strip-expiry">
              {soonest < 0 ? t('strip.certExpired') : t('strip.certExpiresSoon', { count: soonest })}
            </span>
          ) : null}
        </span>
      )
    })
  return (
    <section className="status-strip" aria-label={t('strip.label')} data-testid="status-strip">
      <div aria-live="polite">{content}</div>
    </section>
  )
}
