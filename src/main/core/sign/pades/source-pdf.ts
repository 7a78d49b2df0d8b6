/**
 * The document to sign, read through the shared PDF reader (src/main/core/pdf: the verifier's
 * parser, cross-reference chain, object streams, repair), never loaded whole unless small. Adds
 * what an incremental update needs on top of it: the newest section (its offset and kind, the
 * trailer), the next free object number, the last byte, and the refusals the signer must make
 * (not a PDF, encrypted, no /Root, an unreadable newest section it would have to point /Prev at).
 */
import { BufferByteSource, FileByteSource, PdfDict, PdfReader, PdfRef, PdfView, type ByteSource, type PdfObject } from '../../pdf'

export class PdfStructureError extends Error {
  override name = 'PdfStructureError'
}

const TAIL_BYTES = 4096

export class SourcePdf {
  /** newest trailer dictionary (for an xref stream: the stream's dictionary) */
  readonly trailer: PdfDict
  /** offset of the newest cross-reference section (the file's last startxref) */
  readonly startxref: number
  /** whether the newest section is an xref stream (then an update must use one too) */
  readonly lastSectionIsStream: boolean
  /** every object number in use is below this (max of trailer /Size and the xref keys + 1) */
  readonly nextObjectNumber: number
  /** PDF header version, e.g. 1.7 */
  readonly headerVersion: number
  /** last byte of the file (an update starts with an EOL when it is not one) */
  readonly lastByte: number

  private constructor(
    private readonly reader: PdfReader,
    /** the document as the newest revision shows it */
    readonly view: PdfView,
    /** the whole file, when it was small enough to be read at once */
    private readonly data: Buffer | undefined,
    head: Head,
  ) {
    this.trailer = head.trailer
    this.startxref = head.startxref
    this.lastSectionIsStream = head.lastSectionIsStream
    this.nextObjectNumber = head.nextObjectNumber
    this.headerVersion = head.headerVersion
    this.lastByte = head.lastByte
  }

  /**
   * Open `path`. Files up to `preloadBytes` (default 8 MiB) are read in one call and served from
   * memory (fewer system calls per signature); larger ones are read by offset, only where needed.
   */
  static async open(path: string, opts: { preloadBytes?: number } = {}): Promise<SourcePdf> {
    const file = await FileByteSource.open(path)
    let source: ByteSource = file
    let data: Buffer | undefined
    try {
      if (file.size <= (opts.preloadBytes ?? 8 * 1024 * 1024)) {
        data = await file.read(0, file.size)
        if (data.length !== file.size) throw new PdfStructureError('the file shrank while it was read')
        await file.close()
        source = new BufferByteSource(data)
      }
      const reader = PdfReader.fromSource(source)
      const { view, head } = await load(reader)
      return new SourcePdf(reader, view, data, head)
    } catch (e) {
      await source.close()
      throw e
    }
  }

  /** The whole file when it was preloaded (do not modify). */
  get preloaded(): Buffer | undefined {
    return this.data
  }

  get size(): number {
    return this.reader.size
  }

  async close(): Promise<void> {
    await this.reader.close()
  }

  read(offset: number, length: number): Promise<Buffer> {
    return this.reader.read(offset, length)
  }

  /** Read into a caller's buffer (streaming copies reuse one buffer); returns the bytes read. */
  async readInto(target: Buffer, offset: number, length: number): Promise<number> {
    const len = Math.max(0, Math.min(length, target.length, this.size - offset))
    if (this.data) return this.data.copy(target, 0, offset, offset + len)
    return (this.reader.source as FileByteSource).readInto(target, offset, len)
  }

  /** The object `ref` points at, or null (free, missing, unreadable, other generation). */
  async getObject(ref: PdfRef): Promise<PdfObject> {
    const obj = await this.view.get(ref.num)
    return obj && obj.gen === ref.gen ? obj.value : null
  }

  /** Follow references (a bounded number of hops) to a direct object. */
  async resolve(obj: PdfObject | undefined): Promise<PdfObject | undefined> {
    let cur = obj
    for (let i = 0; i < 32 && cur instanceof PdfRef; i++) cur = await this.getObject(cur)
    return cur instanceof PdfRef ? null : cur
  }

  async resolveDict(obj: PdfObject | undefined): Promise<PdfDict | undefined> {
    const r = await this.resolve(obj)
    return r instanceof PdfDict ? r : undefined
  }
}

interface Head {
  trailer: PdfDict
  startxref: number
  lastSectionIsStream: boolean
  nextObjectNumber: number
  headerVersion: number
  lastByte: number
}

async function load(reader: PdfReader): Promise<{ view: PdfView; head: Head }> {
  const hv = /%PDF-(\d+\.\d+)/.exec((await reader.read(0, 1024)).toString('latin1'))
  if (!hv) throw new PdfStructureError('this file is not a PDF (no %PDF- header)')

  const tailBytes = await reader.read(Math.max(0, reader.size - TAIL_BYTES), TAIL_BYTES)
  const lastByte = tailBytes[tailBytes.length - 1] ?? 0
  const tail = tailBytes.toString('latin1')
  // the LAST startxref: a small file's tail also holds those of earlier revisions
  const at = tail.lastIndexOf('startxref')
  const m = at >= 0 ? /^startxref\s+(\d+)/.exec(tail.slice(at)) : null
  if (!m) throw new PdfStructureError('the PDF has no "startxref" at its end (truncated or damaged file)')
  const startxref = Number(m[1])

  // The update's /Prev points at this section: it must be one the reader parsed, not a repair.
  const newest = await reader.section(startxref)
  if (newest instanceof Error)
    throw new PdfStructureError(`no readable cross-reference section at offset ${startxref} (damaged file; re-save it with a PDF tool): ${newest.message}`)
  const view = await reader.view()
  if (view.repaired || view.sections[0]?.offset !== startxref)
    throw new PdfStructureError(`the cross-reference section at offset ${startxref} does not start a readable chain (damaged file; re-save it with a PDF tool)`)
  // a broken /Prev (seen in files from real tools) loses older sections: find their objects by scanning
  if (view.problems.length) await view.completeFromScan()

  const trailer = view.trailer
  if (trailer.has('Encrypt')) throw new PdfStructureError('the PDF is encrypted: remove its protection before signing it')
  if (!(trailer.get('Root') instanceof PdfRef)) throw new PdfStructureError('the PDF trailer has no /Root catalog reference')
  let maxKey = 0
  for (const num of view.entries.keys()) if (num > maxKey) maxKey = num
  const declared = trailer.get('Size')
  const nextObjectNumber = Math.max(typeof declared === 'number' && Number.isSafeInteger(declared) ? declared : 0, maxKey + 1)
  return {
    view,
    head: { trailer, startxref, lastSectionIsStream: view.sections[0]!.kind === 'stream', nextObjectNumber, headerVersion: Number(hv[1]), lastByte },
  }
}
