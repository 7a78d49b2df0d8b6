/**
 * Token domain model: what a PKCS#11 module, its slots, tokens and certificates look like to the
 * rest of Paraphe (CLI JSON, IPC, UI). Schemas are the source of truth; types are inferred.
 * Plain data only (JSON-safe): no bigint, no Buffer, no class instances.
 */
import { z } from 'zod'

export const TokenFlagsSchema = z.object({
  tokenInitialized: z.boolean(),
  loginRequired: z.boolean(),
  userPinInitialized: z.boolean(),
  protectedAuthenticationPath: z.boolean(),
  writeProtected: z.boolean(),
  userPinCountLow: z.boolean(),
  userPinFinalTry: z.boolean(),
  userPinLocked: z.boolean(),
  userPinToBeChanged: z.boolean(),
  soPinCountLow: z.boolean(),
  soPinFinalTry: z.boolean(),
  soPinLocked: z.boolean(),
})
export type TokenFlags = z.infer<typeof TokenFlagsSchema>

export const CertificateInfoSchema = z.object({
  /** CKA_ID in lowercase hex ('' when the object has none) */
  id: z.string(),
  /** CKA_LABEL */
  label: z.string(),
  subject: z.string(),
  subjectCommonName: z.string().nullable(),
  organization: z.string().nullable(),
  issuer: z.string(),
  issuerCommonName: z.string().nullable(),
  /** lowercase hex, no leading zeros beyond what the DER holds */
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  /** names from RFC 5280: digitalSignature, nonRepudiation, keyEncipherment, ... */
  keyUsage: z.array(z.string()),
  /** SHA-256 of the DER certificate, lowercase hex */
  sha256: z.string(),
  /** true when a key of the same CKA_ID is on the token (the private key itself may show only after login) */
  hasPrivateKey: z.boolean(),
  /** base64 DER, so that callers can show details or export without another token round trip */
  der: z.string(),
})
export type CertificateInfo = z.infer<typeof CertificateInfoSchema>

export const TokenInfoSchema = z.object({
  label: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  serialNumber: z.string(),
  flags: TokenFlagsSchema,
  minPinLength: z.number().int(),
  maxPinLength: z.number().int(),
  certificates: z.array(CertificateInfoSchema),
  /** set when the token was listed but its objects could not be read */
  error: z.string().nullable(),
  /** other module paths through which the same token (manufacturer, model, serial) is visible; it is listed once */
  alsoVisibleThrough: z.array(z.string()).optional(),
})
export type TokenInfo = z.infer<typeof TokenInfoSchema>

export const SlotInfoSchema = z.object({
  /** PKCS#11 slot id as a decimal string (CK_SLOT_ID is an unsigned long; not stable across runs) */
  slotId: z.string(),
  description: z.string(),
  manufacturer: z.string(),
  tokenPresent: z.boolean(),
  removableDevice: z.boolean(),
  hardwareSlot: z.boolean(),
  token: TokenInfoSchema.nullable(),
})
export type SlotInfo = z.infer<typeof SlotInfoSchema>

export const ModuleStatusSchema = z.enum(['loaded', 'not-installed', 'failed'])
export type ModuleStatus = z.infer<typeof ModuleStatusSchema>

export const ModuleFailureCodeSchema = z.enum([
  'missing-file',
  'wrong-architecture',
  'missing-dependency',
  'not-pkcs11',
  'initialize-failed',
  'load-failed',
])
export type ModuleFailureCode = z.infer<typeof ModuleFailureCodeSchema>

export const ModuleReportSchema = z.object({
  path: z.string(),
  /** where the candidate came from: --module, PARAPHE_PKCS11_MODULES, or the built-in list */
  source: z.enum(['option', 'environment', 'builtin', 'settings']),
  /** human name of the middleware when known (catalogue or built-in list), else the file name */
  name: z.string(),
  status: ModuleStatusSchema,
  /** machine-readable cause when status is not 'loaded' (the UI translates it) */
  reasonCode: ModuleFailureCodeSchema.nullable(),
  /** plain-words reason when status is not 'loaded', with the loader's own message */
  reason: z.string().nullable(),
  /** catalogue middlewares: who makes it, and what to install when it is missing */
  vendor: z.string().nullable().optional(),
  installHint: z.string().nullable().optional(),
  library: z
    .object({ manufacturer: z.string(), description: z.string(), version: z.string(), cryptokiVersion: z.string() })
    .nullable(),
  slots: z.array(SlotInfoSchema),
})
export type ModuleReport = z.infer<typeof ModuleReportSchema>

export const TokenListingSchema = z.object({
  modules: z.array(ModuleReportSchema),
})
export type TokenListing = z.infer<typeof TokenListingSchema>
