import { describe, expect, it } from 'vitest'
import { decodeVerifyStatus, PIV_PROFILE, statusWord, type Transmit } from '../../../src/main/core/token/card-profiles'
import { counterFromFlags, isLastTry, mergeCardCounter } from '../../../src/main/core/token/pin-counter'
import { readerMatchesSlot } from '../../../src/main/core/token/pcsc-counter'
import { normaliseEcdsa } from '../../../src/main/core/token/pkcs11-signer'
import * as pkcs11js from 'pkcs11js'

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'))

/** A scripted card: answers by the APDU's header, records what it was sent. */
function scriptedCard(answers: Record<string, string>): { transmit: Transmit; sent: string[] } {
  const sent: string[] = []
  return {
    sent,
    transmit: async (apdu) => {
      const h = Buffer.from(apdu).toString('hex')
      sent.push(h)
      const key = Object.keys(answers).find((k) => h.startsWith(k))
      return hex(key ? answers[key]! : '6d00')
    },
  }
}

describe('PIV card profile', () => {
  it('reads 63Cx after SELECT without presenting a PIN', async () => {
    const card = scriptedCard({ '00a40400': '9000', '00200080': '63c2' })
    expect(await PIV_PROFILE.readPinCounter(card.transmit, 'user')).toEqual({ profile: 'piv', triesLeft: 2, maxTries: null, verified: false })
    // VERIFY carried no data: exactly the 4-byte header
    expect(card.sent).toContain('00200080')
    expect(card.sent.every((a) => !a.startsWith('0020') || a.length === 8)).toBe(true)
  })

  it('maps 6983 to locked, 9000 to verified (count unknown), and reads the PUK reference 81', async () => {
    expect(await PIV_PROFILE.readPinCounter(scriptedCard({ '00a40400': '9000', '00200080': '6983' }).transmit, 'user')).toMatchObject({ triesLeft: 0 })
    expect(await PIV_PROFILE.readPinCounter(scriptedCard({ '00a40400': '9000', '00200080': '9000' }).transmit, 'user')).toMatchObject({ triesLeft: null, verified: true })
    const puk = scriptedCard({ '00a40400': '9000', '00200081': '63c3' })
    expect(await PIV_PROFILE.readPinCounter(puk.transmit, 'puk')).toMatchObject({ triesLeft: 3 })
  })

  it('uses YubiKey metadata (total and remaining) when the card answers it', async () => {
    // malformed metadata (retries TLV of 1 byte) is ignored and VERIFY is used
    expect(await PIV_PROFILE.readPinCounter(scriptedCard({ '00a40400': '9000', '00f70080': '0601059000', '00200080': '63c1' }).transmit, 'user')).toMatchObject({ triesLeft: 1, maxTries: null })
    expect(await PIV_PROFILE.readPinCounter(scriptedCard({ '00a40400': '9000', '00f70080': '060208059000' }).transmit, 'user')).toEqual({ profile: 'piv', triesLeft: 5, maxTries: 8, verified: false })
  })

  it('clears the verified state with VERIFY P1=FF, and only on a PIV card', async () => {
    const card = scriptedCard({ '00a40400': '9000', '0020ff80': '9000' })
    expect(await PIV_PROFILE.resetVerified!(card.transmit)).toBe(true)
    expect(card.sent.at(-1)).toBe('0020ff80')
    expect(await PIV_PROFILE.resetVerified!(scriptedCard({ '00a40400': '6a82' }).transmit)).toBe(false)
  })

  it('is not a PIV card when SELECT fails', async () => {
    expect(await PIV_PROFILE.readPinCounter(scriptedCard({ '00a40400': '6a82' }).transmit, 'user')).toBeNull()
  })

  it('decodes status words', () => {
    expect(statusWord(hex('63c1'))).toBe(0x63c1)
    expect(statusWord(new Uint8Array([0x90]))).toBe(0)
    expect(decodeVerifyStatus(0x63c0)).toEqual({ triesLeft: 0, verified: false })
    expect(decodeVerifyStatus(0x6a80)).toBeNull()
  })
})

describe('PIN counter', () => {
  const base = { minPinLength: 4, maxPinLength: 8 }
  it('takes FINAL_TRY and LOCKED as exact, leaves the rest unknown', () => {
    expect(counterFromFlags({ ...base, flags: pkcs11js.CKF_USER_PIN_FINAL_TRY })).toMatchObject({ triesLeft: 1, finalTry: true, locked: false })
    expect(counterFromFlags({ ...base, flags: pkcs11js.CKF_USER_PIN_LOCKED | pkcs11js.CKF_USER_PIN_FINAL_TRY })).toMatchObject({ triesLeft: 0, finalTry: false, locked: true })
    expect(counterFromFlags({ ...base, flags: pkcs11js.CKF_USER_PIN_COUNT_LOW })).toMatchObject({ triesLeft: null, countLow: true })
    expect(counterFromFlags({ ...base, flags: pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH }).pinpad).toBe(true)
    expect(counterFromFlags({ ...base, flags: pkcs11js.CKF_SO_PIN_LOCKED }, 'puk').locked).toBe(true)
  })

  it('lets the card counter win over stale flags', () => {
    const stale = counterFromFlags({ ...base, flags: pkcs11js.CKF_USER_PIN_FINAL_TRY })
    const merged = mergeCardCounter(stale, { profile: 'piv', triesLeft: 3, maxTries: null, verified: false })
    expect(merged).toMatchObject({ triesLeft: 3, finalTry: false, locked: false, source: 'card', profile: 'piv' })
    expect(isLastTry(merged)).toBe(false)
    expect(isLastTry(mergeCardCounter(stale, { profile: 'piv', triesLeft: 1, maxTries: 3, verified: false }))).toBe(true)
    expect(mergeCardCounter(stale, null)).toBe(stale)
  })

  it('matches a PKCS#11 slot to its PC/SC reader, including the 64-character cut', () => {
    expect(readerMatchesSlot('Virtual PCD 00 00', 'Virtual PCD 00 00')).toBe(true)
    expect(readerMatchesSlot('Virtual PCD 00 01', 'Virtual PCD 00 00')).toBe(false)
    const long = 'Alcor Micro AU9560 [CCID Interface] (12345678901234567890) 00 00 extra'
    expect(readerMatchesSlot(long, long.slice(0, 64))).toBe(true)
    expect(readerMatchesSlot('x', '')).toBe(false)
  })
})

describe('ECDSA signature form', () => {
  it('keeps r||s, converts DER, refuses anything else', () => {
    const raw = new Uint8Array(64).fill(7)
    expect(normaliseEcdsa(raw, 32, 't')).toEqual(raw)
    // DER with a leading 00 on r (high bit) and a short s
    const r = Buffer.alloc(32, 0x81)
    const s = Buffer.alloc(31, 0x05)
    const der = Buffer.concat([Buffer.from([0x30, 2 + 33 + 2 + 31, 0x02, 33, 0x00]), r, Buffer.from([0x02, 31]), s])
    const out = normaliseEcdsa(der, 32, 't')
    expect(Buffer.from(out.subarray(0, 32))).toEqual(r)
    expect(Buffer.from(out.subarray(32))).toEqual(Buffer.concat([Buffer.from([0]), s]))
    expect(() => normaliseEcdsa(new Uint8Array(10), 32, 't')).toThrow(/unexpected form/)
  })
})
