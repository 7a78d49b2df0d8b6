/**
 * Read-only random access to a PDF file without loading it: the trailer / cross-reference chain
 * (classic tables, xref streams, hybrid files) and the objects the signer needs, each read from its
 * offset (or from its object stream). Memory stays proportional to the xref, not to the file.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { inflateSync, constants as zlibConstants } from 'node:zlib'
import { PdfDict, PdfParser, PdfRef, PdfSyntaxError, PdfTruncatedError, isName, type PdfObject } from './pdf-syntax'

export class PdfStructureError extends Error {
  override name = 'PdfStructureError'
}

type XrefEntry = { type: 0 } | { type: 1; offset: number; gen: number } | { type: 2; stream: number; index: number }

const TAIL_BYTES = 4096
const FIRST_WINDOW = 16 * 1024
const MAX_OBJECT_WINDOW = 64 * 1024 * 1024

export class PdfFile {
  /** newest trailer dictionary (for an xref stream: the stream's dictionary) */
  trailer!: PdfDict
  /** offset of the newest cross-reference section (the file's last startxref) */
  startxref!: number
  /** whether the newest section is an xref stream (then an update must use one too) */
  lastSectionIsStream!: boolean
  /** every object number in use is below this (max of trailer /Size and the xref keys + 1) */
  nextObjectNumber!: number
  /** PDF header version, e.g. 1.7 */
  headerVersion = 0
  /** last byte of the file (an update starts with an EOL when it is not one) */
  lastByte = 0
  private readonly xref = new Map<number, XrefEntry>()
  private readonly cache = new Map<string, PdfObject>()
  private readonly objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number> }>()

  /** the whole file, when it is small enough to be read at once (fewer system calls per signature) */
  private data?: Buffer

  private constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  /**
   * Open `path`. Files up to `preloadBytes` (default 8 MiB) are read in one call and served from
   * memory; larger ones are read by offset, only where needed.
   */
  static async open(path: string, opts: { preloadBytes?: number } = {}): Promise<PdfFile> {
    const fh = await open(path, 'r')
    try {
      const st = await fh.stat()
      if (!st.isFile()) throw new PdfStructureError('not a regular file')
      const file = new PdfFile(fh, st.size)
      if (st.size <= (opts.preloadBytes ?? 8 * 1024 * 1024)) {
        const data = Buffer.allocUnsafe(st.size)
        if ((await file.readInto(data, 0, st.size)) !== st.size) throw new PdfStructureError('the file shrank while it was read')
        file.data = data
      }
      await file.load()
      return file
    } catch (e) {
      await fh.close()
      throw e
    }
  }

  /** The whole file when it was preloaded (do not modify). */
  get preloaded(): Buffer | undefined {
    return this.data
  }

  async close(): Promise<void> {
    await this.fh.close()
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const len = Math.max(0, Math.min(length, this.size - offset))
    if (this.data) return this.data.subarray(offset, offset + len)
    const buf = Buffer.allocUnsafe(len)
    let done = 0
    while (done < len) {
      const { bytesRead } = await this.fh.read(buf, done, len - done, offset + done)
      if (bytesRead === 0) break
      done += bytesRead
    }
    return done === len ? buf : buf.subarray(0, done)
  }

  /** Read into a caller's buffer (streaming copies reuse one buffer); returns the bytes read. */
  async readInto(target: Buffer, offset: number, length: number): Promise<number> {
    const len = Math.max(0, Math.min(length, target.length, this.size - offset))
    if (this.data) return this.data.copy(target, 0, offset, offset + len)
    let done = 0
    while (done < len) {
      const { bytesRead } = await this.fh.read(target, done, len - done, offset + done)
      if (bytesRead === 0) break
      done += bytesRead
    }
    return done
  }

  /** Run `parse` on a window at `offset`, growing the window while the parser runs out of bytes. */
  private async parseAt<T>(offset: number, parse: (p: PdfParser) => T, firstWindow = FIRST_WINDOW): Promise<T> {
    if (offset < 0 || offset >= this.size) throw new PdfStructureError(`offset ${offset} is outside the file`)
    let window = firstWindow
    for (;;) {
      const buf = await this.read(offset, window)
      const atEnd = offset + buf.length >= this.size
      try {
        return parse(new PdfParser(buf, 0, atEnd))
      } catch (e) {
        if (e instanceof PdfTruncatedError && !atEnd && window < MAX_OBJECT_WINDOW) {
          window *= 4
          continue
        }
        throw e
      }
    }
  }

  private async load(): Promise<void> {
    const head = await this.read(0, 1024)
    const hv = /%PDF-(\d+\.\d+)/.exec(head.toString('latin1'))
    if (!hv) throw new PdfStructureError('this file is not a PDF (no %PDF- header)')
    this.headerVersion = Number(hv[1])

    const tailStart = Math.max(0, this.size - TAIL_BYTES)
    const tailBytes = await this.read(tailStart, TAIL_BYTES)
    this.lastByte = tailBytes[tailBytes.length - 1] ?? 0
    const tail = tailBytes.toString('latin1')
    // the LAST startxref: a small file's tail also holds those of earlier revisions
    const at = tail.lastIndexOf('startxref')
    const m = at >= 0 ? /^startxref\s+(\d+)/.exec(tail.slice(at)) : null
    if (!m) throw new PdfStructureError('the PDF has no "startxref" at its end (truncated or damaged file)')
    this.startxref = Number(m[1])

    let offset: number | undefined = this.startxref
    const seen = new Set<number>()
    let first = true
    let maxKey = 0
    while (offset !== undefined) {
      if (seen.has(offset)) throw new PdfStructureError('the cross-reference chain loops (/Prev)')
      seen.add(offset)
      let section
      try {
        section = await this.readSection(offset)
      } catch (e) {
        // a broken /Prev (seen in files from real tools): rebuild the older part by scanning the file
        if (first || !(e instanceof PdfStructureError)) throw e
        maxKey = Math.max(maxKey, await this.reconstruct())
        break
      }
      if (first) {
        this.trailer = section.trailer
        this.lastSectionIsStream = section.isStream
        first = false
      }
      for (const [num, entry] of section.entries) {
        if (!this.xref.has(num)) this.xref.set(num, entry)
        if (num > maxKey) maxKey = num
      }
      const prev = section.trailer.get('Prev')
      offset = typeof prev === 'number' ? prev : undefined
    }
    if (this.trailer.has('Encrypt')) throw new PdfStructureError('the PDF is encrypted: remove its protection before signing it')
    const declared = this.trailer.get('Size')
    this.nextObjectNumber = Math.max(typeof declared === 'number' ? declared : 0, maxKey + 1)
    if (!(this.trailer.get('Root') instanceof PdfRef)) throw new PdfStructureError('the PDF trailer has no /Root catalog reference')
  }

  /**
   * Scan the whole file for "N G obj" headers (last one wins, as later revisions come later) and
   * fill the xref entries the sections did not give, including objects inside object streams.
   * Only used for damaged chains. Returns the largest object number found.
   */
  private async reconstruct(): Promise<number> {
    const found = new Map<number, { offset: number; gen: number }>()
    const objectStreams: number[] = []
    const CHUNK = 1024 * 1024
    const OVERLAP = 512
    const header = /(?<![0-9])(\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+obj(?![A-Za-z])/g
    for (let pos = 0; pos < this.size; pos += CHUNK) {
      const text = (await this.read(pos, CHUNK + OVERLAP)).toString('latin1')
      header.lastIndex = 0
      for (let m = header.exec(text); m; m = header.exec(text)) {
        if (m.index >= CHUNK && pos + CHUNK < this.size) break // the next chunk sees it whole
        const num = Number(m[1])
        found.set(num, { offset: pos + m.index, gen: Number(m[2]) })
        if (/^[^]{0,300}?\/Type\s*\/ObjStm/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 300))) objectStreams.push(num)
      }
    }
    let max = 0
    for (const [num, e] of found) {
      if (!this.xref.has(num)) this.xref.set(num, { type: 1, offset: e.offset, gen: e.gen })
      max = Math.max(max, num)
    }
    for (const streamNum of objectStreams) {
      try {
        const os = await this.loadObjectStream(streamNum)
        let index = 0
        for (const num of os.offsets.keys()) {
          if (!this.xref.has(num)) this.xref.set(num, { type: 2, stream: streamNum, index })
          max = Math.max(max, num)
          index++
        }
      } catch {
        // a damaged object stream: its objects stay unknown
      }
    }
    return max
  }

  private async readSection(offset: number): Promise<{ trailer: PdfDict; entries: Map<number, XrefEntry>; isStream: boolean }> {
    // tolerate whitespace before the keyword (off-by-EOL offsets are common)
    const probe = (await this.read(offset, 32)).toString('latin1')
    const lead = /^\s*/.exec(probe)![0].length
    if (probe.slice(lead).startsWith('xref')) return this.readClassicSection(offset + lead)
    if (/^\d+\s+\d+\s+obj/.test(probe.slice(lead))) {
      const { trailer, entries } = await this.readXrefStream(offset + lead)
      return { trailer, entries, isStream: true }
    }
    throw new PdfStructureError(`no cross-reference section at offset ${offset} (damaged file; re-save it with a PDF tool)`)
  }

  private async readClassicSection(offset: number) {
    const { entries, trailer } = await this.parseAt(offset, (p) => {
      p.pos += 4 // 'xref'
      const entries = new Map<number, XrefEntry>()
      for (;;) {
        if (p.acceptKeyword('trailer')) break
        const start = p.expectInteger('xref subsection start')
        const count = p.expectInteger('xref subsection count')
        for (let i = 0; i < count; i++) {
          const off = p.expectInteger('xref entry offset')
          const gen = p.expectInteger('xref entry generation')
          const kind = p.acceptKeyword('n') ? 'n' : p.acceptKeyword('f') ? 'f' : undefined
          if (!kind) throw new PdfSyntaxError(`bad xref entry for object ${start + i}`)
          const num = start + i
          if (!entries.has(num)) entries.set(num, kind === 'n' ? { type: 1, offset: off, gen } : { type: 0 })
        }
      }
      const trailer = p.parseObject()
      if (!(trailer instanceof PdfDict)) throw new PdfSyntaxError('trailer is not a dictionary')
      return { entries, trailer }
    }, 64 * 1024).catch((e) => {
      throw new PdfStructureError(`damaged cross-reference table at offset ${offset}: ${(e as Error).message}`)
    })
    entries.delete(0)
    // hybrid file: the table's entries win, the /XRefStm stream supplements them
    const xrefStm = trailer.get('XRefStm')
    if (typeof xrefStm === 'number') {
      const extra = await this.readXrefStream(xrefStm)
      for (const [num, e] of extra.entries) if (!entries.has(num) || entries.get(num)!.type === 0) entries.set(num, e)
    }
    return { trailer, entries, isStream: false }
  }

  private async readXrefStream(offset: number): Promise<{ trailer: PdfDict; entries: Map<number, XrefEntry> }> {
    const { dict, data } = await this.readStreamAt(offset).catch((e) => {
      throw new PdfStructureError(`damaged cross-reference stream at offset ${offset}: ${(e as Error).message}`)
    })
    if (!isName(dict.get('Type'), 'XRef')) throw new PdfStructureError(`the object at offset ${offset} is not a cross-reference stream`)
    const w = dict.get('W')
    if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === 'number' && x >= 0 && x <= 8))
      throw new PdfStructureError('invalid /W in a cross-reference stream')
    const [w0, w1, w2] = w as [number, number, number]
    const rowLen = w0 + w1 + w2
    const size = dict.get('Size')
    if (typeof size !== 'number') throw new PdfStructureError('cross-reference stream without /Size')
    const index = dict.get('Index') ?? [0, size]
    if (!Array.isArray(index) || index.length % 2 || !index.every((x) => typeof x === 'number'))
      throw new PdfStructureError('invalid /Index in a cross-reference stream')
    const entries = new Map<number, XrefEntry>()
    const field = (pos: number, width: number) => {
      let v = 0
      for (let i = 0; i < width; i++) v = v * 256 + data[pos + i]!
      return v
    }
    let pos = 0
    for (let s = 0; s < index.length; s += 2) {
      const start = index[s] as number
      const count = index[s + 1] as number
      for (let i = 0; i < count; i++, pos += rowLen) {
        if (pos + rowLen > data.length) throw new PdfStructureError('cross-reference stream shorter than its /Index says')
        const type = w0 === 0 ? 1 : field(pos, w0)
        const f2 = field(pos + w0, w1)
        const f3 = field(pos + w0 + w1, w2)
        const num = start + i
        if (num === 0 || entries.has(num)) continue
        if (type === 0) entries.set(num, { type: 0 })
        else if (type === 1) entries.set(num, { type: 1, offset: f2, gen: f3 })
        else if (type === 2) entries.set(num, { type: 2, stream: f2, index: f3 })
      }
    }
    return { trailer: dict, entries }
  }

  /** Read a whole stream object (used for xref and object streams only: both are small). */
  private async readStreamAt(offset: number): Promise<{ dict: PdfDict; data: Uint8Array }> {
    const head = await this.parseAt(offset, (p) => p.parseIndirectObject())
    if (!(head.object instanceof PdfDict) || head.streamStart === undefined) throw new PdfSyntaxError('stream expected')
    const dict = head.object
    const length = await this.resolve(dict.get('Length'))
    if (typeof length !== 'number' || length < 0 || offset + head.streamStart + length > this.size)
      throw new PdfSyntaxError('invalid stream /Length')
    const raw = await this.read(offset + head.streamStart, length)
    return { dict, data: decodeStream(dict, raw) }
  }

  entry(num: number): XrefEntry | undefined {
    return this.xref.get(num)
  }

  /** Object numbers the xref marks in use. */
  *objectNumbers(): Iterable<number> {
    for (const [num, e] of this.xref) if (e.type !== 0) yield num
  }

  async getObject(ref: PdfRef): Promise<PdfObject> {
    const cached = this.cache.get(ref.key)
    if (cached !== undefined) return cached
    const e = this.xref.get(ref.num)
    let obj: PdfObject = null
    if (e?.type === 1) {
      if (e.gen === ref.gen) {
        const r = await this.parseAt(e.offset, (p) => p.parseIndirectObject()).catch((err) => {
          throw new PdfStructureError(`cannot read object ${ref.num} at offset ${e.offset}: ${(err as Error).message}`)
        })
        if (r.num !== ref.num) throw new PdfStructureError(`the xref points object ${ref.num} at object ${r.num} (damaged file)`)
        obj = r.object
      }
    } else if (e?.type === 2 && ref.gen === 0) {
      obj = await this.objectFromStream(e.stream, e.index, ref.num)
    }
    this.cache.set(ref.key, obj)
    return obj
  }

  private async objectFromStream(streamNum: number, index: number, num: number): Promise<PdfObject> {
    const os = await this.loadObjectStream(streamNum)
    const at = os.offsets.get(num)
    if (at === undefined) throw new PdfStructureError(`object ${num} missing from object stream ${streamNum} (index ${index})`)
    return new PdfParser(os.data, at, true).parseObject()
  }

  private async loadObjectStream(streamNum: number): Promise<{ data: Uint8Array; offsets: Map<number, number> }> {
    let os = this.objectStreams.get(streamNum)
    if (!os) {
      const e = this.xref.get(streamNum)
      if (e?.type !== 1) throw new PdfStructureError(`object stream ${streamNum} not found`)
      const { dict, data } = await this.readStreamAt(e.offset)
      const n = dict.get('N')
      const first = dict.get('First')
      if (typeof n !== 'number' || typeof first !== 'number') throw new PdfStructureError(`object stream ${streamNum} lacks /N or /First`)
      const p = new PdfParser(data, 0, true)
      const offsets = new Map<number, number>()
      for (let i = 0; i < n; i++) {
        const objNum = p.expectInteger('object number')
        const off = p.expectInteger('object offset')
        if (!offsets.has(objNum)) offsets.set(objNum, first + off)
      }
      os = { data, offsets }
      this.objectStreams.set(streamNum, os)
    }
    return os
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

/** Decode FlateDecode (with PNG/TIFF predictors) or unfiltered data; other filters are refused. */
export function decodeStream(dict: PdfDict, raw: Uint8Array): Uint8Array {
  let filters = dict.get('Filter')
  let params = dict.get('DecodeParms')
  if (filters === undefined || filters === null) return raw
  if (!Array.isArray(filters)) filters = [filters]
  if (!Array.isArray(params)) params = [params ?? null]
  let data = raw
  filters.forEach((f, i) => {
    if (!isName(f, 'FlateDecode')) throw new PdfStructureError(`unsupported filter in a structural stream: ${isName(f) ? f.name : '?'}`)
    try {
      data = inflateSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH })
    } catch (e) {
      throw new PdfStructureError(`damaged compressed stream (${(e as Error).message})`)
    }
    const p = (params as PdfObject[])[i]
    if (p instanceof PdfDict) {
      const predictor = p.get('Predictor')
      if (typeof predictor === 'number' && predictor >= 10) {
        const num = (k: string, d: number) => {
          const v = p.get(k)
          return typeof v === 'number' ? v : d
        }
        data = pngUnfilter(data, num('Columns', 1), num('Colors', 1), num('BitsPerComponent', 8))
      } else if (predictor === 2) throw new PdfStructureError('TIFF predictor in a structural stream is not supported')
    }
  })
  return data
}

/** Undo PNG row filters (each row starts with its filter type byte). Returns the rows without it. */
export function pngUnfilter(data: Uint8Array, columns: number, colors: number, bitsPerComponent: number): Uint8Array {
  const bpp = Math.max(1, Math.ceil((colors * bitsPerComponent) / 8))
  const rowLen = Math.ceil((columns * colors * bitsPerComponent) / 8)
  const rows = Math.floor(data.length / (rowLen + 1))
  const out = new Uint8Array(rows * rowLen)
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!
    const src = r * (rowLen + 1) + 1
    const dst = r * rowLen
    const up = dst - rowLen
    for (let i = 0; i < rowLen; i++) {
      const x = data[src + i]!
      const a = i >= bpp ? out[dst + i - bpp]! : 0
      const b = r > 0 ? out[up + i]! : 0
      const c = r > 0 && i >= bpp ? out[up + i - bpp]! : 0
      let v: number
      switch (type) {
        case 0: v = x; break
        case 1: v = x + a; break
        case 2: v = x + b; break
        case 3: v = x + ((a + b) >> 1); break
        case 4: {
          const pa = Math.abs(b - c)
          const pb = Math.abs(a - c)
          const pc = Math.abs(a + b - 2 * c)
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
          break
        }
        default:
          throw new PdfStructureError(`invalid PNG predictor row type ${type}`)
      }
      out[dst + i] = v & 0xff
    }
  }
  return out
}
