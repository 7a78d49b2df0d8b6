// Small IPC needs of the desktop screens: raw XML text for the PES preview, and the diagnostics
// bundle (JSON for support, no secret). Thin: core calls, plain data out, atomic write.
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import type { InvokeInput, InvokeValue } from '../../shared/contract'
import { ParapheError, toErrorPayload } from '../../shared/errors'
import { buildDiagnostics } from '../core/diagnostics'
import { readTextPreview } from '../core/files/read-text'
import { listTokens } from '../core/token/list-tokens'
import { readPinStatus } from '../core/token/pin-operations'
import type { HandlerDeps } from './handlers'

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
      const tmp = `${input.path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`
      await writeFile(tmp, JSON.stringify(bundle, null, 2) + '\n', { flag: 'wx' })
      await rename(tmp, input.path)
      return { path: input.path }
    },
  }
}
