// PDF page preview with pdfjs-dist (worker bundled by Vite, no eval, no wasm: the CSP forbids both).
// Page navigation and zoom (steps, or the frame's width); a page wider than the frame scrolls inside
// it. An optional overlay (the visible-signature rectangle) sits on the page.
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import * as pdfjs from 'pdfjs-dist'
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'
import { asUiError, call, type UiError } from '../../lib/ipc'
import { ErrorMessage } from '../../components/ErrorMessage'

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl

export interface PageGeometry {
  page: number
  /** CSS pixels of the rendered page */
  widthPx: number
  heightPx: number
  /** PDF points per CSS pixel is 1 / scale */
  scale: number
}

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2]

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export function PdfPreview({ path, page, onPageChange, overlay }: { path: string; page: number; onPageChange(p: number): void; overlay?: (g: PageGeometry) => ReactNode }) {
  const { t } = useTranslation()
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const frameRef = useRef<HTMLDivElement>(null)
  // the whole width of the page at first (an A4 page at 100 % is a little wider than the frame)
  const [fit, setFit] = useState(true)
  const [frameWidth, setFrameWidth] = useState(0)
  const [doc, setDoc] = useState<pdfjs.PDFDocumentProxy | null>(null)
  const [error, setError] = useState<UiError | null>(null)
  const [zoomIndex, setZoomIndex] = useState(2)
  const [geometry, setGeometry] = useState<PageGeometry | null>(null)
  const [rendering, setRendering] = useState(true)

  useEffect(() => {
    let cancelled = false
    let task: pdfjs.PDFDocumentLoadingTask | null = null
    setDoc(null)
    setError(null)
    void (async () => {
      try {
        const { base64 } = await call('readPdf', { path })
        if (cancelled) return
        task = pdfjs.getDocument({ data: base64ToBytes(base64), useWasm: false, enableXfa: false })
        const loaded = await task.promise
        if (!cancelled) setDoc(loaded)
      } catch (err) {
        if (!cancelled) setError(asUiError(err))
      }
    })()
    return () => {
      cancelled = true
      void task?.destroy()
    }
  }, [path])

  // the frame's inner width (without its padding and scrollbar), for "fit to width"
  useEffect(() => {
    const el = frameRef.current
    if (!el) return
    const measure = () => {
      const style = getComputedStyle(el)
      setFrameWidth(Math.max(0, el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)))
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [doc])

  useEffect(() => {
    if (!doc || !canvasRef.current) return
    if (fit && frameWidth <= 0) return
    let task: ReturnType<pdfjs.PDFPageProxy['render']> | null = null
    let cancelled = false
    setRendering(true)
    void (async () => {
      const p = await doc.getPage(Math.min(Math.max(page, 1), doc.numPages))
      if (cancelled) return
      const scale = fit ? Math.max(0.25, Math.floor((frameWidth / p.getViewport({ scale: 1 }).width) * 1000) / 1000) : ZOOMS[zoomIndex]!
      const viewport = p.getViewport({ scale })
      const canvas = canvasRef.current!
      const ratio = window.devicePixelRatio || 1
      canvas.width = Math.floor(viewport.width * ratio)
      canvas.height = Math.floor(viewport.height * ratio)
      canvas.style.width = `${viewport.width}px`
      canvas.style.height = `${viewport.height}px`
      task = p.render({ canvas, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined })
      try {
        await task.promise
        if (!cancelled) {
          setGeometry({ page, widthPx: viewport.width, heightPx: viewport.height, scale })
          setRendering(false)
        }
      } catch {
        /* render cancelled by a newer page or zoom */
      }
    })()
    return () => {
      cancelled = true
      task?.cancel()
    }
  }, [doc, page, zoomIndex, fit, fit ? frameWidth : 0])

  // a zoom step leaves "fit to width" from the nearest step in that direction
  const zoomStep = (dir: 1 | -1) => {
    if (fit) {
      const current = geometry?.scale ?? 1
      const next = dir > 0 ? ZOOMS.findIndex((z) => z > current + 0.001) : ZOOMS.findLastIndex((z) => z < current - 0.001)
      setZoomIndex(next === -1 ? (dir > 0 ? ZOOMS.length - 1 : 0) : next)
      setFit(false)
    } else setZoomIndex((z) => Math.min(ZOOMS.length - 1, Math.max(0, z + dir)))
  }

  if (error) return <ErrorMessage error={error} context={t('preview.pdfError')} />
  const pages = doc?.numPages ?? 0
  return (
    <div className="pdf-preview" data-testid="pdf-preview">
      <div className="toolbar" role="toolbar" aria-label={t('preview.toolbar')}>
        <button type="button" onClick={() => onPageChange(page - 1)} disabled={page <= 1}>
          {t('preview.prevPage')}
        </button>
        <span data-testid="pdf-page" aria-live="polite">
          {doc ? t('preview.pageOf', { page, count: pages }) : t('preview.loading')}
        </span>
        <button type="button" onClick={() => onPageChange(page + 1)} disabled={page >= pages}>
          {t('preview.nextPage')}
        </button>
        <button type="button" onClick={() => zoomStep(-1)} disabled={!fit && zoomIndex === 0} aria-label={t('preview.zoomOut')}>
          −
        </button>
        <span data-testid="pdf-zoom">{fit && !geometry ? '…' : `${Math.round((fit ? geometry!.scale : ZOOMS[zoomIndex]!) * 100)} %`}</span>
        <button type="button" onClick={() => zoomStep(1)} disabled={!fit && zoomIndex === ZOOMS.length - 1} aria-label={t('preview.zoomIn')}>
          +
        </button>
        <button type="button" aria-pressed={fit} onClick={() => setFit((f) => !f)}>
          {t('preview.fitWidth')}
        </button>
      </div>
      <div className="page-frame" ref={frameRef} tabIndex={0} role="region" aria-label={t('preview.pageRegion', { page })}>
        <div className="page-stack" data-rendering={rendering ? 'true' : 'false'}>
          <canvas ref={canvasRef} role="img" aria-label={t('preview.pageImage', { page })} data-testid="pdf-canvas" />
          {geometry && overlay ? overlay(geometry) : null}
        </div>
      </div>
    </div>
  )
}
