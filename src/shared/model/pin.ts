/**
 * PIN model shared by the core, the CLI and the UI. Plain data: a PIN itself never appears here.
 */
import { z } from 'zod'

/** Where the tries-left figure comes from: an exact counter read from the card, or PKCS#11 flags only. */
export const PinCounterSourceSchema = z.enum(['card', 'pkcs11-flags'])

export const PinCounterSchema = z.object({
  /** exact number of tries left, or null when the token does not say (PKCS#11 flags only) */
  triesLeft: z.number().int().min(0).nullable(),
  /** the counter's initial value when known (card profiles that report it) */
  maxTries: z.number().int().min(1).nullable(),
  /** CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered since the last good one */
  countLow: z.boolean(),
  /** one try left: the next wrong PIN locks the PIN */
  finalTry: z.boolean(),
  locked: z.boolean(),
  /** the PIN must be changed before use (CKF_USER_PIN_TO_BE_CHANGED) */
  mustChange: z.boolean(),
  /** protected authentication path: the PIN is typed on the reader's pad, never in the app */
  pinpad: z.boolean(),
  source: PinCounterSourceSchema,
  /** card profile that read the exact counter (e.g. 'piv'), null with PKCS#11 flags */
  profile: z.string().nullable(),
  minPinLength: z.number().int(),
  maxPinLength: z.number().int(),
})
export type PinCounter = z.infer<typeof PinCounterSchema>

/**
 * Outcome of one PIN attempt (login, change, unblock). After a wrong PIN the token is read again so
 * that "incorrect" and "now locked" are told apart.
 */
export const PinStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok') }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('incorrect'), triesLeft: z.number().int().min(0).nullable(), counter: PinCounterSchema.nullable() }),
  z.object({ status: z.literal('locked'), counter: PinCounterSchema.nullable() }),
  z.object({ status: z.literal('must-change') }),
  /** the attempt would use the last try and the caller did not confirm it: nothing was sent to the token */
  z.object({ status: z.literal('last-try-unconfirmed'), counter: PinCounterSchema }),
  /** the token refused the new PIN (length or format); the old PIN was right */
  z.object({ status: z.literal('new-pin-rejected'), message: z.string() }),
  z.object({ status: z.literal('device-error'), message: z.string() }),
])
export type PinStatus = z.infer<typeof PinStatusSchema>
export type PinStatusKind = PinStatus['status']
