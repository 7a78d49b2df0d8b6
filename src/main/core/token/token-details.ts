/**
 * Everything an IT person needs to know about one token, read without a PIN: flags, PIN lengths,
 * mechanisms, certificates with details and the attributes of their keys where visible.
 */
import * as pkcs11js from 'pkcs11js'
import type { CertificateDetails, KeyAttributes, TokenDetails } from '../../../shared/model/token-details'
import { describeCertificateDetails } from './certificate-details'
import { findObjects, tokenFlags } from './list-tokens'
import { mechanismName } from './pkcs11-signer'
import type { Pkcs11Library } from './pkcs11-library'
import { isRemovalError, technicalDetail, tokenRemovedError } from './token-errors'
import { runExclusive } from './token-lock'
import { presentTokens } from './token-locator'
import type { CandidateOptions } from './module-candidates'
import { closeSessionQuietly, findTokenSlot, openLibrary, SESSION_RO, tokenKey, type TokenSelector } from './token-slot'

function attr(api: pkcs11js.PKCS11, session: Buffer, handle: Buffer, type: number): Buffer | null {
  try {
    const [a] = api.C_GetAttributeValue(session, handle, [{ type }])
    return Buffer.isBuffer(a?.value) ? a.value : null
  } catch (err) {
    if (isRemovalError(err)) throw err
    return null // absent or sensitive
  }
}
const bool = (b: Buffer | null): boolean | null => (b && b.length > 0 ? b[0] !== 0 : null)
const ulong = (b: Buffer | null): number | null => (b && b.length >= 4 ? b.readUInt32LE(0) : null)

function keyTypeName(kt: number | null): KeyAttributes['keyType'] {
  if (kt === pkcs11js.CKK_RSA) return 'RSA'
  if (kt === pkcs11js.CKK_EC) return 'EC'
  return 'other'
}

/** Key attributes by CKA_ID: the private key when visible, else what the public key tells. */
function readKeys(api: pkcs11js.PKCS11, session: Buffer): Map<string, KeyAttributes> {
  const keys = new Map<string, KeyAttributes>()
  for (const h of findObjects(api, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }])) {
    const id = attr(api, session, h, pkcs11js.CKA_ID)?.toString('hex')
    if (id === undefined) continue
    keys.set(id, {
      keyType: keyTypeName(ulong(attr(api, session, h, pkcs11js.CKA_KEY_TYPE))),
      sign: null,
      alwaysAuthenticate: null,
      sensitive: null,
      extractable: null,
      privateKeyVisible: false,
    })
  }
  for (const h of findObjects(api, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }])) {
    const id = attr(api, session, h, pkcs11js.CKA_ID)?.toString('hex')
    if (id === undefined) continue
    keys.set(id, {
      keyType: keyTypeName(ulong(attr(api, session, h, pkcs11js.CKA_KEY_TYPE))),
      sign: bool(attr(api, session, h, pkcs11js.CKA_SIGN)),
      alwaysAuthenticate: bool(attr(api, session, h, pkcs11js.CKA_ALWAYS_AUTHENTICATE)),
      sensitive: bool(attr(api, session, h, pkcs11js.CKA_SENSITIVE)),
      extractable: bool(attr(api, session, h, pkcs11js.CKA_EXTRACTABLE)),
      privateKeyVisible: true,
    })
  }
  return keys
}

function readMechanismInfo(lib: Pkcs11Library, slot: Buffer): TokenDetails['mechanisms'] {
  let list: number[]
  try {
    list = lib.api.C_GetMechanismList(slot)
  } catch (err) {
    if (isRemovalError(err)) throw err
    return []
  }
  return list.slice(0, 512).map((code) => {
    let info = { minKeySize: 0, maxKeySize: 0, flags: 0 }
    try {
      info = lib.api.C_GetMechanismInfo(slot, code)
    } catch (err) {
      if (isRemovalError(err)) throw err
    }
    return {
      name: mechanismName(code),
      code,
      minKeySize: info.minKeySize,
      maxKeySize: info.maxKeySize,
      sign: (info.flags & pkcs11js.CKF_SIGN) !== 0,
      hardware: (info.flags & pkcs11js.CKF_HW) !== 0,
    }
  })
}

function readDetails(lib: Pkcs11Library, slot: Buffer, modulePath: string, now: Date): TokenDetails {
  const t = lib.api.C_GetTokenInfo(slot)
  const s = lib.api.C_GetSlotInfo(slot)
  const trim = (v: string) => v.replace(/\0/g, '').trim()
  const flags = tokenFlags(t.flags)
  const details: TokenDetails = {
    modulePath,
    label: trim(t.label),
    serialNumber: trim(t.serialNumber),
    manufacturer: trim(t.manufacturerID),
    model: trim(t.model),
    slotDescription: trim(s.slotDescription),
    flags,
    minPinLength: t.minPinLen,
    maxPinLength: t.maxPinLen,
    pinpad: flags.protectedAuthenticationPath,
    mechanisms: readMechanismInfo(lib, slot),
    certificates: [],
    error: null,
  }
  let session: Buffer | null = null
  try {
    session = lib.api.C_OpenSession(slot, SESSION_RO)
    const api = lib.api
    const keys = readKeys(api, session)
    const raw: Array<{ id: string; label: string; der: Buffer }> = []
    for (const h of findObjects(api, session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    ])) {
      const der = attr(api, session, h, pkcs11js.CKA_VALUE)
      if (!der || der.length === 0) continue
      raw.push({ id: attr(api, session, h, pkcs11js.CKA_ID)?.toString('hex') ?? '', label: attr(api, session, h, pkcs11js.CKA_LABEL)?.toString('utf8') ?? '', der })
    }
    const all = raw.map((r) => r.der)
    const certs: CertificateDetails[] = []
    for (const r of raw) {
      try {
        const key = keys.get(r.id) ?? null
        certs.push(describeCertificateDetails({ id: r.id, label: r.label, hasPrivateKey: key !== null }, r.der, { tokenCertificates: all, key, now }))
      } catch {
        // a malformed certificate object: skipped, the others are still shown
      }
    }
    details.certificates = certs.sort((a, b) => a.id.localeCompare(b.id) || a.label.localeCompare(b.label))
  } catch (err) {
    if (isRemovalError(err)) throw err
    details.error = `could not read the token's objects (${technicalDetail(err)})`
  } finally {
    closeSessionQuietly(lib, session)
  }
  return details
}

/** Details of one token (no PIN). */
export async function readTokenDetails(selector: TokenSelector, opts: { now?: Date } = {}): Promise<TokenDetails> {
  const lib = openLibrary(selector.modulePath)
  try {
    const { slot, identity } = findTokenSlot(lib, selector)
    return await runExclusive(tokenKey(lib, identity), () => {
      try {
        return readDetails(lib, slot, selector.modulePath, opts.now ?? new Date())
      } catch (err) {
        if (isRemovalError(err)) throw tokenRemovedError(identity.label, err)
        throw err
      }
    })
  } finally {
    lib.close()
  }
}

/** Details of every present token (each physical token once), optionally only those with a label. */
export async function listTokenDetails(opts: CandidateOptions & { tokenLabel?: string; tokenSerial?: string; now?: Date } = {}): Promise<TokenDetails[]> {
  const out: TokenDetails[] = []
  for (const t of presentTokens(opts)) {
    // an uninitialised token (SoftHSM2 always offers one empty slot) holds nothing and has no label
    // to be chosen by; `paraphe tokens` still lists it
    if ((t.identity.flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0) continue
    if (opts.tokenLabel !== undefined && t.identity.label !== opts.tokenLabel) continue
    if (opts.tokenSerial !== undefined && t.identity.serialNumber !== opts.tokenSerial) continue
    try {
      out.push(await readTokenDetails({ modulePath: t.modulePath, tokenLabel: t.identity.label, tokenSerial: t.identity.serialNumber }, { now: opts.now }))
    } catch (err) {
      // removed between listing and reading: not present any more
      if (!(err instanceof Error && /TOKEN_(REMOVED|NOT_FOUND)/.test((err as { code?: string }).code ?? ''))) throw err
    }
  }
  return out
}
