/**
 * What the sign and verify screens show about a file before anything happens: name, size, SHA-256,
 * kind, whether it already carries a signature (a signed file -> propose to verify it), the format
 * Paraphe would sign it in, and for a PES file a readable summary of its bordereaux.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Element } from '@xmldom/xmldom'
import type { DescribeProgress, FileDescription, PesSummary } from '../../../shared/model/app-ipc'
import { ParapheError } from '../../../shared/errors'
import { detectFormatFromHead, readHead } from '../sign/detect-format'
import { parseXml } from '../xml/parse'

/** A PES summary is built from the parsed file: bounded so that a huge XML does not stall the UI. */
const PES_SUMMARY_MAX_BYTES = 64 * 1024 * 1024
/** The preview reads the PDF into the renderer: bounded (a larger PDF is signed without preview). */
export const PDF_PREVIEW_MAX_BYTES = 80 * 1024 * 1024

const SIGNATURE_MARKERS: Record<string, RegExp> = {
  pdf: /\/ByteRange\s*\[/,
  xml: /<(?:[A-Za-z_][\w.-]*:)?Signature[\s>][\s\S]{0,400}?http:\/\/www\.w3\.org\/2000\/09\/xmldsig#|xmlns(?::\w+)?="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"[^>]*>[\s\S]{0,40}<(?:\w+:)?SignedInfo/,
}

/** A progress report at most every this many bytes, and for each file's last chunk. */
const PROGRESS_STEP = 16 * 1024 * 1024

/** One streaming pass: SHA-256 of the whole file and whether a signature marker occurs (chunk seams handled). */
async function hashAndScan(path: string, marker: RegExp | undefined, onBytes?: (done: number) => void): Promise<{ sha256: string; found: boolean }> {
  const hash = createHash('sha256')
  let found = false
  let tail = ''
  let done = 0
  let reported = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer
    hash.update(buf)
    done += buf.length
    if (onBytes && done - reported >= PROGRESS_STEP) {
      reported = done
      onBytes(done)
    }
    if (marker && !found) {
      const text = tail + buf.toString('latin1')
      found = marker.test(text)
      tail = text.slice(-1024)
    }
  }
  // a file long enough to have reported on the way ends at 100 %; small ones say nothing
  if (onBytes && reported > 0 && reported < done) onBytes(done)
  return { sha256: hash.digest('hex'), found }
}

const attr = (el: Element | null | undefined, name = 'V'): string | null => (el ? el.getAttribute(name) : null)

function firstChild(el: Element | null | undefined, localName: string): Element | null {
  if (!el) return null
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName) return n as Element
  }
  return null
}

function descendants(el: Element, localName: string, out: Element[] = [], depth = 0): Element[] {
  if (depth > 64) return out
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue
    const e = n as Element
    if (e.localName === localName) out.push(e)
    else descendants(e, localName, out, depth + 1)
  }
  return out
}

/** Collectivité, budget, and each bordereau with its number, type, amount, piece count and signature state. */
export function summarisePes(root: Element): PesSummary {
  const header = firstChild(root, 'EnTetePES')
  const bordereaux = descendants(root, 'Bordereau').map((b) => {
    const bloc = firstChild(b, 'BlocBordereau')
    const signed = descendants(b, 'Signature').length > 0
    return {
      id: b.getAttribute('Id') || null,
      number: attr(firstChild(bloc, 'IdBord')) ?? attr(firstChild(bloc, 'NumBord')),
      type: attr(firstChild(bloc, 'TypBord')),
      amount: attr(firstChild(bloc, 'MtBordHT')) ?? attr(firstChild(bloc, 'MtBordHt')),
      pieceCount: Number(attr(firstChild(bloc, 'NbrPce')) ?? descendants(b, 'Piece').length) || descendants(b, 'Piece').length,
      signed,
    }
  })
  const exercice = attr(firstChild(firstChild(descendants(root, 'Bordereau')[0], 'BlocBordereau'), 'Exer'))
  return {
    collectivite: attr(firstChild(header, 'LibelleColBud')) ?? attr(firstChild(header, 'IdColl')),
    budget: attr(firstChild(header, 'CodBud')),
    exercice,
    bordereaux,
  }
}

async function pdfPageCount(path: string, size: number): Promise<number | null> {
  // Counting /Type /Page objects is enough for a preview label; pdf.js gives the truth when it renders.
  if (size > PDF_PREVIEW_MAX_BYTES) return null
  const text = (await readFile(path)).toString('latin1')
  const count = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length
  return count > 0 ? count : null
}

export async function describeFile(path: string, onBytes?: (done: number, size: number) => void): Promise<FileDescription> {
  let size: number
  try {
    const s = await stat(path)
    if (!s.isFile()) throw new ParapheError('IO_ERROR', `${basename(path)} is not a file`)
    size = s.size
  } catch (err) {
    if (err instanceof ParapheError) throw err
    throw new ParapheError('IO_ERROR', `cannot read ${basename(path)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  const head = await readHead(path)
  const detected = detectFormatFromHead(head)
  const kind: FileDescription['kind'] =
    detected.format === 'pades'
      ? 'pdf'
      : detected.format === 'pes'
        ? 'pes'
        : detected.format === 'xades'
          ? 'xml'
          : detected.cosignature
            ? 'cms'
            : head[0] === 0x50 && head[1] === 0x4b
              ? 'zip'
              : 'other'
  const marker = kind === 'pdf' ? SIGNATURE_MARKERS['pdf'] : kind === 'xml' || kind === 'pes' ? SIGNATURE_MARKERS['xml'] : undefined
  const { sha256, found } = await hashAndScan(path, marker, onBytes && ((done) => onBytes(done, size)))
  let pes: PesSummary | null = null
  if (kind === 'pes' && size <= PES_SUMMARY_MAX_BYTES) {
    try {
      pes = summarisePes(parseXml(await readFile(path)).root)
    } catch {
      pes = null // not well-formed: signing will say why; the preview just has no summary
    }
  }
  return {
    path,
    name: basename(path),
    size,
    sha256,
    kind,
    signed: kind === 'cms' || (kind === 'zip' ? false : found),
    suggestedFormat: detected.format,
    pes,
    pageCount: kind === 'pdf' ? await pdfPageCount(path, size) : null,
  }
}

export async function describeFiles(paths: readonly string[], onProgress?: (p: DescribeProgress) => void): Promise<FileDescription[]> {
  const out: FileDescription[] = []
  for (const [index, path] of paths.entries()) {
    const report = onProgress && ((bytesDone: number, bytes: number) => onProgress({ path, index, files: paths.length, bytesDone, bytes }))
    out.push(await describeFile(path, report))
  }
  return out
}

export async function readPdfForPreview(path: string): Promise<{ base64: string }> {
  const s = await stat(path)
  if (s.size > PDF_PREVIEW_MAX_BYTES) throw new ParapheError('IO_ERROR', `the file is too large to preview (${Math.round(s.size / 1e6)} MB); it can still be signed`)
  const bytes = await readFile(path)
  if (bytes.subarray(0, 1024).indexOf('%PDF-') < 0) throw new ParapheError('INVALID_REQUEST', `${basename(path)} is not a PDF`)
  return { base64: bytes.toString('base64') }
}
