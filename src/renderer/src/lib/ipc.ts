// Thin typed wrapper over window.paraphe: an IpcResult error becomes a thrown UiError that views
// turn into plain words (errors.<code> in the catalogues), never a stack trace.
import type { InvokeName, InvokeValue, ParapheApi } from '../../../shared/contract'

export class UiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

type Payload<K extends InvokeName> = Parameters<ParapheApi[K]>[0]

export async function call<K extends InvokeName>(name: K, ...payload: undefined extends Payload<K> ? [Payload<K>?] : [Payload<K>]): Promise<InvokeValue<K>> {
  const fn = window.paraphe[name] as (p?: unknown) => Promise<{ ok: true; value: InvokeValue<K> } | { ok: false; error: { code: string; message: string } }>
  let answer
  try {
    answer = await fn(payload[0])
  } catch (err) {
    throw new UiError('INTERNAL', err instanceof Error ? err.message : String(err))
  }
  if (answer.ok) return answer.value
  throw new UiError(answer.error.code, answer.error.message)
}

export function asUiError(err: unknown): UiError {
  return err instanceof UiError ? err : new UiError('INTERNAL', err instanceof Error ? err.message : String(err))
}
