// Channel -> validated handler call. NO electron import: shared by the Electron main process and the
// e2e harness. Every answer is an IpcResult; a malformed payload or a failing handler never throws
// across IPC (the renderer gets a typed error, main keeps running).
import { z } from 'zod'
import { eventContract, invokeContract, type EventName, type EventPayload, type InvokeName } from '../../shared/contract'
import { toErrorPayload, type ErrorPayload } from '../../shared/errors'
import type { Handlers } from './handlers'

export type Emit = <K extends EventName>(event: K, payload: EventPayload<K>) => void

const byChannel = new Map<string, InvokeName>(
  (Object.keys(invokeContract) as InvokeName[]).map((name) => [invokeContract[name].channel, name]),
)

export type RouterAnswer = { ok: true; value: unknown } | { ok: false; error: ErrorPayload }

export interface Router {
  invoke(channel: string, payload: unknown): Promise<RouterAnswer>
}

export function createRouter(handlers: Handlers, log: (line: string) => void = () => {}): Router {
  return {
    async invoke(channel, payload) {
      const name = byChannel.get(channel)
      if (!name) return { ok: false, error: { code: 'INVALID_REQUEST', message: `Unknown channel: ${String(channel).slice(0, 64)}` } }
      const parsed = invokeContract[name].input.safeParse(payload)
      if (!parsed.success) {
        return { ok: false, error: { code: 'INVALID_REQUEST', message: `Invalid request for ${channel}`, detail: z.prettifyError(parsed.error) } }
      }
      try {
        const handler = handlers[name] as (input: unknown) => unknown
        return { ok: true, value: await handler(parsed.data) }
      } catch (err) {
        const error = toErrorPayload(err)
        // Handlers never see PINs in their error messages; the log line carries code and message only.
        log(`${channel} failed: ${error.code} ${error.message}`)
        return { ok: false, error }
      }
    },
  }
}

/** Build an `emit` that validates event payloads and forwards (channel, payload) to a transport. */
export function createEmitter(send: (channel: string, payload: unknown) => void): Emit {
  return (event, payload) => {
    const def = eventContract[event]
    send(def.channel, def.payload.parse(payload))
  }
}
