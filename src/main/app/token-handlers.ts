// IPC handlers of the token operations (details, PIN status, PIN change and unblock, certificate
// export) and the hot-plug event source. Thin: validated input in, one core call, plain data out.
// PINs arrive in the request, go to the core as buffers it wipes, and are never logged or returned.
import { existsSync } from 'node:fs'
import type { InvokeInput, InvokeValue } from '../../shared/contract'
import { ParapheError } from '../../shared/errors'
import { exportCertificate } from '../core/token/certificate-details'
import { builtinModules, moduleCandidates, resolveCandidatePath } from '../core/token/module-candidates'
import { changePin, readPinStatus, unblockPin } from '../core/token/pin-operations'
import type { PinProvider, PinPurpose } from '../core/token/pin-types'
import { listTokenDetails, readTokenDetails } from '../core/token/token-details'
import { TokenMonitor, type TokenMonitorStatus } from '../core/token/token-monitor'
import type { HandlerDeps } from './handlers'

type TokenHandlerName = 'tokenDetails' | 'pinStatus' | 'changePin' | 'unblockPin' | 'exportCertificate'
export type TokenHandlers = { [K in TokenHandlerName]: (input: InvokeInput<K>) => Promise<InvokeValue<K>> }

/** A provider answering each purpose once from the request's secrets (the core asks each at most once). */
function requestProvider(secrets: Partial<Record<PinPurpose, string>>, confirmLastTry: boolean): PinProvider {
  return async (req) => {
    const secret = secrets[req.purpose]
    if (secret === undefined) return null
    delete secrets[req.purpose]
    return { pin: new TextEncoder().encode(secret), confirmLastTry }
  }
}

export function createTokenHandlers(deps: HandlerDeps): TokenHandlers {
  const env = () => deps.env ?? process.env
  return {
    tokenDetails: (input) =>
      listTokenDetails({
        modules: [...deps.settingsModules(), ...(input?.extraModules ?? [])],
        env: env(),
        ...(input?.tokenLabel !== undefined ? { tokenLabel: input.tokenLabel } : {}),
        ...(input?.tokenSerial !== undefined ? { tokenSerial: input.tokenSerial } : {}),
      }),
    pinStatus: (input) => readPinStatus({ ...input, env: env() }),
    changePin: (input) =>
      changePin({
        modulePath: input.modulePath,
        tokenLabel: input.tokenLabel,
        tokenSerial: input.tokenSerial,
        env: env(),
        pinProvider: requestProvider({ 'current-pin': input.currentPin, 'new-pin': input.newPin }, input.confirmLastTry === true),
      }),
    unblockPin: (input) =>
      unblockPin({
        modulePath: input.modulePath,
        tokenLabel: input.tokenLabel,
        tokenSerial: input.tokenSerial,
        env: env(),
        ...(input.style ? { style: input.style } : {}),
        pinProvider: requestProvider({ puk: input.unblockCode, 'so-pin': input.unblockCode, 'new-pin': input.newPin }, input.confirmLastTry === true),
      }),
    exportCertificate: async (input) => {
      const details = await readTokenDetails({ modulePath: input.modulePath, tokenLabel: input.tokenLabel, tokenSerial: input.tokenSerial })
      const cert = details.certificates.find((c) => c.sha256 === input.sha256)
      if (!cert) throw new ParapheError('INVALID_REQUEST', 'this certificate is not on the token any more')
      exportCertificate(Buffer.from(cert.der, 'base64'), input.format, input.path, { overwrite: input.overwrite === true })
      return { path: input.path }
    },
  }
}

/**
 * Start hot-plug monitoring and forward its events to the renderer (onTokenEvent, and
 * onTokensChanged {reason: 'hotplug'} once per burst). Call once from the main process; returns stop.
 */
export function startTokenEvents(deps: Pick<HandlerDeps, 'emit' | 'settingsModules' | 'env'>, opts: { pollIntervalMs?: number } = {}): { stop: () => void; status: TokenMonitorStatus } {
  const modulePaths = () => {
    const env = deps.env ?? process.env
    const explicit = moduleCandidates({ modules: deps.settingsModules(), env, builtin: false }).map((c) => resolveCandidatePath(c))
    const builtin = builtinModules().map((c) => resolveCandidatePath(c))
    return [...explicit, ...builtin].filter((p) => existsSync(p))
  }
  const monitor = new TokenMonitor({ modulePaths, pollIntervalMs: opts.pollIntervalMs ?? 2000 })
  monitor.on('event', (e) => deps.emit('onTokenEvent', e))
  monitor.on('change', () => deps.emit('onTokensChanged', { reason: 'hotplug' }))
  const status = monitor.start()
  return { stop: () => monitor.stop(), status }
}
