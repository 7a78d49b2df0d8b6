/**
 * Stream filters the reader needs for its own structures (xref streams, object streams):
 * FlateDecode with PNG/TIFF predictors, ASCIIHex, ASCII85. Output is size-capped against
 * decompression bombs; a damaged deflate stream yields what could be inflated.
 */
import { inflateRawSync, inflateSync, constants as zc } from 'node:zlib'
import { PdfDict, PdfName, type PdfObject } from './objects'

export const MAX_DECODED_BYTES = 256 * 1024 * 1024

export class UnsupportedFilterError extends Error {}

function filterList(dict: PdfDict): { names: string[]; parms: (PdfDict | null)[] } {
  const f = dict.get('Filter')
  const p = dict.get('DecodeParms') ?? dict.get('DP')
  const names = f instanceof PdfName ? [f.name] : Array.isArray(f) ? f.map((x) => (x instanceof PdfName ? x.name : '')) : []
  const parmsArr: PdfObject[] = Array.isArray(p) ? p : [p ?? null]
  const parms = names.map((_, i) => {
    const v = parmsArr[i]
    return v instanceof PdfDict ? v : null
  })
  return { names, parms }
}

export function decodeStreamData(dict: PdfDict, raw: Buffer, maxBytes = MAX_DECODED_BYTES): Buffer {
  const { names, parms } = filterList(dict)
  let data = raw
  for (let i = 0; i < names.length; i++) {
    const name = names[i]
    switch (name) {
      case 'FlateDecode':
      case 'Fl':
        data = inflate(data, maxBytes)
        data = applyPredictor(data, parms[i] ?? null)
        break
      case 'ASCIIHexDecode':
      case 'AHx':
        data = asciiHex(data)
        break
      case 'ASCII85Decode':
      case 'A85':
        data = ascii85(data)
        break
      default:
        throw new UnsupportedFilterError(`stream filter ${name || '(invalid)'} is not supported here`)
    }
    if (data.length > maxBytes) throw new UnsupportedFilterError('decoded stream too large')
  }
  return data
}

function inflate(data: Buffer, maxBytes: number): Buffer {
  try {
    return inflateSync(data, { maxOutputLength: maxBytes })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new UnsupportedFilterError('decoded stream too large')
    // truncated or damaged: keep what inflates (as viewers do)
    try {
      return inflateSync(data, { maxOutputLength: maxBytes, finishFlush: zc.Z_SYNC_FLUSH })
    } catch {
      try {
        // raw deflate without zlib header
        return inflateRawLenient(data, maxBytes)
      } catch {
        throw new UnsupportedFilterError('damaged compressed stream')
      }
    }
  }
}

function inflateRawLenient(data: Buffer, maxBytes: number): Buffer {
  return inflateRawSync(data, { maxOutputLength: maxBytes, finishFlush: zc.Z_SYNC_FLUSH })
}

function applyPredictor(data: Buffer, parms: PdfDict | null): Buffer {
  if (!parms) return data
  const predictor = parms.number('Predictor') ?? 1
  if (predictor <= 1) return data
  const colors = Math.max(1, Math.min(parms.number('Colors') ?? 1, 32))
  const bpc = Math.max(1, Math.min(parms.number('BitsPerComponent') ?? 8, 16))
  const columns = Math.max(1, Math.min(parms.number('Columns') ?? 1, 1 << 20))
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8))
  const rowLen = Math.ceil((colors * bpc * columns) / 8)
  if (predictor === 2) {
    if (bpc !== 8) return data
    const out = Buffer.from(data)
    for (let r = 0; r + rowLen <= out.length; r += rowLen)
      for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i]! + out[r + i - bpp]!) & 0xff
    return out
  }
  return pngUnfilter(data, columns, colors, bpc)
}

/**
 * Undoes PNG row filters (each row starts with its filter-type byte) and returns the rows without
 * it; an unknown row type is copied as is, as viewers do. Also used for PNG images the signer embeds.
 */
export function pngUnfilter(data: Uint8Array, columns: number, colors: number, bitsPerComponent: number): Buffer {
  const bpp = Math.max(1, Math.ceil((colors * bitsPerComponent) / 8))
  const rowLen = Math.ceil((colors * bitsPerComponent * columns) / 8)
  const rows = Math.floor(data.length / (rowLen + 1))
  const out = Buffer.alloc(rows * rowLen)
  const prev = Buffer.alloc(rowLen)
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!
    const src = r * (rowLen + 1) + 1
    const dst = r * rowLen
    for (let i = 0; i < rowLen; i++) {
      const x = data[src + i]!
      const a = i >= bpp ? out[dst + i - bpp]! : 0
      const b = prev[i]!
      const c = i >= bpp ? prev[i - bpp]! : 0
      let v: number
      switch (type) {
        case 0: v = x; break
        case 1: v = x + a; break
        case 2: v = x + b; break
        case 3: v = x + ((a + b) >> 1); break
        case 4: {
          const p = a + b - c
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c)
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
          break
        }
        default: v = x
      }
      out[dst + i] = v & 0xff
    }
    out.copy(prev, 0, dst, dst + rowLen)
  }
  return out
}

function asciiHex(data: Buffer): Buffer {
  let s = data.toString('latin1')
  const end = s.indexOf('>')
  if (end >= 0) s = s.slice(0, end)
  s = s.replace(/[^0-9a-fA-F]/g, '')
  if (s.length % 2) s += '0'
  return Buffer.from(s, 'hex')
}

function ascii85(data: Buffer): Buffer {
  let s = data.toString('latin1').replace(/\s/g, '')
  if (s.startsWith('<~')) s = s.slice(2)
  const end = s.indexOf('~>')
  if (end >= 0) s = s.slice(0, end)
  const out: number[] = []
  let group: number[] = []
  for (const ch of s) {
    if (ch === 'z' && group.length === 0) {
      out.push(0, 0, 0, 0)
      continue
    }
    const c = ch.charCodeAt(0) - 33
    if (c < 0 || c > 84) continue
    group.push(c)
    if (group.length === 5) {
      let v = 0
      for (const g of group) v = v * 85 + g
      out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff)
      group = []
    }
  }
  if (group.length > 1) {
    const n = group.length
    while (group.length < 5) group.push(84)
    let v = 0
    for (const g of group) v = v * 85 + g
    const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]
    out.push(...bytes.slice(0, n - 1))
  }
  return Buffer.from(out)
}
