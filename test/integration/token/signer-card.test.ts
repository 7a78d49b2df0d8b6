// Pkcs11Signer on the virtual PIV card through pcscd + OpenSC: slot 9A (RSA, PIN once per session),
// slot 9C (EC, PIN before every signature), card removed in the middle of a session.
import { createHash, createPublicKey, verify } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTokenSigner } from '../../../src/main/core/token/pkcs11-signer'
import { readPinStatus } from '../../../src/main/core/token/pin-operations'
import type { PinProvider, PinRequest } from '../../../src/main/core/token/pin-types'
import { CARD_PIN, OPENSC_MODULE, startVirtualCards, tempDir, testPki, type VirtualCardStack } from './fixtures'

const data = Buffer.from('Bordereau PES V2 — mandat 17')
const digest = createHash('sha256').update(data).digest()
const RSA = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const
const EC = { scheme: 'ECDSA', hash: 'SHA-256' } as const

let tmp: ReturnType<typeof tempDir>
let stack: VirtualCardStack
let label: string

function provider(pin = CARD_PIN): { provider: PinProvider; requests: PinRequest[] } {
  const requests: PinRequest[] = []
  return { requests, provider: async (r) => (requests.push(r), { pin: new TextEncoder().encode(pin) }) }
}
const certKey = (der: Uint8Array) =>
  createPublicKey({ key: `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----`, format: 'pem' })

beforeAll(async () => {
  tmp = tempDir('paraphe-signer-card-')
  stack = await startVirtualCards(tmp.dir)
  // OpenSC names a PIV token after the 9A certificate's CN
  label = (await testPki(tmp.dir)).certs.cardRsa.x509.subjectName.getField('CN')[0]!
})
afterAll(async () => {
  await stack?.stop()
  tmp?.cleanup()
})

describe('Pkcs11Signer on the virtual PIV card', () => {
  it('signs with the 9A RSA key: one PIN for the batch, exact tries left shown before it', async () => {
    const rec = provider()
    const { signer, close } = await openTokenSigner({ modulePath: OPENSC_MODULE, tokenLabel: label, keyId: '01', pinProvider: rec.provider })
    expect(signer.pinPerSignature).toBe(false)
    for (let i = 0; i < 2; i++) {
      const sig = await signer.signDigest(digest, RSA)
      expect(verify('sha256', data, certKey(signer.certificate), Buffer.from(sig))).toBe(true)
    }
    expect(rec.requests.map((r) => r.purpose)).toEqual(['login'])
    expect(rec.requests[0]!.counter).toMatchObject({ triesLeft: 3, source: 'card', profile: 'piv', locked: false })
    // while logged in the card says "verified" (VERIFY without data = 9000): no count
    expect((await readPinStatus({ modulePath: OPENSC_MODULE, tokenLabel: label })).pin.triesLeft).toBeNull()
    await close()
    // C_Logout alone leaves a PIV card verified; closing the signer cleared it: the counter shows again
    expect((await readPinStatus({ modulePath: OPENSC_MODULE, tokenLabel: label })).pin.triesLeft).toBe(3)
    await stack.cards[0]!.reset()
  })

  it('asks the PIN before every signature with the 9C key (CKA_ALWAYS_AUTHENTICATE)', async () => {
    const rec = provider()
    const { signer, close } = await openTokenSigner({ modulePath: OPENSC_MODULE, tokenLabel: label, keyId: '02', pinProvider: rec.provider })
    expect(signer.pinPerSignature).toBe(true)
    expect(signer.keyType).toBe('EC')
    for (let i = 0; i < 2; i++) {
      const sig = await signer.signDigest(digest, EC)
      expect(verify('sha256', data, { key: certKey(signer.certificate), dsaEncoding: 'ieee-p1363' }, Buffer.from(sig))).toBe(true)
    }
    expect(rec.requests.map((r) => r.purpose)).toEqual(['login', 'signature', 'signature'])
    await close()
    await stack.cards[0]!.reset()
  })

  it('card removed mid-session: clear error, login forgotten, works again after reinsertion with a new PIN entry', async () => {
    const rec = provider()
    const { signer, close } = await openTokenSigner({ modulePath: OPENSC_MODULE, tokenLabel: label, keyId: '01', pinProvider: rec.provider })
    await signer.signDigest(digest, RSA)
    await stack.cards[0]!.remove()
    await expect(signer.signDigest(digest, RSA)).rejects.toMatchObject({ code: 'TOKEN_REMOVED', message: expect.stringContaining('removed') })
    await stack.cards[0]!.insert()
    const sig = await signer.signDigest(digest, RSA)
    expect(verify('sha256', data, certKey(signer.certificate), Buffer.from(sig))).toBe(true)
    expect(rec.requests.map((r) => r.purpose)).toEqual(['login', 'login'])
    await close()
    await stack.cards[0]!.reset()
  })
})
