/**
 * Encodings of XML documents we read and write byte-exactly. Only ASCII-compatible encodings are
 * supported: markup bytes (<, >, quotes) then mean the same thing in the raw bytes and in the text,
 * which is what lets signatures be inserted into the original byte stream.
 * ISO-8859-1 is decoded with Buffer 'latin1' (WHATWG TextDecoder maps the label to windows-1252).
 */
import { TextDecoder } from 'node:util'

export type XmlEncoding = 'UTF-8' | 'US-ASCII' | 'ISO-8859-1' | 'ISO-8859-15' | 'windows-1252'

export class XmlEncodingError extends Error {
  override readonly name = 'XmlEncodingError'
}

export interface DetectedEncoding {
  encoding: XmlEncoding
  /** the label written in the XML declaration, as written, or null when there is none */
  declared: string | null
  /** bytes of a UTF-8 byte order mark at the start (0 or 3) */
  bomLength: number
}

const LABELS: Record<string, XmlEncoding> = {
  'utf-8': 'UTF-8',
  utf8: 'UTF-8',
  'us-ascii': 'US-ASCII',
  ascii: 'US-ASCII',
  'iso-8859-1': 'ISO-8859-1',
  'iso_8859-1': 'ISO-8859-1',
  'iso8859-1': 'ISO-8859-1',
  latin1: 'ISO-8859-1',
  'latin-1': 'ISO-8859-1',
  l1: 'ISO-8859-1',
  'iso-8859-15': 'ISO-8859-15',
  'iso_8859-15': 'ISO-8859-15',
  latin9: 'ISO-8859-15',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
}

/** Encoding from the BOM and the XML declaration (XML 1.0 appendix F), UTF-8 when neither says. */
export function detectXmlEncoding(bytes: Uint8Array): DetectedEncoding {
  if (bytes.length >= 2 && ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe))) {
    throw new XmlEncodingError('UTF-16 XML documents are not supported (convert the file to UTF-8 or ISO-8859-1)')
  }
  if (bytes.length >= 2 && ((bytes[0] === 0 && bytes[1] === 0x3c) || (bytes[0] === 0x3c && bytes[1] === 0))) {
    throw new XmlEncodingError('UTF-16/UTF-32 XML documents are not supported (convert the file to UTF-8 or ISO-8859-1)')
  }
  const bomLength = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  const head = Buffer.from(bytes.buffer, bytes.byteOffset + bomLength, Math.min(bytes.length - bomLength, 512)).toString('latin1')
  if (!head.startsWith('<?xml')) return { encoding: 'UTF-8', declared: null, bomLength }
  const end = head.indexOf('?>')
  if (end < 0) throw new XmlEncodingError('the XML declaration is not closed')
  const m = /\sencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(head.slice(0, end))
  if (!m) return { encoding: 'UTF-8', declared: null, bomLength }
  const declared = m[2] as string
  const encoding = LABELS[declared.toLowerCase()]
  if (!encoding) throw new XmlEncodingError(`the XML encoding "${declared}" is not supported (supported: UTF-8, ISO-8859-1, ISO-8859-15, windows-1252, US-ASCII)`)
  if (bomLength > 0 && encoding !== 'UTF-8' && encoding !== 'US-ASCII') {
    throw new XmlEncodingError(`the file starts with a UTF-8 byte order mark but declares the encoding "${declared}"`)
  }
  return { encoding, declared, bomLength }
}

// Single-byte tables written out: Node's TextDecoder decodes "windows-1252" as ISO-8859-1.
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]
const LATIN9_CHANGES: Array<[number, number]> = [
  [0xa4, 0x20ac], [0xa6, 0x160], [0xa8, 0x161], [0xb4, 0x17d], [0xb8, 0x17e], [0xbc, 0x152], [0xbd, 0x153], [0xbe, 0x178],
]

const forwardTables = new Map<XmlEncoding, Uint16Array>()
function forwardTable(encoding: 'ISO-8859-15' | 'windows-1252'): Uint16Array {
  let t = forwardTables.get(encoding)
  if (!t) {
    t = new Uint16Array(256)
    for (let b = 0; b < 256; b++) t[b] = b
    if (encoding === 'windows-1252') CP1252_80_9F.forEach((cp, k) => ((t as Uint16Array)[0x80 + k] = cp))
    else for (const [b, cp] of LATIN9_CHANGES) t[b] = cp
    forwardTables.set(encoding, t)
  }
  return t
}

/** Decode the document's bytes (without its BOM) to text. Throws on bytes invalid in the encoding. */
export function decodeXml(bytes: Uint8Array, detected: DetectedEncoding = detectXmlEncoding(bytes)): string {
  const body = bytes.subarray(detected.bomLength)
  const asLatin1 = () => Buffer.from(body.buffer, body.byteOffset, body.length).toString('latin1')
  switch (detected.encoding) {
    case 'ISO-8859-1':
      return asLatin1()
    case 'US-ASCII':
      for (const b of body) if (b > 0x7f) throw new XmlEncodingError('the file declares US-ASCII but contains non-ASCII bytes')
      return asLatin1()
    case 'UTF-8':
      try {
        return utf8Decoder.decode(body)
      } catch {
        throw new XmlEncodingError('the file is not valid UTF-8')
      }
    default: {
      const table = forwardTable(detected.encoding)
      const parts: string[] = []
      for (let i = 0; i < body.length; i += 8192) {
        const chunk = body.subarray(i, i + 8192)
        parts.push(String.fromCharCode(...Array.from(chunk, (b) => table[b] as number)))
      }
      return parts.join('')
    }
  }
}
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const reverseTables = new Map<XmlEncoding, Map<number, number>>()
function reverseTable(encoding: 'ISO-8859-15' | 'windows-1252'): Map<number, number> {
  let t = reverseTables.get(encoding)
  if (!t) {
    t = new Map()
    const f = forwardTable(encoding)
    for (let b = 0; b < 256; b++) t.set(f[b] as number, b)
    reverseTables.set(encoding, t)
  }
  return t
}

/**
 * Encode XML markup text (element content and attribute values only) in `encoding`; characters the
 * encoding cannot represent become numeric character references, which every XML parser reads back
 * as the same character. Not for names, comments or processing instructions.
 */
export function encodeXmlText(text: string, encoding: XmlEncoding): Buffer {
  if (encoding === 'UTF-8') return Buffer.from(text, 'utf8')
  const limit = encoding === 'US-ASCII' ? 0x7f : 0xff
  if (encoding === 'ISO-8859-1' || encoding === 'US-ASCII') {
    const safe = text.replace(/[^\u0000-\u00ff]|[\u0080-\u00ff]/gu, (c) => {
      const cp = c.codePointAt(0) as number
      return cp <= limit ? c : `&#${cp};`
    })
    return Buffer.from(safe, 'latin1')
  }
  const table = reverseTable(encoding)
  const out: number[] = []
  for (const c of text) {
    const cp = c.codePointAt(0) as number
    const b = cp < 0x80 ? cp : table.get(cp)
    if (b !== undefined) out.push(b)
    else for (const r of `&#${cp};`) out.push(r.charCodeAt(0))
  }
  return Buffer.from(out)
}
