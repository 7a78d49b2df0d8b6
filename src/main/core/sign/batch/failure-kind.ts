/**
 * Why a file of a batch was not signed, as one of a few kinds the UI words in French (the engine's
 * English message stays available as the technical detail).
 */
import { OutputError } from '../output'
import { PadesError } from '../pades/index'
import { PesError } from '../pes/sign-pes'
import { TimestampError } from '../timestamp/tsa-client'
import { TimestampFailedError } from '../xades/types'

export const SIGN_FAILURE_KINDS = [
  'output-exists',
  'output-is-input',
  'timestamp',
  'revocation-unavailable',
  'invalid-input',
  'certified-no-changes',
  'field-exists',
  'input-changed',
  'token-removed',
  'pin',
  'token',
  'io',
  'other',
] as const
export type SignFailureKind = (typeof SIGN_FAILURE_KINDS)[number]

const PADES: Partial<Record<string, SignFailureKind>> = {
  'output-exists': 'output-exists',
  'timestamp-failed': 'timestamp',
  'revocation-unavailable': 'revocation-unavailable',
  'invalid-pdf': 'invalid-input',
  'input-unreadable': 'invalid-input',
  'certified-no-changes': 'certified-no-changes',
  'certification-not-first': 'certified-no-changes',
  'field-exists': 'field-exists',
  'input-changed': 'input-changed',
}

export function signFailureKind(err: unknown): SignFailureKind {
  const code = (err as { code?: unknown } | null)?.code
  if (err instanceof OutputError) return err.code === 'exists' ? 'output-exists' : err.code === 'same-as-input' ? 'output-is-input' : 'io'
  if (err instanceof PadesError) return PADES[err.code] ?? 'other'
  if (err instanceof TimestampError || err instanceof TimestampFailedError) return 'timestamp'
  if (err instanceof PesError) return 'invalid-input'
  if (code === 'TOKEN_REMOVED') return 'token-removed'
  if (typeof code === 'string' && code.startsWith('PIN_')) return 'pin'
  if (code === 'TOKEN_ERROR' || code === 'TOKEN_NOT_FOUND' || code === 'KEY_NOT_FOUND') return 'token'
  if (code === 'IO_ERROR' || code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'ENOSPC' || code === 'EISDIR') return 'io'
  return 'other'
}
