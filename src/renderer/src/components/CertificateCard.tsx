// Identity card of a signing certificate, for the mayor: who, which organisation, issued by whom,
// valid until when (days left), level / qualified badge, and warnings in plain words.
import { useTranslation } from 'react-i18next'
import type { CertificateDetails } from '../../../shared/model/token-details'
import { daysLeft, formatDate } from '../lib/format'

export type CertificateWarning = 'expired' | 'notYetValid' | 'expiresSoon' | 'noNonRepudiation' | 'testCertificate'

export function certificateWarnings(c: CertificateDetails, now = Date.now()): CertificateWarning[] {
  const w: CertificateWarning[] = []
  const left = daysLeft(c.notAfter, now)
  if (Date.parse(c.notAfter) < now) w.push('expired')
  else if (Date.parse(c.notBefore) > now) w.push('notYetValid')
  else if (left < 30) w.push('expiresSoon')
  if (!c.signatureCertificate) w.push('noNonRepudiation')
  const testy = /\b(test|demo|démo|d[ée]monstration)\b/i
  if (c.level === 'test' || c.level === 'demonstration' || testy.test(c.issuer) || testy.test(c.subject)) w.push('testCertificate')
  return w
}

export function LevelBadge({ cert }: { cert: CertificateDetails }) {
  const { t } = useTranslation()
  if (cert.qcStatements?.qualified) return <span className="badge badge-ok">{t('cert.qualified')}{cert.level ? ` · ${cert.level}` : ''}</span>
  if (cert.level) return <span className="badge">{cert.level}</span>
  return <span className="badge">{t('cert.levelUnknown')}</span>
}

export function CertificateCard({ cert, tokenLabel }: { cert: CertificateDetails; tokenLabel?: string }) {
  const { t } = useTranslation()
  const left = daysLeft(cert.notAfter)
  const warnings = certificateWarnings(cert)
  return (
    <section className="cert-card" aria-label={t('cert.cardLabel', { name: cert.subjectCommonName ?? cert.subject })} data-testid="certificate-card">
      <div className="cert-card-head">
        <span className="cert-holder">{cert.subjectCommonName ?? cert.subject}</span>
        <LevelBadge cert={cert} />
      </div>
      <dl className="facts facts-column">
        <div>
          <dt>{t('cert.organization')}</dt>
          <dd>{cert.organization ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('cert.issuer')}</dt>
          <dd>{cert.issuerCommonName ?? cert.issuer}</dd>
        </div>
        <div>
          <dt>{t('cert.validity')}</dt>
          <dd>
            {t('cert.fromTo', { from: formatDate(cert.notBefore), to: formatDate(cert.notAfter) })}{' '}
            <span className={left < 0 ? 'badge badge-danger' : left < 30 ? 'badge badge-warning' : 'badge badge-ok'}>
              {left < 0 ? t('cert.expired') : t('cert.daysLeft', { count: left })}
            </span>
          </dd>
        </div>
        {tokenLabel ? (
          <div>
            <dt>{t('cert.token')}</dt>
            <dd>{tokenLabel}</dd>
          </div>
        ) : null}
      </dl>
      {warnings.length > 0 ? (
        <ul className="warnings" data-testid="certificate-warnings">
          {warnings.map((w) => (
            <li key={w} className={w === 'expired' || w === 'notYetValid' || w === 'noNonRepudiation' ? 'error' : 'warning-text'}>
              {t(`cert.warning.${w}`, { count: left })}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
