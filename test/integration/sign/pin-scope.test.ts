// What a PIN prompt says it covers for a batch (pinScope), through the real signing session on a real
// SoftHSM2 token: unknown before the login of a key hidden until then, for certain ("once for the
// batch") when the key is visible before the login, and "per signature" once the engine has read
// CKA_ALWAYS_AUTHENTICATE.
import { createPrivateKey } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as pkcs11js from 'pkcs11js'
import * as pkijs from 'pkijs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeHttpClient } from '../../../src/main/core/net/http'
import { buildFormatOptions, planSignature, signWithToken, type SigningPinRequest } from '../../../src/main/core/sign/sign-session'
import { createSoftHsmToken, createTestPki, type SoftHsmToken, type TestCert } from '../../support'

let dir: string
let hsm: SoftHsmToken

const b64u = (v: string | undefined) => Buffer.from(v ?? '', 'base64url')

/**
 * Import a key pair and its certificate under CKA_ID `id` with chosen private-key attributes (as a
 * token's owner could: SoftHSM refuses to change CKA_PRIVATE on an existing key).
 */
function importKey(id: string, c: TestCert, privateAttrs: pkcs11js.Template): void {
  const p = new pkcs11js.PKCS11()
  p.load(hsm.modulePath)
  p.C_Initialize()
  try {
    const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === hsm.label)!
    const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
    p.C_Login(session, pkcs11js.CKU_USER, hsm.pin)
    const x509 = pkijs.Certificate.fromBER(Uint8Array.from(c.certDer))
    const jwk = createPrivateKey({ key: c.keyPkcs8Der, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' })
    const common = [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
      { type: pkcs11js.CKA_LABEL, value: `${c.name} ${id}` },
    ]
    const [priv, pub] =
      c.kind === 'rsa'
        ? [
            [
              { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
              { type: pkcs11js.CKA_MODULUS, value: b64u(jwk.n) },
              { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: b64u(jwk.e) },
              { type: pkcs11js.CKA_PRIVATE_EXPONENT, value: b64u(jwk.d) },
              { type: pkcs11js.CKA_PRIME_1, value: b64u(jwk.p) },
              { type: pkcs11js.CKA_PRIME_2, value: b64u(jwk.q) },
              { type: pkcs11js.CKA_EXPONENT_1, value: b64u(jwk.dp) },
              { type: pkcs11js.CKA_EXPONENT_2, value: b64u(jwk.dq) },
              { type: pkcs11js.CKA_COEFFICIENT, value: b64u(jwk.qi) },
            ],
            [
              { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
              { type: pkcs11js.CKA_MODULUS, value: b64u(jwk.n) },
              { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: b64u(jwk.e) },
            ],
          ]
        : [
            [
              { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
              { type: pkcs11js.CKA_EC_PARAMS, value: P256 },
              { type: pkcs11js.CKA_VALUE, value: b64u(jwk.d) },
            ],
            [
              { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
              { type: pkcs11js.CKA_EC_PARAMS, value: P256 },
              { type: pkcs11js.CKA_EC_POINT, value: Buffer.concat([Buffer.from([0x04, 0x41, 0x04]), b64u(jwk.x), b64u(jwk.y)]) },
            ],
          ]
    p.C_CreateObject(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, ...common, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_SIGN, value: true }, ...priv, ...privateAttrs])
    p.C_CreateObject(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }, ...common, { type: pkcs11js.CKA_PRIVATE, value: false }, { type: pkcs11js.CKA_VERIFY, value: true }, ...pub])
    p.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      ...common,
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(x509.subject.toSchema().toBER(false)) },
      { type: pkcs11js.CKA_ISSUER, value: Buffer.from(x509.issuer.toSchema().toBER(false)) },
      { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(x509.serialNumber.toBER(false)) },
      { type: pkcs11js.CKA_VALUE, value: c.certDer },
    ])
    p.C_Logout(session)
    p.C_CloseSession(session)
  } finally {
    p.C_Finalize()
    p.close()
  }
}
const P256 = Buffer.from('06082a8648ce3d030107', 'hex')

async function batchPrompts(keyId: string, count: number): Promise<Array<Pick<SigningPinRequest, 'purpose' | 'pinScope' | 'fileCount'>>> {
  const sub = mkdtempSync(join(dir, `batch-${keyId}-`))
  const files = Array.from({ length: count }, (_, i) => {
    const f = join(sub, `acte-${i + 1}.txt`)
    writeFileSync(f, `Acte ${i + 1}\n`)
    return f
  })
  const http = createNodeHttpClient()
  const items = await planSignature({ files, level: 'B-B', force: false })
  const seen: Array<Pick<SigningPinRequest, 'purpose' | 'pinScope' | 'fileCount'>> = []
  const report = await signWithToken({
    items,
    options: buildFormatOptions({ level: 'B-B', http, force: false }),
    token: { modulePath: hsm.modulePath, tokenLabel: hsm.label, keyId },
    http,
    pinProvider: async (req) => {
      seen.push({ purpose: req.purpose, pinScope: req.pinScope, fileCount: req.fileCount })
      return { pin: new TextEncoder().encode(hsm.pin) }
    },
  })
  expect(report.signed).toBe(count)
  return seen
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-pin-scope-'))
  const pki = await createTestPki(join(dir, 'pki'), { baseUrl: 'http://127.0.0.1:9' })
  // 01: hidden until the login (SoftHSM's usual), one login for the session
  hsm = await createSoftHsmToken({ dir: join(dir, 'softhsm'), pki, keys: ['signerRevoked'] })
  // 02: a private key the token shows before the login (CKA_PRIVATE false), one login for the session
  importKey('02', pki.certs.signerRsa, [{ type: pkcs11js.CKA_PRIVATE, value: false }])
  // 03: hidden until the login, and asks the PIN again for every signature
  importKey('03', pki.certs.signerEc, [{ type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_ALWAYS_AUTHENTICATE, value: true }])
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('PIN scope of a signing batch', () => {
  it('a key hidden before the login: the one login prompt cannot know, and says unknown', async () => {
    expect(await batchPrompts('01', 3)).toEqual([{ purpose: 'login', pinScope: 'unknown', fileCount: 3 }])
  })

  it('a key visible before the login without CKA_ALWAYS_AUTHENTICATE: "one PIN for the batch", for certain', async () => {
    expect(await batchPrompts('02', 3)).toEqual([{ purpose: 'login', pinScope: 'once-for-batch', fileCount: 3 }])
  })

  it('a hidden key with CKA_ALWAYS_AUTHENTICATE: unknown at the login, then "per signature" at each of the files', async () => {
    expect(await batchPrompts('03', 3)).toEqual([
      { purpose: 'login', pinScope: 'unknown', fileCount: 3 },
      { purpose: 'signature', pinScope: 'per-signature', fileCount: 3 },
      { purpose: 'signature', pinScope: 'per-signature', fileCount: 3 },
      { purpose: 'signature', pinScope: 'per-signature', fileCount: 3 },
    ])
  })
})
