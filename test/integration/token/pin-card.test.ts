// PINs on the virtual PIV card through pcscd + OpenSC: exact counter 3 -> 2 -> 1 -> locked, the
// last try refused without confirmation, PUK unblock then sign, PIN change, two cards at once.
import { createHash, createPublicKey, verify } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listTokens } from '../../../src/main/core/token/list-tokens'
import { changePin, readPinStatus, unblockPin } from '../../../src/main/core/token/pin-operations'
import type { PinProvider, PinRequest } from '../../../src/main/core/token/pin-types'
import { openTokenSigner } from '../../../src/main/core/token/pkcs11-signer'
import { locateToken } from '../../../src/main/core/token/token-locator'
import { CARD_PIN, CARD_PUK, OPENSC_MODULE, startVirtualCards, tempDir, testPki, useOpenscConf, type VirtualCardStack } from './fixtures'

const data = Buffer.from('Arrêté du maire n° 2026-118')
const digest = createHash('sha256').update(data).digest()
const RSA = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const
const enc = (s: string) => new TextEncoder().encode(s)

let tmp: ReturnType<typeof tempDir>
let stack: VirtualCardStack
let label: string
let serials: string[]

/** Answers the requests in order with the given secrets; records every request. */
function scripted(secrets: string[], opts: { confirmLastTry?: boolean } = {}): { provider: PinProvider; requests: PinRequest[] } {
  const requests: PinRequest[] = []
  const queue = [...secrets]
  return {
    requests,
    provider: async (r) => {
      requests.push(r)
      const next = queue.shift()
      return next === undefined ? null : { pin: enc(next), confirmLastTry: opts.confirmLastTry ?? false }
    },
  }
}

const certKey = (der: Uint8Array) =>
  createPublicKey({ key: `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----`, format: 'pem' })

async function signOnce(serial: string, pin: string): Promise<boolean> {
  const { signer, close } = await openTokenSigner({ modulePath: OPENSC_MODULE, tokenSerial: serial, keyId: '01', pinProvider: scripted([pin]).provider })
  try {
    return verify('sha256', data, certKey(signer.certificate), Buffer.from(await signer.signDigest(digest, RSA)))
  } finally {
    await close()
  }
}

async function wrongLogin(serial: string, confirmLastTry = false): Promise<unknown> {
  return openTokenSigner({ modulePath: OPENSC_MODULE, tokenSerial: serial, keyId: '01', pinProvider: scripted(['000000'], { confirmLastTry }).provider }).then(
    () => {
      throw new Error('a wrong PIN opened the token')
    },
    (err: unknown) => err,
  )
}

beforeAll(async () => {
  tmp = tempDir('paraphe-pin-card-')
  useOpenscConf(tmp.dir)
  stack = await startVirtualCards(tmp.dir, [{}, { slots: ['9a'] }])
  label = (await testPki(tmp.dir)).certs.cardRsa.x509.subjectName.getField('CN')[0]!
  const opensc = listTokens({ modules: [OPENSC_MODULE], builtin: false }).modules[0]!
  serials = opensc.slots.filter((s) => s.token).map((s) => s.token!.serialNumber)
})
afterAll(async () => {
  await stack?.stop()
  tmp?.cleanup()
})

describe('PIN counter and unblock on the virtual PIV card', () => {
  it('shows the exact tries left, 3 -> 2 -> 1, refuses the last try without confirmation, then locked', async () => {
    const serial = serials[0]!
    const status = (await readPinStatus({ modulePath: OPENSC_MODULE, tokenSerial: serial })).pin
    expect(status).toMatchObject({ triesLeft: 3, locked: false, finalTry: false, source: 'card', profile: 'piv' })

    expect(await wrongLogin(serial)).toMatchObject({ code: 'PIN_INCORRECT', pinStatus: { status: 'incorrect', triesLeft: 2 } })
    expect((await readPinStatus({ modulePath: OPENSC_MODULE, tokenSerial: serial })).pin.triesLeft).toBe(2)
    const second = (await wrongLogin(serial)) as { pinStatus: { counter: { finalTry: boolean } } }
    expect(second).toMatchObject({ code: 'PIN_INCORRECT', pinStatus: { status: 'incorrect', triesLeft: 1 } })
    expect(second.pinStatus.counter.finalTry).toBe(true)

    // Last try: without confirmation nothing is sent; the counter stays at 1
    const rec = scripted(['000000'])
    await expect(openTokenSigner({ modulePath: OPENSC_MODULE, tokenSerial: serial, keyId: '01', pinProvider: rec.provider })).rejects.toMatchObject({
      code: 'PIN_LAST_TRY_UNCONFIRMED',
    })
    expect(rec.requests[0]).toMatchObject({ lastTry: true, counter: { triesLeft: 1 } })
    expect((await readPinStatus({ modulePath: OPENSC_MODULE, tokenSerial: serial })).pin.triesLeft).toBe(1)

    expect(await wrongLogin(serial, true)).toMatchObject({ code: 'PIN_LOCKED', pinStatus: { status: 'locked' }, message: expect.stringContaining('PUK') })
    const locked = await readPinStatus({ modulePath: OPENSC_MODULE, tokenSerial: serial })
    expect(locked.pin).toMatchObject({ triesLeft: 0, locked: true })
    // PIV has no way to read the PUK counter without presenting it (VERIFY does not take the PUK)
    expect(locked.puk).toMatchObject({ triesLeft: null, locked: false })
    expect(locked.unblockStyle).toBe('puk')
    // locked: the provider is not even asked
    const asked = scripted([CARD_PIN])
    await expect(openTokenSigner({ modulePath: OPENSC_MODULE, tokenSerial: serial, keyId: '01', pinProvider: asked.provider })).rejects.toMatchObject({ code: 'PIN_LOCKED' })
    expect(asked.requests.length).toBe(0)
  })

  it('unblocks with the PUK (C_SetPIN in an unlogged session), then signs with the new PIN', async () => {
    const serial = serials[0]!
    const wrongPuk = await unblockPin({ modulePath: OPENSC_MODULE, tokenSerial: serial, pinProvider: scripted(['99999999', '24680']).provider })
    expect(wrongPuk).toMatchObject({ status: 'incorrect' })
    const rec = scripted([CARD_PUK, '24680'])
    expect(await unblockPin({ modulePath: OPENSC_MODULE, tokenSerial: serial, pinProvider: rec.provider })).toEqual({ status: 'ok' })
    expect(rec.requests.map((r) => r.purpose)).toEqual(['puk', 'new-pin'])
    expect(rec.requests[0]).toMatchObject({ purpose: 'puk', lastTry: false, counter: { locked: false } })
    const after = await readPinStatus({ modulePath: OPENSC_MODULE, tokenSerial: serial })
    expect(after.pin).toMatchObject({ triesLeft: 3, locked: false })
    expect(await signOnce(serial, '24680')).toBe(true)
    await stack.cards[0]!.reset()
  })

  it('changes the PIN; the old one no longer works', async () => {
    const serial = serials[0]!
    const tooShort = await changePin({ modulePath: OPENSC_MODULE, tokenSerial: serial, pinProvider: scripted([CARD_PIN, '12']).provider })
    expect(tooShort).toMatchObject({ status: 'new-pin-rejected' })
    expect((await readPinStatus({ modulePath: OPENSC_MODULE, tokenSerial: serial })).pin.triesLeft).toBe(3)
    expect(await changePin({ modulePath: OPENSC_MODULE, tokenSerial: serial, pinProvider: scripted([CARD_PIN, '975310']).provider })).toEqual({ status: 'ok' })
    await stack.cards[0]!.remove()
    await stack.cards[0]!.insert()
    expect(await wrongLogin(serial)).toMatchObject({ code: 'PIN_INCORRECT' })
    expect(await signOnce(serial, '975310')).toBe(true)
    await stack.cards[0]!.reset()
  })

  it('two cards with the same label at once: both listed, chosen by serial, each signs', async () => {
    expect(serials.length).toBe(2)
    expect(serials[0]).not.toBe(serials[1])
    expect(() => locateToken({ tokenLabel: label, modules: [OPENSC_MODULE], builtin: false })).toThrow(/2 tokens match/)
    expect(locateToken({ tokenSerial: serials[1]!, modules: [OPENSC_MODULE], builtin: false }).identity.slotDescription).toBe('Virtual PCD 00 01')
    expect(await signOnce(serials[1]!, CARD_PIN)).toBe(true)
    expect(await signOnce(serials[0]!, CARD_PIN)).toBe(true)
    await stack.cards[0]!.reset()
    await stack.cards[1]!.reset()
  })

  it('refuses a PUK unblock through OpenSC when its configuration would turn it into a PIN try', async () => {
    const rec = scripted([CARD_PUK, '24680'])
    await expect(
      unblockPin({ modulePath: OPENSC_MODULE, tokenSerial: serials[0]!, pinProvider: rec.provider, env: { OPENSC_CONF: '/nonexistent/opensc.conf' } }),
    ).rejects.toThrow(/not configured for PUK unblock/)
    expect(rec.requests.length).toBe(0)
  })
})
