/**
 * The signature journal: every signature made (or attempted) is appended as one JSON line to a
 * local file. Each line carries the SHA-256 of the previous line's hash and its own content, so an
 * edited, inserted or removed line breaks the chain; a small head file records the last sequence
 * number and hash so that removing lines at the end is detected too. This detects tampering by
 * someone who does not rewrite the whole chain; it is not a signature (no secret key involved).
 */
import { createHash } from 'node:crypto'
import { appendFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { appDataDir } from '../../token/demo-token'

export type JournalOutcome = 'signed' | 'failed' | 'cancelled'

export interface JournalRecord {
  /** ISO time of the signature */
  time: string
  input: { path: string; sha256: string }
  output?: { path: string; sha256: string }
  format: string
  level: string
  certificate: { subject: string; serialNumber: string; sha256: string }
  outcome: JournalOutcome
  /** for failures: the message (never a PIN) */
  error?: string
}

export interface JournalEntry extends JournalRecord {
  seq: number
  /** hash of the previous entry ('' for the first) */
  prev: string
  /** SHA-256 hex of prev + the canonical JSON of this entry without `hash` */
  hash: string
}

export const GENESIS = ''

/** The journal file: PARAPHE_JOURNAL, else `<app data dir>/signatures.jsonl` (app data dir as the desktop app's). */
export function defaultJournalPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PARAPHE_JOURNAL ?? join(appDataDir(env), 'signatures.jsonl')
}

const headPath = (journal: string) => `${journal}.head`

/** JSON with keys sorted at every level: the hashed form does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

export function entryHash(entry: Omit<JournalEntry, 'hash'>): string {
  return createHash('sha256').update(entry.prev).update('\n').update(canonicalJson(entry)).digest('hex')
}

async function withLock<T>(journal: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${journal}.lock`
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      const fh = await open(lock, 'wx')
      await fh.close()
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      // a lock older than 30 s belongs to a process that died
      try {
        if (Date.now() - (await stat(lock)).mtimeMs > 30_000) await rm(lock, { force: true })
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`the signature journal ${journal} is locked by another process`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  try {
    return await fn()
  } finally {
    await rm(lock, { force: true })
  }
}

async function readLines(journal: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(journal, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

async function readHead(journal: string): Promise<{ seq: number; hash: string } | undefined> {
  try {
    const h = JSON.parse(await readFile(headPath(journal), 'utf8')) as { seq?: unknown; hash?: unknown }
    if (typeof h.seq === 'number' && typeof h.hash === 'string') return { seq: h.seq, hash: h.hash }
  } catch {
    /* absent or unreadable: reported by verifyJournal when lines exist */
  }
  return undefined
}

/** Append one record; returns the chained entry. */
export async function appendJournal(journal: string, record: JournalRecord): Promise<JournalEntry> {
  await mkdir(dirname(journal), { recursive: true })
  return withLock(journal, async () => {
    const lines = await readLines(journal)
    let prev = GENESIS
    let seq = 1
    const last = lines[lines.length - 1]
    if (last !== undefined) {
      try {
        const parsed = JSON.parse(last) as JournalEntry
        prev = parsed.hash
        seq = parsed.seq + 1
      } catch {
        // a damaged last line: chain to its raw bytes so the damage stays visible to verifyJournal
        prev = createHash('sha256').update(last).digest('hex')
        seq = lines.length + 1
      }
    }
    const body: Omit<JournalEntry, 'hash'> = { seq, prev, ...record }
    const entry: JournalEntry = { ...body, hash: entryHash(body) }
    await appendFile(journal, `${JSON.stringify(entry)}\n`, { mode: 0o600 })
    const tmp = `${headPath(journal)}.tmp`
    await writeFile(tmp, JSON.stringify({ seq: entry.seq, hash: entry.hash }), { mode: 0o600 })
    await rename(tmp, headPath(journal))
    return entry
  })
}

export interface JournalProblem {
  /** 1-based line number (0 for the head file) */
  line: number
  message: string
}

export interface JournalCheck {
  ok: boolean
  entries: JournalEntry[]
  problems: JournalProblem[]
}

/** Read the journal and check the chain: edited, inserted, reordered or removed lines are reported. */
export async function verifyJournal(journal: string): Promise<JournalCheck> {
  const lines = await readLines(journal)
  const entries: JournalEntry[] = []
  const problems: JournalProblem[] = []
  let prev = GENESIS
  let expectedSeq = 1
  lines.forEach((line, i) => {
    const n = i + 1
    let entry: JournalEntry
    try {
      entry = JSON.parse(line) as JournalEntry
      if (typeof entry !== 'object' || entry === null || typeof entry.hash !== 'string' || typeof entry.seq !== 'number') throw new Error('not an entry')
    } catch {
      problems.push({ line: n, message: 'unreadable line (edited or damaged)' })
      prev = createHash('sha256').update(line).digest('hex')
      expectedSeq++
      return
    }
    const { hash, ...body } = entry
    if (entryHash(body) !== hash) problems.push({ line: n, message: `entry ${entry.seq} was modified (its hash does not match its content)` })
    if (entry.prev !== prev) problems.push({ line: n, message: `the entry before entry ${entry.seq} was removed, inserted or modified (chain broken)` })
    if (entry.seq !== expectedSeq) problems.push({ line: n, message: `sequence number ${entry.seq} where ${expectedSeq} was expected (lines removed or reordered)` })
    entries.push(entry)
    prev = hash
    expectedSeq = entry.seq + 1
  })
  const head = await readHead(journal)
  const last = entries[entries.length - 1]
  if (lines.length > 0 && !head) problems.push({ line: 0, message: 'the journal head file is missing' })
  if (head && (!last || head.seq !== last.seq || head.hash !== last.hash)) {
    problems.push({ line: 0, message: `the journal ends before entry ${head.seq} recorded in its head file (last lines removed)` })
  }
  return { ok: problems.length === 0, entries, problems }
}
