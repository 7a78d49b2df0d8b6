// Pkcs11Signer against a real SoftHSM2 token: RSA PKCS#1 v1.5, RSA-PSS, ECDSA, verified with node:crypto.
import { createHash, createPublicKey, verify, constants } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTokenSigner, type TokenSignerHandle } from '../../../src/main/core/token/pkcs11-signer'
import { listTokenDetails } from '../../../src/main/core/token/token-details'
import { listTokens } from '../../../src/main/core/token/list-tokens'
import type { PinProvider, PinRequest } from '../../../src/main/core/token/pin-types'
import { createSoftHsmFixture, SOFTHSM_MODULE, tempDir, type SoftHsmFixture } from './fixtures'

const data = Buffer.from('Délibération n°2026-042 du conseil municipal')
const sha256 = createHash('sha256').update(data).digest()
const sha384 = createHash('sha384').update(data).digest()

function recordingProvider(pin: string): { provider: PinProvider; requests: PinRequest[]; given: Uint8Array[] } {
  const requests: PinRequest[] = []
  const given: Uint8Array[] = []
  return {
    requests,
    given,
    provider: async (req) => {
      requests.push(req)
      const buf = new TextEncoder().encode(pin)
      given.push(buf)
      return { pin: buf }
    },
  }
}

let tmp: ReturnType<typeof tempDir>
let hsm: SoftHsmFixture
const open: TokenSignerHandle[] = []

beforeAll(async () => {
  tmp = tempDir('paraphe-signer-hsm-')
  hsm = await createSoftHsmFixture(tmp.dir)
})
afterAll(async () => {
  for (const h of open) await h.close()
  tmp.cleanup()
})

async function openSigner(keyId: string, provider: PinProvider): Promise<TokenSignerHandle> {
  const h = await openTokenSigner({ modulePath: SOFTHSM_MODULE, tokenLabel: hsm.label, keyId, pinProvider: provider })
  open.push(h)
  return h
}

describe('Pkcs11Signer on SoftHSM2', () => {
  it('lists the details of every token without a label, skipping SoftHSM2\'s empty uninitialised slot', async () => {
    const listing = listTokens({ modules: [SOFTHSM_MODULE], builtin: false, env: {} })
    expect(listing.modules[0]!.slots.some((s) => s.token && !s.token.flags.tokenInitialized)).toBe(true)
    const details = await listTokenDetails({ modules: [SOFTHSM_MODULE], builtin: false, env: {} })
    expect(details.map((d) => d.label)).toEqual([hsm.label])
    expect(details[0]!.certificates.length).toBeGreaterThan(0)
  })

  it('signs RSA PKCS#1 v1.5 over DigestInfo, one login for a batch', async () => {
    const rec = recordingProvider(hsm.userPin)
    const { signer, close } = await openSigner(hsm.rsaId, rec.provider)
    expect(signer.keyType).toBe('RSA')
    expect(signer.pinPerSignature).toBe(false)
    for (let i = 0; i < 3; i++) {
      const sig = await signer.signDigest(sha256, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })
      expect(verify('sha256', data, certKey(signer.certificate), Buffer.from(sig))).toBe(true)
    }
    const sig384 = await signer.signDigest(sha384, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' })
    expect(verify('sha384', data, certKey(signer.certificate), Buffer.from(sig384))).toBe(true)
    expect(rec.requests.map((r) => r.purpose)).toEqual(['login'])
    // the PIN buffer handed over was wiped once the token had it
    expect(rec.given.every((b) => b.every((x) => x === 0))).toBe(true)
    await close()
  })

  it('signs RSA-PSS when the token lists CKM_RSA_PKCS_PSS', async () => {
    const { signer, close } = await openSigner(hsm.rsaId, recordingProvider(hsm.userPin).provider)
    const alg = { scheme: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 } as const
    expect(signer.supports(alg)).toBe(true)
    const sig = await signer.signDigest(sha256, alg)
    expect(verify('sha256', data, { key: certKey(signer.certificate), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(sig))).toBe(true)
    expect(signer.supports({ scheme: 'ECDSA', hash: 'SHA-256' })).toBe(false)
    await close()
  })

  it('signs ECDSA and returns raw r||s', async () => {
    const { signer, close } = await openSigner(hsm.ecId, recordingProvider(hsm.userPin).provider)
    expect(signer.keyType).toBe('EC')
    expect(signer.namedCurve).toBe('P-256')
    const sig = await signer.signDigest(sha256, { scheme: 'ECDSA', hash: 'SHA-256' })
    expect(sig.length).toBe(64)
    expect(verify('sha256', data, { key: certKey(signer.certificate), dsaEncoding: 'ieee-p1363' }, Buffer.from(sig))).toBe(true)
    await close()
  })

  it('refuses a digest of the wrong length and an algorithm the key cannot do, without asking a PIN twice', async () => {
    const rec = recordingProvider(hsm.userPin)
    const { signer, close } = await openSigner(hsm.ecId, rec.provider)
    await expect(signer.signDigest(sha384, { scheme: 'ECDSA', hash: 'SHA-256' })).rejects.toThrow(/32 bytes/)
    await expect(signer.signDigest(sha256, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' })
    expect(rec.requests.length).toBe(1)
    await close()
  })

  it('reports a wrong PIN once, never retries it, and a cancelled entry sends nothing', async () => {
    const rec = recordingProvider('0000')
    await expect(openTokenSigner({ modulePath: SOFTHSM_MODULE, tokenLabel: hsm.label, keyId: hsm.rsaId, pinProvider: rec.provider })).rejects.toMatchObject({
      code: 'PIN_INCORRECT',
      pinStatus: { status: 'incorrect' },
    })
    expect(rec.requests.length).toBe(1)
    expect(rec.given[0]!.every((x) => x === 0)).toBe(true)
    // SoftHSM2 sets COUNT_LOW after a wrong PIN: the next request shows it before the attempt
    const next = recordingProvider(hsm.userPin)
    const h = await openSigner(hsm.rsaId, next.provider)
    expect(next.requests[0]!.counter?.countLow).toBe(true)
    await h.close()
    await expect(
      openTokenSigner({ modulePath: SOFTHSM_MODULE, tokenLabel: hsm.label, keyId: hsm.rsaId, pinProvider: async () => null }),
    ).rejects.toMatchObject({ code: 'PIN_CANCELLED' })
  })

  it('names what is missing: token, key, module file, non-PKCS#11 library', async () => {
    const provider = recordingProvider(hsm.userPin).provider
    await expect(openTokenSigner({ modulePath: SOFTHSM_MODULE, tokenLabel: 'No such token', pinProvider: provider })).rejects.toMatchObject({
      code: 'TOKEN_NOT_FOUND',
      message: expect.stringContaining(`"${hsm.label}"`),
    })
    await expect(openTokenSigner({ modulePath: SOFTHSM_MODULE, tokenLabel: hsm.label, keyId: 'ff', pinProvider: provider })).rejects.toMatchObject({
      code: 'KEY_NOT_FOUND',
    })
    await expect(openTokenSigner({ modulePath: join(tmp.dir, 'nope.so'), tokenLabel: hsm.label, pinProvider: provider })).rejects.toMatchObject({
      code: 'MODULE_NOT_FOUND',
    })
    const notLib = join(tmp.dir, 'not-a-library.so')
    writeFileSync(notLib, 'this is text, not a shared object\n')
    await expect(openTokenSigner({ modulePath: notLib, tokenLabel: hsm.label, pinProvider: provider })).rejects.toMatchObject({
      code: 'MODULE_LOAD_FAILED',
      detail: 'not-pkcs11',
    })
  })

  it('serialises concurrent signatures on one token and keeps them all valid', async () => {
    const rsa = await openSigner(hsm.rsaId, recordingProvider(hsm.userPin).provider)
    const ec = await openSigner(hsm.ecId, recordingProvider(hsm.userPin).provider)
    const jobs = Array.from({ length: 8 }, (_, i) =>
      i % 2 === 0
        ? rsa.signer.signDigest(sha256, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }).then((s) => verify('sha256', data, certKey(rsa.signer.certificate), Buffer.from(s)))
        : ec.signer.signDigest(sha256, { scheme: 'ECDSA', hash: 'SHA-256' }).then((s) => verify('sha256', data, { key: certKey(ec.signer.certificate), dsaEncoding: 'ieee-p1363' }, Buffer.from(s))),
    )
    expect(await Promise.all(jobs)).toEqual(Array(8).fill(true))
  })
})

function certKey(der: Uint8Array) {
  return createPublicKey({ key: `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----`, format: 'pem' })
}
