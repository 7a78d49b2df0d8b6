/**
 * IPC payloads of the sign / verify / journal workflows (see contract.ts). The PIN travels once,
 * renderer -> main, in `answerPin`; it is never in an event, an answer, a log or an error.
 */
import { z } from 'zod'
import { PinCounterSchema } from './pin'
import { ValidationReportSchema } from './validation'

export const PathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'NUL byte in path')

export const FilePurposeSchema = z.enum(['sign', 'verify', 'content', 'image', 'module'])
export type FilePurpose = z.infer<typeof FilePurposeSchema>

export const ChooseFilesRequestSchema = z.object({ purpose: FilePurposeSchema, multiple: z.boolean() }).strict()

export const FileKindSchema = z.enum(['pdf', 'pes', 'xml', 'cms', 'zip', 'other'])

export const PesBordereauSchema = z.object({
  id: z.string().nullable(),
  number: z.string().nullable(),
  type: z.string().nullable(),
  amount: z.string().nullable(),
  pieceCount: z.number().int(),
  signed: z.boolean(),
})

export const PesSummarySchema = z.object({
  collectivite: z.string().nullable(),
  budget: z.string().nullable(),
  exercice: z.string().nullable(),
  bordereaux: z.array(PesBordereauSchema),
})
export type PesSummary = z.infer<typeof PesSummarySchema>

export const FileDescriptionSchema = z.object({
  path: z.string(),
  name: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  kind: FileKindSchema,
  /** true when the file already carries a signature (a signed file -> propose Verify) */
  signed: z.boolean(),
  /** the sign format Paraphe would pick */
  suggestedFormat: z.enum(['pades', 'cades', 'cades-attached', 'xades', 'xades-detached', 'pes']),
  pes: PesSummarySchema.nullable(),
  /** PDF only */
  pageCount: z.number().int().nullable(),
})
export type FileDescription = z.infer<typeof FileDescriptionSchema>

export const DescribeFilesRequestSchema = z.object({ paths: z.array(PathSchema).min(1).max(500) }).strict()

/** PDF bytes for the preview (pdfjs-dist in the renderer); bounded. */
export const ReadPdfRequestSchema = z.object({ path: PathSchema }).strict()
export const ReadPdfAnswerSchema = z.object({ base64: z.string() })

export const SignFormatSchema = z.enum(['pades', 'cades', 'cades-attached', 'xades', 'xades-detached', 'pes'])
export const SignLevelSchema = z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA'])

export const SignFilesRequestSchema = z
  .object({
    files: z.array(PathSchema).min(1).max(500),
    token: z
      .object({ modulePath: PathSchema, tokenLabel: z.string().max(64).optional(), tokenSerial: z.string().max(64).optional(), keyId: z.string().regex(/^[0-9a-f]{0,128}$/).optional() })
      .strict(),
    /** forced format; else each file's own */
    format: SignFormatSchema.optional(),
    level: SignLevelSchema,
    tsaUrl: z.string().url().max(2048).optional(),
    pem: z.boolean().optional(),
    visible: z
      .object({ page: z.number().int().min(1), x: z.number().min(0), y: z.number().min(0), width: z.number().positive(), height: z.number().positive() })
      .strict()
      .optional(),
    reason: z.string().max(200).optional(),
    role: z.string().max(200).optional(),
    place: z.object({ city: z.string().max(100).optional(), postalCode: z.string().max(20).optional(), countryName: z.string().max(60).optional() }).strict().optional(),
    outDir: PathSchema.optional(),
    force: z.boolean().optional(),
  })
  .strict()
export type SignFilesRequest = z.infer<typeof SignFilesRequestSchema>

export const BatchFileResultSchema = z.object({
  input: z.string(),
  output: z.string().optional(),
  format: z.string(),
  level: z.string(),
  status: z.enum(['signed', 'failed', 'skipped', 'cancelled']),
  error: z.string().optional(),
  errorCode: z.string().optional(),
  /** why a file failed, as a kind the UI words in French (src/main/core/sign/batch/failure-kind.ts) */
  errorKind: z.string().max(40).optional(),
  notes: z.array(z.string()).optional(),
})

export const BatchReportSchema = z.object({
  batchId: z.string(),
  total: z.number().int(),
  signed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.number().int(),
  stopped: z.object({ reason: z.enum(['cancelled', 'token-removed', 'pin']), message: z.string() }).optional(),
  results: z.array(BatchFileResultSchema),
})
export type BatchReportView = z.infer<typeof BatchReportSchema>

/** main -> renderer while files are described: bytes read so far (the SHA-256 of 1 GB takes seconds). */
export const DescribeProgressSchema = z.object({
  path: z.string(),
  /** index of the file being read, from 0 */
  index: z.number().int(),
  files: z.number().int(),
  bytesDone: z.number(),
  bytes: z.number(),
})
export type DescribeProgress = z.infer<typeof DescribeProgressSchema>

export const SignProgressSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), batchId: z.string(), total: z.number().int(), pinPerSignature: z.boolean() }),
  z.object({ type: z.literal('file-start'), batchId: z.string(), index: z.number().int(), total: z.number().int(), input: z.string() }),
  z.object({ type: z.literal('file-done'), batchId: z.string(), index: z.number().int(), total: z.number().int(), result: BatchFileResultSchema }),
])

/** main -> renderer: the token needs a PIN. Answer with answerPin({requestId, ...}). */
export const PinPromptSchema = z.object({
  requestId: z.string(),
  tokenLabel: z.string(),
  purpose: z.enum(['login', 'signature', 'current-pin', 'new-pin', 'puk', 'so-pin']),
  pinpad: z.boolean(),
  counter: PinCounterSchema.nullable(),
  lastTry: z.boolean(),
  /** signing only: what this entry covers (the whole batch, every signature, or not known before the login) */
  pinScope: z.enum(['once-for-batch', 'per-signature', 'unknown']).optional(),
  /** signing only: how many files the batch has */
  fileCount: z.number().int().min(1).optional(),
})
export type PinPrompt = z.infer<typeof PinPromptSchema>

/** Revocation status of a token's certificate, asked online when the person picks it (Sign screen). */
const Base64Der = z.string().min(1).max(64 * 1024).regex(/^[A-Za-z0-9+/=]+$/)
export const CertificateStatusRequestSchema = z
  .object({
    /** DER of the certificate, base64 (as read from the token) */
    certificate: Base64Der,
    /** the other certificates of the same token (the issuing CA is sometimes there) */
    tokenCertificates: z.array(Base64Der).max(32).optional(),
  })
  .strict()
export const CertificateStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('good'), source: z.enum(['ocsp', 'crl']), checkedAt: z.string() }),
  z.object({
    status: z.literal('revoked'),
    source: z.enum(['ocsp', 'crl']),
    /** ISO date, null when the answer gives none */
    revokedAt: z.string().nullable(),
    /** RFC 5280 CRLReason name (keyCompromise, superseded...), null when not given */
    reason: z.string().nullable(),
    checkedAt: z.string(),
  }),
  z.object({
    status: z.literal('unknown'),
    /** offline: no network allowed; no-responder: no OCSP/CRL address in the certificate; no-issuer: issuing CA not found;
     *  no-answer: the services did not answer usably; responder-unknown: the responder does not know the certificate */
    why: z.enum(['offline', 'no-responder', 'no-issuer', 'no-answer', 'responder-unknown', 'unreadable']),
    message: z.string(),
  }),
])
export type CertificateStatus = z.infer<typeof CertificateStatusSchema>

export const AnswerPinRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pin'), requestId: z.string(), pin: z.string().min(1).max(64), confirmLastTry: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal('pinpad'), requestId: z.string(), confirmLastTry: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal('cancel'), requestId: z.string() }).strict(),
])

export const VerifyRequestSchema = z
  .object({ path: PathSchema, contentPath: PathSchema.optional(), offline: z.boolean().optional() })
  .strict()
/** The screen writes the texts (summary, full text) from the report in the UI language. */
export const VerifyAnswerSchema = z.object({ report: ValidationReportSchema })

export const ExportReportRequestSchema = z
  .object({ report: ValidationReportSchema, format: z.enum(['pdf', 'json']), path: PathSchema, overwrite: z.boolean().optional(), lang: z.enum(['fr', 'en']).optional() })
  .strict()

/**
 * The revision of a PDF a signature covers ("what the signer signed"), by the report's signature id.
 * Without `saveTo`: copied to a fresh private temp file for the preview (read it with readPdf;
 * `path` null when too large to preview). With `saveTo`: written there atomically.
 */
export const ExtractSignedVersionRequestSchema = z
  .object({ path: PathSchema, signatureId: z.string().min(1).max(1024), saveTo: PathSchema.optional(), overwrite: z.boolean().optional() })
  .strict()
export const SignedVersionAnswerSchema = z.object({
  signatureId: z.string(),
  fieldName: z.string(),
  /** the signed version is bytes [0, signedBytes) of the file */
  signedBytes: z.number().int(),
  fileSize: z.number().int(),
  /** 1-based revision, null when the signed bytes do not end on a revision */
  revision: z.number().int().nullable(),
  revisionCount: z.number().int(),
  /** the signed bytes are exactly that revision minus the signature value */
  exact: z.boolean(),
  /** the signature is still part of the final document */
  inFinal: z.boolean(),
  /** the file written (temp copy for the preview, or `saveTo`); null when no preview copy was made */
  path: z.string().nullable(),
  /** why there is no preview copy (too large), else null */
  previewRefused: z.string().nullable(),
})
export type SignedVersionAnswer = z.infer<typeof SignedVersionAnswerSchema>

export const JournalEntryViewSchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  inputPath: z.string(),
  inputSha256: z.string(),
  outputPath: z.string().nullable(),
  format: z.string(),
  level: z.string(),
  signer: z.string(),
  outcome: z.string(),
  error: z.string().nullable(),
})
export const JournalViewSchema = z.object({
  path: z.string(),
  intact: z.boolean(),
  problems: z.array(z.string()),
  entries: z.array(JournalEntryViewSchema),
})
export type JournalView = z.infer<typeof JournalViewSchema>

/** What the app keeps between runs (no secret): PKCS#11 modules added by hand. */
export const SettingsViewSchema = z.object({
  pkcs11Modules: z.array(z.string()),
  /** why the settings file on disk was not used, when it was not */
  problem: z.string().nullable(),
})
export type SettingsView = z.infer<typeof SettingsViewSchema>
