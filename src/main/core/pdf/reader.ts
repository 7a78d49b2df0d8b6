/**
 * Low-level PDF reader for large and hostile files: reads the xref sections (tables, streams,
 * hybrid), the trailer chain and only the objects asked for, with positioned reads. Every
 * revision (each `startxref … %%EOF` end) can be opened as a view: the document as a reader
 * would see it if the file stopped there. Broken cross-reference data falls back to scanning
 * for `n g obj` headers; recursion and loops are bounded.
 */
import { decodeStreamData } from './filters'
import {
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  type IndirectObject,
  type ObjectLocation,
  type PdfObject,
} from './objects'
import { NeedMoreData, Parser, PdfSyntaxError } from './parser'
import { BufferByteSource, FileByteSource, type ByteSource } from './source'

export type XrefEntry =
  | { type: 'free'; gen: number }
  | { type: 'offset'; offset: number; gen: number }
  | { type: 'compressed'; streamNum: number; index: number }

export interface XrefSection {
  offset: number
  kind: 'table' | 'stream'
  entries: Map<number, XrefEntry>
  trailer: PdfDict
  prev: number | null
  /** hybrid files: offset of the /XRefStm stream completing a table */
  xrefStm: number | null
}

export interface PdfRevision {
  /** 1-based, oldest first */
  index: number
  /** first byte of this revision (0 for the first one) */
  start: number
  /** offset of the `%%EOF` marker */
  eofOffset: number
  /** just after `%%EOF` and its end-of-line */
  end: number
  /** the startxref value written before this %%EOF */
  startxref: number
}

const MAX_OBJECT_WINDOW = 64 * 1024 * 1024
const MAX_CHAIN = 4096
const MAX_RESOLVE_DEPTH = 32
const SCAN_CHUNK = 4 * 1024 * 1024

export class PdfReader {
  private readonly objectCache = new Map<number, { parsed: ParsedAt | null }>()
  private readonly sectionCache = new Map<number, XrefSection | Error>()
  private readonly objStmCache = new Map<string, ObjStmIndex | null>()
  private revisionsCache: Promise<PdfRevision[]> | null = null
  private eofScan: Promise<number[]> | null = null
  private scanCache: Promise<ScanResult> | null = null

  private constructor(readonly source: ByteSource) {}

  static async open(path: string): Promise<PdfReader> {
    return new PdfReader(await FileByteSource.open(path))
  }

  static fromBuffer(data: Buffer): PdfReader {
    return new PdfReader(new BufferByteSource(data))
  }

  /** A reader over a source the caller opened (it is closed with the reader). */
  static fromSource(source: ByteSource): PdfReader {
    return new PdfReader(source)
  }

  get size(): number {
    return this.source.size
  }

  async close(): Promise<void> {
    await this.source.close()
  }

  read(offset: number, length: number): Promise<Buffer> {
    return this.source.read(offset, length)
  }

  /** Offsets of every `%%EOF` in the file (one sequential pass, chunked). */
  eofMarkers(): Promise<number[]> {
    this.eofScan ??= this.findAll(Buffer.from('%%EOF'), 0, this.size)
    return this.eofScan
  }

  /** Offsets of every occurrence of `needle` in [from, to), read in chunks. */
  async findAll(needle: Buffer, from: number, to: number): Promise<number[]> {
    const out: number[] = []
    const overlap = needle.length - 1
    for (let pos = from; pos < to; pos += SCAN_CHUNK) {
      const chunk = await this.read(pos, Math.min(SCAN_CHUNK + overlap, to - pos))
      for (let i = chunk.indexOf(needle); i !== -1; i = chunk.indexOf(needle, i + 1)) {
        if (i < SCAN_CHUNK) out.push(pos + i)
      }
    }
    return out
  }

  /**
   * Revisions, oldest first: each `%%EOF` preceded by a `startxref` whose section parses and
   * points backwards (the first-page section of a linearized file is not a revision).
   */
  revisions(): Promise<PdfRevision[]> {
    this.revisionsCache ??= this.computeRevisions()
    return this.revisionsCache
  }

  /**
   * Revisions from the cross-reference chain: the last `%%EOF`, then for each section of each
   * chain the first valid `%%EOF` after it (local reads, no pass over the whole file). A broken
   * chain (unreadable section, missing startxref) falls back to scanning every `%%EOF`.
   */
  private async computeRevisions(): Promise<PdfRevision[]> {
    const eofs = new Map<number, PdfRevision>()
    let broken = false
    const last = await this.findLastEof()
    if (last !== null) {
      const lastRev = await this.revisionAtEof(last)
      if (lastRev) eofs.set(last, lastRev)
      else broken = true
    } else broken = true
    const seen = new Set<number>()
    const queue = [...eofs.values()]
    while (queue.length && !broken) {
      const rev = queue.pop()!
      let off: number | null = rev.startxref
      while (off !== null && !seen.has(off) && seen.size < MAX_CHAIN) {
        seen.add(off)
        const sec = await this.section(off)
        if (sec instanceof Error) {
          broken = true
          break
        }
        const closing = await this.validEofAfter(off)
        if (closing && !eofs.has(closing.eofOffset)) {
          eofs.set(closing.eofOffset, closing)
          queue.push(closing)
        }
        if (sec.xrefStm !== null) seen.add(sec.xrefStm)
        off = sec.prev
      }
    }
    if (broken) {
      for (const eof of await this.eofMarkers()) {
        if (eofs.has(eof)) continue
        const r = await this.revisionAtEof(eof)
        if (r) eofs.set(eof, r)
      }
    }
    const revs = [...eofs.values()].sort((a, b) => a.eofOffset - b.eofOffset)
    reindex(revs)
    return revs
  }

  /** The last `%%EOF` of the file, searched backwards in chunks. */
  private async findLastEof(): Promise<number | null> {
    const needle = Buffer.from('%%EOF')
    for (let end = this.size; end > 0; ) {
      const start = Math.max(0, end - 64 * 1024)
      const buf = await this.read(start, end - start + (end < this.size ? 4 : 0))
      const i = buf.lastIndexOf(needle)
      if (i !== -1) return start + i
      end = start
    }
    return null
  }

  /** The first `%%EOF` after `from` that closes a valid revision. */
  private async validEofAfter(from: number): Promise<PdfRevision | null> {
    const needle = Buffer.from('%%EOF')
    for (let k = 0, pos = from; k < 64; k++) {
      const e = await this.findFirst(needle, pos, this.size)
      if (e === null) return null
      const r = await this.revisionAtEof(e)
      if (r) return r
      pos = e + 5
    }
    return null
  }

  /** A revision ending with the `%%EOF` at `eof`, when a startxref to a parsable section precedes it. */
  private async revisionAtEof(eof: number): Promise<PdfRevision | null> {
    const before = (await this.read(Math.max(0, eof - 64), Math.min(64, eof))).toString('latin1')
    const m = /startxref\s+(\d{1,15})\s*$/.exec(before)
    if (!m) return null
    const startxref = Number(m[1])
    if (!(startxref > 0 && startxref < eof)) return null
    const sec = await this.section(startxref)
    if (sec instanceof Error) return null
    if (sec.prev !== null && sec.prev >= eof) return null
    const tail = await this.read(eof + 5, 2)
    let end = eof + 5
    if (tail[0] === 0x0d) end++
    if (tail[end - eof - 5] === 0x0a) end++
    return { index: 0, start: 0, eofOffset: eof, end, startxref }
  }

  /**
   * Adds the revision ending at `end` (e.g. where a signature's byte range stops) when a valid
   * `startxref … %%EOF` ends there but the chain did not list it (revisions hidden from the chain).
   */
  async noteRevisionEnd(end: number): Promise<void> {
    const revs = await this.revisions()
    if (end <= 0 || end > this.size || revs.some((r) => end >= r.eofOffset + 5 && end <= r.end)) return
    const tail = await this.read(Math.max(0, end - 8), Math.min(8, end))
    const i = tail.lastIndexOf(Buffer.from('%%EOF'))
    if (i < 0) return
    const r = await this.revisionAtEof(end - tail.length + i)
    if (!r || !(end >= r.eofOffset + 5 && end <= r.end)) return
    revs.push(r)
    revs.sort((a, b) => a.eofOffset - b.eofOffset)
    reindex(revs)
  }

  /** Parses (and caches) the xref section at `offset`: a table with its trailer, or an xref stream. */
  async section(offset: number): Promise<XrefSection | Error> {
    const cached = this.sectionCache.get(offset)
    if (cached) return cached
    let result: XrefSection | Error
    try {
      result = await this.parseSection(offset)
    } catch (err) {
      result = err instanceof Error ? err : new Error(String(err))
    }
    this.sectionCache.set(offset, result)
    return result
  }

  private async parseSection(offset: number): Promise<XrefSection> {
    if (offset < 0 || offset >= this.size) throw new PdfSyntaxError(`xref offset ${offset} outside the file`)
    const head = await this.read(offset, 16)
    const headText = head.toString('latin1')
    if (/^\s*xref/.test(headText)) return this.withWindow(offset, 64 * 1024, (p) => parseXrefTable(p, offset))
    const obj = await this.readIndirectAt(offset, null)
    if (!obj || !(obj.value instanceof PdfStream) || obj.value.dict.name('Type') !== 'XRef')
      throw new PdfSyntaxError(`no xref table or xref stream at offset ${offset}`)
    const data = decodeStreamData(obj.value.dict, await this.rawStreamData(obj.value))
    return parseXrefStream(obj.value.dict, data, offset)
  }

  /** Runs a parse over a window at `offset`, growing the window while the parse runs off it. */
  private async withWindow<T>(offset: number, initial: number, fn: (p: Parser) => T, positional = true): Promise<T> {
    let size = initial
    for (;;) {
      const buf = await this.read(offset, size)
      const atEof = offset + buf.length >= this.size
      try {
        return fn(new Parser(buf, offset, atEof, 0, positional))
      } catch (err) {
        if (err instanceof NeedMoreData && !atEof && size < MAX_OBJECT_WINDOW) {
          size *= 4
          continue
        }
        if (err instanceof NeedMoreData) throw new PdfSyntaxError('object too large or truncated')
        throw err
      }
    }
  }

  /**
   * Reads the indirect object whose header is at `offset`. Stream lengths are checked against
   * the `endstream` keyword (an indirect /Length is resolved through `lengthOf`).
   */
  async readIndirectAt(offset: number, lengthOf: ((ref: PdfRef) => Promise<number | null>) | null): Promise<ParsedAt | null> {
    const cached = this.objectCache.get(offset)
    if (cached) return cached.parsed
    let parsed: ParsedAt | null = null
    try {
      parsed = await this.withWindow(offset, 8 * 1024, (p) => {
        const header = p.parseIndirectHeader()
        if (!header) return null
        const value = p.parseObject()
        return { num: header.num, gen: header.gen, value, offset, end: p.absPos }
      })
      if (parsed && parsed.value instanceof PdfStream) parsed = await this.fixStream(parsed, lengthOf)
      else if (parsed) parsed.end = await this.afterEndobj(parsed.end)
    } catch {
      parsed = null
    }
    this.objectCache.set(offset, { parsed })
    return parsed
  }

  private async afterEndobj(pos: number): Promise<number> {
    const b = await this.read(pos, 32)
    const m = /^\s*endobj/.exec(b.toString('latin1'))
    return m ? pos + m[0].length : pos
  }

  private async fixStream(obj: ParsedAt, lengthOf: ((ref: PdfRef) => Promise<number | null>) | null): Promise<ParsedAt> {
    const s = obj.value as PdfStream
    const lenObj = s.dict.get('Length')
    let length: number | null = typeof lenObj === 'number' ? lenObj : null
    if (lenObj instanceof PdfRef && lengthOf) length = await lengthOf(lenObj)
    if (length !== null && Number.isInteger(length) && length >= 0 && s.dataOffset + length <= this.size) {
      const after = (await this.read(s.dataOffset + length, 32)).toString('latin1')
      const m = /^\s*endstream/.exec(after)
      if (m) {
        const end = await this.afterEndobj(s.dataOffset + length + m[0].length)
        return { ...obj, value: new PdfStream(s.dict, s.dataOffset, length), end }
      }
    }
    // wrong or missing /Length: find endstream
    const hits = await this.findFirst(Buffer.from('endstream'), s.dataOffset, this.size)
    const stop = hits ?? this.size
    let len = stop - s.dataOffset
    const tail = await this.read(Math.max(s.dataOffset, stop - 2), Math.min(2, len))
    if (tail.length === 2 && tail[0] === 0x0d && tail[1] === 0x0a) len -= 2
    else if (tail.length >= 1 && (tail[tail.length - 1] === 0x0a || tail[tail.length - 1] === 0x0d)) len -= 1
    const end = hits === null ? this.size : await this.afterEndobj(stop + 9)
    return { ...obj, value: new PdfStream(s.dict, s.dataOffset, Math.max(0, len)), end }
  }

  async findFirst(needle: Buffer, from: number, to: number): Promise<number | null> {
    const overlap = needle.length - 1
    for (let pos = from, chunk = 64 * 1024; pos < to; pos += chunk, chunk = Math.min(chunk * 2, SCAN_CHUNK)) {
      const buf = await this.read(pos, Math.min(chunk + overlap, to - pos))
      const i = buf.indexOf(needle)
      if (i !== -1 && i < chunk) return pos + i
      if (buf.length < chunk) break
    }
    return null
  }

  /** The raw (encoded) bytes of a stream. */
  async rawStreamData(s: PdfStream): Promise<Buffer> {
    if (s.inlineData) return s.inlineData
    if (s.length < 0) throw new PdfSyntaxError('stream length unknown')
    return this.read(s.dataOffset, s.length)
  }

  async objectStream(streamObj: IndirectObject): Promise<ObjStmIndex | null> {
    const key = locationKey(streamObj.location)
    if (this.objStmCache.has(key)) return this.objStmCache.get(key)!
    let index: ObjStmIndex | null = null
    try {
      const s = streamObj.value
      if (s instanceof PdfStream && s.dict.name('Type') === 'ObjStm') {
        const data = decodeStreamData(s.dict, await this.rawStreamData(s))
        const n = Math.min(s.dict.number('N') ?? 0, 1_000_000)
        const first = s.dict.number('First') ?? 0
        const p = new Parser(data, 0, true, 0, false)
        const entries: { num: number; offset: number }[] = []
        for (let i = 0; i < n; i++) {
          const num = p.tryInteger()
          const off = p.tryInteger()
          if (num === null || off === null) break
          entries.push({ num, offset: first + off })
        }
        index = { data, entries }
      }
    } catch {
      index = null
    }
    this.objStmCache.set(key, index)
    return index
  }

  /** Every `n g obj` header in [from, to): the repair index used when cross-reference data is unusable. */
  scanObjects(): Promise<ScanResult> {
    this.scanCache ??= this.doScan()
    return this.scanCache
  }

  private async doScan(): Promise<ScanResult> {
    const objects = new Map<number, { offset: number; gen: number }[]>()
    const trailers: number[] = []
    const re = /(?:^|[^0-9])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+obj\b|trailer\s*<</g
    const overlap = 64
    for (let pos = 0; pos < this.size; pos += SCAN_CHUNK) {
      const chunk = (await this.read(pos, SCAN_CHUNK + overlap)).toString('latin1')
      re.lastIndex = 0
      for (let m = re.exec(chunk); m; m = re.exec(chunk)) {
        const at = m.index + (m[1] ? m[0].indexOf(m[1]) : 0)
        if (at >= SCAN_CHUNK) break
        if (m[1]) {
          const num = Number(m[1])
          const list = objects.get(num) ?? []
          list.push({ offset: pos + at, gen: Number(m[2]) })
          objects.set(num, list)
        } else trailers.push(pos + m.index)
      }
    }
    return { objects, trailers }
  }

  private readonly views = new Map<number, Promise<PdfView>>()

  /** The document as it stands at `end` (a revision end), or at the end of the file. Memoized. */
  view(end: number = this.size): Promise<PdfView> {
    let v = this.views.get(end)
    if (!v) {
      v = this.buildView(end)
      this.views.set(end, v)
    }
    return v
  }

  private async buildView(end: number): Promise<PdfView> {
    const revs = await this.revisions()
    const rev = [...revs].reverse().find((r) => r.end <= end)
    const problems: string[] = []
    const sections: XrefSection[] = []
    let startxref: number | null = rev ? rev.startxref : null
    if (rev === undefined || rev.end < end - 2) {
      // bytes after the last revision end: use a startxref in them if there is one
      const tailStart = Math.max(rev ? rev.end : 0, end - 2048)
      const tail = (await this.read(tailStart, end - tailStart)).toString('latin1')
      const all = [...tail.matchAll(/startxref\s+(\d{1,15})/g)]
      const last = all[all.length - 1]
      if (last) startxref = Number(last[1])
      else if (!rev) problems.push('no startxref found')
    }
    const seen = new Set<number>()
    // hybrid files: the /XRefStm section completing each table
    const hybridOf = new Map<XrefSection, XrefSection>()
    let offset = startxref
    // A broken /Prev (e.g. "/Prev 0") is bridged with the startxref of the revision before the
    // sections read so far, as viewers reconstruct it.
    const bridge = (): number | null => {
      const lowest = Math.min(...sections.map((x) => x.offset))
      const before = [...revs].reverse().find((r) => r.end <= lowest && !seen.has(r.startxref))
      return sections.length > 0 && before ? before.startxref : null
    }
    while (offset !== null && sections.length < MAX_CHAIN) {
      if (seen.has(offset)) {
        problems.push('cross-reference chain loops')
        break
      }
      seen.add(offset)
      if (offset >= end) {
        problems.push(`cross-reference section at ${offset} lies outside this revision`)
        offset = bridge()
        continue
      }
      const sec = await this.section(offset)
      if (sec instanceof Error) {
        problems.push(`cross-reference section at ${offset} unreadable: ${sec.message}`)
        offset = bridge()
        continue
      }
      sections.push(sec)
      if (sec.xrefStm !== null && !seen.has(sec.xrefStm) && sec.xrefStm < end) {
        const hs = await this.section(sec.xrefStm)
        if (!(hs instanceof Error)) {
          const completing = { ...hs, trailer: sec.trailer }
          sections.push(completing)
          hybridOf.set(sec, completing)
        }
      }
      offset = sec.prev
    }
    const entries = new Map<number, XrefEntry>()
    for (let i = sections.length - 1; i >= 0; i--) {
      const sec = sections[i]!
      const hybrid = hybridOf.get(sec)
      for (const [n, e] of sec.entries) {
        // a table hides its compressed objects from PDF 1.4 readers as free entries: its /XRefStm wins then
        if (e.type === 'free' && hybrid && (hybrid.entries.get(n)?.type ?? 'free') !== 'free') continue
        entries.set(n, e)
      }
    }
    let trailer: PdfDict | null = sections[0]?.trailer ?? null
    const view = new PdfView(this, end, entries, sections, problems)
    if (!trailer || !(trailer.get('Root') instanceof PdfRef) || sections.length === 0) {
      await view.repair()
      trailer = view.trailer
    } else view.trailer = trailer
    return view
  }
}

function reindex(revs: PdfRevision[]): void {
  revs.forEach((r, i) => {
    r.index = i + 1
    r.start = i === 0 ? 0 : revs[i - 1]!.end
  })
}

export interface ParsedAt {
  num: number
  gen: number
  value: PdfObject
  offset: number
  end: number
}

interface ObjStmIndex {
  data: Buffer
  entries: { num: number; offset: number }[]
}

interface ScanResult {
  objects: Map<number, { offset: number; gen: number }[]>
  trailers: number[]
}

function locationKey(l: ObjectLocation): string {
  return l.kind === 'offset' ? `o${l.offset}` : `c${l.streamOffset}:${l.index}`
}

export class PdfView {
  trailer: PdfDict = new PdfDict()
  /** true when the cross-reference data was unusable and objects were found by scanning */
  repaired = false
  /** objects whose cross-reference entry points elsewhere (another object, outside the file): found by scanning */
  readonly misplaced = new Set<number>()
  private readonly cache = new Map<number, IndirectObject | null>()

  constructor(
    readonly reader: PdfReader,
    /** the document as it stands at this byte offset */
    readonly end: number,
    readonly entries: Map<number, XrefEntry>,
    readonly sections: XrefSection[],
    /** plain-words problems met while reading the structure */
    readonly problems: string[],
  ) {}

  /** Rebuilds the object index from a scan of [0, end): last definition wins, as viewers repair. */
  async repair(): Promise<void> {
    this.repaired = true
    this.problems.push('cross-reference data unusable: objects located by scanning the file')
    const scan = await this.reader.scanObjects()
    this.entries.clear()
    for (const [num, list] of scan.objects) {
      const inRange = list.filter((o) => o.offset < this.end)
      const last = inRange[inRange.length - 1]
      if (last) this.entries.set(num, { type: 'offset', offset: last.offset, gen: last.gen })
    }
    // compressed objects: index the object streams found
    for (const [num, e] of [...this.entries]) {
      const obj = await this.get(num)
      if (obj?.value instanceof PdfStream && obj.value.dict.name('Type') === 'ObjStm') {
        const idx = await this.reader.objectStream(obj)
        idx?.entries.forEach((c, i) => {
          if (!this.entries.has(c.num)) this.entries.set(c.num, { type: 'compressed', streamNum: num, index: i })
        })
      }
      void e
    }
    this.cache.clear()
    // trailer: the last parsable trailer dictionary with a /Root, else an xref stream's, else a catalog
    let trailer: PdfDict | null = null
    for (const t of scan.trailers.filter((o) => o < this.end).reverse()) {
      try {
        const d = await parseAt(this.reader, t + 7)
        if (d instanceof PdfDict && d.get('Root') instanceof PdfRef) {
          trailer = d
          break
        }
      } catch {
        /* next */
      }
    }
    if (!trailer) {
      for (const [num] of this.entries) {
        const o = await this.get(num)
        const d = o?.value instanceof PdfStream ? o.value.dict : o?.value instanceof PdfDict ? o.value : null
        if (d?.name('Type') === 'XRef' && d.get('Root') instanceof PdfRef) trailer = d
        if (!trailer && d?.name('Type') === 'Catalog' && o) {
          trailer = new PdfDict(new Map<string, PdfObject>([['Root', new PdfRef(num, o.gen)]]))
        }
      }
    }
    this.trailer = trailer ?? new PdfDict()
  }

  /**
   * Adds, from a scan of [0, end), the objects the cross-reference chain does not list (a broken
   * /Prev loses older sections): last definition wins, objects inside object streams included.
   * Entries the chain gives are kept. Returns how many entries were added.
   */
  async completeFromScan(): Promise<number> {
    const scan = await this.reader.scanObjects()
    const added: number[] = []
    for (const [num, list] of scan.objects) {
      if (this.entries.has(num)) continue
      const last = list.filter((o) => o.offset < this.end).pop()
      if (!last) continue
      this.entries.set(num, { type: 'offset', offset: last.offset, gen: last.gen })
      added.push(num)
    }
    for (const [num, e] of [...this.entries]) {
      if (e.type !== 'offset') continue
      const obj = await this.get(num)
      if (!(obj?.value instanceof PdfStream) || obj.value.dict.name('Type') !== 'ObjStm') continue
      const idx = await this.reader.objectStream(obj)
      idx?.entries.forEach((c, i) => {
        if (this.entries.has(c.num)) return
        this.entries.set(c.num, { type: 'compressed', streamNum: num, index: i })
        added.push(c.num)
      })
    }
    if (added.length) this.cache.clear()
    return added.length
  }

  /** Location of an object in this view (for comparing revisions without parsing). */
  locate(num: number): XrefEntry | undefined {
    return this.entries.get(num)
  }

  async get(num: number, depth = 0): Promise<IndirectObject | null> {
    if (this.cache.has(num)) return this.cache.get(num)!
    const obj = await this.load(num, depth).catch(() => null)
    this.cache.set(num, obj)
    return obj
  }

  private async load(num: number, depth: number): Promise<IndirectObject | null> {
    if (depth > MAX_RESOLVE_DEPTH) return null
    const e = this.entries.get(num)
    if (!e || e.type === 'free') return null
    if (e.type === 'offset') {
      const lengthOf = async (ref: PdfRef): Promise<number | null> => {
        if (ref.num === num) return null
        const l = await this.get(ref.num, depth + 1)
        return typeof l?.value === 'number' ? l.value : null
      }
      let p = e.offset < this.end ? await this.reader.readIndirectAt(e.offset, lengthOf) : null
      if (!p || p.num !== num) {
        // wrong offset: look for the header by scanning (repair, as viewers do)
        const scan = await this.reader.scanObjects()
        const cands = (scan.objects.get(num) ?? []).filter((o) => o.offset < this.end)
        const c = cands[cands.length - 1]
        if (!c) return null
        this.misplaced.add(num)
        if (!this.problems.includes(`object ${num} not at its cross-reference offset`))
          this.problems.push(`object ${num} not at its cross-reference offset`)
        p = await this.reader.readIndirectAt(c.offset, lengthOf)
        if (!p || p.num !== num) return null
      }
      return { num, gen: p.gen, value: p.value, location: { kind: 'offset', offset: p.offset, end: p.end } }
    }
    const stm = await this.get(e.streamNum, depth + 1)
    if (!stm || stm.location.kind !== 'offset') return null
    const idx = await this.reader.objectStream(stm)
    const entry = idx?.entries[e.index]
    if (!idx || !entry || entry.num !== num) {
      const alt = idx?.entries.findIndex((x) => x.num === num) ?? -1
      if (!idx || alt < 0) return null
      return this.fromObjStm(idx, alt, num, stm)
    }
    return this.fromObjStm(idx, e.index, num, stm)
  }

  private fromObjStm(idx: ObjStmIndex, i: number, num: number, stm: IndirectObject): IndirectObject | null {
    const entry = idx.entries[i]!
    if (entry.offset < 0 || entry.offset >= idx.data.length) return null
    const p = new Parser(idx.data, 0, true, entry.offset, false)
    let value: PdfObject
    try {
      value = p.parseObject()
    } catch {
      return null
    }
    if (value instanceof PdfStream) return null // streams cannot live in object streams
    const streamOffset = stm.location.kind === 'offset' ? stm.location.offset : -1
    return { num, gen: 0, value, location: { kind: 'compressed', streamNum: stm.num, index: i, streamOffset } }
  }

  /** Follows references (bounded) to a direct value. */
  async resolve(v: PdfObject | undefined, depth = 0): Promise<PdfObject | undefined> {
    let cur = v
    for (let i = 0; cur instanceof PdfRef && i < MAX_RESOLVE_DEPTH; i++) {
      const o = await this.get(cur.num, depth)
      cur = o ? o.value : null
    }
    return cur instanceof PdfRef ? null : cur
  }

  async dict(v: PdfObject | undefined): Promise<PdfDict | undefined> {
    const r = await this.resolve(v)
    if (r instanceof PdfDict) return r
    if (r instanceof PdfStream) return r.dict
    return undefined
  }

  async array(v: PdfObject | undefined): Promise<PdfObject[] | undefined> {
    const r = await this.resolve(v)
    return Array.isArray(r) ? r : undefined
  }

  async catalog(): Promise<PdfDict | undefined> {
    return this.dict(this.trailer.get('Root'))
  }

  async streamBytes(s: PdfStream, decoded: boolean): Promise<Buffer> {
    const raw = await this.reader.rawStreamData(s)
    return decoded ? decodeStreamData(s.dict, raw) : raw
  }
}

async function parseAt(reader: PdfReader, offset: number): Promise<PdfObject> {
  const buf = await reader.read(offset, 64 * 1024)
  return new Parser(buf, offset, offset + buf.length >= reader.size).parseObject()
}

function parseXrefTable(p: Parser, offset: number): XrefSection {
  if (!p.tryKeyword('xref')) throw new PdfSyntaxError(`no xref keyword at ${offset}`)
  const entries = new Map<number, XrefEntry>()
  for (;;) {
    const start = p.tryInteger()
    if (start === null) break
    const count = p.tryInteger()
    if (count === null) throw new PdfSyntaxError('bad xref subsection header')
    if (count > 10_000_000) throw new PdfSyntaxError('xref subsection too large')
    for (let i = 0; i < count; i++) {
      const off = p.tryInteger()
      const gen = p.tryInteger()
      p.skipWs()
      const kind = p.peekByte()
      if (off === null || gen === null || (kind !== 0x6e && kind !== 0x66)) throw new PdfSyntaxError('bad xref entry')
      p.pos++
      const num = start + i
      if (kind === 0x6e && off > 0) entries.set(num, { type: 'offset', offset: off, gen })
      else entries.set(num, { type: 'free', gen })
    }
  }
  if (!p.tryKeyword('trailer')) throw new PdfSyntaxError('xref table without trailer')
  const trailer = p.parseObject()
  if (!(trailer instanceof PdfDict)) throw new PdfSyntaxError('trailer is not a dictionary')
  const prev = trailer.get('Prev')
  const xs = trailer.get('XRefStm')
  return {
    offset,
    kind: 'table',
    entries,
    trailer,
    prev: typeof prev === 'number' && Number.isSafeInteger(prev) ? prev : null,
    xrefStm: typeof xs === 'number' && Number.isSafeInteger(xs) ? xs : null,
  }
}

function parseXrefStream(dict: PdfDict, data: Buffer, offset: number): XrefSection {
  const w = dict.get('W')
  if (!Array.isArray(w) || w.length < 3 || !w.every((x) => typeof x === 'number' && x >= 0 && x <= 8))
    throw new PdfSyntaxError('xref stream without a valid /W')
  const widths = w as number[]
  const size = dict.number('Size') ?? 0
  const idx = dict.get('Index')
  const ranges: number[] =
    Array.isArray(idx) && idx.every((x) => typeof x === 'number') ? (idx as number[]) : [0, size]
  const rowLen = widths[0]! + widths[1]! + widths[2]!
  if (rowLen === 0) throw new PdfSyntaxError('xref stream with empty rows')
  const entries = new Map<number, XrefEntry>()
  let pos = 0
  const field = (width: number, dflt: number): number => {
    if (width === 0) return dflt
    let v = 0
    for (let k = 0; k < width; k++) v = v * 256 + (data[pos + k] ?? 0)
    pos += width
    return v
  }
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    const start = ranges[r]!
    const count = Math.min(ranges[r + 1]!, Math.floor((data.length - pos) / rowLen))
    for (let i = 0; i < count; i++) {
      const type = field(widths[0]!, 1)
      const f2 = field(widths[1]!, 0)
      const f3 = field(widths[2]!, 0)
      const num = start + i
      if (type === 0) entries.set(num, { type: 'free', gen: f3 })
      else if (type === 1) entries.set(num, { type: 'offset', offset: f2, gen: f3 })
      else if (type === 2) entries.set(num, { type: 'compressed', streamNum: f2, index: f3 })
    }
  }
  const prev = dict.get('Prev')
  return {
    offset,
    kind: 'stream',
    entries,
    trailer: dict,
    prev: typeof prev === 'number' && Number.isSafeInteger(prev) ? prev : null,
    xrefStm: null,
  }
}


