/**
 * Serializer for the objects an incremental update writes (ISO 32000-1 §7.3), over the reader's
 * object model: values read from the file can be written back as they are. Streams are written by
 * the update itself (their dictionary here, their data after it), never nested in another value.
 */
import { PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, PdfString, type PdfObject } from './objects'
import { isDelimiter } from './parser'

export class PdfWriteError extends Error {
  override name = 'PdfWriteError'
}

function nameToken(name: string): string {
  let out = '/'
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c < 0x21 || c > 0x7e || c === 0x23 || isDelimiter(c)) out += '#' + c.toString(16).padStart(2, '0')
    else out += name[i]
  }
  return out
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new PdfWriteError(`cannot write number ${n}`)
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
  if (obj instanceof PdfString) return obj.hex ? `<${obj.bytes.toString('hex')}>` : literalString(obj.bytes)
  if (Array.isArray(obj)) return '[' + obj.map(serialize).join(' ') + ']'
  if (obj instanceof PdfDict) {
    let out = '<<'
    for (const [k, v] of obj.entries) out += nameToken(k) + ' ' + serialize(v) + '\n'
    return out + '>>'
  }
  if (obj instanceof PdfStream) throw new PdfWriteError('a stream can only be written as an indirect object')
  throw new PdfWriteError('cannot serialize this value')
}
