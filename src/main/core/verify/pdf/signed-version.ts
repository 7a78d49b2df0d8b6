/**
 * "The version that was signed": the PDF revision a signature of the verification report covers,
 * found by the report's signature id and copied out of the file (bytes [0, end of the signed range)).
 *
 * The signatures are listed by the verifier's own listing (signature-list.ts: fields of the final
 * file, then signatures only found in earlier revisions, sorted by the end of their signed bytes,
 * ids `field` / `field#N`, CMS signers `id-2`, counter-signatures `id.counter-1`), so an id taken
 * from a report names the same signature here; test/unit/app/signed-version.test.ts checks this
 * against verifyFile over the multi-signature corpus files.
 */
import { basename } from 'node:path'
import { PdfReader } from '../../pdf/reader'
import { isReportIdOf, listPdfSignatures } from './signature-list'
import { detectPdf } from './verify-pdf'
import { copyPrefixAtomic, OutputExistsError, SourceShorterError } from '../../files/atomic-write'

export class SignedVersionError extends Error {
  override name = 'SignedVersionError'
}

export interface SignedRevision {
  /** the report id of the signature (first CMS signer) */
  id: string
  fieldName: string
  /** end of the signed bytes: the signed version is the file's bytes [0, signedBytes) */
  signedBytes: number
  fileSize: number
  /** 1-based revision the signed bytes end, null when they do not end on a revision */
  revision: number | null
  revisionCount: number
  /** the ByteRange is exactly one revision minus the signature value (no unsigned bytes in it) */
  exact: boolean
  /** still a signature of the final document (false: removed or replaced later) */
  inFinal: boolean
  /** false when the signed bytes cannot be located in the file (malformed /ByteRange) */
  usable: boolean
}

/** Every signature of the PDF at `path`, in the verifier's order, with the bytes it signs. */
export async function listSignedRevisions(path: string): Promise<SignedRevision[]> {
  const reader = await PdfReader.open(path)
  try {
    if (!detectPdf(await reader.read(0, Math.min(1024, reader.size)))) throw new SignedVersionError(`${basename(path)} is not a PDF`)
    const entries = await listPdfSignatures(reader, await reader.view())
    const revisions = await reader.revisions()
    return entries.map(({ id, found: f, br }) => ({
      id,
      fieldName: f.fieldName,
      signedBytes: br.end,
      fileSize: reader.size,
      revision: br.revision?.index ?? null,
      revisionCount: revisions.length,
      exact: br.verdict === 'ok',
      inFinal: f.inFinal,
      usable: br.ranges !== null && br.end > 0 && br.end <= reader.size,
    }))
  } finally {
    await reader.close()
  }
}

/**
 * The signature a report id names: the id itself, or one of its other CMS signers / counter-
 * signatures (`id-2`, `id.counter-1`); the longest matching id wins when field names look alike.
 */
export function signedRevisionById(list: SignedRevision[], signatureId: string): SignedRevision | null {
  const exact = list.find((s) => s.id === signatureId)
  if (exact) return exact
  const candidates = list.filter((s) => isReportIdOf(s.id, signatureId))
  return candidates.sort((a, b) => b.id.length - a.id.length)[0] ?? null
}

/** Finds the signature `signatureId` of the report of `path`; plain-words errors for anything else. */
export async function findSignedRevision(path: string, signatureId: string): Promise<SignedRevision> {
  const list = await listSignedRevisions(path)
  if (list.length === 0) throw new SignedVersionError(`${basename(path)} has no PDF signature`)
  const s = signedRevisionById(list, signatureId)
  if (!s) throw new SignedVersionError(`${basename(path)} has no signature "${signatureId.slice(0, 200)}"`)
  if (!s.usable) throw new SignedVersionError(`the signed bytes of signature "${s.id}" cannot be located in the file (malformed /ByteRange)`)
  return s
}

/** Copies the signed bytes [0, length) of `src` to `dest` atomically (files/atomic-write.ts), errors in plain words. */
export async function copySignedBytes(src: string, length: number, dest: string, overwrite: boolean): Promise<void> {
  try {
    await copyPrefixAtomic(src, length, dest, overwrite)
  } catch (err) {
    if (err instanceof SourceShorterError) throw new SignedVersionError('the file is shorter than the signed range (did it change since it was verified?)')
    if (err instanceof OutputExistsError) throw new SignedVersionError(err.message)
    throw err
  }
}
