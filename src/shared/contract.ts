/**
 * The renderer <-> main contract, single source of truth:
 * - the preload builds `window.paraphe` from the channel manifest (names only),
 * - main validates every payload with these schemas before any handler runs (src/main/app/router.ts),
 * - the e2e harness builds the very same `window.paraphe` from it.
 * Every invoke answers an `IpcResult`: errors travel as data (code + plain message), never as a throw.
 */
import { z } from 'zod'
import { ERROR_CODES } from './errors'
import { TokenListingSchema } from './model/token'
import { PinStatusSchema } from './model/pin'
import { TokenDetailsSchema } from './model/token-details'
import {
  AnswerPinRequestSchema,
  BatchReportSchema,
  CertificateStatusRequestSchema,
  CertificateStatusSchema,
  ChooseFilesRequestSchema,
  DescribeFilesRequestSchema,
  DescribeProgressSchema,
  ExportReportRequestSchema,
  ExtractSignedVersionRequestSchema,
  FileDescriptionSchema,
  JournalViewSchema,
  PathSchema,
  PinPromptSchema,
  ReadPdfAnswerSchema,
  ReadPdfRequestSchema,
  SignFilesRequestSchema,
  SettingsViewSchema,
  SignProgressSchema,
  SignedVersionAnswerSchema,
  VerifyAnswerSchema,
  VerifyRequestSchema,
} from './model/app-ipc'
import { ChangePinRequestSchema, ExportCertificateRequestSchema, PinStatusReportSchema, TokenDetailsRequestSchema, TokenEventSchema, TokenRefSchema, UnblockPinRequestSchema } from './model/token-ipc'

export const ErrorPayloadSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  detail: z.string().optional(),
})

function result<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: ErrorPayloadSchema }),
  ])
}

/** Paths handed over by the UI: absolute, bounded, no NUL byte. */
const ModulePathSchema = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'NUL byte in path')

/** renderer -> main request/response (ipcRenderer.invoke / ipcMain.handle) */
export const invokeContract = {
  listTokens: {
    channel: 'tokens:list',
    input: z.object({ extraModules: z.array(ModulePathSchema).max(32).optional() }).strict().optional(),
    output: result(TokenListingSchema),
  },
  tokenDetails: { channel: 'tokens:details', input: TokenDetailsRequestSchema, output: result(z.array(TokenDetailsSchema)) },
  pinStatus: { channel: 'tokens:pin-status', input: TokenRefSchema, output: result(PinStatusReportSchema) },
  changePin: { channel: 'tokens:change-pin', input: ChangePinRequestSchema, output: result(PinStatusSchema) },
  unblockPin: { channel: 'tokens:unblock-pin', input: UnblockPinRequestSchema, output: result(PinStatusSchema) },
  certificateStatus: { channel: 'tokens:certificate-status', input: CertificateStatusRequestSchema, output: result(CertificateStatusSchema) },
  exportCertificate: { channel: 'tokens:export-certificate', input: ExportCertificateRequestSchema, output: result(z.object({ path: z.string() })) },
  // files: native dialogs in Electron, injected chooser in the e2e harness
  chooseFiles: { channel: 'files:choose', input: ChooseFilesRequestSchema, output: result(z.array(z.string())) },
  chooseFolder: { channel: 'files:choose-folder', input: z.undefined(), output: result(z.string().nullable()) },
  chooseSavePath: {
    channel: 'files:choose-save-path',
    input: z.object({ defaultName: z.string().min(1).max(255), extensions: z.array(z.string().regex(/^[a-z0-9]{1,8}$/)).max(8) }).strict(),
    output: result(z.string().nullable()),
  },
  describeFiles: { channel: 'files:describe', input: DescribeFilesRequestSchema, output: result(z.array(FileDescriptionSchema)) },
  readPdf: { channel: 'files:read-pdf', input: ReadPdfRequestSchema, output: result(ReadPdfAnswerSchema) },
  showInFolder: { channel: 'files:show-in-folder', input: z.object({ path: PathSchema }).strict(), output: result(z.object({ shown: z.boolean() })) },
  // signing: progress arrives as onSignProgress, PIN questions as onPinPrompt (answered by answerPin)
  signFiles: { channel: 'sign:files', input: SignFilesRequestSchema, output: result(BatchReportSchema) },
  answerPin: { channel: 'sign:answer-pin', input: AnswerPinRequestSchema, output: result(z.object({ accepted: z.boolean() })) },
  cancelSigning: { channel: 'sign:cancel', input: z.object({ batchId: z.string().max(64) }).strict(), output: result(z.object({ cancelled: z.boolean() })) },
  readJournal: { channel: 'journal:read', input: z.undefined(), output: result(JournalViewSchema) },
  // verification
  verifyFile: { channel: 'verify:file', input: VerifyRequestSchema, output: result(VerifyAnswerSchema) },
  exportReport: { channel: 'verify:export-report', input: ExportReportRequestSchema, output: result(z.object({ path: z.string() })) },
  extractSignedVersion: { channel: 'verify:extract-signed-version', input: ExtractSignedVersionRequestSchema, output: result(SignedVersionAnswerSchema) },
  // the dialog closed: its private preview copy goes at once (not at the next preview or the app's exit)
  discardSignedVersion: { channel: 'verify:discard-signed-version', input: z.undefined(), output: result(z.object({ discarded: z.boolean() })) },
  // UI helpers: raw text of a small XML file (PES preview), diagnostics bundle for support (no secret)
  readText: { channel: 'files:read-text', input: z.object({ path: PathSchema }).strict(), output: result(z.object({ text: z.string(), truncated: z.boolean() })) },
  // settings kept between runs: PKCS#11 modules added by hand (checked to load before being saved)
  getSettings: { channel: 'settings:get', input: z.undefined(), output: result(SettingsViewSchema) },
  addModule: { channel: 'settings:add-module', input: z.object({ path: PathSchema }).strict(), output: result(SettingsViewSchema) },
  removeModule: { channel: 'settings:remove-module', input: z.object({ path: PathSchema }).strict(), output: result(SettingsViewSchema) },
  exportDiagnostics: { channel: 'app:export-diagnostics', input: z.object({ path: PathSchema, overwrite: z.boolean().optional() }).strict(), output: result(z.object({ path: z.string() })) },
  appInfo: {
    channel: 'app:info',
    input: z.undefined(),
    output: result(z.object({ version: z.string(), platform: z.string() })),
  },
} as const

/** main -> renderer push (webContents.send / ipcRenderer.on) */
export const eventContract = {
  onTokensChanged: { channel: 'tokens:changed', payload: z.object({ reason: z.enum(['refresh', 'hotplug']) }) },
  onTokenEvent: { channel: 'tokens:event', payload: TokenEventSchema },
  onSignProgress: { channel: 'sign:progress', payload: SignProgressSchema },
  onDescribeProgress: { channel: 'files:describe-progress', payload: DescribeProgressSchema },
  onPinPrompt: { channel: 'sign:pin-prompt', payload: PinPromptSchema },
} as const

export const contract = { invoke: invokeContract, events: eventContract } as const

// ---------- derived types ----------
export type InvokeContract = typeof invokeContract
export type EventContract = typeof eventContract
export type InvokeName = keyof InvokeContract
export type EventName = keyof EventContract
export type InvokeInput<K extends InvokeName> = z.output<InvokeContract[K]['input']>
export type InvokeOutput<K extends InvokeName> = z.output<InvokeContract[K]['output']>
export type InvokeValue<K extends InvokeName> = Extract<InvokeOutput<K>, { ok: true }>['value']
export type EventPayload<K extends EventName> = z.output<EventContract[K]['payload']>
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: z.output<typeof ErrorPayloadSchema> }

/** Shape of `window.paraphe` (what the preload and the e2e harness expose). */
export type ParapheApi = {
  readonly [K in InvokeName]: undefined extends z.input<InvokeContract[K]['input']>
    ? (payload?: z.input<InvokeContract[K]['input']>) => Promise<InvokeOutput<K>>
    : (payload: z.input<InvokeContract[K]['input']>) => Promise<InvokeOutput<K>>
} & {
  readonly [K in EventName]: (cb: (payload: EventPayload<K>) => void) => () => void
}

/** Plain-data list of [apiName, channel] pairs: serialisable, used by the preload and the e2e init script. */
export interface ChannelManifest {
  invoke: Array<[string, string]>
  events: Array<[string, string]>
}
export function channelManifest(): ChannelManifest {
  return {
    invoke: Object.entries(invokeContract).map(([name, d]) => [name, d.channel]),
    events: Object.entries(eventContract).map(([name, d]) => [name, d.channel]),
  }
}
