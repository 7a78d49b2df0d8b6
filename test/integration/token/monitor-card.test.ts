// Hot-plug on the virtual card: PC/SC card events and C_GetSlotList polling reach a TokenMonitor
// listener; a removal makes open signers forget their login, so after reinsertion the next signature
// asks for the PIN again instead of failing.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PinRequest } from '../../../src/main/core/token/pin-types'
import { openTokenSigner } from '../../../src/main/core/token/pkcs11-signer'
import { TokenMonitor, type TokenEvent } from '../../../src/main/core/token/token-monitor'
import { CARD_PIN, OPENSC_MODULE, startVirtualCards, tempDir, type VirtualCardStack } from './fixtures'

let tmp: ReturnType<typeof tempDir>
let stack: VirtualCardStack
let monitor: TokenMonitor
const events: TokenEvent[] = []
let changes = 0

async function waitFor(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  tmp = tempDir('paraphe-monitor-')
  stack = await startVirtualCards(tmp.dir, [{ slots: ['9a'] }])
  monitor = new TokenMonitor({ modulePaths: () => [OPENSC_MODULE], pollIntervalMs: 300 })
  monitor.on('event', (e: TokenEvent) => events.push(e))
  monitor.on('change', () => changes++)
})
afterAll(async () => {
  monitor?.stop()
  await stack?.stop()
  tmp?.cleanup()
})

describe('TokenMonitor', () => {
  it('reports its sources, and why USB is not watched here', async () => {
    const status = monitor.start()
    expect(status.pcsc).toEqual({ active: true })
    expect(status.polling).toEqual({ active: true })
    if (process.platform === 'linux' && !existsSync('/dev/bus/usb')) {
      expect(status.usb).toMatchObject({ active: false, reason: expect.stringContaining('/dev/bus/usb') })
    }
    await waitFor('the reader', () => events.some((e) => e.type === 'reader-added' && e.reader === 'Virtual PCD 00 00'))
    await waitFor('the polled token', () => monitor.presentTokens().length === 1)
  })

  it('sees the card pulled and put back, and the signer asks the PIN again afterwards', async () => {
    const requests: PinRequest[] = []
    const { signer, close } = await openTokenSigner({
      modulePath: OPENSC_MODULE,
      tokenLabel: monitor.presentTokens()[0]!.identity.label,
      pinProvider: async (r) => (requests.push(r), { pin: new TextEncoder().encode(CARD_PIN) }),
    })
    const digest = createHash('sha256').update('x').digest()
    await signer.signDigest(digest, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })
    events.length = 0
    const changesBefore = changes
    await stack.cards[0]!.remove()
    await waitFor('card-removed', () => events.some((e) => e.type === 'card-removed' && e.reader === 'Virtual PCD 00 00'))
    await waitFor('token-removed', () => events.some((e) => e.type === 'token-removed' && e.modulePath === OPENSC_MODULE))
    await stack.cards[0]!.insert()
    await waitFor('card-inserted', () => events.some((e) => e.type === 'card-inserted' && typeof e.atr === 'string'))
    await waitFor('token-added', () => events.some((e) => e.type === 'token-added'))
    expect(changes).toBeGreaterThan(changesBefore)
    // events carry names and ids only
    expect(JSON.stringify(events)).not.toContain(CARD_PIN)
    // the removal made the signer forget its login: the next signature logs in again, no error
    const sig = await signer.signDigest(digest, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })
    expect(sig.length).toBe(256)
    expect(requests.map((r) => r.purpose)).toEqual(['login', 'login'])
    await close()
  })

  it('stops without closing the shared PC/SC context; a monitor started later knows the card already in', async () => {
    // closing a pcsclite context can block the process for ever: stop() only detaches
    monitor.stop()
    const late = new TokenMonitor({ pollIntervalMs: 0 })
    const heard: TokenEvent[] = []
    late.on('event', (e: TokenEvent) => heard.push(e))
    try {
      expect(late.start().pcsc).toEqual({ active: true })
      // the reader is announced at once, from the shared context, with its card as the baseline
      expect(heard).toContainEqual({ type: 'reader-added', reader: 'Virtual PCD 00 00' })
      expect(heard.some((e) => e.type === 'card-inserted')).toBe(false)
      await stack.cards[0]!.remove()
      const end = Date.now() + 8000
      while (!heard.some((e) => e.type === 'card-removed') && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
      expect(heard).toContainEqual({ type: 'card-removed', reader: 'Virtual PCD 00 00' })
      // the stopped monitor heard nothing more
      expect(events.filter((e) => e.type === 'card-removed').length).toBe(1)
      await stack.cards[0]!.insert()
    } finally {
      late.stop()
    }
  })
})
