/**
 * Sign N files with one Signer (one PIN entry for the batch, unless the key needs it for every
 * signature: `start` says so before anything is signed). Each file gets its own result; a failing
 * file does not stop the others; cancel (AbortSignal) and token removal stop the batch cleanly:
 * files not attempted are reported as skipped, a file being written is never left half-written
 * (outputs are atomic). Every attempt is appended to the signature journal when one is given.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { resolve } from 'node:path'
import type { FormatSignOptions, FormatSigner, SignatureLevel } from '../formats'
import { appendJournal, type JournalRecord } from '../journal/journal'
import type { SignFormat } from '../output'
import type { Signer } from '../signer'
import { signFailureKind, type SignFailureKind } from './failure-kind'

export interface BatchItem {
  input: string
  output: string
  format: SignFormat
}

export type BatchFileStatus = 'signed' | 'failed' | 'skipped' | 'cancelled'

export interface BatchFileResult {
  input: string
  output?: string
  format: SignFormat
  level: SignatureLevel
  status: BatchFileStatus
  error?: string
  /** machine code when known (e.g. TOKEN_REMOVED, PIN_INCORRECT) */
  errorCode?: string
  /** why, as a kind the UI words in plain French (failed files) */
  errorKind?: SignFailureKind
  notes?: string[]
}

export type BatchStopReason = 'cancelled' | 'token-removed' | 'pin'

export interface BatchReport {
  total: number
  signed: number
  failed: number
  skipped: number
  cancelled: number
  /** why the batch stopped before the end, if it did */
  stopped?: { reason: BatchStopReason; message: string }
  results: BatchFileResult[]
}

export type BatchEvent =
  | { type: 'start'; total: number; pinPerSignature: boolean }
  | { type: 'file-start'; index: number; total: number; input: string }
  | { type: 'file-done'; index: number; total: number; result: BatchFileResult }
  | { type: 'done'; report: BatchReport }

export interface BatchOptions {
  items: readonly BatchItem[]
  signer: Signer
  options: Omit<FormatSignOptions, 'signal'>
  /** resolves a format to its signer (FORMAT_SIGNERS lookup by default, injectable for the app) */
  signerFor: (format: SignFormat) => FormatSigner
  signal?: AbortSignal
  /** progress; a returned promise is awaited (the caller can pace the batch, e.g. a UI) */
  onEvent?: (event: BatchEvent) => void | Promise<void>
  /** journal file; no journal when absent */
  journalPath?: string
  /** certificate facts for the journal */
  certificate?: JournalRecord['certificate']
}

const hex = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('hex')

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer)
  return h.digest('hex')
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

function isAbort(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'AbortError' || errorCode(err) === 'ABORT_ERR'
}

/** PIN outcomes that must stop the batch: never try the next file with a PIN that failed. */
const PIN_STOP = new Set(['PIN_INCORRECT', 'PIN_LOCKED', 'PIN_CANCELLED', 'PIN_LAST_TRY_UNCONFIRMED', 'PIN_MUST_CHANGE'])

export async function runBatch(opts: BatchOptions): Promise<BatchReport> {
  const total = opts.items.length
  const results: BatchFileResult[] = []
  let stopped: BatchReport['stopped']
  await opts.onEvent?.({ type: 'start', total, pinPerSignature: opts.signer.pinPerSignature })

  const journal = async (item: BatchItem, result: BatchFileResult, inputSha?: Uint8Array) => {
    if (!opts.journalPath || !opts.certificate) return
    try {
      const record: JournalRecord = {
        time: new Date().toISOString(),
        input: { path: resolve(item.input), sha256: inputSha ? hex(inputSha) : await sha256File(item.input) },
        output: result.status === 'signed' && result.output ? { path: resolve(result.output), sha256: await sha256File(result.output) } : undefined,
        format: result.format,
        level: result.level,
        certificate: opts.certificate,
        outcome: result.status === 'signed' ? 'signed' : result.status === 'cancelled' ? 'cancelled' : 'failed',
        error: result.error,
      }
      await appendJournal(opts.journalPath, record)
    } catch (err) {
      result.notes = [...(result.notes ?? []), `not recorded in the signature journal: ${(err as Error).message}`]
    }
  }

  for (let index = 0; index < total; index++) {
    const item = opts.items[index]!
    const level = opts.options.level
    if (!stopped && opts.signal?.aborted) stopped = { reason: 'cancelled', message: 'the batch was cancelled' }
    if (stopped) {
      const r: BatchFileResult = { input: item.input, format: item.format, level, status: 'skipped', error: `not signed: ${stopped.message}` }
      results.push(r)
      await opts.onEvent?.({ type: 'file-done', index, total, result: r })
      continue
    }
    await opts.onEvent?.({ type: 'file-start', index, total, input: item.input })
    let result: BatchFileResult
    let inputSha: Uint8Array | undefined
    try {
      const fn = opts.signerFor(item.format)
      const r = await fn(item.input, item.output, { ...opts.options, signal: opts.signal }, opts.signer)
      inputSha = r.inputSha256
      result = { input: item.input, output: r.outputPath, format: r.format, level: r.level, status: 'signed', notes: r.notes }
    } catch (err) {
      const code = errorCode(err)
      const message = err instanceof Error ? err.message : String(err)
      if (isAbort(err) || opts.signal?.aborted) {
        result = { input: item.input, format: item.format, level, status: 'cancelled', error: 'cancelled; nothing was written for this file' }
        stopped = { reason: 'cancelled', message: 'the batch was cancelled' }
      } else {
        result = { input: item.input, format: item.format, level, status: 'failed', error: message, errorCode: code, errorKind: signFailureKind(err) }
        if (code === 'TOKEN_REMOVED') stopped = { reason: 'token-removed', message: 'the token was removed' }
        else if (code && PIN_STOP.has(code)) stopped = { reason: 'pin', message }
      }
    }
    await journal(item, result, inputSha)
    results.push(result)
    await opts.onEvent?.({ type: 'file-done', index, total, result })
  }

  const count = (s: BatchFileStatus) => results.filter((r) => r.status === s).length
  const report: BatchReport = {
    total,
    signed: count('signed'),
    failed: count('failed'),
    skipped: count('skipped'),
    cancelled: count('cancelled'),
    stopped,
    results,
  }
  await opts.onEvent?.({ type: 'done', report })
  return report
}
