// Vérifier (the agent): a banner in plain words (green / orange / red), one card per signature,
// technical details folded, export of the report as PDF and JSON. A detached signature whose
// content is missing asks for the signed file.
import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SignatureReport, ValidationReport } from '../../../../shared/model/validation'
import { verificationText, verificationLanguage } from '../../../../shared/verification-text'
import { reportText } from '../../../../shared/verification-text/report-text'
import { Banner, type Tone } from '../../components/Banner'
import { ErrorMessage } from '../../components/ErrorMessage'
import { asUiError, call, type UiError } from '../../lib/ipc'
import { baseName, formatDateTime } from '../../lib/format'
import { SignedVersionButton } from './SignedVersionDialog'
import { verdict, VerifiedFilesTable, type VerifiedFile, type VerifyAnswer } from './VerifiedFilesTable'


function needsContent(r: ValidationReport): boolean {
  return r.signatures.some((s) => s.subIndication === 'SIGNED_DATA_NOT_FOUND')
}

function signatureTone(s: SignatureReport): Tone {
  if (s.indication === 'TOTAL_FAILED' || s.integrity === 'broken') return 'danger'
  if (s.indication === 'TOTAL_PASSED' && s.integrity === 'intact' && s.trust === 'trusted') return 'ok'
  return 'warning'
}

function SignatureCard({ s, index, report }: { s: SignatureReport; index: number; report: ValidationReport }) {
  const { t, i18n } = useTranslation()
  // the engine's texts (coverage, changes, checks) in the UI language, English when no code
  const engineText = (item: { code?: string; params?: SignatureReport['coverage']['params'] }, fallback: string): string => verificationText(i18n.language, item.code, item.params, fallback)
  const tone = signatureTone(s)
  const revocation = s.checks.find((c) => c.id === 'revocation')
  const who = s.signer?.commonName ?? s.signer?.subject ?? t('verify.unknownSigner')
  return (
    <article className={`card sig-card sig-${tone}`} aria-labelledby={`sig-${index}`} data-testid="signature-card" data-tone={tone}>
      <h3 id={`sig-${index}`}>
        {t('verify.signatureN', { n: index + 1, who })}{' '}
        <span className={`badge badge-${tone === 'ok' ? 'ok' : tone === 'danger' ? 'danger' : 'warning'}`}>{t(`verify.indication.${s.indication}`)}</span>
      </h3>
      {s.subIndication ? <p className={tone === 'danger' ? 'error' : 'warning-text'}>{t(`verify.sub.${s.subIndication}`, { defaultValue: s.subIndication })}</p> : null}
      <dl className="facts facts-column">
        <div>
          <dt>{t('verify.who')}</dt>
          <dd>
            {who}
            {s.signer?.organization ? ` · ${s.signer.organization}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('verify.when')}</dt>
          <dd>
            {s.timestamp
              ? t(s.timestamp.valid ? 'verify.timestamped' : 'verify.timestampInvalid', { date: formatDateTime(s.timestamp.time), tsa: s.timestamp.tsa ?? '—' })
              : s.signingTime
                ? t('verify.claimed', { date: formatDateTime(s.signingTime) })
                : t('verify.noTime')}
          </dd>
        </div>
        <div>
          <dt>{t('verify.certificate')}</dt>
          <dd>
            {s.signer ? t('verify.certIssuedBy', { issuer: s.chain[1]?.commonName ?? s.signer.issuer, until: formatDateTime(s.signer.notAfter) }) : '—'}
            {s.qualification ? <span className="badge badge-ok"> {s.qualification}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t('verify.trust')}</dt>
          <dd>{t(`verify.trustStatus.${s.trust}`)}</dd>
        </div>
        <div>
          <dt>{t('verify.revocation')}</dt>
          <dd>{revocation ? t(`verify.check.${revocation.status}`) : t('verify.revocationUnknown')}</dd>
        </div>
        <div>
          <dt>{t('verify.level')}</dt>
          <dd>
            {s.format}
            {s.level ? ` ${s.level}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('verify.scope')}</dt>
          <dd data-testid="coverage">
            {/* "whole" says nothing the description does not (whole file, the enclosed content, ...) */}
            {s.coverage.kind === 'whole' ? '' : `${t(`verify.coverage.${s.coverage.kind}`)} · `}
            {engineText(s.coverage, s.coverage.description)}
          </dd>
        </div>
        <div>
          <dt>{t('verify.changes')}</dt>
          <dd>
            {s.changesAfter.length === 0 ? (
              t('verify.noChange')
            ) : (
              <ul className="changes" data-testid="changes">
                {s.changesAfter.map((c, i) => (
                  <li key={i} className={c.allowed ? '' : 'error'}>
                    {c.allowed ? t('verify.changeAllowed') : t('verify.changeNotAllowed')} {engineText(c, c.description)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <SignedVersionButton report={report} signature={s} />
      <details>
        <summary>{t('verify.technical')}</summary>
        <table className="table small">
          <caption className="visually-hidden">{t('verify.checks')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('verify.checkId')}</th>
              <th scope="col">{t('verify.checkStatus')}</th>
              <th scope="col">{t('verify.checkMessage')}</th>
            </tr>
          </thead>
          <tbody>
            {s.checks.map((c, i) => (
              <tr key={`${c.id}-${i}`}>
                <th scope="row">
                  <code>{c.id}</code>
                </th>
                <td>{t(`verify.check.${c.status}`)}</td>
                <td>{engineText(c, c.message)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {s.chain.length > 0 ? (
          <>
            <h4>{t('verify.chain')}</h4>
            <ol className="chain">
              {s.chain.map((c) => (
                <li key={c.sha256}>
                  {c.commonName ?? c.subject} <span className="muted small">({t('verify.serial')} {c.serialNumber})</span>
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </details>
    </article>
  )
}

export function VerifyView({ initialFiles }: { initialFiles: string[] }) {
  const { t, i18n } = useTranslation()
  const [path, setPath] = useState<string | null>(initialFiles.length === 1 ? initialFiles[0]! : null)
  const [contentPath, setContentPath] = useState<string | null>(null)
  const [answer, setAnswer] = useState<VerifyAnswer | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<UiError | null>(null)
  const [exported, setExported] = useState<string | null>(null)
  const [offline, setOffline] = useState(false)
  // several files chosen at once: verified one after the other, each row keeps its own answer
  const [files, setFiles] = useState<VerifiedFile[]>([])
  const stopBatch = useRef(false)
  const updateFile = (file: string, change: Partial<VerifiedFile>) => setFiles((list) => list.map((f) => (f.path === file ? { ...f, ...change } : f)))

  const run = async (file: string, content: string | null) => {
    setBusy(true)
    setError(null)
    setAnswer(null)
    setExported(null)
    try {
      const a = await call('verifyFile', { path: file, ...(content ? { contentPath: content } : {}), ...(offline ? { offline: true } : {}) })
      setAnswer(a)
      updateFile(file, { state: 'done', answer: a, error: null })
    } catch (err) {
      setError(asUiError(err))
    } finally {
      setBusy(false)
    }
  }

  const runBatch = async (paths: string[]) => {
    stopBatch.current = false
    setFiles(paths.map((p) => ({ path: p, state: 'waiting', answer: null, error: null })))
    setPath(null)
    setContentPath(null)
    setAnswer(null)
    setError(null)
    setExported(null)
    setBusy(true)
    try {
      for (const p of paths) {
        if (stopBatch.current) {
          updateFile(p, { state: 'stopped' })
          continue
        }
        updateFile(p, { state: 'running' })
        try {
          const a = await call('verifyFile', { path: p, ...(offline ? { offline: true } : {}) })
          updateFile(p, { state: 'done', answer: a })
        } catch (err) {
          // one unreadable file does not stop the others
          updateFile(p, { state: 'failed', error: asUiError(err) })
        }
      }
    } finally {
      setBusy(false)
    }
  }

  const show = (file: string) => {
    const f = files.find((x) => x.path === file)
    if (!f?.answer) return
    setPath(f.path)
    setContentPath(null)
    setAnswer(f.answer)
    setExported(null)
    setError(null)
  }

  useEffect(() => {
    if (initialFiles.length === 1) void run(initialFiles[0]!, null)
    else if (initialFiles.length > 1) void runBatch(initialFiles)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const choose = async () => {
    try {
      const chosen = await call('chooseFiles', { purpose: 'verify', multiple: true })
      if (chosen.length > 1) return await runBatch(chosen)
      const [p] = chosen
      if (!p) return
      setFiles([])
      setPath(p)
      setContentPath(null)
      await run(p, null)
    } catch (err) {
      setError(asUiError(err))
    }
  }

  const chooseContent = async () => {
    if (!path) return
    try {
      const [c] = await call('chooseFiles', { purpose: 'content', multiple: false })
      if (!c) return
      setContentPath(c)
      await run(path, c)
    } catch (err) {
      setError(asUiError(err))
    }
  }

  const exportAs = async (format: 'pdf' | 'json') => {
    if (!answer || !path) return
    setExported(null)
    try {
      const target = await call('chooseSavePath', { defaultName: `${baseName(path).replace(/\.[^.]*$/, '')}-rapport.${format}`, extensions: [format] })
      if (!target) return
      // the save dialog has already asked before replacing an existing file
      const r = await call('exportReport', { report: answer.report, format, path: target, overwrite: true, lang: verificationLanguage(i18n.language) })
      setExported(r.path)
    } catch (err) {
      setError(asUiError(err))
    }
  }

  const v = answer ? verdict(answer.report) : null
  // the full text in the UI language, written again when the language changes
  const fullText = useMemo(() => (answer ? reportText(answer.report, i18n.language) : ''), [answer, i18n.language])
  return (
    <div className="verify-view">
      <h1>{t('verify.title')}</h1>
      <section className="card" aria-labelledby="verify-file-title">
        <h2 id="verify-file-title">{t('verify.fileTitle')}</h2>
        <button type="button" className="primary" onClick={() => void choose()} disabled={busy}>
          {path ? t('verify.chooseOther') : t('verify.choose')}
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={offline} onChange={(e) => setOffline(e.target.checked)} data-testid="offline" />
          {t('verify.offline')}
        </label>
        {path ? (
          <p>
            {t('verify.file', { name: baseName(path) })}
            {contentPath ? ` · ${t('verify.content', { name: baseName(contentPath) })}` : ''}
          </p>
        ) : null}
        <div role="status" className="status" data-testid="verify-status">
          {busy && files.length > 1 ? (
            <>
              {t('verify.batch.progress', { done: files.filter((f) => f.state === 'done' || f.state === 'failed').length, total: files.length })}{' '}
              <progress aria-label={t('verify.running')} max={files.length} value={files.filter((f) => f.state === 'done' || f.state === 'failed').length} />{' '}
              <button type="button" onClick={() => (stopBatch.current = true)}>
                {t('verify.batch.stop')}
              </button>
            </>
          ) : busy ? (
            <>
              {t('verify.running')} <progress aria-label={t('verify.running')} />
            </>
          ) : null}
        </div>
        {error ? <ErrorMessage error={error} /> : null}
      </section>
      {files.length > 1 ? <VerifiedFilesTable files={files} shown={answer ? path : null} onShow={show} /> : null}
      {answer && v ? (
        <>
          <Banner tone={v.tone} title={t(`verify.banner.${v.key}`)} testId="verify-banner" live>
            <p>{t(`verify.bannerText.${v.key}`, { count: answer.report.signatures.length })}</p>
            {answer.report.messages.length > 0 ? (
              <details>
                <summary>{t('verify.fileMessages', { count: answer.report.messages.length })}</summary>
                <ul className="small">
                  {answer.report.messages.map((m, i) => (
                    <li key={i}>{verificationText(i18n.language, answer.report.messageRefs?.[i]?.code, answer.report.messageRefs?.[i]?.params, m)}</li>
                  ))}
                </ul>
              </details>
            ) : null}
          </Banner>
          {needsContent(answer.report) ? (
            <Banner tone="info" title={t('verify.needContent')} testId="need-content">
              <p>{t('verify.needContentText')}</p>
              <button type="button" className="primary" onClick={() => void chooseContent()}>
                {t('verify.chooseContent')}
              </button>
            </Banner>
          ) : null}
          <div className="export-bar">
            <button type="button" onClick={() => void exportAs('pdf')}>
              {t('verify.exportPdf')}
            </button>
            <button type="button" onClick={() => void exportAs('json')}>
              {t('verify.exportJson')}
            </button>
            <span role="status" data-testid="export-status">
              {exported ? t('verify.exported', { path: exported }) : ''}
            </span>
          </div>
          <h2>{t('verify.signatures', { count: answer.report.signatures.length })}</h2>
          {answer.report.signatures.map((s, i) => (
            <SignatureCard key={s.id} s={s} index={i} report={answer.report} />
          ))}
          <details className="card">
            <summary>{t('verify.fullText')}</summary>
            <pre className="raw" tabIndex={0} lang={verificationLanguage(i18n.language)} data-testid="verify-full-text">
              {fullText}
            </pre>
          </details>
        </>
      ) : null}
    </div>
  )
}
