/**
 * Detailed view of a token for IT staff (`paraphe certs`, the Certificats view): mechanisms, key
 * attributes, certificates with policies mapped to CA and level, QCStatements and days left.
 */
import { z } from 'zod'
import { CertificateInfoSchema, TokenFlagsSchema } from './token'

export const PolicyInfoSchema = z.object({
  oid: z.string(),
  /** plain-words name from resources/certificate-policies.json, null when unknown */
  name: z.string().nullable(),
  ca: z.string().nullable(),
  level: z.string().nullable(),
})
export type PolicyInfo = z.infer<typeof PolicyInfoSchema>

export const QcStatementsSchema = z.object({
  /** QcCompliance: the CA declares it a qualified certificate (eIDAS) */
  qualified: z.boolean(),
  /** QcSSCD / QSCD: the key is in a qualified signature creation device */
  qscd: z.boolean(),
  /** QcType: eSign (natural person), eSeal (legal person), eWeb */
  types: z.array(z.enum(['eSign', 'eSeal', 'eWeb'])),
  /** every statement OID present, for support */
  statements: z.array(z.string()),
})
export type QcStatements = z.infer<typeof QcStatementsSchema>

export const KeyAttributesSchema = z.object({
  keyType: z.enum(['RSA', 'EC', 'other']),
  sign: z.boolean().nullable(),
  alwaysAuthenticate: z.boolean().nullable(),
  sensitive: z.boolean().nullable(),
  extractable: z.boolean().nullable(),
  /** true when the private key object itself was visible (often only after login) */
  privateKeyVisible: z.boolean(),
})
export type KeyAttributes = z.infer<typeof KeyAttributesSchema>

export const CertificateDetailsSchema = CertificateInfoSchema.extend({
  daysLeft: z.number().int(),
  validNow: z.boolean(),
  /** keyUsage has nonRepudiation: a certificate meant for signing documents */
  signatureCertificate: z.boolean(),
  extendedKeyUsage: z.array(z.string()),
  publicKey: z.object({ type: z.string(), bits: z.number().int().nullable(), curve: z.string().nullable() }),
  policies: z.array(PolicyInfoSchema),
  /** the highest known level among the policies, or null */
  level: z.string().nullable(),
  qcStatements: QcStatementsSchema.nullable(),
  /** the issuing CA certificate is stored on the token too */
  issuerOnToken: z.boolean(),
  key: KeyAttributesSchema.nullable(),
})
export type CertificateDetails = z.infer<typeof CertificateDetailsSchema>

export const MechanismInfoSchema = z.object({
  name: z.string(),
  code: z.number().int(),
  minKeySize: z.number().int(),
  maxKeySize: z.number().int(),
  sign: z.boolean(),
  hardware: z.boolean(),
})

export const TokenDetailsSchema = z.object({
  modulePath: z.string(),
  label: z.string(),
  serialNumber: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  slotDescription: z.string(),
  flags: TokenFlagsSchema,
  minPinLength: z.number().int(),
  maxPinLength: z.number().int(),
  pinpad: z.boolean(),
  mechanisms: z.array(MechanismInfoSchema),
  certificates: z.array(CertificateDetailsSchema),
  error: z.string().nullable(),
})
export type TokenDetails = z.infer<typeof TokenDetailsSchema>
