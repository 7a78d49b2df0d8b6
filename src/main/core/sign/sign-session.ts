/**
 * One signing session from a person's request to the batch report, shared by the CLI and the app:
 * plan (format, level and output of every file, checked BEFORE the PIN is asked), then open the
 * token once, complete the chain, sign every file, journal every attempt, close the token.
 */
import { createHash } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { HttpClient } from '../net/http'
import { openTokenSigner } from '../token/pkcs11-signer'
import type { PinAnswer, PinRequest } from '../token/pin-types'
import type { TokenSelector } from '../token/token-slot'
import { describeCertificate } from '../x509/certificate-info'
import { runBatch, type BatchEvent, type BatchItem, type BatchReport } from './batch/run-batch'
import { detectFormat } from './detect-format'
import { FORMAT_LEVELS, FORMAT_SIGNERS, formatSigner, type FormatSignOptions, type SignatureLevel } from './formats'
import { outputPathFor, type SignFormat } from './output'
import { completeChain, signerWithChain } from './revocation/chain'
import { createRevocationCollector } from './revocation/collect'
import { createTsaClient } from './timestamp/tsa-client'

/** A request that cannot be carried out as asked; nothing was signed and no PIN was asked. */
export class SignPlanError extends Error {
  override name = 'SignPlanError'
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message)
  }
}

export interface SignPlanRequest {
  files: readonly string[]
  /** forced format; by default each file's own (PDF -> pades, PES -> pes, XML -> xades, else cades) */
  format?: SignFormat
  level: SignatureLevel
  outDir?: string
  force: boolean
}

export async function planSignature(req: SignPlanRequest): Promise<BatchItem[]> {
  if (req.files.length === 0) throw new SignPlanError('no file to sign')
  if (req.outDir && !(existsSync(req.outDir) && statSync(req.outDir).isDirectory())) throw new SignPlanError(`${req.outDir} is not a folder`)
  const items: BatchItem[] = []
  const outputs = new Set<string>()
  for (const file of req.files) {
    if (!existsSync(file) || !statSync(file).isFile()) throw new SignPlanError(`${file}: no such file`, file)
    const detected = await detectFormat(file)
    const format = req.format ?? detected.format
    if (!FORMAT_SIGNERS[format]) throw new SignPlanError(`${file}: signing in format ${format} is not available in this version`, file)
    if (!FORMAT_LEVELS[format].includes(req.level)) {
      throw new SignPlanError(`${file}: format ${format} cannot be signed at level ${req.level} (${FORMAT_LEVELS[format].join(', ')})`, file)
    }
    const cosignature = detected.cosignature && (format === 'cades' || format === 'cades-attached')
    const output = outputPathFor(file, format, { outDir: req.outDir, cosignature })
    if (outputs.has(output)) throw new SignPlanError(`two files would be written to ${output}; sign them into different folders`, file)
    outputs.add(output)
    if (!req.force && existsSync(output)) throw new SignPlanError(`${output} already exists (choose to replace it, or another folder)`, file)
    if (resolve(output) === resolve(file)) throw new SignPlanError(`${file}: the output would replace the input`, file)
    items.push({ input: file, output, format })
  }
  return items
}

/**
 * The same client, whose requests also stop when `signal` fires: a batch cancelled while a TSA,
 * OCSP or CRL request hangs stops at once instead of after the request's timeout.
 */
export function httpWithSignal(http: HttpClient, signal: AbortSignal): HttpClient {
  const merged = (own?: AbortSignal) => (own ? AbortSignal.any([own, signal]) : signal)
  return {
    post: (url, body, contentType, opts = {}) => http.post(url, body, contentType, { ...opts, signal: merged(opts.signal) }),
    get: (url, opts = {}) => http.get(url, { ...opts, signal: merged(opts.signal) }),
  }
}

export interface FormatOptionsRequest extends Omit<FormatSignOptions, 'signal' | 'timestamp' | 'revocation' | 'http'> {
  tsaUrl?: string
  http: HttpClient
}

/** Options for the format signers; a timestamped level without a TSA is refused here, before the PIN. */
export function buildFormatOptions(req: FormatOptionsRequest): Omit<FormatSignOptions, 'signal'> {
  const { tsaUrl, http, ...rest } = req
  if (req.level !== 'B-B' && !tsaUrl) throw new SignPlanError(`level ${req.level} needs a timestamp server (TSA URL)`)
  return {
    ...rest,
    http,
    timestamp: tsaUrl ? createTsaClient({ url: tsaUrl, http }) : undefined,
    revocation: req.level === 'B-LT' || req.level === 'B-LTA' ? createRevocationCollector({ http }) : undefined,
  }
}

/**
 * What one PIN entry covers for this batch: the whole batch (one login), every signature (the key
 * has CKA_ALWAYS_AUTHENTICATE), or not known yet (the token hides its private keys until the login,
 * as SoftHSM2 does: then only the prompts after the login can tell).
 */
export type PinScope = 'once-for-batch' | 'per-signature' | 'unknown'

/** The core's PIN request, with what the entry covers for this batch and how many files it has. */
export interface SigningPinRequest extends PinRequest {
  pinScope: PinScope
  fileCount: number
}

export type SigningPinProvider = (request: SigningPinRequest) => Promise<PinAnswer | null>

export interface TokenSignRequest {
  items: readonly BatchItem[]
  options: Omit<FormatSignOptions, 'signal'>
  token: TokenSelector & { keyId?: string }
  /** a plain PinProvider works too: the extra fields are informative */
  pinProvider: SigningPinProvider
  http: HttpClient
  journalPath?: string
  signal?: AbortSignal
  onEvent?: (event: BatchEvent) => void
}

export async function signWithToken(req: TokenSignRequest): Promise<BatchReport> {
  // Unknown while the signer opens (a login there means the key was hidden before it); once open,
  // the signer has read the key's CKA_ALWAYS_AUTHENTICATE, so later prompts say it for certain.
  let scope: PinScope = 'unknown'
  const fileCount = req.items.length
  const pinProvider = (r: PinRequest) => req.pinProvider({ ...r, pinScope: r.purpose === 'signature' ? 'per-signature' : scope, fileCount })
  const handle = await openTokenSigner({ ...req.token, pinProvider })
  scope = handle.signer.pinPerSignature ? 'per-signature' : 'once-for-batch'
  try {
    // tokens rarely hold the intermediates: fetch them (caIssuers) so verifiers can build the path
    const signer = signerWithChain(handle.signer, await completeChain(handle.signer.certificate, handle.signer.chain, req.http))
    const facts = describeCertificate(signer.certificate)
    return await runBatch({
      items: req.items,
      signer,
      options: req.options,
      signerFor: formatSigner,
      signal: req.signal,
      journalPath: req.journalPath,
      certificate: { subject: facts.subject, serialNumber: facts.serialNumber, sha256: createHash('sha256').update(signer.certificate).digest('hex') },
      onEvent: req.onEvent,
    })
  } finally {
    await handle.close()
  }
}
