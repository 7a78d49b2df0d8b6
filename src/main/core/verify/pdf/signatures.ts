/**
 * Finding the signatures of a PDF (signature fields with a value, in the final file and in every
 * earlier revision, plus usage-rights signatures under /Perms) and checking each ByteRange
 * against the file: two ranges from offset 0, the gap exactly the /Contents string of that
 * signature dictionary, inside the file, ending at a revision end.
 */
import { PdfDict, PdfRef, PdfString, type PdfObject } from '../../pdf/objects'
import type { PdfRevision, PdfView } from '../../pdf/reader'
import { text, type CodedText } from '../texts'

export interface FoundSignature {
  fieldName: string
  /** object number of the signature dictionary (null when written directly in the field) */
  dictNum: number | null
  dict: PdfDict
  /** the signature field (for its /Lock dictionary), null for /Perms entries */
  fieldDict: PdfDict | null
  /** 'field' (AcroForm signature field) or 'perms' (usage rights / DocMDP entry without a field) */
  source: 'field' | 'perms'
  /** present in the final document (false: only in an earlier revision, removed later) */
  inFinal: boolean
}

const MAX_FIELDS = 100_000

export async function findSignatures(view: PdfView): Promise<FoundSignature[]> {
  const out: FoundSignature[] = []
  const catalog = await view.catalog()
  if (!catalog) return out
  const acro = await view.dict(catalog.get('AcroForm'))
  const fields = await view.array(acro?.get('Fields'))
  const seen = new Set<number>()
  let budget = MAX_FIELDS
  const walk = async (ref: PdfObject, prefix: string, ft: string | undefined, depth: number): Promise<void> => {
    if (depth > 64 || budget-- <= 0) return
    if (ref instanceof PdfRef) {
      if (seen.has(ref.num)) return
      seen.add(ref.num)
    }
    const d = await view.dict(ref)
    if (!d) return
    const t = d.get('T')
    const partial = t instanceof PdfString ? t.text() : ''
    const name = partial ? (prefix ? `${prefix}.${partial}` : partial) : prefix
    const type = d.name('FT') ?? ft
    if (type === 'Sig') {
      const v = d.get('V')
      const vd = await view.dict(v)
      if (vd && (vd.has('ByteRange') || vd.has('Contents'))) out.push({ fieldName: name || '(unnamed)', dictNum: v instanceof PdfRef ? v.num : null, dict: vd, fieldDict: d, source: 'field', inFinal: true })
    }
    for (const k of (await view.array(d.get('Kids'))) ?? []) await walk(k, name, type, depth + 1)
  }
  for (const f of fields ?? []) await walk(f, '', undefined, 0)
  const perms = await view.dict(catalog.get('Perms'))
  for (const key of ['DocMDP', 'UR3', 'UR']) {
    const v = perms?.get(key)
    if (!(v instanceof PdfRef) || out.some((s) => s.dictNum === v.num)) continue
    const vd = await view.dict(v)
    if (vd && vd.has('ByteRange') && vd.has('Contents')) out.push({ fieldName: key === 'DocMDP' ? '(certification)' : '(usage rights)', dictNum: v.num, dict: vd, fieldDict: null, source: 'perms', inFinal: true })
  }
  return out
}

/** Identity of a signature across revisions: where its /Contents string sits and its ByteRange. */
export function signatureKey(s: FoundSignature): string {
  const c = s.dict.get('Contents')
  const br = s.dict.get('ByteRange')
  return `${c instanceof PdfString ? c.start : 'x'}:${Array.isArray(br) ? br.join(',') : 'none'}:${s.dictNum ?? 'd'}`
}

export type ByteRangeVerdict = 'ok' | 'partial' | 'broken'

export interface ByteRangeCheck {
  verdict: ByteRangeVerdict
  /** [start, length] pairs, only when usable for hashing (inside the file, ordered, not overlapping) */
  ranges: [number, number][] | null
  /** end of the signed bytes */
  end: number
  /** the signed revision when `end` is a revision end */
  revision: PdfRevision | null
  problems: CodedText[]
}

export function checkByteRange(dict: PdfDict, fileSize: number, revisions: PdfRevision[]): ByteRangeCheck {
  const problems: CodedText[] = []
  let verdict = 'ok' as ByteRangeVerdict
  const worse = (v: ByteRangeVerdict): void => {
    if (v === 'broken' || (v === 'partial' && verdict === 'ok')) verdict = v
  }
  const br = dict.get('ByteRange')
  const contents = dict.get('Contents')
  if (!(contents instanceof PdfString)) {
    return { verdict: 'broken', ranges: null, end: 0, revision: null, problems: [text('pdf.byteRange.noContents')] }
  }
  if (!Array.isArray(br) || br.length < 2 || br.length % 2 !== 0 || !br.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) {
    return { verdict: 'broken', ranges: null, end: 0, revision: null, problems: [text('pdf.byteRange.malformed')] }
  }
  const nums = br as number[]
  const ranges: [number, number][] = []
  for (let i = 0; i < nums.length; i += 2) ranges.push([nums[i]!, nums[i + 1]!])
  const end = ranges[ranges.length - 1]![0] + ranges[ranges.length - 1]![1]
  for (let i = 0; i < ranges.length; i++) {
    const [s, l] = ranges[i]!
    if (s + l > fileSize) {
      worse('broken')
      problems.push(text('pdf.byteRange.pastEnd', { end: s + l, size: fileSize }))
    }
    if (i > 0 && s < ranges[i - 1]![0] + ranges[i - 1]![1]) {
      worse('broken')
      problems.push(text('pdf.byteRange.overlap'))
    }
  }
  if (ranges[0]![0] !== 0) {
    worse('partial')
    problems.push(text('pdf.byteRange.notAtStart', { offset: ranges[0]![0] }))
  }
  if (ranges.length !== 2) {
    worse('partial')
    problems.push(text('pdf.byteRange.rangeCount', { count: ranges.length }))
  }
  // the gap(s) must be exactly this dictionary's /Contents string
  const gaps: [number, number][] = []
  for (let i = 1; i < ranges.length; i++) gaps.push([ranges[i - 1]![0] + ranges[i - 1]![1], ranges[i]![0]])
  if (contents.start < 0) {
    worse('broken')
    problems.push(text('pdf.byteRange.inObjectStream'))
  } else {
    const inside = gaps.some(([a, b]) => contents.start >= a && contents.end <= b)
    const exact = gaps.some(([a, b]) => contents.start === a && contents.end === b)
    if (!contents.hex) {
      worse('partial')
      problems.push(text('pdf.byteRange.notHex'))
    }
    const signedOver = ranges.some(([s, l]) => contents.start < s + l && contents.end > s)
    if (signedOver) {
      worse('broken')
      problems.push(text('pdf.byteRange.signsContents'))
    } else if (!inside) {
      worse('partial')
      problems.push(text('pdf.byteRange.contentsOutsideGap'))
    } else if (!exact) {
      worse('partial')
      const g = gaps.find(([a, b]) => contents.start >= a && contents.end <= b)!
      problems.push(text('pdf.byteRange.gapTooLarge', { gap: g[1] - g[0], contents: contents.end - contents.start }))
    }
  }
  for (const [a, b] of gaps) {
    if (contents.start >= 0 && !(contents.start >= a && contents.end <= b) && b > a && verdict !== 'broken') {
      worse('partial')
      problems.push(text('pdf.byteRange.unsignedBytes', { from: a, to: b }))
    }
  }
  let revision: PdfRevision | null = null
  if (end !== fileSize) {
    revision = revisions.find((r) => end >= r.eofOffset + 5 && end <= r.end) ?? null
    if (!revision && end <= fileSize) {
      worse('partial')
      problems.push(text('pdf.byteRange.notRevisionEnd', { end }))
    }
  } else revision = revisions.find((r) => r.end >= end - 2 && end >= r.eofOffset + 5) ?? null
  return { verdict, ranges: verdict === 'broken' && problems.some((p) => p.code === 'pdf.byteRange.pastEnd' || p.code === 'pdf.byteRange.overlap') ? null : ranges, end, revision, problems }
}
