/**
 * Verification entry point: `verifyFile(path, { content?, ctx })` detects the file type, runs the
 * registered format verifier, and aggregates the per-signature results into a ValidationReport
 * (file integrity class, trust status). Unknown formats get an explicit 'unsupported' report; a
 * verifier that throws on a hostile file gives an 'indeterminate' report with the reason, never a crash.
 */
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import type { ValidationReport } from '../../../shared/model/validation'
import { fileIntegrity, fileTrust } from './aggregate'
import type { VerificationContext } from './context'
import './formats'
import { formatVerifiers, type FormatVerifyOptions } from './registry'
import { OutputExistsError } from '../files/atomic-write'
import { VerifyInputError } from './errors'
import { FileMessages, refOf } from './texts'

export { createVerificationContext, type VerificationContext, type CreateVerificationContextOptions } from './context'
export { registerFormatVerifier, formatVerifiers, type FormatVerifier, type FormatVerification, type FormatVerifyOptions } from './registry'
export { exitCodeFor, fileIntegrity, fileTrust, worstIntegrity, worstTrust } from './aggregate'

export { OutputExistsError } from '../files/atomic-write'

export const HEAD_BYTES = 64 * 1024

export { VerifyInputError } from './errors'

export interface VerifyFileOptions extends FormatVerifyOptions {
  ctx: VerificationContext
}

async function readHead(path: string): Promise<Buffer> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new VerifyInputError(code === 'ENOENT' ? `file not found: ${path}` : code === 'EISDIR' ? `${path} is a directory, not a file` : `cannot read ${path}: ${code ?? (err as Error).message}`)
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw new VerifyInputError(`${path} is not a regular file`)
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, stat.size))
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

export async function verifyFile(path: string, opts: VerifyFileOptions): Promise<ValidationReport> {
  // Trusted lists are usable once their signatures are checked; a refused one is said in the report.
  await opts.ctx.trust.ready()
  const report = await verifyDetected(path, opts)
  const notices = opts.ctx.trust.notices
  if (notices.length === 0) return report
  return {
    ...report,
    messages: [...notices.map((n) => n.message), ...report.messages],
    messageRefs: [...notices.map(refOf), ...(report.messageRefs ?? report.messages.map(() => null))],
  }
}

async function verifyDetected(path: string, opts: VerifyFileOptions): Promise<ValidationReport> {
  const { ctx, ...formatOpts } = opts
  const head = await readHead(path)
  const validationTime = ctx.now().toISOString()
  const verifier = formatVerifiers().find((v) => {
    try {
      return v.detect(head, path)
    } catch {
      return false
    }
  })
  if (!verifier) {
    return {
      file: path,
      fileType: 'unsupported',
      integrity: 'indeterminate',
      trust: 'unknown',
      signatures: [],
      ...FileMessages.of(head.length === 0 ? 'file.empty' : 'file.unsupported', { file: basename(path) }).fields(),
      validationTime,
    }
  }
  try {
    const result = await verifier.verify(path, formatOpts, ctx)
    return {
      file: path,
      fileType: result.fileType,
      integrity: fileIntegrity(result.signatures, result.integrity),
      trust: fileTrust(result.signatures),
      signatures: result.signatures,
      messages: result.messages,
      ...(result.messageRefs ? { messageRefs: result.messageRefs } : {}),
      validationTime,
    }
  } catch (err) {
    // I/O problems of the caller's own files (missing content, output exists) are not verdicts.
    if (err instanceof VerifyInputError || err instanceof OutputExistsError) throw err
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
    return {
      file: path,
      fileType: verifier.id,
      integrity: 'indeterminate',
      trust: 'unknown',
      signatures: [],
      ...FileMessages.of('file.verifierFailed', { verifier: verifier.id, error: message }).fields(),
      validationTime,
    }
  }
}
