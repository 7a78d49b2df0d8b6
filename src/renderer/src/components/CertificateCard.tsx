// Identity card of a signing certificate, for the mayor: who, which organisation, issued by whom,
// valid until when (days left), level / qualified badge, and warnings in plain words, including
// "revoked" when the revocation check (asked online by the caller) knows it.
import { useTranslation } from 'react-i18next'
import type { CertificateStatus } from '../../../shared/model/app-ipc'
import type { CertificateDetails } from '../../../shared/model/token-details'
import { daysLeft, formatDate } from '../lib/format'

export type CertificateWarning = 'revoked' | 'expired' | 'notYetValid' | 'expiresSoon' | 'noNonRepudiation' | 'testCertificate'

/** The revocation check as the card shows it: being asked, answered, or failed to ask. */
export type RevocationView = { state: 'checking' } | { state: 'answered'; status: CertificateStatus } | { state: 'failed' }

export function certificateWarnings(c: CertificateDetails, now = Date.now(), revocation?: RevocationView | null): CertificateWarning[] {
  const w: CertificateWarning[] = []
  if (revocation?.state === 'answered' && revocation.status.status === 'revoked') w.push('revoked')
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

/** Quiet line under the card: checking, not revoked, or why the status is unknown (never a warning). */
function RevocationNote({ revocation }: { revocation: RevocationView }) {
  const { t } = useTranslation()
  if (revocation.state === 'answered' && revocation.status.status === 'revoked') return null
  const text =
    revocation.state === 'checking'
      ? t('cert.revocation.checking')
      : revocation.state === 'failed'
        ? t('cert.revocation.unknown.no-answer')
        : revocation.status.status === 'good'
          ? t('cert.revocation.good', { date: formatDate(revocation.status.checkedAt) })
          : revocation.status.status === 'unknown'
            ? t(`cert.revocation.unknown.${revocation.status.why}`)
            : ''
  return (
    <p className="muted small" role="status" data-testid="revocation-note" data-state={revocation.state === 'answered' ? revocation.status.status : revocation.state}>
      {text}
    </p>
  )
}

export function CertificateCard({ cert, tokenLabel, revocation }: { cert: CertificateDetails; tokenLabel?: string; revocation?: RevocationView | null }) {
  const { t } = useTranslation()
  const left = daysLeft(cert.notAfter)
  const warnings = certificateWarnings(cert, Date.now(), revocation)
  const revoked = revocation?.state === 'answered' && revocation.status.status === 'revoked' ? revocation.status : null
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
            <li key={w} className={w === 'revoked' || w === 'expired' || w === 'notYetValid' || w === 'noNonRepudiation' ? 'error' : 'warning-text'} data-warning={w}>
              {w === 'revoked' && revoked
                ? `${revoked.revokedAt ? t('cert.warning.revoked', { date: formatDate(revoked.revokedAt) }) : t('cert.warning.revokedNoDate')}${revoked.reason ? ` ${t('cert.revocation.reasonLine', { reason: t(`cert.revocation.reason.${revoked.reason}`, { defaultValue: revoked.reason }) })}` : ''}`
                : t(`cert.warning.${w}`, { count: left })}
            </li>
          ))}
        </ul>
      ) : null}
      {revocation ? <RevocationNote revocation={revocation} /> : null}
    </section>
  )
}
