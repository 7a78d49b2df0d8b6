/**
 * Tokenizer and object parser over a window of the file. Positions are absolute file offsets
 * (window base + index). Running off the window raises NeedMoreData so the caller can read a
 * larger window; nesting is bounded so hostile files cannot exhaust the stack.
 */
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects'

export const MAX_NESTING = 64

export class NeedMoreData extends Error {
  constructor() {
    super('object runs past the bytes read')
  }
}

export class PdfSyntaxError extends Error {}

const WS = new Uint8Array(256)
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WS[c] = 1
const DELIM = new Uint8Array(256)
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1

export function isWhitespace(c: number): boolean {
  return WS[c] === 1
}
export function isDelimiter(c: number): boolean {
  return DELIM[c] === 1
}
function isRegular(c: number): boolean {
  return WS[c] !== 1 && DELIM[c] !== 1
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

export interface ParsedIndirect {
  num: number
  gen: number
  value: PdfObject
  /** absolute offset just after `endobj` (or after the value when endobj is missing) */
  end: number
  /** for streams: the raw stream before its length was resolved */
  streamStart?: number
}

export class Parser {
  pos: number

  /**
   * @param buf window of the file
   * @param base absolute offset of buf[0]
   * @param atEof the window reaches the end of the data: running out is then a syntax error, not NeedMoreData
   */
  constructor(
    readonly buf: Buffer,
    readonly base: number,
    readonly atEof: boolean,
    start = 0,
    /** false for data that is not at a file position (object streams): strings then carry no offsets */
    readonly positional = true,
  ) {
    this.pos = start
  }

  get absPos(): number {
    return this.base + this.pos
  }

  private eof(): never {
    if (this.atEof) throw new PdfSyntaxError('unexpected end of data')
    throw new NeedMoreData()
  }

  skipWs(): void {
    const b = this.buf
    for (;;) {
      while (this.pos < b.length && WS[b[this.pos]!] === 1) this.pos++
      if (this.pos < b.length && b[this.pos] === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++
        continue
      }
      break
    }
  }

  peekByte(): number {
    if (this.pos >= this.buf.length) this.eof()
    return this.buf[this.pos]!
  }

  /** Reads a bare keyword or number token (regular characters) without consuming whitespace. */
  readRegular(): string {
    const start = this.pos
    const b = this.buf
    while (this.pos < b.length && isRegular(b[this.pos]!)) this.pos++
    if (this.pos >= b.length && !this.atEof) this.eof()
    return b.toString('latin1', start, this.pos)
  }

  /** True when the next token is the given keyword (consumed); false leaves the position unchanged. */
  tryKeyword(word: string): boolean {
    this.skipWs()
    const save = this.pos
    if (this.pos >= this.buf.length) {
      if (this.atEof) return false
      this.eof()
    }
    const tok = this.readRegular()
    if (tok === word) return true
    this.pos = save
    return false
  }

  /** Unsigned integer token, or null (position unchanged). */
  tryInteger(): number | null {
    this.skipWs()
    const save = this.pos
    const b = this.buf
    let p = this.pos
    while (p < b.length && isDigit(b[p]!)) p++
    if (p === this.pos) return null
    if (p >= b.length && !this.atEof) this.eof()
    if (p < b.length && isRegular(b[p]!)) return null
    const n = Number(b.toString('latin1', save, p))
    this.pos = p
    return Number.isSafeInteger(n) ? n : null
  }

  parseObject(depth = 0): PdfObject {
    if (depth > MAX_NESTING) throw new PdfSyntaxError('objects nested too deeply')
    this.skipWs()
    const c = this.peekByte()
    const b = this.buf
    switch (c) {
      case 0x2f: // /Name
        return this.parseName()
      case 0x28: // (literal)
        return this.parseLiteralString()
      case 0x3c: // << or <hex>
        if (this.pos + 1 >= b.length) this.eof()
        if (b[this.pos + 1] === 0x3c) return this.parseDictOrStream(depth)
        return this.parseHexString()
      case 0x5b: {
        // [array]
        this.pos++
        const items: PdfObject[] = []
        for (;;) {
          this.skipWs()
          if (this.peekByte() === 0x5d) {
            this.pos++
            return items
          }
          items.push(this.parseObject(depth + 1))
        }
      }
      case 0x5d:
      case 0x3e:
      case 0x29:
      case 0x7b:
      case 0x7d:
        // stray delimiter: skip it (tolerant, as viewers are)
        this.pos++
        return null
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) return this.parseNumberOrRef()
    const word = this.readRegular()
    if (word === 'true') return true
    if (word === 'false') return false
    if (word === 'null') return null
    if (word.length === 0) {
      this.pos++
      return null
    }
    // Unknown keyword (or endobj/stream where a value was expected): signal to the caller.
    throw new PdfSyntaxError(`unexpected keyword "${word.slice(0, 20)}"`)
  }

  private parseNumberOrRef(): PdfObject {
    const start = this.pos
    const tok = this.readRegular()
    const n = Number(tok)
    const value = Number.isFinite(n) ? n : parseLooseNumber(tok)
    if (!/^\d+$/.test(tok)) return value
    // maybe "num gen R"
    const save = this.pos
    const gen = this.tryInteger()
    if (gen !== null) {
      this.skipWs()
      if (this.pos < this.buf.length && this.buf[this.pos] === 0x52 /* R */) {
        const after = this.pos + 1
        if (after >= this.buf.length && !this.atEof) this.eof()
        if (after >= this.buf.length || !isRegular(this.buf[after]!)) {
          this.pos = after
          return new PdfRef(value, gen)
        }
      } else if (this.pos >= this.buf.length && !this.atEof) this.eof()
    }
    this.pos = save
    void start
    return value
  }

  private parseName(): PdfName {
    this.pos++ // '/'
    const b = this.buf
    const start = this.pos
    while (this.pos < b.length && isRegular(b[this.pos]!)) this.pos++
    if (this.pos >= b.length && !this.atEof) this.eof()
    const raw = b.toString('latin1', start, this.pos)
    if (!raw.includes('#')) return new PdfName(raw)
    return new PdfName(raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))))
  }

  private parseHexString(): PdfString {
    const start = this.pos
    const b = this.buf
    const close = b.indexOf(0x3e, this.pos + 1)
    if (close < 0) this.eof()
    const body = b.toString('latin1', this.pos + 1, close).replace(/[^0-9a-fA-F]/g, '')
    this.pos = close + 1
    const bytes = Buffer.from(body.length % 2 ? body + '0' : body, 'hex')
    return this.positional ? new PdfString(bytes, true, this.base + start, this.base + this.pos) : new PdfString(bytes, true, -1, -1)
  }

  private parseLiteralString(): PdfString {
    const start = this.pos
    const b = this.buf
    let p = this.pos + 1
    let nesting = 1
    const out: number[] = []
    while (nesting > 0) {
      if (p >= b.length) this.eof()
      const c = b[p++]!
      if (c === 0x5c) {
        if (p >= b.length) this.eof()
        const e = b[p++]!
        switch (e) {
          case 0x6e: out.push(0x0a); break
          case 0x72: out.push(0x0d); break
          case 0x74: out.push(0x09); break
          case 0x62: out.push(0x08); break
          case 0x66: out.push(0x0c); break
          case 0x0d:
            if (p < b.length && b[p] === 0x0a) p++
            break
          case 0x0a:
            break
          default:
            if (e >= 0x30 && e <= 0x37) {
              let v = e - 0x30
              for (let k = 0; k < 2 && p < b.length && b[p]! >= 0x30 && b[p]! <= 0x37; k++) v = v * 8 + (b[p++]! - 0x30)
              out.push(v & 0xff)
            } else out.push(e)
        }
        continue
      }
      if (c === 0x28) nesting++
      else if (c === 0x29) {
        nesting--
        if (nesting === 0) break
      }
      out.push(c)
    }
    this.pos = p
    return this.positional ? new PdfString(Buffer.from(out), false, this.base + start, this.base + p) : new PdfString(Buffer.from(out), false, -1, -1)
  }

  private parseDictOrStream(depth: number): PdfDict | PdfStream {
    this.pos += 2
    const entries = new Map<string, PdfObject>()
    for (;;) {
      this.skipWs()
      const c = this.peekByte()
      if (c === 0x3e) {
        if (this.pos + 1 >= this.buf.length) this.eof()
        this.pos += this.buf[this.pos + 1] === 0x3e ? 2 : 1
        break
      }
      if (c !== 0x2f) {
        // a non-name key: skip the value-like token to recover
        const junk = this.parseObject(depth + 1)
        void junk
        continue
      }
      const key = this.parseName().name
      this.skipWs()
      if (this.peekByte() === 0x3e && this.buf[this.pos + 1] === 0x3e) {
        entries.set(key, null)
        continue
      }
      entries.set(key, this.parseObject(depth + 1))
    }
    const dict = new PdfDict(entries)
    // stream keyword?
    const save = this.pos
    this.skipWs()
    if (this.pos + 6 > this.buf.length && !this.atEof) this.eof()
    if (this.buf.toString('latin1', this.pos, this.pos + 6) === 'stream') {
      let p = this.pos + 6
      if (p < this.buf.length && this.buf[p] === 0x0d) p++
      if (p < this.buf.length && this.buf[p] === 0x0a) p++
      // Length is resolved by the reader (it can be an indirect reference); -1 marks "unknown yet".
      this.pos = p
      return new PdfStream(dict, this.base + p, -1)
    }
    this.pos = save
    return dict
  }

  /**
   * Parses "num gen obj <value> endobj" at the current position. For streams the returned
   * PdfStream has length -1: the reader fixes it (Length may be indirect).
   */
  parseIndirectHeader(): { num: number; gen: number } | null {
    const num = this.tryInteger()
    if (num === null) return null
    const gen = this.tryInteger()
    if (gen === null) return null
    if (!this.tryKeyword('obj')) {
      // "12 0obj" is common enough in broken files
      this.skipWs()
      if (this.buf.toString('latin1', this.pos, this.pos + 3) !== 'obj') return null
      this.pos += 3
    }
    return { num, gen }
  }
}

function parseLooseNumber(tok: string): number {
  // "--5", "5.3.2", "+-1": take the longest numeric prefix, as lenient readers do
  const m = /^[+-]*(\d*\.?\d*)/.exec(tok)
  const neg = tok.replace(/[^-+].*/, '').includes('-')
  const n = m && m[1] ? Number(m[1]) : 0
  return Number.isFinite(n) ? (neg ? -n : n) : 0
}
