/**
 * Verification results (ETSI EN 319 102-1 style), shared by the verifier, the CLI JSON, the IPC
 * contract and the UI. Plain data only.
 */
import { z } from 'zod'

export const IndicationSchema = z.enum(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'])
export type Indication = z.infer<typeof IndicationSchema>

/** ETSI EN 319 102-1 sub-indications (the subset Paraphe emits, extend as needed). */
export const SubIndicationSchema = z.enum([
  'FORMAT_FAILURE',
  'HASH_FAILURE',
  'SIG_CRYPTO_FAILURE',
  'REVOKED',
  'SIG_CONSTRAINTS_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'EXPIRED',
  'NOT_YET_VALID',
  'POLICY_PROCESSING_ERROR',
  'SIGNATURE_POLICY_NOT_AVAILABLE',
  'TIMESTAMP_ORDER_FAILURE',
  'NO_SIGNING_CERTIFICATE_FOUND',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'OUT_OF_BOUNDS_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  'NO_POE',
  'TRY_LATER',
  'SIGNED_DATA_NOT_FOUND',
  'GENERIC',
])
export type SubIndication = z.infer<typeof SubIndicationSchema>

/** File-level integrity class (see issue "Verification engine"). */
export const IntegrityClassSchema = z.enum(['intact', 'partial', 'modified', 'broken', 'unsigned', 'indeterminate'])
export type IntegrityClass = z.infer<typeof IntegrityClassSchema>

export const TrustStatusSchema = z.enum(['trusted', 'untrusted', 'expired', 'revoked', 'unknown'])
export type TrustStatus = z.infer<typeof TrustStatusSchema>

export const SignatureFormatSchema = z.enum(['PAdES', 'PDF-PKCS7', 'PDF-DocTimeStamp', 'CAdES', 'CMS', 'XAdES', 'XMLDSig'])
export type SignatureFormat = z.infer<typeof SignatureFormatSchema>

/**
 * A text of the verification engine as a stable code plus parameters, so each reader shows it in
 * its own language (src/shared/verification-text). A parameter is plain data (a name, a number, an
 * ISO date) or another coded text (a reason inside a sentence); a list of coded texts reads as
 * "a; b; c". The English `message` / `description` strings stay beside it as the fallback.
 */
export type MessageParam = string | number | MessageRef | MessageRef[]
export type MessageParams = Record<string, MessageParam>
export interface MessageRef {
  code: string
  params?: MessageParams
}
export const MessageParamsSchema: z.ZodType<MessageParams> = z.lazy(() =>
  z.record(z.string(), z.union([z.string(), z.number(), MessageRefSchema, z.array(MessageRefSchema)])),
)
export const MessageRefSchema: z.ZodType<MessageRef> = z.lazy(() => z.object({ code: z.string(), params: MessageParamsSchema.optional() }))

export const CertificateSummarySchema = z.object({
  subject: z.string(),
  commonName: z.string().nullable(),
  organization: z.string().nullable(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  sha256: z.string(),
})
export type CertificateSummary = z.infer<typeof CertificateSummarySchema>

export const CheckResultSchema = z.object({
  /** stable id, e.g. 'byte-range', 'message-digest', 'signature-value', 'signing-certificate', 'chain', 'revocation' */
  id: z.string(),
  status: z.enum(['passed', 'failed', 'warning', 'indeterminate', 'info']),
  /** plain-words message (English fallback; readers translate `code` + `params` when present) */
  message: z.string(),
  code: z.string().optional(),
  params: MessageParamsSchema.optional(),
})
export type CheckResult = z.infer<typeof CheckResultSchema>

export const ChangeSchema = z.object({
  /** what changed after this signature, e.g. 'signature-added', 'dss-added', 'doc-timestamp-added', 'form-filled', 'annotation-added', 'page-content-changed', 'page-added', 'resources-changed', 'unknown' */
  kind: z.string(),
  allowed: z.boolean(),
  description: z.string(),
  revision: z.number().int().nullable(),
  code: z.string().optional(),
  params: MessageParamsSchema.optional(),
})
export type Change = z.infer<typeof ChangeSchema>

export const SignatureReportSchema = z.object({
  id: z.string(),
  format: SignatureFormatSchema,
  /** B-B, B-T, B-LT, B-LTA, or null when not an AdES baseline */
  level: z.string().nullable(),
  signer: CertificateSummarySchema.nullable(),
  /** claimed signing time (signed attribute, /M, SigningTime), ISO 8601 */
  signingTime: z.string().nullable(),
  timestamp: z
    .object({
      time: z.string(),
      tsa: z.string().nullable(),
      valid: z.boolean(),
      message: z.string().nullable(),
      /** coded form of `message` */
      code: z.string().optional(),
      params: MessageParamsSchema.optional(),
    })
    .nullable(),
  indication: IndicationSchema,
  subIndication: SubIndicationSchema.nullable(),
  /**
   * integrity of THIS signature or timestamp, on the file-level scale: 'intact' | 'partial' | 'modified'
   * | 'broken' | 'indeterminate' (never 'unsigned'); the file-level class is the worst of them
   */
  integrity: IntegrityClassSchema,
  trust: TrustStatusSchema,
  /** what the signature covers, in plain words ('whole file', 'revision 2 of 3', 'bordereau BORD3', ...) */
  coverage: z.object({
    kind: z.enum(['whole', 'partial', 'element', 'unknown']),
    description: z.string(),
    code: z.string().optional(),
    params: MessageParamsSchema.optional(),
  }),
  changesAfter: z.array(ChangeSchema),
  checks: z.array(CheckResultSchema),
  /** certificates of the chain, signer first */
  chain: z.array(CertificateSummarySchema),
  /** RGS level / qualified status when recognised */
  qualification: z.string().nullable(),
})
export type SignatureReport = z.infer<typeof SignatureReportSchema>

export const ValidationReportSchema = z.object({
  file: z.string(),
  /** detected container/format: 'pdf', 'xml', 'pes', 'cms', 'asic', 'odf', 'unsupported' */
  fileType: z.string(),
  integrity: IntegrityClassSchema,
  trust: TrustStatusSchema,
  signatures: z.array(SignatureReportSchema),
  /** file-level messages (unsupported format, unreadable file, external references not fetched, ...) */
  messages: z.array(z.string()),
  /** coded form of `messages`, same length and order (null where a message has no code) */
  messageRefs: z.array(MessageRefSchema.nullable()).optional(),
  validationTime: z.string(),
})
export type ValidationReport = z.infer<typeof ValidationReportSchema>
