/**
 * Exact PIN counters over PC/SC (pcsclite): find the reader behind a PKCS#11 slot, connect in shared
 * mode next to the middleware, ask each card profile, leave the card as it was.
 */
import type { CardReader } from './pcsclite-types'
import { pcscReaders } from './pcsc-context'
import { CARD_PROFILES, type CardPinCounter, type CardPinKind, type CardProfile, type Transmit } from './card-profiles'

/**
 * PKCS#11 slot descriptions of PC/SC-based modules (OpenSC, most vendor middlewares) are the reader
 * name, cut to 64 characters and blank-padded.
 */
export function readerMatchesSlot(readerName: string, slotDescription: string): boolean {
  const d = slotDescription.trim()
  if (!d) return false
  return readerName === d || (d.length >= 60 && readerName.startsWith(d))
}

export interface CardCounterOptions {
  /** give up on a card that does not answer after this long; default 2000 ms */
  timeoutMs?: number
  /** how long to wait for pcscd's reader list; default 500 ms */
  firstReaderMs?: number
  profiles?: readonly CardProfile[]
}

/** Wait for the reader list, pick the reader behind the slot, run the profiles. Null when unknown. */
export function readCardPinCounter(slotDescription: string, pin: CardPinKind, opts: CardCounterOptions = {}): Promise<CardPinCounter | null> {
  return withCard(slotDescription, opts, async (transmit) => {
    for (const profile of opts.profiles ?? CARD_PROFILES) {
      const counter = await profile.readPinCounter(transmit, pin)
      if (counter) return counter
    }
    return null
  })
}

/**
 * Clear the card's verified-PIN state after a logout (PIV keeps it across C_Logout: the next program
 * could sign without a PIN). False when no profile knows the card or PC/SC is not there.
 */
export async function resetCardVerifiedState(slotDescription: string, opts: CardCounterOptions = {}): Promise<boolean> {
  const done = await withCard(slotDescription, opts, async (transmit) => {
    for (const profile of opts.profiles ?? CARD_PROFILES) {
      if (profile.resetVerified && (await profile.resetVerified(transmit))) return true
    }
    return null
  })
  return done === true
}

async function withCard<T>(slotDescription: string, opts: CardCounterOptions, use: (transmit: Transmit) => Promise<T | null>): Promise<T | null> {
  try {
    const readers = await pcscReaders(opts.firstReaderMs ?? 500)
    const reader = readers?.find((r) => readerMatchesSlot(r.name, slotDescription))
    if (!reader) return null
    return await withConnection(reader, opts.timeoutMs ?? 2000, use)
  } catch {
    // A card that does not answer, a reader that vanished: the PKCS#11 flags remain.
    return null
  }
}

async function withConnection<T>(reader: CardReader, timeoutMs: number, use: (transmit: Transmit) => Promise<T>): Promise<T | null> {
  const protocol = await new Promise<number | null>((resolve) => {
    const t = setTimeout(() => resolve(null), timeoutMs)
    reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err, p) => {
      clearTimeout(t)
      resolve(err ? null : p)
    })
  })
  if (protocol === null) return null
  const transmit: Transmit = (apdu) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the card did not answer')), timeoutMs)
      reader.transmit(Buffer.from(apdu), 4096, protocol, (err, response) => {
        clearTimeout(t)
        if (err) reject(err instanceof Error ? err : new Error(String(err)))
        else resolve(new Uint8Array(response))
      })
    })
  try {
    return await use(transmit)
  } finally {
    // LEAVE_CARD: resetting would drop the middleware's login and verified state.
    await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()))
  }
}
