/**
 * The visible signature's appearance: a form XObject with an optional image on the left and text
 * lines (signer, date, capacity, place) in Helvetica with WinAnsiEncoding, so French accents, the
 * typographic apostrophe and the oe ligature come out right without embedding a font.
 */
import { StandardFontEmbedder, StandardFonts } from 'pdf-lib'
import { PdfDict, PdfStream, name, type PdfRef } from '../../pdf'

/** Unicode -> WinAnsiEncoding (ISO 32000-1 Annex D) for the code points that differ from Latin-1. */
const WIN_ANSI_EXTRA: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
  0x02c6: 0x88, 0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91,
  0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98,
  0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b, 0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
}

/**
 * Replace what WinAnsi cannot show: decomposed accents are composed first, other characters become
 * '?'. Returns the text as it will be shown.
 */
export function toWinAnsiText(text: string): string {
  let out = ''
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d) out += ' '
    else if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA[cp] !== undefined) out += ch
    else if (cp === 0x202f || cp === 0x2009 || cp === 0x2007) out += '\u00a0' // narrow spaces (French typography)
    else out += '?'
  }
  return out
}

export function encodeWinAnsi(text: string): Buffer {
  const shown = toWinAnsiText(text)
  const bytes: number[] = []
  for (const ch of shown) {
    const cp = ch.codePointAt(0)!
    bytes.push(WIN_ANSI_EXTRA[cp] ?? cp)
  }
  return Buffer.from(bytes)
}

let helvetica: StandardFontEmbedder | undefined
const font = () => (helvetica ??= StandardFontEmbedder.for(StandardFonts.Helvetica as unknown as Parameters<typeof StandardFontEmbedder.for>[0]))

export function textWidth(text: string, size: number): number {
  return font().widthOfTextAtSize(toWinAnsiText(text), size)
}

/** Greedy word wrap; words longer than the width are cut. */
export function wrapText(text: string, size: number, width: number): string[] {
  const words = toWinAnsiText(text).split(/ +/).filter(Boolean)
  const lines: string[] = []
  let cur = ''
  for (let word of words) {
    const candidate = cur ? `${cur} ${word}` : word
    if (textWidth(candidate, size) <= width) {
      cur = candidate
      continue
    }
    if (cur) lines.push(cur)
    while (textWidth(word, size) > width && word.length > 1) {
      let cut = word.length - 1
      while (cut > 1 && textWidth(word.slice(0, cut), size) > width) cut--
      lines.push(word.slice(0, cut))
      word = word.slice(cut)
    }
    cur = word
  }
  if (cur) lines.push(cur)
  return lines
}

export interface AppearanceInput {
  width: number
  height: number
  lines: string[]
  /** image XObject reference and its pixel size */
  image?: { ref: PdfRef; width: number; height: number }
  fontRef: PdfRef
  /** largest font size to try (default 10) */
  maxFontSize?: number
  /** the page's /Rotate (0, 90, 180, 270): the content is turned back so it reads upright */
  rotate?: number
}

const PAD = 2
const fmt = (n: number) => (Math.round(n * 1000) / 1000).toString()

/** Build the normal appearance stream (/AP /N) of a visible signature widget. */
export function buildAppearance(input: AppearanceInput): PdfStream {
  const { width: w, height: h } = input
  let ops = ''
  let textX = PAD
  const xobjects = new PdfDict()
  if (input.image) {
    const boxW = input.lines.length ? Math.min(w * 0.4, h) : w - 2 * PAD
    const boxH = h - 2 * PAD
    const scale = Math.min(boxW / input.image.width, boxH / input.image.height)
    const iw = input.image.width * scale
    const ih = input.image.height * scale
    const ix = PAD + (boxW - iw) / 2
    const iy = PAD + (boxH - ih) / 2
    ops += `q ${fmt(iw)} 0 0 ${fmt(ih)} ${fmt(ix)} ${fmt(iy)} cm /Im1 Do Q\n`
    xobjects.set('Im1', input.image.ref)
    textX = PAD + boxW + PAD * 2
  }
  const textW = w - textX - PAD
  if (input.lines.length && textW > 4) {
    let size = input.maxFontSize ?? 10
    let wrapped: string[] = []
    for (; size >= 3; size -= 0.5) {
      wrapped = input.lines.flatMap((l) => wrapText(l, size, textW))
      if (wrapped.length * size * 1.15 <= h - 2 * PAD) break
    }
    const leading = size * 1.15
    const blockH = wrapped.length * leading
    // centre the block vertically; the first baseline sits one ascent below its top
    const top = h / 2 + blockH / 2
    ops += `BT /F1 ${fmt(size)} Tf ${fmt(leading)} TL 0 g ${fmt(textX)} ${fmt(top - size * 0.9)} Td\n`
    wrapped.forEach((line, i) => {
      ops += `${i ? 'T* ' : ''}<${encodeWinAnsi(line).toString('hex')}> Tj\n`
    })
    ops += 'ET\n'
  }
  const resources = new PdfDict([['Font', new PdfDict([['F1', input.fontRef]])]])
  if (input.image) resources.set('XObject', xobjects)
  const d = new PdfDict([
    ['Type', name('XObject')],
    ['Subtype', name('Form')],
    ['BBox', [0, 0, w, h]],
    ['Resources', resources],
  ])
  const r = (((input.rotate ?? 0) % 360) + 360) % 360
  // counter-clockwise by the page's clockwise display rotation (the viewer fits the result in /Rect)
  if (r === 90) d.set('Matrix', [0, 1, -1, 0, 0, 0])
  else if (r === 180) d.set('Matrix', [-1, 0, 0, -1, 0, 0])
  else if (r === 270) d.set('Matrix', [0, -1, 1, 0, 0, 0])
  return PdfStream.fromData(d, Buffer.from(`q 0 0 ${fmt(w)} ${fmt(h)} re W n\n${ops}Q\n`, 'latin1'))
}

/** The font dictionary the appearance refers to as /F1. */
export function helveticaFontDict(): PdfDict {
  return new PdfDict([
    ['Type', name('Font')],
    ['Subtype', name('Type1')],
    ['BaseFont', name('Helvetica')],
    ['Encoding', name('WinAnsiEncoding')],
  ])
}
