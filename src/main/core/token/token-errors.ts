/**
 * Errors of the token layer, in plain words, with the machine code the UI and the CLI map.
 * A PIN never appears in a message or a detail.
 */
import * as pkcs11js from 'pkcs11js'
import { ParapheError, type ErrorCode } from '../../../shared/errors'
import type { PinStatus } from '../../../shared/model/pin'

/** CK_RV names for the codes a person may meet (pkcs11js gives the name in err.message already). */
export function pkcs11Code(err: unknown): number | null {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'number' ? code : null
}

const REMOVAL_CODES = new Set<number>([
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_SLOT_ID_INVALID,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
])

/** The token (or its reader) went away under us: sessions and login are gone. */
export function isRemovalError(err: unknown): boolean {
  const code = pkcs11Code(err)
  return code !== null && REMOVAL_CODES.has(code)
}

export class TokenError extends ParapheError {
  override name = 'TokenError'
  constructor(
    code: ErrorCode,
    message: string,
    detail?: string,
    /** set for PIN failures: what the token said, with the counter read again afterwards */
    readonly pinStatus?: PinStatus,
  ) {
    super(code, message, detail)
  }
}

/** The short technical cause (CKR name) for support, never the arguments of the call. */
export function technicalDetail(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.split('\n')[0] ?? ''
  return String(err)
}

export function tokenRemovedError(tokenLabel: string, err?: unknown): TokenError {
  return new TokenError(
    'TOKEN_REMOVED',
    `the token "${tokenLabel}" was removed (or its reader unplugged); the operation was stopped and nothing was signed. Insert it again and retry.`,
    err === undefined ? undefined : technicalDetail(err),
  )
}

/** A TokenError for a PIN outcome that is not 'ok'. */
export function pinStatusError(tokenLabel: string, status: PinStatus, pin: 'user' | 'puk' = 'user'): TokenError {
  if (pin === 'puk' && (status.status === 'incorrect' || status.status === 'locked')) {
    const left = status.status === 'incorrect' && status.triesLeft !== null ? ` ${status.triesLeft} ${status.triesLeft === 1 ? 'try' : 'tries'} left.` : ''
    return status.status === 'locked'
      ? new TokenError('PIN_LOCKED', `the unblocking code (PUK / administrator PIN) of "${tokenLabel}" is locked too: only the card issuer can help now (usually a new card).`, undefined, status)
      : new TokenError('PIN_INCORRECT', `wrong unblocking code (PUK / administrator PIN) for "${tokenLabel}".${left}`, undefined, status)
  }
  switch (status.status) {
    case 'incorrect': {
      const left =
        status.triesLeft === null
          ? status.counter?.finalTry
            ? ' Only one try is left before the PIN is locked.'
            : ''
          : status.triesLeft === 1
            ? ' 1 try left before the PIN is locked.'
            : ` ${status.triesLeft} tries left.`
      return new TokenError('PIN_INCORRECT', `wrong PIN for "${tokenLabel}".${left}`, undefined, status)
    }
    case 'locked':
      return new TokenError(
        'PIN_LOCKED',
        `the PIN of "${tokenLabel}" is locked after too many wrong entries. It can be unblocked with the PUK code (paraphe pin unblock) or by the card issuer.`,
        undefined,
        status,
      )
    case 'cancelled':
      return new TokenError('PIN_CANCELLED', `PIN entry for "${tokenLabel}" was cancelled; nothing was sent to the token.`, undefined, status)
    case 'last-try-unconfirmed':
      return new TokenError(
        'PIN_LAST_TRY_UNCONFIRMED',
        `only one PIN try is left on "${tokenLabel}": a wrong PIN would lock it. The attempt needs an explicit confirmation; nothing was sent to the token.`,
        undefined,
        status,
      )
    case 'must-change':
      return new TokenError('PIN_MUST_CHANGE', `the PIN of "${tokenLabel}" must be changed before it can be used (paraphe pin change).`, undefined, status)
    case 'new-pin-rejected':
      return new TokenError('INVALID_REQUEST', `the token "${tokenLabel}" refused the new PIN: ${status.message}`, undefined, status)
    case 'device-error':
      return new TokenError('TOKEN_ERROR', `the token "${tokenLabel}" reported an error: ${status.message}`, undefined, status)
    case 'ok':
      return new TokenError('INTERNAL', 'a successful PIN entry was reported as an error', undefined, status)
  }
}
