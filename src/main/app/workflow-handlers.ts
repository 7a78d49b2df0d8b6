// IPC handlers of the three workflows: sign (plan, PIN prompts through the renderer, batch progress),
// verify (report + French text, export), journal. Thin: validated input in, core calls, plain data
// out. No electron import: dialogs and the file manager are injected (the e2e harness gives its own).
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { InvokeInput, InvokeValue } from '../../shared/contract'
import { ParapheError } from '../../shared/errors'
import type { FilePurpose, PinPrompt } from '../../shared/model/app-ipc'
import { createNodeHttpClient, type HttpClient } from '../core/net/http'
import type { BatchEvent } from '../core/sign/batch/run-batch'
import { defaultJournalPath, verifyJournal } from '../core/sign/journal/journal'
import { buildFormatOptions, httpWithSignal, planSignature, signWithToken, SignPlanError, type SigningPinRequest } from '../core/sign/sign-session'
import type { PinAnswer, PinRequest } from '../core/token/pin-types'
import { createVerificationContext, verifyFile } from '../core/verify/index'
import { writeReportPdf } from '../core/verify/report-pdf'
import { describeFiles, readPdfForPreview } from '../core/files/describe-file'
import { writeFileAtomic } from '../core/files/atomic-write'
import type { HandlerDeps } from './handlers'

type WorkflowHandlerName =
  | 'chooseFiles'
  | 'chooseFolder'
  | 'chooseSavePath'
  | 'describeFiles'
  | 'readPdf'
  | 'signFiles'
  | 'answerPin'
  | 'cancelSigning'
  | 'verifyFile'
  | 'exportReport'
  | 'readJournal'
  | 'showInFolder'
export type WorkflowHandlers = { [K in WorkflowHandlerName]: (input: InvokeInput<K>) => Promise<InvokeValue<K>> }

/** What the Electron layer (or the e2e harness) provides: native dialogs and the file manager. */
export interface DesktopServices {
  openFiles(opts: { purpose: FilePurpose; multiple: boolean }): Promise<string[]>
  chooseFolder(): Promise<string | null>
  chooseSavePath(opts: { defaultName: string; extensions: string[] }): Promise<string | null>
  showInFolder(path: string): void
}

/** Where no desktop is available (plain Node): every dialog says so instead of failing obscurely. */
export const NO_DESKTOP: DesktopServices = {
  openFiles: () => Promise.reject(new ParapheError('INVALID_REQUEST', 'no file dialog is available here')),
  chooseFolder: () => Promise.reject(new ParapheError('INVALID_REQUEST', 'no folder dialog is available here')),
  chooseSavePath: () => Promise.reject(new ParapheError('INVALID_REQUEST', 'no save dialog is available here')),
  showInFolder: () => {
    throw new ParapheError('INVALID_REQUEST', 'no file manager is available here')
  },
}

export interface WorkflowDeps extends HandlerDeps {
  http?: HttpClient
  /** user trust anchors (PEM/DER files) from settings */
  trustFiles?: () => string[]
  now?: () => Date
  /** how long a PIN prompt waits for the person before it is cancelled */
  pinTimeoutMs?: number
  /** per-request timeout of the certificate status check (OCSP / CRL / caIssuers), ms */
  statusTimeoutMs?: number
}

/**
 * PIN prompts: the core asks through a PinProvider; we forward the question to the renderer
 * (onPinPrompt, without any secret) and wait for answerPin. One pending prompt at a time per batch.
 */
class PinBroker {
  private pending = new Map<string, { resolve: (a: PinAnswer | null) => void; timer: NodeJS.Timeout }>()
  constructor(
    private readonly emit: HandlerDeps['emit'],
    private readonly timeoutMs: number,
  ) {}

  provider(): (req: PinRequest & Partial<Pick<SigningPinRequest, 'pinScope' | 'fileCount'>>) => Promise<PinAnswer | null> {
    return (req) =>
      new Promise((resolve) => {
        const requestId = randomUUID()
        const timer = setTimeout(() => this.settle(requestId, null), this.timeoutMs)
        this.pending.set(requestId, { resolve, timer })
        const prompt: PinPrompt = {
          requestId,
          tokenLabel: req.tokenLabel,
          purpose: req.purpose,
          pinpad: req.pinpad,
          counter: req.counter,
          lastTry: req.lastTry,
          ...(req.pinScope ? { pinScope: req.pinScope } : {}),
          ...(req.fileCount ? { fileCount: req.fileCount } : {}),
        }
        this.emit('onPinPrompt', prompt)
      })
  }

  settle(requestId: string, answer: PinAnswer | null): boolean {
    const p = this.pending.get(requestId)
    if (!p) return false
    this.pending.delete(requestId)
    clearTimeout(p.timer)
    p.resolve(answer)
    return true
  }

  cancelAll(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, null)
  }
}

function progressOf(batchId: string, e: BatchEvent) {
  switch (e.type) {
    case 'start':
      return { type: 'start' as const, batchId, total: e.total, pinPerSignature: e.pinPerSignature }
    case 'file-start':
      return { type: 'file-start' as const, batchId, index: e.index, total: e.total, input: e.input }
    case 'file-done':
      return { type: 'file-done' as const, batchId, index: e.index, total: e.total, result: e.result }
    default:
      return null
  }
}


export function createWorkflowHandlers(deps: WorkflowDeps): WorkflowHandlers {
  const env = () => deps.env ?? process.env
  const desktop = deps.desktop ?? NO_DESKTOP
  const http = deps.http ?? createNodeHttpClient()
  const pins = new PinBroker(deps.emit, deps.pinTimeoutMs ?? 5 * 60_000)
  const batches = new Map<string, AbortController>()

  return {
    chooseFiles: (input) => desktop.openFiles(input),
    chooseFolder: () => desktop.chooseFolder(),
    chooseSavePath: (input) => desktop.chooseSavePath(input),
    describeFiles: (input) => describeFiles(input.paths, (p) => deps.emit('onDescribeProgress', p)),
    readPdf: (input) => readPdfForPreview(input.path),

    signFiles: async (input) => {
      const batchId = randomUUID()
      // cancelling the batch also stops its TSA / OCSP / CRL requests in flight
      const controller = new AbortController()
      const batchHttp = httpWithSignal(http, controller.signal)
      let items
      let options
      try {
        items = await planSignature({ files: input.files, format: input.format, level: input.level, outDir: input.outDir, force: input.force === true })
        options = buildFormatOptions({
          level: input.level,
          tsaUrl: input.tsaUrl,
          http: batchHttp,
          pem: input.pem,
          force: input.force === true,
          visible: input.visible,
          reason: input.reason,
          role: input.role,
          place: input.place,
        })
      } catch (err) {
        if (err instanceof SignPlanError) throw new ParapheError('INVALID_REQUEST', err.message)
        throw err
      }
      batches.set(batchId, controller)
      try {
        const report = await signWithToken({
          items,
          options,
          token: input.token,
          pinProvider: pins.provider(),
          http: batchHttp,
          journalPath: defaultJournalPath(env()),
          signal: controller.signal,
          onEvent: (e) => {
            const p = progressOf(batchId, e)
            if (p) deps.emit('onSignProgress', p)
          },
        })
        return { batchId, ...report }
      } finally {
        batches.delete(batchId)
        pins.cancelAll()
      }
    },

    answerPin: async (input) => {
      const answer: PinAnswer | null =
        input.kind === 'cancel'
          ? null
          : input.kind === 'pinpad'
            ? { pinpad: true, confirmLastTry: input.confirmLastTry }
            : { pin: new TextEncoder().encode(input.pin), confirmLastTry: input.confirmLastTry }
      return { accepted: pins.settle(input.requestId, answer) }
    },

    cancelSigning: async (input) => {
      const c = batches.get(input.batchId)
      c?.abort()
      pins.cancelAll()
      return { cancelled: Boolean(c) }
    },

    verifyFile: async (input) => {
      const ctx = createVerificationContext({
        offline: input.offline === true,
        http: input.offline ? undefined : http,
        trustFiles: deps.trustFiles?.() ?? [],
        ...(deps.now ? { now: deps.now } : {}),
      })
      const report = await verifyFile(input.path, { ctx, ...(input.contentPath ? { content: input.contentPath } : {}) })
      return { report }
    },

    exportReport: async (input) => {
      // an existing file not to be replaced: OutputExistsError, an IO_ERROR in plain words
      if (input.format === 'pdf') await writeReportPdf(input.report, input.path, input.overwrite === true, input.lang ?? 'fr')
      else await writeFileAtomic(input.path, JSON.stringify(input.report, null, 2) + '\n', input.overwrite === true)
      return { path: input.path }
    },

    readJournal: async () => {
      const path = defaultJournalPath(env())
      if (!existsSync(path)) return { path, intact: true, problems: [], entries: [] }
      const check = await verifyJournal(path)
      return {
        path,
        intact: check.ok,
        problems: check.problems.map((p) => (p.line > 0 ? `ligne ${p.line} : ${p.message}` : p.message)),
        entries: check.entries.map((e) => ({
          seq: e.seq,
          time: e.time,
          inputPath: e.input?.path ?? '',
          inputSha256: e.input?.sha256 ?? '',
          outputPath: e.output?.path ?? null,
          format: e.format,
          level: e.level,
          signer: e.certificate?.subject ?? '',
          outcome: e.outcome,
          error: e.error ?? null,
        })),
      }
    },

    showInFolder: async (input) => {
      desktop.showInFolder(input.path)
      return { shown: true }
    },
  }
}
