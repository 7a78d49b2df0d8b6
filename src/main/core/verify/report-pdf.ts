/**
 * The verification report as a PDF, in French (default) or English (pdf-lib, standard Helvetica with WinAnsi encoding: covers the
 * French accents; characters outside WinAnsi are replaced). Written atomically, never overwriting
 * unless asked.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib'
import type { ValidationReport } from '../../../shared/model/validation'
import { reportText } from '../../../shared/verification-text/report-text'
import { verificationLanguage } from '../../../shared/verification-text'
import { writeFileAtomic } from '../files/atomic-write'

const WINANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'

/** Keeps what WinAnsi can show; typographic apostrophes and spaces are mapped to plain ones. */
function toWinAnsi(text: string): string {
  return text
    .replace(/[\u202f\u00a0]/g, ' ')
    .replace(/[^\x20-\x7e\xa0-\xff\n]/g, (ch) => (WINANSI_EXTRA.includes(ch) ? ch : '?'))
}

function wrap(line: string, font: PDFFont, size: number, width: number): string[] {
  if (font.widthOfTextAtSize(line, size) <= width) return [line]
  const indent = /^\s*/.exec(line)![0]
  const words = line.trim().split(/\s+/)
  const out: string[] = []
  let cur = indent
  for (const w of words) {
    const next = cur.trim().length === 0 ? indent + w : `${cur} ${w}`
    if (font.widthOfTextAtSize(next, size) > width && cur.trim().length > 0) {
      out.push(cur)
      cur = `${indent}  ${w}`
    } else cur = next
  }
  if (cur.trim().length > 0) out.push(cur)
  // a single word longer than the line: cut it
  return out.flatMap((l) => {
    const parts: string[] = []
    let rest = l
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 10) {
      let n = rest.length
      while (n > 10 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--
      parts.push(rest.slice(0, n))
      rest = indent + '  ' + rest.slice(n)
    }
    parts.push(rest)
    return parts
  })
}

/** `lang`: 'fr' (default) or 'en' ('fr-*' is French, anything else English). */
export async function buildReportPdf(report: ValidationReport, lang = 'fr'): Promise<Uint8Array> {
  const l = verificationLanguage(lang)
  const doc = await PDFDocument.create()
  doc.setTitle(l === 'fr' ? 'Rapport de vérification' : 'Verification report')
  doc.setLanguage(l === 'fr' ? 'fr-FR' : 'en')
  doc.setProducer('Paraphe')
  doc.setCreator('Paraphe')
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const bold = await doc.embedFont(StandardFonts.HelveticaBold)
  const size = 10
  const lineHeight = 13
  const margin = 50
  const [pageW, pageH] = [595.28, 841.89]
  const width = pageW - 2 * margin
  let page = doc.addPage([pageW, pageH])
  let y = pageH - margin
  const text = toWinAnsi(reportText(report, l))
  text.split('\n').forEach((raw, i) => {
    const isTitle = i === 0
    const f = isTitle || /^\d+\. /.test(raw) ? bold : font
    const s = isTitle ? 16 : size
    for (const line of raw === '' ? [''] : wrap(raw, f, s, width)) {
      if (y < margin + lineHeight) {
        page = doc.addPage([pageW, pageH])
        y = pageH - margin
      }
      if (line) page.drawText(line, { x: margin, y, size: s, font: f, color: rgb(0.1, 0.1, 0.1) })
      y -= isTitle ? 24 : lineHeight
    }
  })
  return doc.save({ useObjectStreams: false })
}

export async function writeReportPdf(report: ValidationReport, path: string, overwrite = false, lang = 'fr'): Promise<void> {
  await writeFileAtomic(path, await buildReportPdf(report, lang), overwrite)
}
