/**
 * IPC payloads of the token operations (see contract.ts). PINs travel only in the invoke requests
 * that need them (renderer -> main, validated, used once, never logged or echoed in an error);
 * never in an event, never in an answer.
 */
import { z } from 'zod'
import { PinCounterSchema } from './pin'

const PathSchema = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'NUL byte in path')
/** A PIN, PUK or SO PIN as typed; bounds only (the token checks the rest). */
const SecretSchema = z.string().min(1).max(64)

export const TokenRefSchema = z
  .object({ modulePath: PathSchema, tokenLabel: z.string().max(64).optional(), tokenSerial: z.string().max(64).optional() })
  .strict()
  .refine((t) => t.tokenLabel !== undefined || t.tokenSerial !== undefined, 'tokenLabel or tokenSerial is required')

export const TokenDetailsRequestSchema = z
  .object({ extraModules: z.array(PathSchema).max(32).optional(), tokenLabel: z.string().max(64).optional(), tokenSerial: z.string().max(64).optional() })
  .strict()
  .optional()

export const PinStatusReportSchema = z.object({
  modulePath: z.string(),
  token: z.object({ label: z.string(), serialNumber: z.string(), manufacturer: z.string(), model: z.string(), slotDescription: z.string() }),
  pin: PinCounterSchema,
  puk: PinCounterSchema,
  unblockStyle: z.enum(['puk', 'so-pin']),
})

export const ChangePinRequestSchema = z
  .object({
    modulePath: PathSchema,
    tokenLabel: z.string().max(64).optional(),
    tokenSerial: z.string().max(64).optional(),
    currentPin: SecretSchema,
    newPin: SecretSchema,
    /** required when one try is left: without it nothing is sent */
    confirmLastTry: z.boolean().optional(),
  })
  .strict()

export const UnblockPinRequestSchema = z
  .object({
    modulePath: PathSchema,
    tokenLabel: z.string().max(64).optional(),
    tokenSerial: z.string().max(64).optional(),
    /** the PUK (style 'puk') or the SO / administrator PIN (style 'so-pin') */
    unblockCode: SecretSchema,
    newPin: SecretSchema,
    style: z.enum(['puk', 'so-pin']).optional(),
    confirmLastTry: z.boolean().optional(),
  })
  .strict()

export const ExportCertificateRequestSchema = z
  .object({
    modulePath: PathSchema,
    tokenLabel: z.string().max(64).optional(),
    tokenSerial: z.string().max(64).optional(),
    /** sha256 (hex) of the certificate, as listed by tokenDetails */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    format: z.enum(['pem', 'der']),
    path: PathSchema,
    overwrite: z.boolean().optional(),
  })
  .strict()

export const TokenEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reader-added'), reader: z.string() }),
  z.object({ type: z.literal('reader-removed'), reader: z.string() }),
  z.object({ type: z.literal('card-inserted'), reader: z.string(), atr: z.string().nullable() }),
  z.object({ type: z.literal('card-removed'), reader: z.string() }),
  z.object({ type: z.literal('usb-attached'), vendorId: z.number(), productId: z.number(), name: z.string(), module: z.string() }),
  z.object({ type: z.literal('usb-detached'), vendorId: z.number(), productId: z.number(), name: z.string(), module: z.string() }),
  z.object({ type: z.literal('token-added'), modulePath: z.string(), label: z.string(), serialNumber: z.string(), slotDescription: z.string() }),
  z.object({ type: z.literal('token-removed'), modulePath: z.string(), label: z.string(), serialNumber: z.string(), slotDescription: z.string() }),
])
