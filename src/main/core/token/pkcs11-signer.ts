/**
 * Pkcs11Signer: the core Signer contract over a PKCS#11 token (smart card, USB token, SoftHSM2).
 * - RSA PKCS#1 v1.5: CKM_RSA_PKCS over DigestInfo || digest (works on every token, unlike
 *   CKM_SHA256_RSA_PKCS which needs the whole document); RSA-PSS: CKM_RSA_PKCS_PSS with parameters,
 *   only when the token lists the mechanism; ECDSA: CKM_ECDSA over the digest, raw r||s returned.
 * - The private key and its certificate are paired by CKA_ID.
 * - One C_Login serves a batch; keys with CKA_ALWAYS_AUTHENTICATE need C_Login(CKU_CONTEXT_SPECIFIC)
 *   after every C_SignInit, with a PIN asked from the provider for that signature.
 * - Operations on one token run one at a time (runExclusive), whatever the number of signers.
 * - On removal the session and login are dropped; the next call finds the token again and asks for
 *   the PIN again.
 */
import 'reflect-metadata'
import { createPublicKey, publicDecrypt, constants as cryptoConstants, type KeyObject } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import * as pkcs11js from 'pkcs11js'
import type { PinCounter, PinStatus } from '../../../shared/model/pin'
import type { DigestAlgorithm, KeyType, SignatureAlgorithm, Signer } from '../sign/signer'
import { findObjects } from './list-tokens'
import { askPin, loginWithProvider, statusAfterFailure, type PinAttemptContext } from './pin-login'
import { resetCardVerifiedState } from './pcsc-counter'
import { readPinCounter, type ReadCounterOptions } from './pin-counter'
import type { PinProvider } from './pin-types'
import type { Pkcs11Library } from './pkcs11-library'
import { isRemovalError, pinStatusError, pkcs11Code, technicalDetail, TokenError, tokenRemovedError } from './token-errors'
import { runExclusive } from './token-lock'
import { closeSessionQuietly, findTokenSlot, openLibrary, SESSION_RO, tokenKey, type TokenIdentity, type TokenSelector } from './token-slot'

const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }

/** DER prefix of DigestInfo { AlgorithmIdentifier(hash, NULL), OCTET STRING(len) } (RFC 8017 §9.2). */
const DIGEST_INFO_PREFIX: Record<DigestAlgorithm, Buffer> = {
  'SHA-256': Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  'SHA-384': Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  'SHA-512': Buffer.from('3051300d060960864801650304020305000440', 'hex'),
}

const PSS_HASH: Record<DigestAlgorithm, { hashAlg: number; mgf: number }> = {
  'SHA-256': { hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256 },
  'SHA-384': { hashAlg: pkcs11js.CKM_SHA384, mgf: pkcs11js.CKG_MGF1_SHA384 },
  'SHA-512': { hashAlg: pkcs11js.CKM_SHA512, mgf: pkcs11js.CKG_MGF1_SHA512 },
}

// Session states (PKCS#11 2.40 §5.6.1); pkcs11js does not export them.
const CKS_RO_USER_FUNCTIONS = 1
const CKS_RW_USER_FUNCTIONS = 3

const CURVE_BYTES: Record<string, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 }

export interface OpenTokenSignerOptions extends TokenSelector {
  /** CKA_ID of the key (hex). Default: the key whose certificate says nonRepudiation, else the only key. */
  keyId?: string
  pinProvider: PinProvider
  /** intermediate certificates to embed (DER); the token's own CA certificates are added when found */
  chain?: readonly Uint8Array[]
  counterOptions?: ReadCounterOptions
}

export interface TokenSignerHandle {
  signer: Pkcs11Signer
  /** log out, close the session, release the module */
  close(): Promise<void>
}

interface KeyPair {
  id: Buffer
  certificate: Buffer
  cert: x509.X509Certificate
}

/** Public facts about the chosen key, for the UI ("this key asks the PIN for every signature"). */
export interface SignerKeyFacts {
  keyId: string
  tokenLabel: string
  tokenSerial: string
  mechanisms: string[]
  pinPerSignature: boolean
}

export class Pkcs11Signer implements Signer {
  readonly keyType: KeyType
  readonly namedCurve?: string
  readonly chain: readonly Uint8Array[]
  private session: Buffer | null = null
  private loggedIn = false
  private keyHandle: Buffer | null = null
  private slot: Buffer
  private identity: TokenIdentity
  private alwaysAuthenticate: boolean | null
  private closed = false
  /** set when the token went away: the next operation finds it again and asks for the PIN again */
  private removed = false
  private readonly verifyKey: KeyObject

  private constructor(
    private readonly lib: Pkcs11Library,
    slot: Buffer,
    identity: TokenIdentity,
    private readonly pair: KeyPair,
    private readonly mechanisms: ReadonlySet<number>,
    private readonly pinProvider: PinProvider,
    private readonly selector: TokenSelector,
    chain: readonly Uint8Array[],
    alwaysAuthenticate: boolean | null,
    private readonly counterOptions: ReadCounterOptions | undefined,
  ) {
    this.slot = slot
    this.identity = identity
    this.chain = chain
    this.alwaysAuthenticate = alwaysAuthenticate
    this.verifyKey = createPublicKey({ key: Buffer.from(pair.cert.publicKey.rawData), format: 'der', type: 'spki' })
    const alg = pair.cert.publicKey.algorithm as { name: string; namedCurve?: string }
    if (alg.name === 'ECDSA' || alg.name === 'ECDH') {
      this.keyType = 'EC'
      this.namedCurve = alg.namedCurve
    } else {
      this.keyType = 'RSA'
    }
  }

  get certificate(): Uint8Array {
    return this.pair.certificate
  }

  /** Known once the key was seen (before login on most cards, after login on SoftHSM2). */
  get pinPerSignature(): boolean {
    return this.alwaysAuthenticate === true
  }

  get facts(): SignerKeyFacts {
    return {
      keyId: this.pair.id.toString('hex'),
      tokenLabel: this.identity.label,
      tokenSerial: this.identity.serialNumber,
      mechanisms: [...this.mechanisms].map(mechanismName),
      pinPerSignature: this.pinPerSignature,
    }
  }

  private get key(): string {
    return tokenKey(this.lib, this.identity)
  }

  private get ctx(): PinAttemptContext {
    return { lib: this.lib, slot: this.slot, identity: this.identity, counterOptions: this.counterOptions }
  }

  supports(algorithm: SignatureAlgorithm): boolean {
    if (!(algorithm.hash in DIGEST_LENGTH)) return false
    switch (algorithm.scheme) {
      case 'RSASSA-PKCS1-v1_5':
        return this.keyType === 'RSA' && this.mechanisms.has(pkcs11js.CKM_RSA_PKCS)
      case 'RSA-PSS':
        return this.keyType === 'RSA' && this.mechanisms.has(pkcs11js.CKM_RSA_PKCS_PSS) && algorithm.saltLength >= 0
      case 'ECDSA':
        return this.keyType === 'EC' && this.mechanisms.has(pkcs11js.CKM_ECDSA)
      default:
        return false
    }
  }

  /** The PIN counter now (exact from the card where possible), for display before the first attempt. */
  pinCounter(): Promise<PinCounter> {
    return runExclusive(this.key, () => this.guard(() => readPinCounter(this.lib, this.slot, this.counterOptions)))
  }

  /**
   * Log in now (asks the provider once) so a batch does not start with a prompt in the middle.
   * Returns the PIN outcome; a wrong PIN is reported, never retried.
   */
  login(): Promise<PinStatus> {
    return runExclusive(this.key, () => this.guard(() => this.ensureLoggedIn()))
  }

  signDigest(digest: Uint8Array, algorithm: SignatureAlgorithm): Promise<Uint8Array> {
    if (!this.supports(algorithm)) {
      return Promise.reject(new TokenError('INVALID_REQUEST', `this key cannot produce ${algorithm.scheme} with ${algorithm.hash} (token mechanisms: ${this.facts.mechanisms.join(', ') || 'none listed'})`))
    }
    if (digest.length !== DIGEST_LENGTH[algorithm.hash]) {
      return Promise.reject(new TokenError('INVALID_REQUEST', `a ${algorithm.hash} digest is ${DIGEST_LENGTH[algorithm.hash]} bytes, got ${digest.length}`))
    }
    return runExclusive(this.key, () => this.guard(() => this.signNow(Buffer.from(digest), algorithm)))
  }

  /** Log out and close the session; the signer can be used again (it will ask for the PIN). */
  logout(): Promise<void> {
    return runExclusive(this.key, () => this.dropSession(true))
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.logout()
    this.closed = true
    openSigners.delete(this)
    this.lib.close()
  }

  /** @internal used by forgetTokens */
  matches(match: (identity: TokenIdentity) => boolean): boolean {
    return !this.closed && match(this.identity)
  }

  /** The token went away: close the session, forget the login; the next use finds it again. */
  forget(): Promise<void> {
    return runExclusive(this.key, async () => {
      await this.dropSession(false)
      this.removed = true
    })
  }

  // ---------- internals (all run inside runExclusive) ----------

  /** Map removal to a clear error and forget the session and login; rethrow the rest. */
  private async guard<T>(op: () => Promise<T>): Promise<T> {
    if (this.closed) throw new TokenError('INVALID_REQUEST', 'this token signer was closed')
    try {
      return await op()
    } catch (err) {
      if ((err instanceof TokenError && err.code === 'TOKEN_REMOVED') || isRemovalError(err)) {
        await this.dropSession(false)
        this.removed = true
        throw err instanceof TokenError ? err : tokenRemovedError(this.identity.label, err)
      }
      throw err
    }
  }

  private async dropSession(logout: boolean): Promise<void> {
    const session = this.session
    this.session = null
    this.keyHandle = null
    const wasLoggedIn = this.loggedIn
    if (session && logout && wasLoggedIn) {
      try {
        this.lib.api.C_Logout(session)
      } catch {
        /* token gone: the login went with it */
      }
    }
    this.loggedIn = false
    closeSessionQuietly(this.lib, session)
    // PIV cards stay "PIN verified" after C_Logout; clear it so nothing signs after us without a PIN.
    if (logout && wasLoggedIn && this.counterOptions?.cardCounter !== false) await resetCardVerifiedState(this.identity.slotDescription)
  }

  /**
   * Open a session. After a removal the token is looked up again (by label and serial): the module
   * only notices a new card when the slot list is read, and the slot may have changed.
   */
  private openSession(): Buffer {
    if (this.session) return this.session
    if (this.removed) {
      const found = findTokenSlot(this.lib, { ...this.selector, tokenSerial: this.identity.serialNumber })
      this.slot = found.slot
      this.identity = found.identity
      this.removed = false
    }
    this.session = this.lib.api.C_OpenSession(this.slot, SESSION_RO)
    return this.session
  }

  /** Ensure CKU_USER login (asks the provider once when not logged in). */
  private async ensureLoggedIn(): Promise<PinStatus> {
    const session = this.openSession()
    if (this.loggedIn && this.stillLoggedIn(session)) return { status: 'ok' }
    this.loggedIn = false
    const status = await loginWithProvider(this.ctx, session, pkcs11js.CKU_USER, 'login', this.pinProvider)
    if (status.status === 'ok') this.loggedIn = true
    return status
  }

  private stillLoggedIn(session: Buffer): boolean {
    const state = this.lib.api.C_GetSessionInfo(session).state
    return state === CKS_RO_USER_FUNCTIONS || state === CKS_RW_USER_FUNCTIONS
  }

  private findPrivateKey(session: Buffer): Buffer {
    if (this.keyHandle) return this.keyHandle
    const handles = findObjects(this.lib.api, session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: this.pair.id },
    ])
    if (handles.length === 0) {
      throw new TokenError('KEY_NOT_FOUND', `the token "${this.identity.label}" has no private key for certificate ${this.pair.id.toString('hex')} (CKA_ID)`)
    }
    if (handles.length > 1) {
      throw new TokenError('KEY_NOT_FOUND', `the token "${this.identity.label}" has ${handles.length} private keys with CKA_ID ${this.pair.id.toString('hex')}; refusing to guess`)
    }
    this.keyHandle = handles[0]!
    this.alwaysAuthenticate = readBool(this.lib.api, session, this.keyHandle, pkcs11js.CKA_ALWAYS_AUTHENTICATE) ?? false
    return this.keyHandle
  }

  private async signNow(digest: Buffer, algorithm: SignatureAlgorithm): Promise<Uint8Array> {
    const login = await this.ensureLoggedIn()
    if (login.status !== 'ok') throw pinStatusError(this.identity.label, login)
    const session = this.openSession()
    const key = this.findPrivateKey(session)
    const { mechanism, input } = this.mechanismFor(digest, algorithm)
    this.lib.api.C_SignInit(session, mechanism, key)
    if (this.alwaysAuthenticate) {
      const status = await this.contextLogin(session)
      if (status.status !== 'ok') {
        this.cancelSign(session)
        throw pinStatusError(this.identity.label, status)
      }
    }
    let signature: Buffer
    try {
      signature = await this.lib.api.C_SignAsync(session, input, Buffer.alloc(1024))
    } catch (err) {
      if (isRemovalError(err)) throw err
      throw new TokenError('TOKEN_ERROR', `the token "${this.identity.label}" refused to sign`, technicalDetail(err))
    }
    return this.checked(signature, digest, algorithm)
  }

  /** C_Login(CKU_CONTEXT_SPECIFIC) after C_SignInit, with a PIN asked from the provider for this signature. */
  private async contextLogin(session: Buffer): Promise<PinStatus> {
    const gate = await askPin(this.ctx, this.pinProvider, 'signature')
    if (!gate.proceed) return gate.status
    try {
      this.lib.api.C_Login(session, pkcs11js.CKU_CONTEXT_SPECIFIC, gate.text())
      return { status: 'ok' }
    } catch (err) {
      return statusAfterFailure(this.ctx, err)
    } finally {
      gate.dispose()
    }
  }

  /** End an initialised signing operation that will not happen (PIN refused or cancelled). */
  private cancelSign(session: Buffer): void {
    try {
      // PKCS#11 2.40 has no C_SignCancel; a C_Sign with a too small buffer is not portable either.
      // Closing the session ends the operation; the login stays (it belongs to the token).
      this.lib.api.C_CloseSession(session)
    } catch {
      /* gone already */
    }
    this.session = null
    this.keyHandle = null
  }

  private mechanismFor(digest: Buffer, algorithm: SignatureAlgorithm): { mechanism: pkcs11js.Mechanism; input: Buffer } {
    switch (algorithm.scheme) {
      case 'RSASSA-PKCS1-v1_5':
        return { mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS }, input: Buffer.concat([DIGEST_INFO_PREFIX[algorithm.hash], digest]) }
      case 'RSA-PSS': {
        const params: pkcs11js.RsaPSS = { type: pkcs11js.CK_PARAMS_RSA_PSS, ...PSS_HASH[algorithm.hash], saltLen: algorithm.saltLength }
        return { mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS_PSS, parameter: params }, input: digest }
      }
      case 'ECDSA':
        return { mechanism: { mechanism: pkcs11js.CKM_ECDSA }, input: digest }
    }
  }

  /**
   * Check what the token returned before anyone embeds it: RSA PKCS#1 v1.5 is opened with the
   * certificate's public key (catches a key/certificate mismatch and faulty tokens); ECDSA is
   * normalised to r||s of the curve size (some middlewares answer DER).
   */
  private checked(signature: Buffer, digest: Buffer, algorithm: SignatureAlgorithm): Uint8Array {
    if (algorithm.scheme === 'RSASSA-PKCS1-v1_5') {
      let recovered: Buffer
      try {
        recovered = publicDecrypt({ key: this.verifyKey, padding: cryptoConstants.RSA_PKCS1_PADDING }, signature)
      } catch (err) {
        throw new TokenError('TOKEN_ERROR', `the token "${this.identity.label}" returned a signature that the certificate's key does not open (wrong key for this certificate?)`, technicalDetail(err))
      }
      if (!recovered.equals(Buffer.concat([DIGEST_INFO_PREFIX[algorithm.hash], digest]))) {
        throw new TokenError('TOKEN_ERROR', `the token "${this.identity.label}" signed something else than the digest it was given`)
      }
      return new Uint8Array(signature)
    }
    if (algorithm.scheme === 'ECDSA') return normaliseEcdsa(signature, CURVE_BYTES[this.namedCurve ?? ''] ?? null, this.identity.label)
    return new Uint8Array(signature)
  }

  /** Open a signer on a token and key (no PIN asked here unless the key is invisible before login). */
  static async open(opts: OpenTokenSignerOptions): Promise<TokenSignerHandle> {
    const lib = openLibrary(opts.modulePath)
    try {
      const { slot, identity } = findTokenSlot(lib, opts)
      const key = tokenKey(lib, identity)
      const signer = await runExclusive(key, async () => {
        const mechanisms = readMechanisms(lib, slot)
        const session = lib.api.C_OpenSession(slot, SESSION_RO)
        try {
          const pairs = readCertificates(lib.api, session)
          const pair = choosePair(pairs, opts.keyId, identity.label)
          const visibleKeys = findObjects(lib.api, session, [
            { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
            { type: pkcs11js.CKA_ID, value: pair.id },
          ])
          const alwaysAuth = visibleKeys.length === 1 ? (readBool(lib.api, session, visibleKeys[0]!, pkcs11js.CKA_ALWAYS_AUTHENTICATE) ?? false) : null
          const chain = [...(opts.chain ?? []), ...issuersOnToken(pairs, pair)]
          return new Pkcs11Signer(lib, slot, identity, pair, mechanisms, opts.pinProvider, opts, chain, alwaysAuth, opts.counterOptions)
        } finally {
          closeSessionQuietly(lib, session)
        }
      })
      if (signer.alwaysAuthenticate === null) {
        // Private keys hidden before login (SoftHSM2, CKA_PRIVATE keys): log in now so the signer can
        // say whether each signature needs the PIN.
        const status = await signer.login()
        if (status.status !== 'ok') throw pinStatusError(identity.label, status)
        await runExclusive(key, () => signer.guard(async () => void signer.findPrivateKey(signer.openSession())))
      }
      openSigners.add(signer)
      return { signer, close: () => signer.close() }
    } catch (err) {
      lib.close()
      if (isRemovalError(err)) throw tokenRemovedError(opts.tokenLabel ?? opts.tokenSerial ?? '', err)
      throw err
    }
  }
}

/** Open signers, so a removal seen by the TokenMonitor can close their sessions and forget logins. */
const openSigners = new Set<Pkcs11Signer>()

/** Drop the session and login of every open signer whose token matches (removal seen elsewhere). */
export function forgetTokens(match: (identity: TokenIdentity) => boolean): Promise<void> {
  return Promise.all([...openSigners].filter((s) => s.matches(match)).map((s) => s.forget())).then(() => undefined)
}

/** Convenience: `openTokenSigner({ modulePath, tokenLabel, keyId?, pinProvider })`. */
export function openTokenSigner(opts: OpenTokenSignerOptions): Promise<TokenSignerHandle> {
  return Pkcs11Signer.open(opts)
}

// ---------- helpers ----------

function readBool(api: pkcs11js.PKCS11, session: Buffer, handle: Buffer, type: number): boolean | null {
  try {
    const [attr] = api.C_GetAttributeValue(session, handle, [{ type }])
    const v = attr?.value
    return Buffer.isBuffer(v) && v.length > 0 ? v[0] !== 0 : null
  } catch (err) {
    if (isRemovalError(err)) throw err
    return null
  }
}

function readMechanisms(lib: Pkcs11Library, slot: Buffer): Set<number> {
  try {
    return new Set(lib.api.C_GetMechanismList(slot))
  } catch (err) {
    if (isRemovalError(err)) throw err
    return new Set()
  }
}

/** CKM_* names from pkcs11js's constants (first name wins for aliases). */
const MECHANISM_NAMES: Map<number, string> = (() => {
  const names = new Map<number, string>()
  // Through a bundler or vitest the CommonJS exports may sit on `default` rather than the namespace.
  const exported = { ...((pkcs11js as { default?: object }).default ?? {}), ...(pkcs11js as object) }
  for (const [name, value] of Object.entries(exported)) {
    if (name.startsWith('CKM_') && typeof value === 'number' && !names.has(value)) names.set(value, name)
  }
  return names
})()

export function mechanismName(m: number): string {
  return MECHANISM_NAMES.get(m) ?? `0x${m.toString(16).padStart(8, '0')}`
}

function readCertificates(api: pkcs11js.PKCS11, session: Buffer): KeyPair[] {
  const pairs: KeyPair[] = []
  for (const h of findObjects(api, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ])) {
    try {
      const [id, value] = api.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_VALUE }])
      const der = value?.value
      if (!Buffer.isBuffer(der) || der.length === 0) continue
      pairs.push({ id: Buffer.isBuffer(id?.value) ? id.value : Buffer.alloc(0), certificate: der, cert: new x509.X509Certificate(der) })
    } catch (err) {
      if (isRemovalError(err)) throw err
      // a malformed or unreadable certificate object is not a candidate
    }
  }
  return pairs
}

function isSigningCertificate(c: x509.X509Certificate): boolean {
  const bc = c.getExtension(x509.BasicConstraintsExtension)
  return !bc?.ca
}

function choosePair(pairs: KeyPair[], keyId: string | undefined, label: string): KeyPair {
  const leaves = pairs.filter((p) => p.id.length > 0 && isSigningCertificate(p.cert))
  if (keyId !== undefined) {
    const wanted = keyId.toLowerCase()
    const found = leaves.find((p) => p.id.toString('hex') === wanted)
    if (!found) {
      throw new TokenError('KEY_NOT_FOUND', `no certificate with CKA_ID ${keyId} on "${label}" (present: ${leaves.map((p) => p.id.toString('hex')).join(', ') || 'none'})`)
    }
    return found
  }
  const nonRepudiation = leaves.filter((p) => {
    const ku = p.cert.getExtension(x509.KeyUsagesExtension)
    return ku !== null && (ku.usages & x509.KeyUsageFlags.nonRepudiation) !== 0
  })
  if (nonRepudiation.length === 1) return nonRepudiation[0]!
  if (leaves.length === 1) return leaves[0]!
  if (leaves.length === 0) throw new TokenError('KEY_NOT_FOUND', `the token "${label}" holds no signing certificate`)
  throw new TokenError(
    'KEY_NOT_FOUND',
    `the token "${label}" holds several signing certificates; choose one by key id (${leaves.map((p) => p.id.toString('hex')).join(', ')})`,
  )
}

/** CA certificates stored on the token that issued the chosen one (and their issuers), for embedding. */
function issuersOnToken(pairs: KeyPair[], leaf: KeyPair): Uint8Array[] {
  const out: Uint8Array[] = []
  let current = leaf.cert
  for (let depth = 0; depth < 5; depth++) {
    if (current.issuer === current.subject) break
    const issuer = pairs.find((p) => p !== leaf && p.cert.subject === current.issuer && !out.includes(p.certificate))
    if (!issuer) break
    out.push(issuer.certificate)
    current = issuer.cert
  }
  return out
}

/** r||s of `size` bytes each, from raw or DER input; anything else is an error, never passed on. */
export function normaliseEcdsa(signature: Uint8Array, size: number | null, label: string): Uint8Array {
  if (size !== null && signature.length === 2 * size) return new Uint8Array(signature)
  if (size !== null && signature[0] === 0x30) {
    const raw = derToRaw(signature, size)
    if (raw) return raw
  }
  if (size === null && signature.length % 2 === 0 && signature[0] !== 0x30) return new Uint8Array(signature)
  throw new TokenError('TOKEN_ERROR', `the token "${label}" returned an ECDSA signature of unexpected form (${signature.length} bytes)`)
}

function derToRaw(der: Uint8Array, size: number): Uint8Array | null {
  let i = 0
  if (der[i++] !== 0x30) return null
  let len = der[i++] ?? 0
  if (len === 0x81) len = der[i++] ?? 0
  if (i + len !== der.length) return null
  const out = new Uint8Array(2 * size)
  for (let part = 0; part < 2; part++) {
    if (der[i++] !== 0x02) return null
    const l = der[i++] ?? 0
    let v = der.subarray(i, i + l)
    i += l
    while (v.length > size && v[0] === 0) v = v.subarray(1)
    if (v.length > size) return null
    out.set(v, part * size + (size - v.length))
  }
  return i === der.length ? out : null
}
