/**
 * Format verifiers plug in here with one line: `registerFormatVerifier({ id, detect, verify })`.
 * verifyFile() reads the first bytes of the file, asks each verifier (in registration order) whether
 * it recognises them, and runs the first that does.
 */
import type { IntegrityClass, MessageRef, SignatureReport } from '../../../shared/model/validation'
import type { VerificationContext } from './context'

export interface FormatVerifyOptions {
  /** detached content path (`--content`) */
  content?: string
  /** where to write the signed content / signed revision when asked (`--extract`) */
  extractTo?: string
  /** overwrite `extractTo` when it exists */
  overwrite?: boolean
}

export interface FormatVerification {
  /** 'pdf', 'xml', 'pes', 'cms', 'asic', 'odf', ... */
  fileType: string
  signatures: SignatureReport[]
  /** file-level messages in plain words */
  messages: string[]
  /** coded form of `messages` (same order; null where a message has no code) */
  messageRefs?: (MessageRef | null)[]
  /**
   * a file-level class that the signatures alone do not show (e.g. 'indeterminate' when an external
   * reference could not be fetched, 'partial' when unsigned content surrounds signed elements);
   * combined with the signatures' classes by taking the worst
   */
  integrity?: IntegrityClass
  /** path written by `extractTo`, when something was extracted */
  extracted?: string
}

export interface FormatVerifier {
  id: string
  /** `head` is the first 64 KiB of the file (less for smaller files) */
  detect(head: Buffer, path: string): boolean
  verify(path: string, opts: FormatVerifyOptions, ctx: VerificationContext): Promise<FormatVerification>
}

const verifiers: FormatVerifier[] = []

/** Registers a format verifier; registering the same id again replaces the earlier one. */
export function registerFormatVerifier(verifier: FormatVerifier): void {
  const i = verifiers.findIndex((v) => v.id === verifier.id)
  if (i >= 0) verifiers[i] = verifier
  else verifiers.push(verifier)
}

export function formatVerifiers(): readonly FormatVerifier[] {
  return verifiers
}
