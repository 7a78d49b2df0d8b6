import { deflateSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { buildAppearance, encodeWinAnsi, textWidth, toWinAnsiText, wrapText } from '../../../../src/main/core/sign/pades/appearance'
import { capacityReason, loadCapacityPresets } from '../../../../src/main/core/sign/pades/capacity-presets'
import { displayRectToUser } from '../../../../src/main/core/sign/pades/index'
import { ImageFormatError, imageToPdf } from '../../../../src/main/core/sign/pades/image'
import { PdfRef, serialize } from '../../../../src/main/core/pdf'
import { pdfDate, uniqueFieldName } from '../../../../src/main/core/sign/pades/signature-field'
import type { DocumentInfo } from '../../../../src/main/core/sign/pades/pdf-structure'
import { join } from 'node:path'

describe('WinAnsi text for the standard Helvetica font', () => {
  it('encodes French accents, the typographic apostrophe, oe ligature and euro sign', () => {
    expect(encodeWinAnsi('é è à ç ô Ï').toString('hex')).toBe('e920e820e020e720f420cf')
    expect(encodeWinAnsi('l’adjoint œuvre Œ €').toString('hex')).toBe(Buffer.from([0x6c, 0x92, ...Buffer.from('adjoint '), 0x9c, ...Buffer.from('uvre '), 0x8c, 0x20, 0x80]).toString('hex'))
    // decomposed accents (e + combining acute) are composed first
    expect(encodeWinAnsi('e\u0301').toString('hex')).toBe('e9')
  })

  it('replaces what WinAnsi cannot show instead of writing wrong bytes', () => {
    expect(toWinAnsiText('Łódź 漢')).toBe('?ód? ?')
  })

  it('wraps to the width using the font metrics', () => {
    const lines = wrapText("Qualité : L'adjoint délégué à l'urbanisme et aux travaux", 10, 120)
    expect(lines.length).toBeGreaterThan(1)
    for (const l of lines) expect(textWidth(l, 10)).toBeLessThanOrEqual(120)
    expect(lines.join(' ')).toBe("Qualité : L'adjoint délégué à l'urbanisme et aux travaux")
  })

  it('builds a form XObject that shows the lines as WinAnsi hex strings with /F1', () => {
    const ap = buildAppearance({ width: 200, height: 60, lines: ['Signé par Éloïse', 'Lieu : Évry'], fontRef: new PdfRef(9) })
    const content = Buffer.from(ap.inlineData!).toString('latin1')
    expect(content).toContain(`<${encodeWinAnsi('Signé par Éloïse').toString('hex')}> Tj`)
    expect(content).toMatch(/\/F1 [\d.]+ Tf/)
    expect(serialize(ap.dict)).toMatch(/\/BBox \[0 0 200 60\]/)
    expect(serialize(ap.dict)).toMatch(/\/F1 9 0 R/)
  })
})

describe('signature images', () => {
  it('embeds a JPEG as DCTDecode with its size and colour space', () => {
    // SOI, APP0 (short), SOF0 8-bit 40x30 3 components, EOI
    const jpeg = Buffer.from('ffd8ffe000044a46ffc0001108001e0028030111000000ffd9', 'hex')
    const img = imageToPdf(jpeg)
    expect([img.width, img.height]).toEqual([40, 30])
    expect(serialize(img.image.dict)).toMatch(/\/Filter \/DCTDecode/)
    expect(serialize(img.image.dict)).toMatch(/\/ColorSpace \/DeviceRGB/)
    expect(img.image.inlineData!).toBe(jpeg)
  })

  it('splits an RGBA PNG into colour and soft mask', () => {
    const w = 3
    const h = 2
    const raw = Buffer.alloc((w * 4 + 1) * h)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([10 * x, 20 * y, 30, x === 0 ? 0 : 255], y * (w * 4 + 1) + 1 + x * 4)
    const img = imageToPdf(png(w, h, 6, raw))
    expect(img.smask).toBeDefined()
    expect([...inflateSync(img.smask!.inlineData!)]).toEqual([0, 255, 255, 0, 255, 255])
    expect([...inflateSync(img.image.inlineData!)].slice(0, 6)).toEqual([0, 0, 30, 10, 0, 30])
  })

  it('passes an opaque RGB PNG through with a PNG predictor', () => {
    const raw = Buffer.alloc((2 * 3 + 1) * 2)
    const img = imageToPdf(png(2, 2, 2, raw))
    expect(img.smask).toBeUndefined()
    expect(serialize(img.image.dict)).toMatch(/\/Predictor 15/)
  })

  it('refuses other files with a plain message', () => {
    expect(() => imageToPdf(Buffer.from('GIF89a....'))).toThrow(ImageFormatError)
    expect(() => imageToPdf(Buffer.from('ffd8ffd9', 'hex'))).toThrow(/frame header/)
  })
})

describe('rectangles on rotated pages', () => {
  it('maps a rectangle measured on the displayed page to user space', () => {
    const box: [number, number, number, number] = [0, 0, 400, 300]
    expect(displayRectToUser(box, 0, [20, 30, 100, 50])).toEqual([20, 30, 120, 80])
    // /Rotate 90: displayed 300 x 400; the displayed lower-left corner is the user lower-right
    expect(displayRectToUser(box, 90, [20, 30, 100, 50])).toEqual([320, 20, 370, 120])
    expect(displayRectToUser(box, 180, [20, 30, 100, 50])).toEqual([280, 220, 380, 270])
    expect(displayRectToUser(box, 270, [20, 30, 100, 50])).toEqual([30, 180, 80, 280])
    expect(displayRectToUser([10, 20, 410, 320], 0, [0, 0, 5, 5])).toEqual([10, 20, 15, 25])
  })
})

describe('field names, dates and capacity presets', () => {
  it('picks the first SignatureN no field uses', () => {
    const doc = { fields: [{ name: 'Signature1' }, { name: 'Signature3' }, { name: 'Other' }] } as unknown as DocumentInfo
    expect(uniqueFieldName(doc)).toBe('Signature2')
  })

  it('formats /M as a PDF date with the time zone', () => {
    expect(pdfDate(new Date(2026, 10, 29, 18, 5, 9))).toMatch(/^D:20261129180509[+-]\d\d'\d\d'$/)
  })

  it('reads the presets from resources and turns a choice into the /Reason', () => {
    const presets = loadCapacityPresets(join(__dirname, '..', '..', '..', '..', 'resources'))
    const labels = presets.presets.map((p) => p.label)
    expect(labels).toContain('Le Maire')
    expect(labels).toContain("L'adjoint délégué")
    expect(capacityReason(presets, { presetId: 'maire' })).toBe('Le Maire')
    expect(capacityReason(presets, { presetId: 'maire', text: '  Le maire délégué  ' })).toBe('Le maire délégué')
    expect(() => capacityReason(presets, { presetId: 'nope' })).toThrow(/unknown capacity preset/)
  })
})

function png(w: number, h: number, colorType: number, raw: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]) // CRC not checked by readers here
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, colorType, 0, 0, 0], 8)
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}
