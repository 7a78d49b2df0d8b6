/**
 * One PC/SC context per process, kept open and shared by the PIN counters and the TokenMonitor.
 *
 * Why never close it: pcsclite's close() joins a thread parked in SCardGetStatusChange, seen here to
 * block the whole process forever (a frozen UI, a test worker no timeout could stop); and a context
 * per use leaks its reader threads. After an error (pcscd stopped or restarted) the context is marked
 * dead and left alone; the next user opens a new one.
 */
import { createRequire } from 'node:module'
import type { CardReader, PCSCLite } from './pcsclite-types'

const requireNative = createRequire(__filename)

/** Load pcsclite lazily: a machine without the PC/SC library must still list PKCS#11 tokens. */
function loadPcsc(): (() => PCSCLite) | null {
  try {
    return requireNative('pcsclite') as () => PCSCLite
  } catch {
    return null
  }
}

export interface ReaderStatus {
  state: number
  atr?: Buffer
}

/** What a watcher hears: readers (with their last known status, for late subscribers) and the end. */
export interface PcscWatcher {
  reader(reader: CardReader, lastStatus: ReaderStatus | null): void
  /** the context died (pcscd gone): the watcher is dropped and may watch again later */
  error(err: unknown): void
}

interface PcscContext {
  readers: Map<string, CardReader>
  statuses: Map<string, ReaderStatus>
  watchers: Set<PcscWatcher>
  /** resolves once pcscd's first reader listing is in (or after firstReaderMs without any reader) */
  listed: Promise<void>
  dead: boolean
}

let context: PcscContext | null = null

/** Why the last attempt to open a context failed (null when one is open or none was tried). */
let lastFailure: string | null = null

function openContext(firstReaderMs: number): PcscContext | null {
  if (context && !context.dead) return context
  const factory = loadPcsc()
  if (!factory) {
    lastFailure = 'the PC/SC library (pcsclite) could not be loaded'
    return null
  }
  let pcsc: PCSCLite
  try {
    pcsc = factory()
  } catch (err) {
    lastFailure = `PC/SC is not available (${(err as Error).message})`
    return null
  }
  lastFailure = null
  const ctx: PcscContext = { readers: new Map(), statuses: new Map(), watchers: new Set(), listed: Promise.resolve(), dead: false }
  ctx.listed = new Promise<void>((resolve) => {
    // pcsclite announces every reader of one listing in the same tick: once the first has come, a
    // setImmediate later the listing is complete. No reader at all within firstReaderMs: none here
    // (or no pcscd) - the PKCS#11 flags remain, a slot of a non-PC/SC module never waits long.
    const timer = setTimeout(resolve, firstReaderMs)
    pcsc.on('error', (err: unknown) => {
      ctx.dead = true
      resolve()
      const watchers = [...ctx.watchers]
      ctx.watchers.clear()
      for (const w of watchers) w.error(err)
    })
    pcsc.on('reader', (r: CardReader) => {
      // readers report status errors as events; unheard, an 'error' event would crash the process
      r.on('error', () => undefined)
      r.on('status', (s: ReaderStatus) => ctx.statuses.set(r.name, s))
      r.on('end', () => {
        ctx.readers.delete(r.name)
        ctx.statuses.delete(r.name)
      })
      ctx.readers.set(r.name, r)
      for (const w of ctx.watchers) w.reader(r, null)
      clearTimeout(timer)
      setImmediate(resolve)
    })
  })
  context = ctx
  return ctx
}

/** The readers pcscd lists, once its first listing is in; null when PC/SC cannot be used here. */
export async function pcscReaders(firstReaderMs = 500): Promise<CardReader[] | null> {
  const ctx = openContext(firstReaderMs)
  if (!ctx) return null
  await ctx.listed
  return [...ctx.readers.values()]
}

/**
 * Hear readers come (those already known first, with their last status) until the returned function
 * is called or the context dies. Returns a reason instead when PC/SC cannot be used here.
 */
export function watchPcsc(watcher: PcscWatcher): { stop: () => void } | { unavailable: string } {
  const ctx = openContext(500)
  if (!ctx) return { unavailable: lastFailure ?? 'PC/SC is not available' }
  ctx.watchers.add(watcher)
  for (const r of ctx.readers.values()) watcher.reader(r, ctx.statuses.get(r.name) ?? null)
  return { stop: () => void ctx.watchers.delete(watcher) }
}
