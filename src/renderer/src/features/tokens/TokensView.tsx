import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CertificateInfo, ModuleReport, TokenInfo, TokenListing } from '../../../../shared/model/token'

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; listing: TokenListing }
  | { kind: 'error'; message: string }

const DAY_MS = 86_400_000

function daysLeft(notAfter: string, now = Date.now()): number {
  return Math.floor((Date.parse(notAfter) - now) / DAY_MS)
}

function usageKey(c: CertificateInfo): string {
  if (c.keyUsage.includes('nonRepudiation')) return 'tokens.usageSignature'
  if (c.keyUsage.includes('digitalSignature')) return 'tokens.usageAuth'
  return 'tokens.usageOther'
}

function PinState({ token }: { token: TokenInfo }) {
  const { t } = useTranslation()
  const f = token.flags
  const [key, tone] = f.userPinLocked
    ? ['tokens.pinLocked', 'danger']
    : f.userPinFinalTry
      ? ['tokens.pinFinalTry', 'danger']
      : f.userPinCountLow
        ? ['tokens.pinCountLow', 'warning']
        : ['tokens.pinOk', 'ok']
  return (
    <p className={`pin-state pin-${tone}`} data-testid="pin-state">
      {t(key)}
      {f.protectedAuthenticationPath ? ` · ${t('tokens.pinpad')}` : ''}
    </p>
  )
}

function CertificateRow({ cert }: { cert: CertificateInfo }) {
  const { t, i18n } = useTranslation()
  const left = daysLeft(cert.notAfter)
  const until = new Date(cert.notAfter).toLocaleDateString(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long' })
  return (
    <tr data-testid="certificate-row">
      <th scope="row">
        {cert.subjectCommonName ?? cert.subject}
        {cert.organization ? <span className="muted"> · {cert.organization}</span> : null}
      </th>
      <td>{cert.issuerCommonName ?? cert.issuer}</td>
      <td>
        {until}{' '}
        <span className={left < 0 ? 'badge badge-danger' : left < 30 ? 'badge badge-warning' : 'badge'}>
          {left < 0 ? t('tokens.expired') : t('tokens.daysLeft', { count: left })}
        </span>
      </td>
      <td>{t(usageKey(cert))}</td>
      <td>{cert.hasPrivateKey ? t('tokens.withKey') : t('tokens.withoutKey')}</td>
    </tr>
  )
}

function TokenCard({ token, module }: { token: TokenInfo; module: ModuleReport }) {
  const { t } = useTranslation()
  const headingId = `token-${module.name}-${token.serialNumber}-${token.label}`.replace(/[^A-Za-z0-9_-]/g, '_')
  return (
    <section className="card token-card" aria-labelledby={headingId} data-testid="token-card">
      <h3 id={headingId}>{token.label}</h3>
      <dl className="facts">
        <div>
          <dt>{t('tokens.manufacturer')}</dt>
          <dd>{token.manufacturer}</dd>
        </div>
        <div>
          <dt>{t('tokens.model')}</dt>
          <dd>{token.model}</dd>
        </div>
        <div>
          <dt>{t('tokens.serial')}</dt>
          <dd>{token.serialNumber}</dd>
        </div>
      </dl>
      <PinState token={token} />
      {token.error ? <p className="error">{t('tokens.tokenError', { error: token.error })}</p> : null}
      <h4>{t('tokens.certificates')}</h4>
      {token.certificates.length === 0 ? (
        <p>{t('tokens.noCertificate')}</p>
      ) : (
        <table className="certs">
          <thead>
            <tr>
              <th scope="col">{t('tokens.holder')}</th>
              <th scope="col">{t('tokens.issuer')}</th>
              <th scope="col">{t('tokens.validUntil')}</th>
              <th scope="col">{t('tokens.usage')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('tokens.withKey')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {token.certificates.map((c) => (
              <CertificateRow key={`${c.id}-${c.sha256}`} cert={c} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function ModuleList({ modules }: { modules: ModuleReport[] }) {
  const { t } = useTranslation()
  return (
    <section className="card" aria-labelledby="modules-title">
      <h3 id="modules-title">{t('tokens.modules')}</h3>
      <ul className="modules">
        {modules.map((m) => (
          <li key={`${m.source}-${m.path}`} data-testid="module-row" data-status={m.status}>
            <strong>{m.name}</strong>{' '}
            <span className={m.status === 'loaded' ? 'badge badge-ok' : m.status === 'failed' ? 'badge badge-danger' : 'badge'}>
              {t(m.status === 'loaded' ? 'tokens.moduleLoaded' : m.status === 'failed' ? 'tokens.moduleFailed' : 'tokens.moduleNotInstalled')}
            </span>{' '}
            <code>{m.path}</code>
            {m.reasonCode ? <span className="muted"> · {t(`tokens.reason.${m.reasonCode}`)}</span> : null}
            {m.status === 'loaded' && m.slots.length === 0 ? <span className="muted"> · {t('tokens.noSlot')}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  )
}

export function TokensView() {
  const { t } = useTranslation()
  const [state, setState] = useState<State>({ kind: 'loading' })

  const refresh = useCallback(async () => {
    setState({ kind: 'loading' })
    const answer = await window.paraphe.listTokens()
    if (answer.ok) setState({ kind: 'ready', listing: answer.value })
    else setState({ kind: 'error', message: t(`errors.${answer.error.code}`, { message: answer.error.message, defaultValue: t('errors.generic', { message: answer.error.message }) }) })
  }, [t])

  useEffect(() => {
    void refresh()
    return window.paraphe.onTokensChanged(() => void refresh())
  }, [refresh])

  const tokens =
    state.kind === 'ready'
      ? state.listing.modules.flatMap((m) => m.slots.flatMap((s) => (s.token?.flags.tokenInitialized ? [{ token: s.token, module: m, slotId: s.slotId }] : [])))
      : []

  return (
    <div className="tokens-view">
      <div className="view-header">
        <h1>{t('tokens.title')}</h1>
        <button type="button" className="primary" onClick={() => void refresh()} disabled={state.kind === 'loading'}>
          {t('tokens.refresh')}
        </button>
      </div>
      <p role="status" aria-live="polite" className="status" data-testid="tokens-status">
        {state.kind === 'loading' ? t('tokens.loading') : state.kind === 'ready' ? (tokens.length === 0 ? t('tokens.noToken') : t('tokens.loaded', { count: tokens.length })) : ''}
      </p>
      {state.kind === 'error' ? (
        <p role="alert" className="error">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'ready' ? (
        <>
          <div className="token-grid">
            {tokens.map(({ token, module, slotId }) => (
              <TokenCard key={`${module.path}-${slotId}`} token={token} module={module} />
            ))}
          </div>
          <ModuleList modules={state.listing.modules} />
        </>
      ) : null}
    </div>
  )
}
