/**
 * PNG and JPEG images as PDF image XObjects for the visible signature (a scanned stamp or
 * handwritten signature). JPEG is embedded as is (DCTDecode); PNG data is passed through with a PNG
 * predictor when it has no transparency, else split into colour and /SMask streams.
 */
import { deflateSync, inflateSync } from 'node:zlib'
import { pngUnfilter } from '../../pdf'
import { PdfDict, PdfStream, PdfString, name, type PdfObject } from '../../pdf'

export class ImageFormatError extends Error {
  override name = 'ImageFormatError'
}

export interface PdfImage {
  width: number
  height: number
  /** the image XObject; `smask` (if any) must be written and referenced as /SMask */
  image: PdfStream
  smask?: PdfStream
}

const MAX_PIXELS = 40_000_000

export function imageToPdf(bytes: Uint8Array): PdfImage {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegToPdf(bytes)
  if (Buffer.from(bytes.subarray(0, 8)).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return pngToPdf(bytes)
  throw new ImageFormatError('the signature image must be a PNG or JPEG file')
}

function jpegToPdf(bytes: Uint8Array): PdfImage {
  let p = 2
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) throw new ImageFormatError('damaged JPEG file')
    const marker = bytes[p + 1]!
    if (marker === 0xff) {
      p++
      continue
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2
      continue
    }
    const len = (bytes[p + 2]! << 8) | bytes[p + 3]!
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (p + 9 >= bytes.length) break
      const bpc = bytes[p + 4]!
      const height = (bytes[p + 5]! << 8) | bytes[p + 6]!
      const width = (bytes[p + 7]! << 8) | bytes[p + 8]!
      const comps = bytes[p + 9]!
      if (!width || !height || width * height > MAX_PIXELS) throw new ImageFormatError('JPEG image size is invalid or too large')
      const cs = comps === 1 ? 'DeviceGray' : comps === 3 ? 'DeviceRGB' : comps === 4 ? 'DeviceCMYK' : undefined
      if (!cs) throw new ImageFormatError(`JPEG with ${comps} components is not supported`)
      const d = new PdfDict([
        ['Type', name('XObject')],
        ['Subtype', name('Image')],
        ['Width', width],
        ['Height', height],
        ['ColorSpace', name(cs)],
        ['BitsPerComponent', bpc],
        ['Filter', name('DCTDecode')],
      ])
      // Adobe CMYK JPEGs are stored inverted
      if (comps === 4) d.set('Decode', [1, 0, 1, 0, 1, 0, 1, 0])
      return { width, height, image: PdfStream.fromData(d, bytes) }
    }
    p += 2 + len
  }
  throw new ImageFormatError('JPEG file without a frame header')
}

function pngToPdf(bytes: Uint8Array): PdfImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let p = 8
  let ihdr: Buffer | undefined
  let palette: Buffer | undefined
  let trns: Buffer | undefined
  const idat: Buffer[] = []
  while (p + 8 <= buf.length) {
    const len = buf.readUInt32BE(p)
    const type = buf.toString('latin1', p + 4, p + 8)
    if (p + 12 + len > buf.length) throw new ImageFormatError('truncated PNG file')
    const data = buf.subarray(p + 8, p + 8 + len)
    if (type === 'IHDR') ihdr = data
    else if (type === 'PLTE') palette = data
    else if (type === 'tRNS') trns = data
    else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    p += 12 + len
  }
  if (!ihdr || ihdr.length < 13 || !idat.length) throw new ImageFormatError('damaged PNG file')
  const width = ihdr.readUInt32BE(0)
  const height = ihdr.readUInt32BE(4)
  const depth = ihdr[8]!
  const colorType = ihdr[9]!
  const interlace = ihdr[12]!
  if (!width || !height || width * height > MAX_PIXELS) throw new ImageFormatError('PNG image size is invalid or too large')
  if (interlace) throw new ImageFormatError('interlaced PNG images are not supported: save the image without interlacing')
  const compressed = Buffer.concat(idat)
  const base = (colorSpace: PdfObject, bpc: number) =>
    new PdfDict([
      ['Type', name('XObject')],
      ['Subtype', name('Image')],
      ['Width', width],
      ['Height', height],
      ['ColorSpace', colorSpace],
      ['BitsPerComponent', bpc],
    ])
  const passThrough = (colorSpace: PdfObject, colors: number) => {
    const d = base(colorSpace, depth)
    d.set('Filter', name('FlateDecode'))
    d.set('DecodeParms', new PdfDict([['Predictor', 15], ['Colors', colors], ['BitsPerComponent', depth], ['Columns', width]]))
    return PdfStream.fromData(d, compressed)
  }

  if (colorType === 3) {
    if (!palette) throw new ImageFormatError('PNG palette missing')
    const cs: PdfObject = [name('Indexed'), name('DeviceRGB'), palette.length / 3 - 1, new PdfString(palette, true)]
    const image = passThrough(cs, 1)
    if (!trns) return { width, height, image }
    // palette transparency: alpha per index -> a soft mask
    const raw = pngUnfilter(inflate(compressed), width, 1, depth)
    const rowLen = Math.ceil((width * depth) / 8)
    const alpha = Buffer.alloc(width * height)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const bit = x * depth
        const byte = raw[y * rowLen + (bit >> 3)]!
        const idx = (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1)
        alpha[y * width + x] = idx < trns.length ? trns[idx]! : 255
      }
    return { width, height, image, smask: smask(alpha) }
  }
  if ((colorType === 0 || colorType === 2) && !trns) return { width, height, image: passThrough(name(colorType === 0 ? 'DeviceGray' : 'DeviceRGB'), colorType === 0 ? 1 : 3) }
  if (colorType === 4 || colorType === 6) {
    if (depth !== 8 && depth !== 16) throw new ImageFormatError('unsupported PNG bit depth')
    const colors = colorType === 4 ? 1 : 3
    const bytesPer = depth / 8
    const raw = pngUnfilter(inflate(compressed), width, colors + 1, depth)
    const color = Buffer.alloc(width * height * colors)
    const alpha = Buffer.alloc(width * height)
    const px = (colors + 1) * bytesPer
    for (let i = 0, c = 0; i < width * height; i++) {
      const o = i * px
      for (let k = 0; k < colors; k++) color[c++] = raw[o + k * bytesPer]! // high byte for 16-bit
      alpha[i] = raw[o + colors * bytesPer]!
    }
    const d = base(name(colors === 1 ? 'DeviceGray' : 'DeviceRGB'), 8)
    d.set('Filter', name('FlateDecode'))
    return { width, height, image: PdfStream.fromData(d, deflateSync(color)), smask: smask(alpha) }
  }
  // grey/RGB with a tRNS colour key: ignore the key (rare for stamps), keep the image opaque
  if (colorType === 0 || colorType === 2) return { width, height, image: passThrough(name(colorType === 0 ? 'DeviceGray' : 'DeviceRGB'), colorType === 0 ? 1 : 3) }
  throw new ImageFormatError(`unsupported PNG colour type ${colorType}`)

  function smask(alpha: Buffer): PdfStream {
    const d = base(name('DeviceGray'), 8)
    d.set('Filter', name('FlateDecode'))
    return PdfStream.fromData(d, deflateSync(alpha))
  }
}

function inflate(data: Buffer): Uint8Array {
  try {
    return inflateSync(data)
  } catch {
    throw new ImageFormatError('damaged PNG image data')
  }
}
