/**
 * PDF object model shared by the reader (verifier and signer) and the writer (incremental updates).
 * Plain classes, no behaviour beyond lookups and the few edits an update needs: the reader keeps
 * byte positions (strings, streams) because signature checks compare them with ByteRange.
 */

export class PdfName {
  constructor(readonly name: string) {}
  toString(): string {
    return `/${this.name}`
  }
}

export class PdfString {
  /**
   * @param bytes decoded bytes
   * @param hex written as <hex> (true) or (literal)
   * @param start absolute file offset of the opening delimiter, -1 when not from a file position
   * @param end absolute file offset just after the closing delimiter
   */
  constructor(
    readonly bytes: Buffer,
    readonly hex = false,
    readonly start = -1,
    readonly end = -1,
  ) {}

  static latin1(text: string): PdfString {
    return new PdfString(Buffer.from(text, 'latin1'))
  }

  /** A text string to write (§7.9.2.2): PDFDocEncoding when printable ASCII, else UTF-16BE with BOM. */
  static fromText(text: string): PdfString {
    if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(Buffer.from(text, 'latin1'))
    const utf16 = Buffer.from(text, 'utf16le').swap16()
    return new PdfString(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16]), true)
  }

  /** PDF text string: UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding (latin1 is close enough for names). */
  text(): string {
    const b = this.bytes
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      const body = b.subarray(2, 2 + ((b.length - 2) & ~1))
      const swapped = Buffer.from(body)
      swapped.swap16()
      return swapped.toString('utf16le')
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8')
    return b.toString('latin1')
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen = 0,
  ) {}
  /** "num gen", for sets of visited references */
  get key(): string {
    return `${this.num} ${this.gen}`
  }
  toString(): string {
    return `${this.num} ${this.gen} R`
  }
}

export class PdfDict {
  readonly entries: Map<string, PdfObject>
  /** A Map is adopted as is (the parser's); other iterables are copied. */
  constructor(entries?: Map<string, PdfObject> | Iterable<[string, PdfObject]>) {
    this.entries = entries instanceof Map ? entries : new Map(entries)
  }
  get(key: string): PdfObject | undefined {
    return this.entries.get(key)
  }
  has(key: string): boolean {
    return this.entries.has(key)
  }
  keys(): string[] {
    return [...this.entries.keys()]
  }
  /** Name value of a key when it is a direct name. */
  name(key: string): string | undefined {
    const v = this.entries.get(key)
    return v instanceof PdfName ? v.name : undefined
  }
  number(key: string): number | undefined {
    const v = this.entries.get(key)
    return typeof v === 'number' ? v : undefined
  }
  set(key: string, value: PdfObject): this {
    this.entries.set(key, value)
    return this
  }
  delete(key: string): void {
    this.entries.delete(key)
  }
  /** A shallow copy to edit: dictionaries read from a file are cached and shared. */
  clone(): PdfDict {
    return new PdfDict(new Map(this.entries))
  }
}

/** A stream: its dictionary and where its raw (still encoded) data sits in the file. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** absolute offset of the first data byte, or -1 for streams held in memory */
    readonly dataOffset: number,
    readonly length: number,
    /** raw data when the stream does not live at a file position (not used for file streams) */
    readonly inlineData: Buffer | null = null,
  ) {}

  /** A stream held in memory (one to write): `data` is already encoded, /Length is set by the writer. */
  static fromData(dict: PdfDict, data: Uint8Array): PdfStream {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    return new PdfStream(dict, -1, buf.length, buf)
  }
}

/** Bytes the writer copies verbatim (placeholders whose offsets it records); the parser never makes one. */
export class PdfRaw {
  constructor(readonly text: string) {}
}

export type PdfObject = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfRaw | PdfObject[]

/** An indirect object as found in the file. */
export interface IndirectObject {
  num: number
  gen: number
  value: PdfObject
  /** where it was found: a file offset, or an object stream and index */
  location: ObjectLocation
}

export type ObjectLocation =
  | { kind: 'offset'; offset: number; end: number }
  | { kind: 'compressed'; streamNum: number; index: number; streamOffset: number }

export function isDict(v: PdfObject | undefined): v is PdfDict {
  return v instanceof PdfDict
}

/** The dictionary of a dictionary or of a stream. */
export function dictOf(v: PdfObject | undefined): PdfDict | undefined {
  if (v instanceof PdfDict) return v
  if (v instanceof PdfStream) return v.dict
  return undefined
}

export function name(n: string): PdfName {
  return new PdfName(n)
}

/** True when `v` is a name (with the given value, when one is given). */
export function isName(v: PdfObject | undefined, value?: string): v is PdfName {
  return v instanceof PdfName && (value === undefined || v.name === value)
}

export function nameOf(v: PdfObject | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined
}

/** Structural equality; references compare by number and generation, streams by dictionary and data position. */
export function sameObject(a: PdfObject | undefined, b: PdfObject | undefined, depth = 0): boolean {
  if (depth > 64) return false
  if (a === b) return true
  if (a === undefined || b === undefined || a === null || b === null) return a === b
  if (typeof a !== 'object' || typeof b !== 'object') return a === b
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name
  if (a instanceof PdfString) return b instanceof PdfString && a.bytes.equals(b.bytes)
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameObject(a[i], b[i], depth + 1)) return false
    return true
  }
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.entries.size !== b.entries.size) return false
    for (const [k, v] of a.entries) if (!b.entries.has(k) || !sameObject(v, b.entries.get(k), depth + 1)) return false
    return true
  }
  if (a instanceof PdfStream) {
    return b instanceof PdfStream && sameObject(a.dict, b.dict, depth + 1) && a.length === b.length
  }
  return false
}
