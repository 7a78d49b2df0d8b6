/**
 * Find one token in a module by label or serial number. Slot ids change between runs (SoftHSM2 at
 * every init, OpenSC with reader order): tokens are always chosen by what they say they are.
 */
import * as pkcs11js from 'pkcs11js'
import { ParapheError } from '../../../shared/errors'
import { ModuleLoadError, Pkcs11Library, trimPadded } from './pkcs11-library'
import { TokenError, technicalDetail } from './token-errors'

export interface TokenSelector {
  /** PKCS#11 module file */
  modulePath: string
  /** CKA token label as shown by `paraphe tokens` */
  tokenLabel?: string
  /** token serial number, to tell apart two tokens with the same label */
  tokenSerial?: string
}

export interface TokenIdentity {
  label: string
  serialNumber: string
  manufacturer: string
  model: string
  /** description of the slot (with PC/SC-based modules, the reader name) */
  slotDescription: string
  flags: number
  minPinLength: number
  maxPinLength: number
}

/** Stable key for serialising operations on one physical token (not the slot id, which moves). */
export function tokenKey(lib: Pkcs11Library, id: Pick<TokenIdentity, 'label' | 'serialNumber'>): string {
  return `${lib.realPath}\u0000${id.serialNumber}\u0000${id.label}`
}

export function openLibrary(modulePath: string): Pkcs11Library {
  try {
    return Pkcs11Library.open(modulePath)
  } catch (err) {
    if (err instanceof ModuleLoadError) {
      throw new ParapheError(err.code === 'missing-file' ? 'MODULE_NOT_FOUND' : 'MODULE_LOAD_FAILED', err.message, err.code)
    }
    throw new ParapheError('MODULE_LOAD_FAILED', `${modulePath} could not be loaded`, technicalDetail(err))
  }
}

export function readIdentity(lib: Pkcs11Library, slot: Buffer): TokenIdentity {
  const t = lib.api.C_GetTokenInfo(slot)
  const s = lib.api.C_GetSlotInfo(slot)
  return {
    label: trimPadded(t.label),
    serialNumber: trimPadded(t.serialNumber),
    manufacturer: trimPadded(t.manufacturerID),
    model: trimPadded(t.model),
    slotDescription: trimPadded(s.slotDescription),
    flags: t.flags,
    minPinLength: t.minPinLen,
    maxPinLength: t.maxPinLen,
  }
}

/** The slot holding the selected token, or a TokenError TOKEN_NOT_FOUND naming what is there. */
export function findTokenSlot(lib: Pkcs11Library, selector: TokenSelector): { slot: Buffer; identity: TokenIdentity } {
  if (!selector.tokenLabel && !selector.tokenSerial) {
    throw new ParapheError('INVALID_REQUEST', 'choose a token by label or serial number')
  }
  const present: Array<{ slot: Buffer; identity: TokenIdentity }> = []
  for (const slot of lib.api.C_GetSlotList(true)) {
    try {
      present.push({ slot, identity: readIdentity(lib, slot) })
    } catch {
      // removed between C_GetSlotList and C_GetTokenInfo, or an unreadable token: not a match
    }
  }
  const matches = present.filter(
    (p) =>
      (selector.tokenLabel === undefined || p.identity.label === selector.tokenLabel) &&
      (selector.tokenSerial === undefined || p.identity.serialNumber === selector.tokenSerial),
  )
  const wanted = [selector.tokenLabel && `label "${selector.tokenLabel}"`, selector.tokenSerial && `serial ${selector.tokenSerial}`]
    .filter(Boolean)
    .join(' and ')
  if (matches.length === 0) {
    const seen = present.map((p) => `"${p.identity.label}" (serial ${p.identity.serialNumber})`).join(', ')
    throw new TokenError(
      'TOKEN_NOT_FOUND',
      `no token with ${wanted} is present in ${lib.path}; ${seen ? `tokens present: ${seen}` : 'no token is present (card inserted? reader plugged?)'}`,
    )
  }
  if (matches.length > 1) {
    throw new TokenError(
      'TOKEN_NOT_FOUND',
      `${matches.length} tokens match ${wanted}; choose one by serial number (${matches.map((m) => m.identity.serialNumber).join(', ')})`,
    )
  }
  return matches[0]!
}

export function closeSessionQuietly(lib: Pkcs11Library, session: Buffer | null): void {
  if (!session) return
  try {
    lib.api.C_CloseSession(session)
  } catch {
    // already gone with the token: nothing left to close
  }
}

export const SESSION_RO = pkcs11js.CKF_SERIAL_SESSION
export const SESSION_RW = pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION
