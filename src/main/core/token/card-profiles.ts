/**
 * Card profiles: how to read the exact PIN retry counter of a card family with raw APDUs, where
 * PKCS#11 only offers the coarse COUNT_LOW / FINAL_TRY / LOCKED flags. Reading a counter must never
 * cost a try: profiles only send commands that do not present a PIN (VERIFY without data, metadata).
 * Add a card family by appending a profile to CARD_PROFILES.
 */

/** Send one APDU, get the response data followed by SW1 SW2. */
export type Transmit = (apdu: Uint8Array) => Promise<Uint8Array>

export type CardPinKind = 'user' | 'puk'

export interface CardPinCounter {
  profile: string
  /** null when the card does not tell (e.g. PIN already verified in this card session) */
  triesLeft: number | null
  maxTries: number | null
  /** the PIN is currently verified on the card (VERIFY without data answered 9000) */
  verified: boolean
}

export interface CardProfile {
  name: string
  /** read the counter, or null when the card is not of this family (application not found) */
  readPinCounter(transmit: Transmit, pin: CardPinKind): Promise<CardPinCounter | null>
  /**
   * Clear the card's "PIN verified" state, which some cards keep after C_Logout (PIV does): true when
   * done, false when the card is not of this family or refused.
   */
  resetVerified?(transmit: Transmit): Promise<boolean>
}

export function statusWord(response: Uint8Array): number {
  if (response.length < 2) return 0
  return (response[response.length - 2]! << 8) | response[response.length - 1]!
}

/** Decode the status word of a VERIFY: 63Cx (x tries left), 6983 / 6984 (blocked), 9000 (verified). */
export function decodeVerifyStatus(sw: number): { triesLeft: number | null; verified: boolean } | null {
  if ((sw & 0xfff0) === 0x63c0) return { triesLeft: sw & 0x0f, verified: false }
  if (sw === 0x6983 || sw === 0x6984) return { triesLeft: 0, verified: false }
  if (sw === 0x9000) return { triesLeft: null, verified: true }
  return null
}

const PIV_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00])

/** Parse a flat BER-TLV list (one level), bounded by the input: hostile lengths end the parse. */
function flatTlv(data: Uint8Array): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>()
  let i = 0
  while (i + 2 <= data.length) {
    const tag = data[i++]!
    let len = data[i++]!
    if (len === 0x81) len = data[i++] ?? 0
    else if (len === 0x82) {
      len = ((data[i] ?? 0) << 8) | (data[i + 1] ?? 0)
      i += 2
    } else if (len > 0x82) break
    if (i + len > data.length) break
    out.set(tag, data.subarray(i, i + len))
    i += len
  }
  return out
}

/** PIV (NIST SP 800-73-4): YubiKey, many government and corporate cards, the test virtual card. */
export const PIV_PROFILE: CardProfile = {
  name: 'piv',
  async readPinCounter(transmit, pin) {
    const select = await transmit(Uint8Array.from([0x00, 0xa4, 0x04, 0x00, PIV_AID.length, ...PIV_AID, 0x00]))
    const sw = statusWord(select)
    if (sw !== 0x9000 && (sw & 0xff00) !== 0x6100) return null
    const reference = pin === 'user' ? 0x80 : 0x81
    // YubiKey 5.3+ GET METADATA gives the counter's total and remaining tries, even when verified.
    let maxTries: number | null = null
    const metadata = await transmit(Uint8Array.from([0x00, 0xf7, 0x00, reference, 0x00]))
    if (statusWord(metadata) === 0x9000) {
      const retries = flatTlv(metadata.subarray(0, metadata.length - 2)).get(0x06)
      if (retries && retries.length === 2) {
        maxTries = retries[0]!
        return { profile: 'piv', triesLeft: retries[1]!, maxTries, verified: false }
      }
    }
    // VERIFY with no data (SP 800-73-4 §3.2.1): the counter without presenting a PIN.
    const decoded = decodeVerifyStatus(statusWord(await transmit(Uint8Array.from([0x00, 0x20, 0x00, reference]))))
    if (!decoded) return null
    return { profile: 'piv', triesLeft: decoded.triesLeft, maxTries, verified: decoded.verified }
  },
  async resetVerified(transmit) {
    const select = await transmit(Uint8Array.from([0x00, 0xa4, 0x04, 0x00, PIV_AID.length, ...PIV_AID, 0x00]))
    const sw = statusWord(select)
    if (sw !== 0x9000 && (sw & 0xff00) !== 0x6100) return false
    // VERIFY with P1 = FF and no data resets the PIN's security status (SP 800-73-4 §3.2.1).
    return statusWord(await transmit(Uint8Array.from([0x00, 0x20, 0xff, 0x80]))) === 0x9000
  },
}

export const CARD_PROFILES: readonly CardProfile[] = [PIV_PROFILE]
