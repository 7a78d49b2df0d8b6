/**
 * One PIN attempt, end to end: read the counter, ask the provider once, refuse the last try without
 * confirmation, present the PIN, wipe it, and on a wrong PIN read the token again to tell
 * "incorrect" from "now locked". Never loops: a retry is always a new request from a person.
 */
import * as pkcs11js from 'pkcs11js'
import type { PinCounter, PinStatus } from '../../../shared/model/pin'
import { isLastTry, readPinCounter, type ReadCounterOptions } from './pin-counter'
import { pinText, wipe, type PinAnswer, type PinProvider, type PinPurpose } from './pin-types'
import type { Pkcs11Library } from './pkcs11-library'
import { isRemovalError, pkcs11Code, technicalDetail, tokenRemovedError } from './token-errors'
import type { TokenIdentity } from './token-slot'

export interface PinAttemptContext {
  lib: Pkcs11Library
  slot: Buffer
  identity: TokenIdentity
  counterOptions?: ReadCounterOptions
}

/** What C_Login / C_SetPIN failures mean for the person. */
export async function statusAfterFailure(ctx: PinAttemptContext, err: unknown): Promise<PinStatus> {
  const code = pkcs11Code(err)
  if (isRemovalError(err)) throw tokenRemovedError(ctx.identity.label, err)
  if (code === pkcs11js.CKR_PIN_INCORRECT || code === pkcs11js.CKR_PIN_LEN_RANGE || code === pkcs11js.CKR_PIN_INVALID) {
    const counter = await readCounterQuietly(ctx)
    if (counter?.locked) return { status: 'locked', counter }
    return { status: 'incorrect', triesLeft: counter?.triesLeft ?? null, counter }
  }
  if (code === pkcs11js.CKR_PIN_LOCKED) return { status: 'locked', counter: await readCounterQuietly(ctx) }
  if (code === pkcs11js.CKR_PIN_EXPIRED) return { status: 'must-change' }
  if (code === pkcs11js.CKR_FUNCTION_CANCELED) return { status: 'cancelled' }
  return { status: 'device-error', message: technicalDetail(err) }
}

async function readCounterQuietly(ctx: PinAttemptContext): Promise<PinCounter | null> {
  try {
    return await readPinCounter(ctx.lib, ctx.slot, ctx.counterOptions)
  } catch (err) {
    if (isRemovalError(err)) throw tokenRemovedError(ctx.identity.label, err)
    return null
  }
}

/** The PUK and the SO PIN share PKCS#11's SO flags; on PIV cards the PUK has its own counter. */
export function pinKindFor(purpose: PinPurpose): 'user' | 'puk' {
  return purpose === 'puk' || purpose === 'so-pin' ? 'puk' : 'user'
}

export type PinGate =
  | { proceed: false; status: PinStatus }
  | { proceed: true; answer: PinAnswer; counter: PinCounter; text: () => string; dispose: () => void }

/**
 * Read the counter, stop if locked or the PIN must change, ask the provider, enforce the last-try
 * confirmation. When it proceeds, the caller presents `text()` to the token and then calls dispose().
 */
export async function askPin(
  ctx: PinAttemptContext,
  provider: PinProvider,
  purpose: PinPurpose,
  opts: { counter?: PinCounter; checkMustChange?: boolean } = {},
): Promise<PinGate> {
  const counter = opts.counter ?? (await readPinCounter(ctx.lib, ctx.slot, { ...ctx.counterOptions, pin: pinKindFor(purpose) }))
  if (counter.locked) return { proceed: false, status: { status: 'locked', counter } }
  if (opts.checkMustChange !== false && counter.mustChange && purpose === 'login') return { proceed: false, status: { status: 'must-change' } }
  const lastTry = isLastTry(counter)
  const answer = await provider({
    tokenLabel: ctx.identity.label,
    tokenSerial: ctx.identity.serialNumber,
    purpose,
    pinpad: counter.pinpad,
    counter,
    lastTry,
  })
  if (!answer) return { proceed: false, status: { status: 'cancelled' } }
  const pin = 'pin' in answer ? answer.pin : null
  if (lastTry && answer.confirmLastTry !== true) {
    wipe(pin)
    return { proceed: false, status: { status: 'last-try-unconfirmed', counter } }
  }
  if (!pin && !counter.pinpad) {
    return { proceed: false, status: { status: 'device-error', message: 'this token has no PIN pad: a PIN must be typed' } }
  }
  return {
    proceed: true,
    answer,
    counter,
    // Protected authentication path: OpenSC and vendor modules ignore an empty PIN and use the pad
    // (pkcs11js cannot pass a NULL pointer).
    text: () => (pin ? pinText(pin) : ''),
    dispose: () => wipe(pin),
  }
}

/** C_Login with a PIN from the provider. Returns the outcome; throws only TOKEN_REMOVED. */
export async function loginWithProvider(
  ctx: PinAttemptContext,
  session: Buffer,
  userType: number,
  purpose: PinPurpose,
  provider: PinProvider,
): Promise<PinStatus> {
  const gate = await askPin(ctx, provider, purpose)
  if (!gate.proceed) return gate.status
  try {
    ctx.lib.api.C_Login(session, userType, gate.text())
    return { status: 'ok' }
  } catch (err) {
    if (pkcs11Code(err) === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) return { status: 'ok' }
    return statusAfterFailure(ctx, err)
  } finally {
    gate.dispose()
  }
}
