// Signer (the mayor): files with a preview, the certificate's identity card, format / level /
// capacity / place, an optional visible signature drawn on the page, the PIN dialog driven by
// onPinPrompt, a progress bar with cancel, and the result per file.
import { useEffect, useId, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { BatchReportView, FileDescription, PinPrompt } from '../../../../shared/model/app-ipc'
import { CertificateCard, type RevocationView } from '../../components/CertificateCard'
import { ErrorMessage } from '../../components/ErrorMessage'
import { PinDialog } from '../../components/PinDialog'
import { Banner } from '../../components/Banner'
import { asUiError, call, type UiError } from '../../lib/ipc'
import { baseName, formatDate } from '../../lib/format'
import type { Navigate } from '../../lib/route'
import { signingKeyId, signingKeys, useTokens } from '../../lib/tokens'
import { CAPACITIES } from './capacities'
import { FileFacts, PesPreview } from './FilePreview'
import { PdfPreview, type PageGeometry } from './PdfPreview'
import { ReadingProgress } from '../../components/ReadingProgress'

type SignFormat = 'pades' | 'cades' | 'cades-attached' | 'xades' | 'xades-detached' | 'pes'
const FORMATS: SignFormat[] = ['pades', 'pes', 'xades', 'xades-detached', 'cades', 'cades-attached']

export interface Rect {
  page: number
  x: number
  y: number
  width: number
  height: number
}

interface Progress {
  batchId: string | null
  total: number
  done: number
  current: string | null
  pinPerSignature: boolean
}

function NumberField({ label, value, onChange, min = 0 }: { label: string; value: number; onChange(v: number): void; min?: number }) {
  const id = useId()
  return (
    <div className="field field-small">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" min={min} step={1} value={Math.round(value)} onChange={(e) => onChange(Math.max(min, Number(e.target.value) || 0))} />
    </div>
  )
}

/** The rectangle on the page: drawn with the mouse (drag), shown with the stamp's text. */
function SignatureOverlay({ g, rect, onRect, lines }: { g: PageGeometry; rect: Rect; onRect(r: Rect): void; lines: string[] }) {
  const { t } = useTranslation()
  const start = useRef<{ x: number; y: number } | null>(null)
  const layerRef = useRef<HTMLDivElement>(null)
  const toPoint = (e: { clientX: number; clientY: number }) => {
    const box = layerRef.current!.getBoundingClientRect()
    return { x: Math.min(Math.max(e.clientX - box.left, 0), g.widthPx), y: Math.min(Math.max(e.clientY - box.top, 0), g.heightPx) }
  }
  const update = (a: { x: number; y: number }, b: { x: number; y: number }) => {
    const left = Math.min(a.x, b.x)
    const top = Math.min(a.y, b.y)
    const w = Math.abs(a.x - b.x)
    const h = Math.abs(a.y - b.y)
    if (w < 4 || h < 4) return
    onRect({ page: g.page, x: left / g.scale, y: (g.heightPx - top - h) / g.scale, width: w / g.scale, height: h / g.scale })
  }
  // The drag follows the pointer on the window (no pointer capture: it kept later clicks from
  // reaching the buttons in Chromium).
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return
    e.preventDefault()
    const origin = toPoint(e)
    start.current = origin
    const move = (ev: PointerEvent) => update(origin, toPoint(ev))
    const up = (ev: PointerEvent) => {
      update(origin, toPoint(ev))
      start.current = null
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
  }
  const onPage = rect.page === g.page
  return (
    <div className="draw-layer" data-testid="draw-layer" title={t('visible.drawHelp')} ref={layerRef} onPointerDown={onPointerDown}>
      {onPage ? (
        <div
          className="stamp"
          data-testid="stamp-preview"
          style={{ left: rect.x * g.scale, top: g.heightPx - (rect.y + rect.height) * g.scale, width: rect.width * g.scale, height: rect.height * g.scale, fontSize: Math.max(7, Math.min(14, (rect.height * g.scale) / (lines.length + 1.5))) }}
        >
          {lines.map((l, i) => (
            <span key={i}>{l}</span>
          ))}
        </div>
      ) : null}
    </div>
  )
}

export function SignView({ initialFiles, navigate }: { initialFiles: string[]; navigate: Navigate }) {
  const { t } = useTranslation()
  const tokens = useTokens()
  const keys = useMemo(() => signingKeys(tokens.tokens), [tokens.tokens])
  const [files, setFiles] = useState<FileDescription[]>([])
  const [selected, setSelected] = useState(0)
  const [fileError, setFileError] = useState<UiError | null>(null)
  const [reading, setReading] = useState(false)
  const [keyId, setKeyId] = useState<string>('')
  const [format, setFormat] = useState<'auto' | SignFormat>('auto')
  const [pem, setPem] = useState(false)
  const [level, setLevel] = useState<'B-B' | 'B-T'>('B-B')
  const [tsaUrl, setTsaUrl] = useState(() => globalThis.localStorage?.getItem('paraphe.tsaUrl') ?? '')
  const [capacityChoice, setCapacityChoice] = useState<string>('')
  const [capacityText, setCapacityText] = useState('')
  const [city, setCity] = useState('')
  const [visible, setVisible] = useState(false)
  const [rect, setRect] = useState<Rect>({ page: 1, x: 340, y: 60, width: 200, height: 70 })
  const [page, setPage] = useState(1)
  const [outDir, setOutDir] = useState<string | null>(null)
  const [progress, setProgress] = useState<Progress | null>(null)
  const [prompt, setPrompt] = useState<PinPrompt | null>(null)
  const [report, setReport] = useState<BatchReportView | null>(null)
  const [signError, setSignError] = useState<UiError | null>(null)
  const [revocation, setRevocation] = useState<{ sha256: string; view: RevocationView } | null>(null)
  const ids = { key: useId(), format: useId(), level: useId(), tsa: useId(), capacity: useId(), capacityText: useId(), city: useId() }

  const key = keys.find((k) => signingKeyId(k) === keyId) ?? keys.find((k) => k.cert.signatureCertificate) ?? keys[0] ?? null
  const file = files[selected] ?? null
  const effectiveFormat = (f: FileDescription): SignFormat => (format === 'auto' ? f.suggestedFormat : format)
  const anyPdf = files.some((f) => effectiveFormat(f) === 'pades')
  const anyCades = files.some((f) => effectiveFormat(f) === 'cades' || effectiveFormat(f) === 'cades-attached')
  const capacity = capacityChoice === 'free' ? capacityText.trim() : (CAPACITIES.presets.find((p) => p.id === capacityChoice)?.label ?? '')
  const signing = progress !== null && report === null && signError === null
  const keyRevocation = key && revocation?.sha256 === key.cert.sha256 ? revocation.view : null
  const revoked = keyRevocation?.state === 'answered' && keyRevocation.status.status === 'revoked'

  // Revocation of the chosen certificate, asked online in the background: the screen never waits
  // for it; a late answer for a certificate no longer chosen is dropped.
  const keySha = key?.cert.sha256 ?? null
  useEffect(() => {
    if (!key || !keySha) return
    let current = true
    setRevocation({ sha256: keySha, view: { state: 'checking' } })
    const others = tokens.tokens.find((e) => e.details === key.token)?.details.certificates.filter((c) => c.sha256 !== keySha).map((c) => c.der) ?? []
    call('certificateStatus', { certificate: key.cert.der, tokenCertificates: others.slice(0, 32) })
      .then((status) => current && setRevocation({ sha256: keySha, view: { state: 'answered', status } }))
      .catch(() => current && setRevocation({ sha256: keySha, view: { state: 'failed' } }))
    return () => {
      current = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keySha])

  const load = async (paths: string[]) => {
    if (paths.length === 0) return
    setReading(true)
    setFileError(null)
    try {
      const described = await call('describeFiles', { paths })
      setFiles(described)
      setSelected(0)
      setPage(1)
      setReport(null)
      setSignError(null)
      setProgress(null)
    } catch (err) {
      setFileError(asUiError(err))
    } finally {
      setReading(false)
    }
  }

  useEffect(() => {
    if (initialFiles.length > 0) void load(initialFiles)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  useEffect(() => {
    const offProgress = window.paraphe.onSignProgress((p) => {
      setProgress((prev) => {
        const base = prev ?? { batchId: null, total: 0, done: 0, current: null, pinPerSignature: false }
        if (p.type === 'start') return { ...base, batchId: p.batchId, total: p.total, pinPerSignature: p.pinPerSignature }
        if (p.type === 'file-start') return { ...base, batchId: p.batchId, total: p.total, current: p.input }
        // only files actually attempted count as done: after a cancel the bar shows what was signed, not "5 of 5"
        const attempted = p.result.status === 'signed' || p.result.status === 'failed'
        return { ...base, batchId: p.batchId, total: p.total, done: attempted ? base.done + 1 : base.done, current: null }
      })
    })
    const offPin = window.paraphe.onPinPrompt((p) => setPrompt(p))
    return () => {
      offProgress()
      offPin()
    }
  }, [])

  const choose = async () => {
    try {
      await load(await call('chooseFiles', { purpose: 'sign', multiple: true }))
    } catch (err) {
      setFileError(asUiError(err))
    }
  }

  const chooseOutDir = async () => {
    try {
      const dir = await call('chooseFolder')
      if (dir) setOutDir(dir)
    } catch (err) {
      setSignError(asUiError(err))
    }
  }

  const sign = async () => {
    if (!key || files.length === 0 || revoked) return
    setReport(null)
    setSignError(null)
    setProgress({ batchId: null, total: files.length, done: 0, current: null, pinPerSignature: false })
    if (level === 'B-T' && tsaUrl) globalThis.localStorage?.setItem('paraphe.tsaUrl', tsaUrl)
    try {
      const answer = await call('signFiles', {
        files: files.map((f) => f.path),
        token: { modulePath: key.token.modulePath, tokenLabel: key.token.label, ...(key.token.serialNumber ? { tokenSerial: key.token.serialNumber } : {}), ...(key.cert.id ? { keyId: key.cert.id } : {}) },
        ...(format !== 'auto' ? { format } : {}),
        level,
        ...(level === 'B-T' && tsaUrl ? { tsaUrl } : {}),
        ...(anyCades && pem ? { pem: true } : {}),
        ...(anyPdf && visible ? { visible: rect } : {}),
        ...(capacity ? { reason: capacity } : {}),
        ...(city.trim() ? { place: { city: city.trim() } } : {}),
        ...(outDir ? { outDir } : {}),
      })
      setReport(answer)
    } catch (err) {
      setSignError(asUiError(err))
    } finally {
      setPrompt(null)
      void tokens.refreshPin(key.token)
    }
  }

  const answerPin = async (a: { pin: string | null; confirmLastTry: boolean }) => {
    if (!prompt) return
    const requestId = prompt.requestId
    setPrompt(null)
    await call('answerPin', a.pin === null ? { kind: 'pinpad', requestId, confirmLastTry: a.confirmLastTry } : { kind: 'pin', requestId, pin: a.pin, confirmLastTry: a.confirmLastTry })
  }
  const cancelPin = async () => {
    if (!prompt) return
    const requestId = prompt.requestId
    setPrompt(null)
    await call('answerPin', { kind: 'cancel', requestId })
  }
  const cancelBatch = async () => {
    if (progress?.batchId) await call('cancelSigning', { batchId: progress.batchId })
  }

  const stampLines = [
    key ? t('visible.signedBy', { name: key.cert.subjectCommonName ?? key.cert.subject }) : t('visible.signer'),
    t('visible.date', { date: formatDate(new Date().toISOString()) }),
    ...(capacity ? [capacity] : []),
    ...(city.trim() ? [t('visible.place', { city: city.trim() })] : []),
  ]

  return (
    <div className="sign-view">
      <h1>{t('sign.title')}</h1>
      <div className="sign-grid">
        <div className="sign-left">
          <section className="card" aria-labelledby="sign-files-title">
            <h2 id="sign-files-title">{t('sign.step1')}</h2>
            <button type="button" className="primary" onClick={() => void choose()} disabled={signing}>
              {files.length ? t('sign.chooseOther') : t('sign.chooseFiles')}
            </button>
            <p role="status" className="status">
              {reading ? <ReadingProgress label={t('sign.reading')} /> : files.length ? t('sign.filesCount', { count: files.length }) : ''}
            </p>
            {fileError ? <ErrorMessage error={fileError} /> : null}
            {files.length > 0 ? (
              <ul className="file-list" aria-label={t('sign.fileList')}>
                {files.map((f, i) => (
                  <li key={f.path}>
                    <button type="button" className="file-item" aria-pressed={i === selected} onClick={() => { setSelected(i); setPage(1) }} data-testid="file-item">
                      <span className="file-name">{f.name}</span>
                      <span className="muted small">
                        {t(`file.kind.${f.kind}`)} · {t(`format.${effectiveFormat(f)}`)}
                        {f.signed ? ` · ${t('sign.alreadySigned')}` : ''}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </section>

          <section className="card" aria-labelledby="sign-cert-title">
            <h2 id="sign-cert-title">{t('sign.step2')}</h2>
            {tokens.loading && keys.length === 0 ? <p>{t('strip.loading')}</p> : null}
            {!tokens.loading && keys.length === 0 ? <Banner tone="warning" title={t('sign.noKey')}>{t('sign.noKeyTodo')}</Banner> : null}
            {keys.length > 0 ? (
              <div className="field">
                <label htmlFor={ids.key}>{t('sign.certificate')}</label>
                <select id={ids.key} value={key ? signingKeyId(key) : ''} onChange={(e) => setKeyId(e.target.value)} data-testid="key-select">
                  {keys.map((k) => (
                    <option key={signingKeyId(k)} value={signingKeyId(k)}>
                      {`${k.cert.subjectCommonName ?? k.cert.subject} — ${k.token.label}${k.cert.label ? ` (${k.cert.label})` : ''}${k.cert.signatureCertificate ? '' : ` · ${t('sign.notForSigning')}`}`}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            {key ? <CertificateCard cert={key.cert} tokenLabel={key.token.label} revocation={keyRevocation} /> : null}
          </section>

          <section className="card" aria-labelledby="sign-options-title">
            <h2 id="sign-options-title">{t('sign.step3')}</h2>
            <div className="field">
              <label htmlFor={ids.format}>{t('sign.format')}</label>
              <select id={ids.format} value={format} onChange={(e) => setFormat(e.target.value as 'auto' | SignFormat)}>
                <option value="auto">{t('format.auto')}</option>
                {FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {t(`format.${f}`)}
                  </option>
                ))}
              </select>
              <p className="muted small">{file ? t('sign.formatFor', { name: file.name, format: t(`format.${effectiveFormat(file)}`) }) : t('sign.formatHelp')}</p>
            </div>
            {anyCades ? (
              <label className="checkbox">
                <input type="checkbox" checked={pem} onChange={(e) => setPem(e.target.checked)} />
                {t('sign.pem')}
              </label>
            ) : null}
            <div className="field">
              <label htmlFor={ids.level}>{t('sign.level')}</label>
              <select id={ids.level} value={level} onChange={(e) => setLevel(e.target.value as 'B-B' | 'B-T')}>
                <option value="B-B">{t('sign.levelBB')}</option>
                <option value="B-T">{t('sign.levelBT')}</option>
              </select>
            </div>
            {level === 'B-T' ? (
              <div className="field">
                <label htmlFor={ids.tsa}>{t('sign.tsaUrl')}</label>
                <input id={ids.tsa} type="url" value={tsaUrl} placeholder="https://" onChange={(e) => setTsaUrl(e.target.value)} />
              </div>
            ) : null}
            <div className="field">
              <label htmlFor={ids.capacity}>{t('sign.capacity')}</label>
              <select id={ids.capacity} value={capacityChoice} onChange={(e) => setCapacityChoice(e.target.value)} data-testid="capacity-select">
                <option value="">{t('sign.capacityNone')}</option>
                {CAPACITIES.presets.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
                {CAPACITIES.freeText ? <option value="free">{t('sign.capacityFree')}</option> : null}
              </select>
            </div>
            {capacityChoice === 'free' ? (
              <div className="field">
                <label htmlFor={ids.capacityText}>{t('sign.capacityText')}</label>
                <input id={ids.capacityText} type="text" maxLength={200} value={capacityText} onChange={(e) => setCapacityText(e.target.value)} />
              </div>
            ) : null}
            <div className="field">
              <label htmlFor={ids.city}>{t('sign.place')}</label>
              <input id={ids.city} type="text" maxLength={100} value={city} onChange={(e) => setCity(e.target.value)} />
            </div>
            <div className="field">
              <span className="label">{t('sign.outDir')}</span>
              <span>{outDir ?? t('sign.outDirDefault')}</span>{' '}
              <button type="button" onClick={() => void chooseOutDir()}>
                {t('sign.chooseOutDir')}
              </button>
            </div>
            {anyPdf ? (
              <fieldset className="visible-box">
                <legend>{t('visible.title')}</legend>
                <label className="checkbox">
                  <input type="checkbox" checked={visible} onChange={(e) => setVisible(e.target.checked)} data-testid="visible-toggle" />
                  {t('visible.enable')}
                </label>
                {visible ? (
                  <>
                    <p className="muted small">{t('visible.help')}</p>
                    <div className="rect-fields">
                      <NumberField label={t('visible.page')} value={rect.page} min={1} onChange={(v) => setRect({ ...rect, page: Math.max(1, v) })} />
                      <NumberField label={t('visible.x')} value={rect.x} onChange={(v) => setRect({ ...rect, x: v })} />
                      <NumberField label={t('visible.y')} value={rect.y} onChange={(v) => setRect({ ...rect, y: v })} />
                      <NumberField label={t('visible.width')} value={rect.width} min={10} onChange={(v) => setRect({ ...rect, width: v })} />
                      <NumberField label={t('visible.height')} value={rect.height} min={10} onChange={(v) => setRect({ ...rect, height: v })} />
                    </div>
                  </>
                ) : null}
              </fieldset>
            ) : null}
          </section>

          <section className="card" aria-labelledby="sign-go-title">
            <h2 id="sign-go-title">{t('sign.step4')}</h2>
            <button type="button" className="primary big" onClick={() => void sign()} disabled={!key || files.length === 0 || signing || revoked || (level === 'B-T' && !tsaUrl)} aria-describedby={revoked ? 'sign-revoked-reason' : undefined} data-testid="sign-button">
              {t('sign.signButton', { count: files.length })}
            </button>
            {revoked ? (
              <p className="error" id="sign-revoked-reason" data-testid="sign-revoked">
                {t('sign.revokedBlocked')}
              </p>
            ) : null}
            {progress ? (
              <div className="progress-box" data-testid="sign-progress">
                <label>
                  {t('sign.progress', { done: progress.done, total: progress.total })}
                  <progress max={Math.max(progress.total, 1)} value={progress.done} />
                </label>
                <p role="status" className="status">
                  {signing ? (progress.current ? t('sign.current', { name: baseName(progress.current) }) : t('sign.preparing')) : ''}
                </p>
                {signing ? (
                  <button type="button" onClick={() => void cancelBatch()} disabled={!progress.batchId}>
                    {t('sign.cancel')}
                  </button>
                ) : null}
              </div>
            ) : null}
            {signError ? <ErrorMessage error={signError} context={t('sign.failed')} /> : null}
            {report ? <SignResults report={report} navigate={navigate} /> : null}
          </section>
        </div>

        <section className="card sign-preview" aria-labelledby="sign-preview-title">
          <h2 id="sign-preview-title">{t('sign.preview')}</h2>
          {!file ? <p className="muted">{t('sign.noFile')}</p> : null}
          {file && file.kind === 'pdf' ? (
            <>
              <PdfPreview
                path={file.path}
                page={page}
                onPageChange={setPage}
                overlay={visible && effectiveFormat(file) === 'pades' ? (g) => <SignatureOverlay g={g} rect={rect} onRect={setRect} lines={stampLines} /> : undefined}
              />
              <FileFacts file={file} />
            </>
          ) : null}
          {file && file.pes ? <PesPreview file={file} /> : null}
          {file && file.kind !== 'pdf' && !file.pes ? <FileFacts file={file} /> : null}
        </section>
      </div>
      {prompt ? <PinDialog request={prompt} onSubmit={(a) => void answerPin(a)} onCancel={() => void cancelPin()} /> : null}
    </div>
  )
}

function SignResults({ report, navigate }: { report: BatchReportView; navigate: Navigate }) {
  const { t } = useTranslation()
  const tone = report.failed > 0 || report.stopped ? (report.signed > 0 ? 'warning' : 'danger') : 'ok'
  const outputs = report.results.flatMap((r) => (r.status === 'signed' && r.output ? [r.output] : []))
  return (
    <div className="results" data-testid="sign-results">
      <Banner tone={tone} title={t('sign.resultSummary', { count: report.signed, total: report.total })} live>
        {report.stopped ? <p>{t(`sign.stopped.${report.stopped.reason}`)}</p> : null}
        {outputs.length > 1 ? (
          <button type="button" onClick={() => navigate({ view: 'verify', files: outputs })} data-testid="verify-all-signed">
            {t('sign.verifyAll', { count: outputs.length })}
          </button>
        ) : null}
      </Banner>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('sign.resultFile')}</th>
            <th scope="col">{t('sign.resultStatus')}</th>
            <th scope="col">{t('sign.resultActions')}</th>
          </tr>
        </thead>
        <tbody>
          {report.results.map((r) => (
            <tr key={r.input} data-testid="sign-result" data-status={r.status}>
              <th scope="row">
                {baseName(r.input)}
                {r.output ? <div className="muted small">→ {baseName(r.output)}</div> : null}
              </th>
              <td>
                <span className={r.status === 'signed' ? 'badge badge-ok' : r.status === 'failed' ? 'badge badge-danger' : 'badge'}>{t(`sign.status.${r.status}`)}</span>
                {r.status === 'cancelled' ? (
                  <div className="small">{t('sign.cancelledReason')}</div>
                ) : r.status === 'skipped' && report.stopped ? (
                  <div className="small">{t(`sign.skippedBecause.${report.stopped.reason}`)}</div>
                ) : r.error && r.errorKind ? (
                  <div className="small" data-testid="sign-failure">
                    {t(`sign.failure.${r.errorKind}`, { defaultValue: t('sign.failure.other') })}
                    <details>
                      <summary>{t('sign.failureDetail')}</summary>
                      <code>{r.error}</code>
                    </details>
                  </div>
                ) : r.error ? (
                  <div className="small">{t('sign.reason', { reason: r.error })}</div>
                ) : null}
              </td>
              <td className="actions">
                {r.output ? (
                  <>
                    <button type="button" onClick={() => void call('showInFolder', { path: r.output! }).catch(() => undefined)} aria-label={t('sign.openFolderFor', { name: baseName(r.output) })}>
                      {t('sign.openFolder')}
                    </button>
                    <button type="button" onClick={() => navigate({ view: 'verify', files: [r.output!] })} aria-label={t('sign.verifyFor', { name: baseName(r.output) })}>
                      {t('sign.verify')}
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
