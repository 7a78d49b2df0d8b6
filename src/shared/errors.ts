/**
 * Error codes that cross the IPC boundary and the CLI. Messages are for people (French first in the
 * UI via i18n keys `errors.<code>`); `detail` carries the technical cause for support.
 */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'MODULE_NOT_FOUND',
  'MODULE_LOAD_FAILED',
  'TOKEN_NOT_FOUND',
  'TOKEN_REMOVED',
  'TOKEN_ERROR',
  'KEY_NOT_FOUND',
  'PIN_INCORRECT',
  'PIN_LOCKED',
  'PIN_CANCELLED',
  'PIN_LAST_TRY_UNCONFIRMED',
  'PIN_MUST_CHANGE',
  'IO_ERROR',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export class ParapheError extends Error {
  override name = 'ParapheError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message)
  }
}

/** Serialisable error shape returned to the renderer instead of throwing across IPC. */
export interface ErrorPayload {
  code: ErrorCode
  message: string
  detail?: string
}

export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof ParapheError) return { code: err.code, message: err.message, ...(err.detail ? { detail: err.detail } : {}) }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message }
}
