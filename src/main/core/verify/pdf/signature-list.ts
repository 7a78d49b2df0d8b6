/**
 * The signatures of a PDF as the verification report lists them, in one place for the verifier
 * (verify-pdf.ts), `--extract` and "the version that was signed" (signed-version.ts):
 * the signatures of the final file, then those only found in earlier revisions (removed or
 * replaced later), each with its ByteRange checked, sorted by the end of the signed bytes (oldest
 * signed revision first), and their report ids: the field name, `field#N` (N its 1-based place in
 * the list) when an earlier signature has the same field name. The CMS verifier then names the
 * other signers of one signature `id-2`, `id-3`... and counter-signatures `id.counter-1`
 * (cms/verify-cms.ts), which `isReportIdOf` recognises.
 */
import type { PdfReader, PdfRevision, PdfView } from '../../pdf/reader'
import { checkByteRange, findSignatures, signatureKey, type ByteRangeCheck, type FoundSignature } from './signatures'

/** revisions looked at for signatures removed later (hostile files may have thousands) */
export const MAX_REVISIONS_SCANNED = 200

export interface ListedSignature {
  /** the report id of the signature (its first CMS signer) */
  id: string
  found: FoundSignature
  br: ByteRangeCheck
}

/**
 * Every signature of the PDF in report order. `finalView` is `reader.view()`. Revisions that a
 * signature ends on but the xref chain does not list are added to the reader's revisions
 * (`reader.noteRevisionEnd`) before the ByteRanges are checked, so `await reader.revisions()`
 * afterwards is the list the signatures refer to.
 */
export async function listPdfSignatures(reader: PdfReader, finalView: PdfView): Promise<ListedSignature[]> {
  const revisions: PdfRevision[] = await reader.revisions()
  const found = await findSignatures(finalView)
  const keys = new Set(found.map(signatureKey))
  for (const rev of revisions.slice(0, -1).slice(-MAX_REVISIONS_SCANNED)) {
    for (const s of await findSignatures(await reader.view(rev.end))) {
      const k = signatureKey(s)
      if (keys.has(k)) continue
      keys.add(k)
      found.push({ ...s, inFinal: false })
    }
  }
  for (const f of found) {
    const br = f.dict.get('ByteRange')
    if (Array.isArray(br) && br.length >= 2 && br.every((x) => typeof x === 'number')) {
      const nums = br as number[]
      await reader.noteRevisionEnd(nums[nums.length - 2]! + nums[nums.length - 1]!)
    }
  }
  const sorted = found.map((f) => ({ found: f, br: checkByteRange(f.dict, reader.size, revisions) })).sort((a, b) => a.br.end - b.br.end)
  return sorted.map((e, index) => ({
    id: `${e.found.fieldName}${sorted.some((o, j) => j < index && o.found.fieldName === e.found.fieldName) ? `#${index + 1}` : ''}`,
    ...e,
  }))
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** True when `reportId` is the signature `baseId` itself, one of its other CMS signers or a counter-signature. */
export function isReportIdOf(baseId: string, reportId: string): boolean {
  return new RegExp(`^${escapeRegExp(baseId)}(-\\d+)?(\\.counter-\\d+)*$`).test(reportId)
}
