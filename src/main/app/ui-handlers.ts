// Small IPC needs of the desktop screens: raw XML text for the PES preview, and the diagnostics
// bundle (JSON for support, no secret). Thin: core calls, plain data out, atomic write.
import { existsSync } from 'node:fs'
import type { InvokeInput, InvokeValue } from '../../shared/contract'
import { ParapheError, toErrorPayload } from '../../shared/errors'
import { buildDiagnostics } from '../core/diagnostics'
import { readTextPreview } from '../core/files/read-text'
import { listTokens } from '../core/token/list-tokens'
import { readPinStatus } from '../core/token/pin-operations'
import type { HandlerDeps } from './handlers'
import { writeFileAtomic } from '../core/files/atomic-write'

type UiHandlerName = 'readText' | 'exportDiagnostics'
export type UiHandlers = { [K in UiHandlerName]: (input: InvokeInput<K>) => Promise<InvokeValue<K>> }

export function createUiHandlers(deps: HandlerDeps): UiHandlers {
  const env = () => deps.env ?? process.env
  return {
    readText: (input) => readTextPreview(input.path),
    exportDiagnostics: async (input) => {
      if (input.overwrite !== true && existsSync(input.path)) throw new ParapheError('IO_ERROR', `${input.path} already exists`)
      let listing = null
      let listingError: string | null = null
      try {
        listing = listTokens({ modules: deps.settingsModules(), env: env() })
      } catch (err) {
        listingError = toErrorPayload(err).message
      }
      const pinCounters = []
      for (const m of listing?.modules ?? [])
        for (const s of m.slots) {
          if (!s.token?.flags.tokenInitialized) continue
          const ref = { modulePath: m.path, label: s.token.label, serialNumber: s.token.serialNumber }
          try {
            const r = await readPinStatus({ modulePath: m.path, tokenLabel: s.token.label, tokenSerial: s.token.serialNumber, env: env() })
            pinCounters.push({ ...ref, pin: r.pin, error: null })
          } catch (err) {
            pinCounters.push({ ...ref, pin: null, error: toErrorPayload(err).message })
          }
        }
      const bundle = buildDiagnostics({ version: deps.version, listing, listingError, pinCounters, env: env() })
      await writeFileAtomic(input.path, JSON.stringify(bundle, null, 2) + '\n', input.overwrite === true)
      return { path: input.path }
    },
  }
}
