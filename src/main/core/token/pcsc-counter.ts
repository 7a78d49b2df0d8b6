/**
 * Exact PIN counters over PC/SC (pcsclite): find the reader behind a PKCS#11 slot, connect in shared
 * mode next to the middleware, ask each card profile, leave the card as it was.
 */
import { createRequire } from 'node:module'
import type { CardReader, PCSCLite } from './pcsclite-types'
import { CARD_PROFILES, type CardPinCounter, type CardPinKind, type CardProfile, type Transmit } from './card-profiles'

const requireNative = createRequire(__filename)

/** Load pcsclite lazily: a machine without the PC/SC library must still list PKCS#11 tokens. */
export function loadPcsc(): (() => PCSCLite) | null {
  try {
    return requireNative('pcsclite') as () => PCSCLite
  } catch {
    return null
  }
}

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

/**
 * One PC/SC context per process, kept open. Creating a pcsclite context per read leaks its reader
 * threads, and its close() joins a thread parked in SCardGetStatusChange: seen here to block the
 * whole process forever (a frozen UI, a test worker no timeout could stop). Readers are tracked as
 * pcscd announces them; after an error (pcscd restarted) the next call opens a new context and the
 * old one is left alone rather than closed.
 */
interface PcscContext {
  readers: Map<string, CardReader>
  /** resolves once pcscd's first reader listing is in (or after firstReaderMs without any reader) */
  listed: Promise<void>
  dead: boolean
}

let context: PcscContext | null = null

function pcscContext(firstReaderMs: number): PcscContext | null {
  if (context && !context.dead) return context
  const factory = loadPcsc()
  if (!factory) return null
  let pcsc: PCSCLite
  try {
    pcsc = factory()
  } catch {
    return null
  }
  const ctx: PcscContext = { readers: new Map(), listed: Promise.resolve(), dead: false }
  ctx.listed = new Promise<void>((resolve) => {
    // pcsclite announces every reader of one listing in the same tick: once the first has come, a
    // setImmediate later the listing is complete. No reader at all within firstReaderMs: none here
    // (or no pcscd) - the PKCS#11 flags remain, a slot of a non-PC/SC module never waits long.
    const timer = setTimeout(resolve, firstReaderMs)
    pcsc.on('error', () => {
      ctx.dead = true
      resolve()
    })
    pcsc.on('reader', (r: CardReader) => {
      // readers report status errors as events; unheard, an 'error' event would crash the process
      r.on('error', () => undefined)
      r.on('end', () => ctx.readers.delete(r.name))
      ctx.readers.set(r.name, r)
      clearTimeout(timer)
      setImmediate(resolve)
    })
  })
  context = ctx
  return ctx
}

async function withCard<T>(slotDescription: string, opts: CardCounterOptions, use: (transmit: Transmit) => Promise<T | null>): Promise<T | null> {
  const ctx = pcscContext(opts.firstReaderMs ?? 500)
  if (!ctx) return null
  try {
    await ctx.listed
    const reader = [...ctx.readers.values()].find((r) => readerMatchesSlot(r.name, slotDescription))
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
