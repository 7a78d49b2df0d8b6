/**
 * Minimal PDF object syntax (ISO 32000-1 §7.2-7.3): a tokenizer/parser for the few objects the signer
 * reads (trailer, xref streams, catalog, AcroForm, pages) and a serializer for the objects it rewrites
 * in an incremental update. Streams are never parsed here: the caller reads their data by offset.
 */

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfString {
  /** `hex` keeps the original notation when an existing object is rewritten */
  constructor(
    readonly bytes: Uint8Array,
    readonly hex = false,
  ) {}
  static latin1(text: string): PdfString {
    return new PdfString(Buffer.from(text, 'latin1'))
  }
  /** Text string (§7.9.2.2): PDFDocEncoding when ASCII, else UTF-16BE with BOM. */
  static text(text: string): PdfString {
    if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(Buffer.from(text, 'latin1'))
    const utf16 = Buffer.from(text, 'utf16le').swap16()
    return new PdfString(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16]), true)
  }
  /** Decode a text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding ~ Latin-1). */
  toText(): string {
    const b = this.bytes
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return Buffer.from(b.subarray(2)).swap16().toString('utf16le')
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return Buffer.from(b.subarray(3)).toString('utf8')
    return Buffer.from(b).toString('latin1')
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen = 0,
  ) {}
  get key(): string {
    return `${this.num} ${this.gen}`
  }
}

export class PdfDict {
  readonly entries: Map<string, PdfObject>
  constructor(entries?: Iterable<[string, PdfObject]>) {
    this.entries = new Map(entries)
  }
  get(key: string): PdfObject | undefined {
    return this.entries.get(key)
  }
  set(key: string, value: PdfObject): this {
    this.entries.set(key, value)
    return this
  }
  has(key: string): boolean {
    return this.entries.has(key)
  }
  delete(key: string): void {
    this.entries.delete(key)
  }
  clone(): PdfDict {
    return new PdfDict(this.entries)
  }
}

/** Bytes written verbatim (placeholders whose offsets the writer tracks). */
export class PdfRaw {
  constructor(readonly text: string) {}
}

export type PdfObject = PdfName | PdfString | PdfRef | PdfDict | PdfRaw | PdfObject[] | number | boolean | null

/** A stream to write: its dictionary (/Length is set by the writer) and its already-encoded data. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly data: Uint8Array,
  ) {}
}

export class PdfSyntaxError extends Error {
  override name = 'PdfSyntaxError'
}

/** Thrown when the parser runs past the end of a window that is not the end of the file. */
export class PdfTruncatedError extends Error {
  override name = 'PdfTruncatedError'
}

const WHITESPACE = new Uint8Array(256)
for (const c of [0, 9, 10, 12, 13, 32]) WHITESPACE[c] = 1
const DELIMITER = new Uint8Array(256)
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1

export const isWhitespace = (c: number | undefined): boolean => c !== undefined && WHITESPACE[c] === 1
const isRegular = (c: number) => WHITESPACE[c] !== 1 && DELIMITER[c] !== 1

type Token =
  | { kind: 'number'; value: number; integer: boolean }
  | { kind: 'keyword'; value: string }
  | { kind: 'name'; value: string }
  | { kind: 'string'; value: PdfString }
  | { kind: 'open-dict' | 'close-dict' | 'open-array' | 'close-array' | 'eof' }

/**
 * Parser over a window of the file. `atFileEnd` tells whether the window's end is the end of the
 * file: when it is not, running out of bytes raises PdfTruncatedError so the caller reads more.
 */
export class PdfParser {
  pos: number
  private peeked: { token: Token; start: number; end: number }[] = []

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly atFileEnd = true,
  ) {
    this.pos = start
  }

  private eof(): never {
    if (!this.atFileEnd) throw new PdfTruncatedError('window ended inside an object')
    throw new PdfSyntaxError('unexpected end of file inside an object')
  }

  skipWhitespace(): void {
    const b = this.buf
    for (;;) {
      const c = b[this.pos]
      if (c === undefined) return
      if (WHITESPACE[c] === 1) this.pos++
      else if (c === 0x25 /* % */) {
        while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++
      } else return
    }
  }

  private readToken(): Token {
    this.skipWhitespace()
    const b = this.buf
    const c = b[this.pos]
    if (c === undefined) return { kind: 'eof' }
    if (c === 0x3c /* < */) {
      if (b[this.pos + 1] === 0x3c) {
        this.pos += 2
        return { kind: 'open-dict' }
      }
      if (this.pos + 1 >= b.length) this.eof()
      return { kind: 'string', value: this.readHexString() }
    }
    if (c === 0x3e /* > */) {
      if (b[this.pos + 1] === 0x3e) {
        this.pos += 2
        return { kind: 'close-dict' }
      }
      if (this.pos + 1 >= b.length) this.eof()
      throw new PdfSyntaxError(`unexpected '>' at ${this.pos}`)
    }
    if (c === 0x5b) {
      this.pos++
      return { kind: 'open-array' }
    }
    if (c === 0x5d) {
      this.pos++
      return { kind: 'close-array' }
    }
    if (c === 0x28 /* ( */) return { kind: 'string', value: this.readLiteralString() }
    if (c === 0x2f /* / */) return { kind: 'name', value: this.readName() }
    if (c === 0x7b || c === 0x7d) {
      this.pos++
      return { kind: 'keyword', value: String.fromCharCode(c) }
    }
    const start = this.pos
    while (this.pos < b.length && isRegular(b[this.pos]!)) this.pos++
    if (this.pos >= b.length && !this.atFileEnd) this.eof()
    const text = Buffer.from(b.subarray(start, this.pos)).toString('latin1')
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) {
      return { kind: 'number', value: Number(text), integer: /^[+-]?\d+$/.test(text) }
    }
    if (text === '') throw new PdfSyntaxError(`unexpected byte 0x${c.toString(16)} at ${start}`)
    return { kind: 'keyword', value: text }
  }

  private readName(): string {
    const b = this.buf
    this.pos++ // '/'
    const out: number[] = []
    while (this.pos < b.length && isRegular(b[this.pos]!)) {
      const c = b[this.pos]!
      if (c === 0x23 /* # */ && this.pos + 2 < b.length) {
        const hex = Buffer.from(b.subarray(this.pos + 1, this.pos + 3)).toString('latin1')
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          out.push(parseInt(hex, 16))
          this.pos += 3
          continue
        }
      }
      out.push(c)
      this.pos++
    }
    if (this.pos >= b.length && !this.atFileEnd) this.eof()
    return Buffer.from(out).toString('latin1')
  }

  private readHexString(): PdfString {
    const b = this.buf
    this.pos++ // '<'
    const digits: number[] = []
    for (;;) {
      const c = b[this.pos]
      if (c === undefined) this.eof()
      this.pos++
      if (c === 0x3e) break
      if (WHITESPACE[c] === 1) continue
      const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1
      if (v < 0) throw new PdfSyntaxError(`invalid hex string at ${this.pos - 1}`)
      digits.push(v)
    }
    if (digits.length % 2) digits.push(0)
    const out = new Uint8Array(digits.length / 2)
    for (let i = 0; i < out.length; i++) out[i] = (digits[2 * i]! << 4) | digits[2 * i + 1]!
    return new PdfString(out, true)
  }

  private readLiteralString(): PdfString {
    const b = this.buf
    this.pos++ // '('
    const out: number[] = []
    let depth = 1
    for (;;) {
      const c = b[this.pos]
      if (c === undefined) this.eof()
      this.pos++
      if (c === 0x5c /* \ */) {
        const e = b[this.pos]
        if (e === undefined) this.eof()
        this.pos++
        switch (e) {
          case 0x6e: out.push(10); break
          case 0x72: out.push(13); break
          case 0x74: out.push(9); break
          case 0x62: out.push(8); break
          case 0x66: out.push(12); break
          case 0x0d: if (b[this.pos] === 0x0a) this.pos++; break
          case 0x0a: break
          default:
            if (e >= 0x30 && e <= 0x37) {
              let v = e - 0x30
              for (let i = 0; i < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; i++) v = v * 8 + (b[this.pos++]! - 0x30)
              out.push(v & 0xff)
            } else out.push(e)
        }
        continue
      }
      if (c === 0x28) depth++
      else if (c === 0x29 && --depth === 0) break
      out.push(c)
    }
    return new PdfString(Uint8Array.from(out), false)
  }

  private next(): { token: Token; start: number; end: number } {
    const p = this.peeked.shift()
    if (p) {
      this.pos = p.end
      return p
    }
    this.skipWhitespace()
    const start = this.pos
    const token = this.readToken()
    return { token, start, end: this.pos }
  }

  private peek(n: number): Token {
    const saved = this.pos
    if (this.peeked.length) this.pos = this.peeked[this.peeked.length - 1]!.end
    while (this.peeked.length <= n) {
      this.skipWhitespace()
      const start = this.pos
      const token = this.readToken()
      this.peeked.push({ token, start, end: this.pos })
      if (token.kind === 'eof') break
    }
    this.pos = saved
    return this.peeked[n]?.token ?? { kind: 'eof' }
  }

  /** Position just after the last consumed token. */
  get offset(): number {
    return this.peeked.length ? this.peeked[0]!.start : this.pos
  }

  parseObject(depth = 0): PdfObject {
    if (depth > 100) throw new PdfSyntaxError('objects nested too deeply')
    const { token, start } = this.next()
    switch (token.kind) {
      case 'eof':
        return this.eof()
      case 'number': {
        if (token.integer && token.value >= 0) {
          const t1 = this.peek(0)
          if (t1.kind === 'number' && t1.integer && t1.value >= 0) {
            const t2 = this.peek(1)
            if (t2.kind === 'keyword' && t2.value === 'R') {
              this.next()
              this.next()
              return new PdfRef(token.value, t1.value)
            }
          }
        }
        return token.value
      }
      case 'name':
        return new PdfName(token.value)
      case 'string':
        return token.value
      case 'open-array': {
        const arr: PdfObject[] = []
        for (;;) {
          const t = this.peek(0)
          if (t.kind === 'close-array') {
            this.next()
            return arr
          }
          if (t.kind === 'eof') this.eof()
          arr.push(this.parseObject(depth + 1))
        }
      }
      case 'open-dict': {
        const dict = new PdfDict()
        for (;;) {
          const t = this.next()
          if (t.token.kind === 'close-dict') return dict
          if (t.token.kind === 'eof') this.eof()
          if (t.token.kind !== 'name') throw new PdfSyntaxError(`dictionary key expected at ${t.start}`)
          const nt = this.peek(0)
          if (nt.kind === 'close-dict') {
            dict.set(t.token.value, null) // tolerate a key without value
            continue
          }
          dict.set(t.token.value, this.parseObject(depth + 1))
        }
      }
      case 'keyword':
        if (token.value === 'true') return true
        if (token.value === 'false') return false
        if (token.value === 'null') return null
        throw new PdfSyntaxError(`unexpected keyword '${token.value}' at ${start}`)
      default:
        throw new PdfSyntaxError(`unexpected '${token.kind}' at ${start}`)
    }
  }

  /** Next token if it is the given keyword (consumed), else false (nothing consumed). */
  acceptKeyword(word: string): boolean {
    const t = this.peek(0)
    if (t.kind === 'keyword' && t.value === word) {
      this.next()
      return true
    }
    return false
  }

  expectInteger(what: string): number {
    const { token, start } = this.next()
    if (token.kind !== 'number' || !token.integer) {
      if (token.kind === 'eof') this.eof()
      throw new PdfSyntaxError(`${what} expected at ${start}`)
    }
    return token.value
  }

  /**
   * Parse "N G obj <object> [stream]" at the current position. For a stream, returns where its data
   * begins (after the EOL that follows the keyword).
   */
  parseIndirectObject(): { num: number; gen: number; object: PdfObject; streamStart?: number } {
    const num = this.expectInteger('object number')
    const gen = this.expectInteger('generation number')
    if (!this.acceptKeyword('obj')) throw new PdfSyntaxError(`'obj' expected after ${num} ${gen}`)
    const object = this.parseObject()
    if (object instanceof PdfDict) {
      const t = this.peek(0)
      if (t.kind === 'keyword' && t.value === 'stream') {
        const { end } = this.peeked.shift()!
        this.peeked = []
        let p = end
        if (p >= this.buf.length) this.eof()
        if (this.buf[p] === 0x0d) p++
        if (this.buf[p] === 0x0a) p++
        this.pos = p
        return { num, gen, object, streamStart: p }
      }
    }
    return { num, gen, object }
  }
}

export function parseObjectFrom(buf: Uint8Array, start = 0): PdfObject {
  return new PdfParser(buf, start, true).parseObject()
}

// ---------------------------------------------------------------------------------------------------
// Serialization

function nameToken(name: string): string {
  let out = '/'
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c < 0x21 || c > 0x7e || c === 0x23 || DELIMITER[c] === 1) out += '#' + c.toString(16).padStart(2, '0')
    else out += name[i]
  }
  return out
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new PdfSyntaxError(`cannot write number ${n}`)
  if (Number.isInteger(n)) return String(n)
  const s = String(n)
  if (!/e/i.test(s)) return s
  return n.toFixed(10).replace(/\.?0+$/, '')
}

function literalString(bytes: Uint8Array): string {
  let out = '('
  for (const c of bytes) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += '\\' + String.fromCharCode(c)
    else if (c === 0x0d) out += '\\r'
    else if (c === 0x0a) out += '\\n'
    else out += String.fromCharCode(c)
  }
  return out + ')'
}

/** Serialize as Latin-1 text (every byte < 256 maps to one char). */
export function serialize(obj: PdfObject): string {
  if (obj === null) return 'null'
  if (typeof obj === 'boolean') return obj ? 'true' : 'false'
  if (typeof obj === 'number') return formatNumber(obj)
  if (obj instanceof PdfName) return nameToken(obj.name)
  if (obj instanceof PdfRef) return `${obj.num} ${obj.gen} R`
  if (obj instanceof PdfRaw) return obj.text
  if (obj instanceof PdfString) return obj.hex ? `<${Buffer.from(obj.bytes).toString('hex')}>` : literalString(obj.bytes)
  if (Array.isArray(obj)) return '[' + obj.map(serialize).join(' ') + ']'
  if (obj instanceof PdfDict) {
    let out = '<<'
    for (const [k, v] of obj.entries) out += nameToken(k) + ' ' + serialize(v) + '\n'
    return out + '>>'
  }
  throw new PdfSyntaxError('cannot serialize this value')
}

export const name = (n: string): PdfName => new PdfName(n)
export const dict = (entries: Record<string, PdfObject | undefined>): PdfDict =>
  new PdfDict(Object.entries(entries).filter((e): e is [string, PdfObject] => e[1] !== undefined))

export function isName(obj: PdfObject | undefined, value?: string): obj is PdfName {
  return obj instanceof PdfName && (value === undefined || obj.name === value)
}
