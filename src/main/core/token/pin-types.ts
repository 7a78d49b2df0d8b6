/**
 * How the core asks for a PIN. The core never prompts by itself: the CLI (hidden prompt, stdin,
 * PARAPHE_PIN) and the UI (PIN dialog) inject a PinProvider. The provider is called once per attempt;
 * the core never retries a PIN on its own and never keeps it after the call that needed it.
 */
import type { PinCounter } from '../../../shared/model/pin'

export type PinPurpose =
  /** open the token for a batch of operations (C_Login CKU_USER) */
  | 'login'
  /** this key asks for the PIN before every signature (CKA_ALWAYS_AUTHENTICATE) */
  | 'signature'
  /** the current PIN, for a PIN change */
  | 'current-pin'
  /** the new PIN (change or unblock); the caller asks twice and compares before answering */
  | 'new-pin'
  /** the PUK (unblocking code) */
  | 'puk'
  /** the security officer PIN (SoftHSM and HSM-style unblock: SO login + C_InitPIN) */
  | 'so-pin'

export interface PinRequest {
  tokenLabel: string
  tokenSerial: string
  purpose: PinPurpose
  /** protected authentication path: answer `{ pinpad: true }` and tell the person to type on the reader */
  pinpad: boolean
  /** the counter read before this attempt (null for new PINs) */
  counter: PinCounter | null
  /** true when a wrong entry would lock the PIN: the answer must carry confirmLastTry */
  lastTry: boolean
}

export type PinAnswer =
  /** `pin` is wiped (zero-filled) by the core as soon as the token has it */
  | { pin: Uint8Array; confirmLastTry?: boolean }
  | { pinpad: true; confirmLastTry?: boolean }

/** Resolve null to cancel. */
export type PinProvider = (request: PinRequest) => Promise<PinAnswer | null>

export function wipe(buffer: Uint8Array | null | undefined): void {
  if (buffer) buffer.fill(0)
}

/**
 * pkcs11js only takes the PIN as a JS string (its C side copies it into a vector it frees unwiped);
 * JS strings cannot be wiped, so the string lives only for the duration of the one call.
 */
export function pinText(pin: Uint8Array): string {
  return Buffer.from(pin.buffer, pin.byteOffset, pin.byteLength).toString('utf8')
}
