// Certificats (IT staff): tokens with PIN status, certificates with details and export, expiry
// chart, PIN change / PUK unblock, modules found or missing with install hints, readers, and the
// diagnostics bundle for support.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ModuleReport } from '../../../../shared/model/token'
import type { CertificateDetails, TokenDetails } from '../../../../shared/model/token-details'
import { certificateWarnings, LevelBadge } from '../../components/CertificateCard'
import { ErrorMessage } from '../../components/ErrorMessage'
import { ExpiryChart } from '../../components/ExpiryChart'
import { triesText } from '../../components/PinDialog'
import { asUiError, call, type UiError } from '../../lib/ipc'
import { daysLeft, formatDate } from '../../lib/format'
import { tokenKey, tokenRef, useTokens, type TokenEntry } from '../../lib/tokens'
import { PinChangeDialog } from './PinForms'

function usageKey(c: CertificateDetails): string {
  if (c.keyUsage.includes('nonRepudiation')) return 'tokens.usageSignature'
  if (c.keyUsage.includes('digitalSignature')) return 'tokens.usageAuth'
  return 'tokens.usageOther'
}

function CertificateRow({ cert, token, onExported }: { cert: CertificateDetails; token: TokenDetails; onExported(msg: string | UiError): void }) {
  const { t } = useTranslation()
  const left = daysLeft(cert.notAfter)
  const name = cert.subjectCommonName ?? cert.subject
  const exportAs = async (format: 'pem' | 'der') => {
    try {
      const base = (cert.subjectCommonName ?? cert.label ?? 'certificat').replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 60)
      const path = await call('chooseSavePath', { defaultName: `${base}.${format === 'pem' ? 'pem' : 'cer'}`, extensions: [format === 'pem' ? 'pem' : 'cer'] })
      if (!path) return
      const r = await call('exportCertificate', { ...tokenRef(token), sha256: cert.sha256, format, path, overwrite: true })
      onExported(t('tokens.exported', { path: r.path }))
    } catch (err) {
      onExported(asUiError(err))
    }
  }
  return (
    <li className="cert-row" data-testid="certificate-row">
      <div className="cert-row-head">
        <strong>{name}</strong>
        {cert.organization ? <span className="muted"> · {cert.organization}</span> : null} <LevelBadge cert={cert} />{' '}
        <span className={left < 0 ? 'badge badge-danger' : left < 30 ? 'badge badge-warning' : left < 90 ? 'badge badge-warning' : 'badge'}>
          {left < 0 ? t('tokens.expired') : t('tokens.daysLeft', { count: left })}
        </span>
      </div>
      <p className="small">
        {t(usageKey(cert))} · {t('cert.issuer')} : {cert.issuerCommonName ?? cert.issuer} · {t('tokens.validUntil')} {formatDate(cert.notAfter)} ·{' '}
        {cert.hasPrivateKey ? t('tokens.withKey') : t('tokens.withoutKey')}
      </p>
      <details data-testid="certificate-details">
        <summary>{t('tokens.details', { name })}</summary>
        <dl className="facts facts-column small">
          <div>
            <dt>{t('tokens.subject')}</dt>
            <dd>{cert.subject}</dd>
          </div>
          <div>
            <dt>{t('cert.issuer')}</dt>
            <dd>{cert.issuer}</dd>
          </div>
          <div>
            <dt>{t('tokens.serial')}</dt>
            <dd>
              <code>{cert.serialNumber}</code>
            </dd>
          </div>
          <div>
            <dt>{t('cert.validity')}</dt>
            <dd>{t('cert.fromTo', { from: formatDate(cert.notBefore), to: formatDate(cert.notAfter) })}</dd>
          </div>
          <div>
            <dt>{t('tokens.keyUsage')}</dt>
            <dd>{cert.keyUsage.join(', ') || '—'}</dd>
          </div>
          <div>
            <dt>{t('tokens.extendedKeyUsage')}</dt>
            <dd>{cert.extendedKeyUsage.join(', ') || '—'}</dd>
          </div>
          <div>
            <dt>{t('tokens.policies')}</dt>
            <dd>
              {cert.policies.length === 0
                ? '—'
                : cert.policies.map((p) => (
                    <div key={p.oid}>
                      <code>{p.oid}</code>
                      {p.name ? ` · ${p.name}` : ''}
                      {p.level ? ` · ${p.level}` : ''}
                    </div>
                  ))}
            </dd>
          </div>
          <div>
            <dt>{t('tokens.level')}</dt>
            <dd>{cert.level ?? t('cert.levelUnknown')}</dd>
          </div>
          <div>
            <dt>{t('tokens.qc')}</dt>
            <dd>
              {cert.qcStatements
                ? [cert.qcStatements.qualified ? t('tokens.qcQualified') : t('tokens.qcNotQualified'), cert.qcStatements.qscd ? t('tokens.qcQscd') : null, cert.qcStatements.types.join(', ') || null]
                    .filter(Boolean)
                    .join(' · ')
                : t('tokens.qcNone')}
            </dd>
          </div>
          <div>
            <dt>{t('tokens.publicKey')}</dt>
            <dd>
              {cert.publicKey.type}
              {cert.publicKey.bits ? ` ${cert.publicKey.bits} bits` : ''}
              {cert.publicKey.curve ? ` ${cert.publicKey.curve}` : ''}
            </dd>
          </div>
          <div>
            <dt>{t('tokens.key')}</dt>
            <dd>
              {cert.key
                ? [cert.key.keyType, cert.key.alwaysAuthenticate ? t('tokens.alwaysAuthenticate') : null, cert.key.sensitive ? t('tokens.sensitive') : null, cert.key.extractable === false ? t('tokens.notExtractable') : null]
                    .filter(Boolean)
                    .join(' · ')
                : t('tokens.keyHidden')}
            </dd>
          </div>
          <div>
            <dt>{t('tokens.chain')}</dt>
            <dd>{cert.issuerOnToken ? t('tokens.issuerOnToken') : t('tokens.issuerNotOnToken')}</dd>
          </div>
          <div>
            <dt>SHA-256</dt>
            <dd>
              <code>{cert.sha256}</code>
            </dd>
          </div>
        </dl>
        {certificateWarnings(cert).length > 0 ? (
          <ul className="warnings">
            {certificateWarnings(cert).map((w) => (
              <li key={w}>{t(`cert.warning.${w}`, { count: left })}</li>
            ))}
          </ul>
        ) : null}
      </details>
      <div className="row-actions">
        <button type="button" onClick={() => void exportAs('pem')} aria-label={t('tokens.exportPemFor', { name })}>
          {t('tokens.exportPem')}
        </button>
        <button type="button" onClick={() => void exportAs('der')} aria-label={t('tokens.exportDerFor', { name })}>
          {t('tokens.exportDer')}
        </button>
      </div>
    </li>
  )
}

function TokenCard({ entry, onPinAction, onMessage }: { entry: TokenEntry; onPinAction(mode: 'change' | 'unblock'): void; onMessage(m: string | UiError): void }) {
  const { t } = useTranslation()
  const token = entry.details
  const headingId = `token-${tokenKey(token)}`.replace(/[^A-Za-z0-9_-]/g, '_')
  const pin = entry.pin?.pin ?? null
  const tone = pin?.locked || pin?.finalTry || pin?.triesLeft === 1 ? 'danger' : pin?.countLow ? 'warning' : 'ok'
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
        <div>
          <dt>{t('tokens.reader')}</dt>
          <dd>{token.slotDescription}</dd>
        </div>
      </dl>
      <p className={`pin-state pin-${tone}`} data-testid="pin-state">
        {t('tokens.pinLabel')} {pin ? triesText(t, pin) : entry.pinError ? t('tokens.pinUnreadable') : '…'}
        {pin?.locked ? ` ${t('tokens.pinLockedTodo')}` : ''}
        {token.pinpad ? ` · ${t('tokens.pinpad')}` : ''}
      </p>
      {entry.pin ? (
        <p className="small muted" data-testid="puk-state">
          {entry.pin.unblockStyle === 'so-pin' ? t('tokens.soLabel') : t('tokens.pukLabel')} {triesText(t, entry.pin.puk)}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="button" onClick={() => onPinAction('change')} disabled={!entry.pin} aria-label={t('tokens.changePinFor', { token: token.label })}>
          {t('tokens.changePin')}
        </button>
        <button type="button" onClick={() => onPinAction('unblock')} disabled={!entry.pin} aria-label={t('tokens.unblockFor', { token: token.label })}>
          {t('tokens.unblock')}
        </button>
      </div>
      {token.error ? <p className="error">{t('tokens.tokenError', { error: token.error })}</p> : null}
      <h4>{t('tokens.certificates')}</h4>
      {token.certificates.length === 0 ? (
        <p>{t('tokens.noCertificate')}</p>
      ) : (
        <ul className="cert-list">
          {token.certificates.map((c) => (
            <CertificateRow key={`${c.id}-${c.sha256}`} cert={c} token={token} onExported={onMessage} />
          ))}
        </ul>
      )}
    </section>
  )
}

function ModuleList({ modules, onChanged }: { modules: ModuleReport[]; onChanged(): Promise<void> }) {
  const { t } = useTranslation()
  const loaded = modules.filter((m) => m.status === 'loaded')
  const others = modules.filter((m) => m.status !== 'loaded')
  // modules added by hand (kept in the settings): they can be removed again
  const [added, setAdded] = useState<string[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<UiError | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  useEffect(() => {
    call('getSettings')
      .then((s) => {
        setAdded(s.pkcs11Modules)
        if (s.problem) setNotice(t('tokens.settingsProblem'))
      })
      .catch(() => setAdded([]))
  }, [t])
  const change = async (action: () => Promise<{ pkcs11Modules: string[] }>, done: string) => {
    setBusy(true)
    setError(null)
    setNotice(null)
    try {
      setAdded((await action()).pkcs11Modules)
      setNotice(done)
      await onChanged()
    } catch (err) {
      setError(asUiError(err))
    } finally {
      setBusy(false)
    }
  }
  const addModule = async () => {
    const [path] = await call('chooseFiles', { purpose: 'module', multiple: false }).catch(() => [] as string[])
    if (path) await change(() => call('addModule', { path }), t('tokens.moduleAdded', { path }))
  }
  const row = (m: ModuleReport) => (
    <li key={`${m.source}-${m.path}`} data-testid="module-row" data-status={m.status}>
      <strong>{m.name}</strong>{' '}
      <span className={m.status === 'loaded' ? 'badge badge-ok' : m.status === 'failed' ? 'badge badge-danger' : 'badge'}>
        {t(m.status === 'loaded' ? 'tokens.moduleLoaded' : m.status === 'failed' ? 'tokens.moduleFailed' : 'tokens.moduleNotInstalled')}
      </span>{' '}
      <code>{m.path}</code>
      {m.reasonCode ? <span className="muted"> · {t(`tokens.reason.${m.reasonCode}`)}</span> : null}
      {m.status === 'loaded' && m.slots.length === 0 ? <span className="muted"> · {t('tokens.noSlot')}</span> : null}
      {m.status !== 'loaded' && m.installHint ? <div className="small">{t('tokens.installHint', { hint: m.installHint })}</div> : null}
      {added?.includes(m.path) ? (
        <>
          {' '}
          <span className="muted small">{t('tokens.addedByYou')}</span>{' '}
          <button type="button" disabled={busy} onClick={() => void change(() => call('removeModule', { path: m.path }), t('tokens.moduleRemoved', { path: m.path }))} aria-label={t('tokens.removeModuleNamed', { path: m.path })}>
            {t('tokens.removeModule')}
          </button>
        </>
      ) : null}
    </li>
  )
  return (
    <section className="card" aria-labelledby="modules-title">
      <h2 id="modules-title">{t('tokens.modules')}</h2>
      <ul className="modules">{loaded.map(row)}</ul>
      <p>
        <button type="button" onClick={() => void addModule()} disabled={busy} data-testid="add-module">
          {t('tokens.addModule')}
        </button>{' '}
        <span className="muted small">{t('tokens.addModuleHelp')}</span>
      </p>
      <div role="status" data-testid="module-status">
        {notice ? <p className="small">{notice}</p> : null}
      </div>
      {error ? <ErrorMessage error={error} context={t('tokens.addModuleFailed')} /> : null}
      {others.length > 0 ? (
        <details>
          <summary>{t('tokens.missingModules', { count: others.length })}</summary>
          <ul className="modules">{others.map(row)}</ul>
        </details>
      ) : null}
    </section>
  )
}

function ReaderList({ modules }: { modules: ModuleReport[] }) {
  const { t } = useTranslation()
  const slots = modules.flatMap((m) => m.slots.map((s) => ({ m, s })))
  return (
    <section className="card" aria-labelledby="readers-title">
      <h2 id="readers-title">{t('tokens.readers')}</h2>
      {slots.length === 0 ? (
        <p>{t('tokens.noReader')}</p>
      ) : (
        <ul className="modules">
          {slots.map(({ m, s }) => (
            <li key={`${m.path}-${s.slotId}`} data-testid="reader-row">
              <strong>{s.description || s.slotId}</strong> · {m.name} · {s.tokenPresent ? (s.token?.flags.tokenInitialized ? t('tokens.readerWithToken', { label: s.token.label }) : t('tokens.readerUninitialized')) : t('tokens.readerEmpty')}
              {s.hardwareSlot ? '' : ` · ${t('tokens.virtualSlot')}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export function CertificatesView() {
  const { t } = useTranslation()
  const { loading, error, listing, tokens, refresh, refreshPin } = useTokens()
  const [dialog, setDialog] = useState<{ mode: 'change' | 'unblock'; key: string } | null>(null)
  const [message, setMessage] = useState<string | UiError | null>(null)
  const initialized = tokens.filter((e) => e.details.flags.tokenInitialized)
  const dialogEntry = dialog ? tokens.find((e) => tokenKey(e.details) === dialog.key) : undefined

  const exportDiagnostics = async () => {
    setMessage(null)
    try {
      const stamp = new Date().toISOString().slice(0, 10)
      const path = await call('chooseSavePath', { defaultName: `paraphe-diagnostic-${stamp}.json`, extensions: ['json'] })
      if (!path) return
      const r = await call('exportDiagnostics', { path, overwrite: true })
      setMessage(t('tokens.diagnosticsSaved', { path: r.path }))
    } catch (err) {
      setMessage(asUiError(err))
    }
  }

  const chartItems = initialized.flatMap((e) =>
    e.details.certificates.map((c) => ({ id: `${tokenKey(e.details)}|${c.sha256}`, label: `${c.subjectCommonName ?? c.subject} (${e.details.label})`, notBefore: c.notBefore, notAfter: c.notAfter })),
  )

  return (
    <div className="tokens-view">
      <div className="view-header">
        <h1>{t('tokens.title')}</h1>
        <div className="row-actions">
          <button type="button" onClick={() => void exportDiagnostics()}>
            {t('tokens.diagnostics')}
          </button>
          <button type="button" className="primary" onClick={() => void refresh()} disabled={loading}>
            {t('tokens.refresh')}
          </button>
        </div>
      </div>
      <p role="status" aria-live="polite" className="status" data-testid="tokens-status">
        {loading ? t('tokens.loading') : error ? '' : initialized.length === 0 ? t('tokens.noToken') : t('tokens.loaded', { count: initialized.length })}
      </p>
      {typeof message === 'string' ? (
        <p className="success" role="status" data-testid="tokens-message">
          {message}
        </p>
      ) : message ? (
        <ErrorMessage error={message} />
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      <div className="token-grid">
        {initialized.map((e) => (
          <TokenCard key={tokenKey(e.details)} entry={e} onPinAction={(mode) => setDialog({ mode, key: tokenKey(e.details) })} onMessage={setMessage} />
        ))}
      </div>
      {chartItems.length > 0 ? (
        <section className="card" aria-labelledby="chart-title">
          <h2 id="chart-title">{t('chart.title')}</h2>
          <ExpiryChart items={chartItems} />
        </section>
      ) : null}
      {listing ? (
        <>
          <ReaderList modules={listing.modules} />
          <ModuleList modules={listing.modules} onChanged={refresh} />
        </>
      ) : null}
      {dialog && dialogEntry ? (
        <PinChangeDialog
          mode={dialog.mode}
          token={dialogEntry.details}
          report={dialogEntry.pin}
          onDone={() => void refreshPin(dialogEntry.details)}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </div>
  )
}
