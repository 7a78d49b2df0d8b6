/**
 * List PKCS#11 modules, their slots, tokens and the certificates on each token.
 * The same call serves the CLI (`paraphe tokens`) and the UI's first screen. Read-only: no login,
 * so no PIN is ever involved here.
 */
import * as pkcs11js from 'pkcs11js'
import type { CertificateInfo, ModuleReport, SlotInfo, TokenFlags, TokenInfo, TokenListing } from '../../../shared/model/token'
import { describeCertificate } from '../x509/certificate-info'
import { moduleCandidates, resolveCandidatePath, type CandidateOptions } from './module-candidates'
import { ModuleLoadError, Pkcs11Library, trimPadded } from './pkcs11-library'

/** CK_SLOT_ID handles are native unsigned longs in a Buffer; show them as decimal strings. */
export function slotIdToString(handle: Buffer): string {
  if (handle.length >= 8) return handle.readBigUInt64LE(0).toString()
  if (handle.length >= 4) return String(handle.readUInt32LE(0))
  return handle.toString('hex')
}

const has = (flags: number, bit: number): boolean => (flags & bit) !== 0

// Slot flags (PKCS#11 2.40 §3.2); pkcs11js exports them but its typings omit them.
const CKF_TOKEN_PRESENT = 0x1
const CKF_REMOVABLE_DEVICE = 0x2
const CKF_HW_SLOT = 0x4

export function tokenFlags(flags: number): TokenFlags {
  return {
    tokenInitialized: has(flags, pkcs11js.CKF_TOKEN_INITIALIZED),
    loginRequired: has(flags, pkcs11js.CKF_LOGIN_REQUIRED),
    userPinInitialized: has(flags, pkcs11js.CKF_USER_PIN_INITIALIZED),
    protectedAuthenticationPath: has(flags, pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH),
    writeProtected: has(flags, pkcs11js.CKF_WRITE_PROTECTED),
    userPinCountLow: has(flags, pkcs11js.CKF_USER_PIN_COUNT_LOW),
    userPinFinalTry: has(flags, pkcs11js.CKF_USER_PIN_FINAL_TRY),
    userPinLocked: has(flags, pkcs11js.CKF_USER_PIN_LOCKED),
    userPinToBeChanged: has(flags, pkcs11js.CKF_USER_PIN_TO_BE_CHANGED),
    soPinCountLow: has(flags, pkcs11js.CKF_SO_PIN_COUNT_LOW),
    soPinFinalTry: has(flags, pkcs11js.CKF_SO_PIN_FINAL_TRY),
    soPinLocked: has(flags, pkcs11js.CKF_SO_PIN_LOCKED),
  }
}

/** Handles of every object matching `template` (bounded, so a hostile token cannot make us loop forever). */
export function findObjects(api: pkcs11js.PKCS11, session: Buffer, template: pkcs11js.Template, max = 256): Buffer[] {
  api.C_FindObjectsInit(session, template)
  try {
    const found: Buffer[] = []
    while (found.length < max) {
      const batch = api.C_FindObjects(session, Math.min(32, max - found.length))
      if (batch.length === 0) break
      found.push(...batch)
    }
    return found
  } finally {
    api.C_FindObjectsFinal(session)
  }
}

function readAttribute(api: pkcs11js.PKCS11, session: Buffer, object: Buffer, type: number): Buffer | null {
  try {
    const [attr] = api.C_GetAttributeValue(session, object, [{ type }])
    const value = attr?.value
    return Buffer.isBuffer(value) ? value : null
  } catch {
    return null // attribute absent or sensitive: not an error for listing
  }
}

function readCertificates(api: pkcs11js.PKCS11, session: Buffer): CertificateInfo[] {
  // Private keys are usually private objects, invisible before login; the public half of the pair
  // (same CKA_ID) is visible, so either one tells that the certificate has its key on the token.
  const keyIds = new Set(
    [pkcs11js.CKO_PRIVATE_KEY, pkcs11js.CKO_PUBLIC_KEY]
      .flatMap((cls) => findObjects(api, session, [{ type: pkcs11js.CKA_CLASS, value: cls }]))
      .map((h) => readAttribute(api, session, h, pkcs11js.CKA_ID)?.toString('hex'))
      .filter((id): id is string => id !== undefined),
  )
  const certs: CertificateInfo[] = []
  for (const handle of findObjects(api, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ])) {
    const der = readAttribute(api, session, handle, pkcs11js.CKA_VALUE)
    if (!der || der.length === 0) continue
    const id = readAttribute(api, session, handle, pkcs11js.CKA_ID)?.toString('hex') ?? ''
    const label = readAttribute(api, session, handle, pkcs11js.CKA_LABEL)?.toString('utf8') ?? ''
    let facts
    try {
      facts = describeCertificate(der)
    } catch {
      continue // a malformed certificate object: skip it rather than hide the whole token
    }
    certs.push({ id, label, hasPrivateKey: keyIds.has(id), ...facts })
  }
  return certs.sort((a, b) => a.id.localeCompare(b.id) || a.label.localeCompare(b.label))
}

function readToken(lib: Pkcs11Library, slot: Buffer): TokenInfo {
  const api = lib.api
  const t = api.C_GetTokenInfo(slot)
  const token: TokenInfo = {
    label: trimPadded(t.label),
    manufacturer: trimPadded(t.manufacturerID),
    model: trimPadded(t.model),
    serialNumber: trimPadded(t.serialNumber),
    flags: tokenFlags(t.flags),
    minPinLength: t.minPinLen,
    maxPinLength: t.maxPinLen,
    certificates: [],
    error: null,
  }
  let session: Buffer | null = null
  try {
    session = api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION)
    token.certificates = readCertificates(api, session)
  } catch (err) {
    token.error = `could not read the token's objects (${(err as Error).message})`
  } finally {
    if (session) {
      try {
        api.C_CloseSession(session)
      } catch {
        /* token removed meanwhile */
      }
    }
  }
  return token
}

function readSlots(lib: Pkcs11Library): SlotInfo[] {
  const api = lib.api
  return api.C_GetSlotList(false).map((slot): SlotInfo => {
    const s = api.C_GetSlotInfo(slot)
    const tokenPresent = has(s.flags, CKF_TOKEN_PRESENT)
    return {
      slotId: slotIdToString(slot),
      description: trimPadded(s.slotDescription),
      manufacturer: trimPadded(s.manufacturerID),
      tokenPresent,
      removableDevice: has(s.flags, CKF_REMOVABLE_DEVICE),
      hardwareSlot: has(s.flags, CKF_HW_SLOT),
      token: tokenPresent ? readToken(lib, slot) : null,
    }
  })
}

/**
 * What identifies a physical token whichever module shows it. Tokens without a serial number cannot
 * be told apart from a twin, so they are never merged.
 */
export function physicalTokenKey(token: Pick<TokenInfo, 'manufacturer' | 'model' | 'serialNumber' | 'label'>): string | null {
  if (!token.serialNumber) return null
  return [token.manufacturer, token.model, token.serialNumber, token.label].join('\u0000')
}

export type ListTokensOptions = CandidateOptions

export function listTokens(opts: ListTokensOptions = {}): TokenListing {
  const modules: ModuleReport[] = []
  const seenRealPaths = new Set<string>()
  const seenTokens = new Map<string, TokenInfo>()
  for (const candidate of moduleCandidates(opts)) {
    const path = resolveCandidatePath(candidate)
    const report: ModuleReport = {
      path,
      source: candidate.source,
      name: candidate.name,
      status: 'loaded',
      reasonCode: null,
      reason: null,
      library: null,
      slots: [],
      vendor: candidate.vendor ?? null,
      installHint: candidate.installHint ?? null,
    }
    let lib: Pkcs11Library
    try {
      lib = Pkcs11Library.open(path)
    } catch (err) {
      const e = err instanceof ModuleLoadError ? err : new ModuleLoadError('load-failed', String(err))
      report.status = e.code === 'missing-file' ? 'not-installed' : 'failed'
      report.reasonCode = e.code
      report.reason = e.message
      modules.push(report)
      continue
    }
    try {
      // The same library reached twice (symlinks, --module and the built-in list): list it once.
      if (seenRealPaths.has(lib.realPath)) continue
      seenRealPaths.add(lib.realPath)
      report.library = lib.info()
      report.slots = readSlots(lib).filter((slot) => {
        if (!slot.token) return true
        const key = physicalTokenKey(slot.token)
        const first = key ? seenTokens.get(key) : undefined
        if (!first) {
          if (key) seenTokens.set(key, slot.token)
          return true
        }
        // The same token through a second module (p11-kit proxy, vendor + OpenSC): listed once.
        first.alsoVisibleThrough = [...(first.alsoVisibleThrough ?? []), path]
        return false
      })
      modules.push(report)
    } catch (err) {
      report.status = 'failed'
      report.reasonCode = 'load-failed'
      report.reason = `${path}: reading slots failed (${(err as Error).message})`
      modules.push(report)
    } finally {
      lib.close()
    }
  }
  return { modules }
}
