/**
 * The PIN counter shown BEFORE an attempt: exact tries left from the card when a card profile can
 * read it over PC/SC, otherwise what the PKCS#11 token flags say (count low, final try, locked).
 */
import * as pkcs11js from 'pkcs11js'
import type { PinCounter } from '../../../shared/model/pin'
import type { CardPinCounter, CardPinKind } from './card-profiles'
import { readCardPinCounter } from './pcsc-counter'
import type { Pkcs11Library } from './pkcs11-library'
import { readIdentity, type TokenIdentity } from './token-slot'

/** Reads an exact counter for the reader behind a slot; injectable so other transports can be added. */
export type CardCounterReader = (slotDescription: string, pin: CardPinKind) => Promise<CardPinCounter | null>

const has = (flags: number, bit: number): boolean => (flags & bit) !== 0

export function counterFromFlags(identity: Pick<TokenIdentity, 'flags' | 'minPinLength' | 'maxPinLength'>, pin: CardPinKind = 'user'): PinCounter {
  const f = identity.flags
  const countLow = has(f, pin === 'user' ? pkcs11js.CKF_USER_PIN_COUNT_LOW : pkcs11js.CKF_SO_PIN_COUNT_LOW)
  const finalTry = has(f, pin === 'user' ? pkcs11js.CKF_USER_PIN_FINAL_TRY : pkcs11js.CKF_SO_PIN_FINAL_TRY)
  const locked = has(f, pin === 'user' ? pkcs11js.CKF_USER_PIN_LOCKED : pkcs11js.CKF_SO_PIN_LOCKED)
  return {
    // FINAL_TRY and LOCKED are exact by definition; otherwise the token does not say.
    triesLeft: locked ? 0 : finalTry ? 1 : null,
    maxTries: null,
    countLow,
    finalTry: finalTry && !locked,
    locked,
    mustChange: pin === 'user' && has(f, pkcs11js.CKF_USER_PIN_TO_BE_CHANGED),
    pinpad: has(f, pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH),
    source: 'pkcs11-flags',
    profile: null,
    minPinLength: identity.minPinLength,
    maxPinLength: identity.maxPinLength,
  }
}

/** Combine the flags with an exact card counter; the card wins on the number, either can say locked. */
export function mergeCardCounter(fromFlags: PinCounter, card: CardPinCounter | null): PinCounter {
  if (!card || card.triesLeft === null) {
    return card ? { ...fromFlags, maxTries: card.maxTries ?? fromFlags.maxTries } : fromFlags
  }
  const triesLeft = card.triesLeft
  const locked = triesLeft === 0
  return {
    ...fromFlags,
    triesLeft,
    maxTries: card.maxTries,
    locked,
    finalTry: triesLeft === 1,
    countLow: fromFlags.countLow || (card.maxTries !== null && triesLeft < card.maxTries),
    source: 'card',
    profile: card.profile,
  }
}

export interface ReadCounterOptions {
  /** read the exact counter over PC/SC (default true); false for flags only */
  cardCounter?: CardCounterReader | false
  pin?: CardPinKind
}

/** Fresh counter for a token: re-reads C_GetTokenInfo (never a cached copy) and asks the card. */
export async function readPinCounter(lib: Pkcs11Library, slot: Buffer, opts: ReadCounterOptions = {}): Promise<PinCounter> {
  const identity = readIdentity(lib, slot)
  const pin = opts.pin ?? 'user'
  const fromFlags = counterFromFlags(identity, pin)
  const reader = opts.cardCounter === false ? null : (opts.cardCounter ?? readCardPinCounter)
  if (!reader) return fromFlags
  const card = await reader(identity.slotDescription, pin)
  return mergeCardCounter(fromFlags, card)
}

/** True when one more wrong entry would lock the PIN. */
export function isLastTry(counter: PinCounter): boolean {
  return !counter.locked && (counter.finalTry || counter.triesLeft === 1)
}
