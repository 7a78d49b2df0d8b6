// SoftHSM2: PIN change, SO-style unblock, module discovery failures, a token seen through two
// modules listed once, token details, and the CLI (certs, pin) and IPC handlers end to end.
import { createHash, createPublicKey, verify } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../../src/main/app/handlers'
import { createRouter } from '../../../src/main/app/router'
import { runCli } from '../../../src/main/cli/index'
import { listTokens } from '../../../src/main/core/token/list-tokens'
import { changePin, readPinStatus, unblockPin } from '../../../src/main/core/token/pin-operations'
import type { PinProvider } from '../../../src/main/core/token/pin-types'
import { openTokenSigner } from '../../../src/main/core/token/pkcs11-signer'
import { readTokenDetails } from '../../../src/main/core/token/token-details'
import { createSoftHsmFixture, SOFTHSM_MODULE, tempDir, type SoftHsmFixture } from './fixtures'

let tmp: ReturnType<typeof tempDir>
let hsm: SoftHsmFixture
const SECOND = 'Paraphe Second HSM'

const scripted = (secrets: string[]): PinProvider => {
  const q = [...secrets]
  return async () => {
    const s = q.shift()
    return s === undefined ? null : { pin: new TextEncoder().encode(s) }
  }
}

async function cli(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { ...process.env, ...opts.env },
    stdin: Readable.from(opts.stdin !== undefined ? [Buffer.from(opts.stdin)] : []),
    isTty: false,
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const sel = () => ({ modulePath: SOFTHSM_MODULE, tokenLabel: hsm.label })

async function signs(pin: string): Promise<boolean> {
  const { signer, close } = await openTokenSigner({ ...sel(), keyId: hsm.rsaId, pinProvider: scripted([pin]) })
  try {
    const data = Buffer.from('x')
    const sig = await signer.signDigest(createHash('sha256').update(data).digest(), { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })
    const key = createPublicKey({ key: `-----BEGIN CERTIFICATE-----\n${Buffer.from(signer.certificate).toString('base64')}\n-----END CERTIFICATE-----`, format: 'pem' })
    return verify('sha256', data, key, Buffer.from(sig))
  } finally {
    await close()
  }
}

beforeAll(async () => {
  tmp = tempDir('paraphe-hsm-pin-')
  hsm = await createSoftHsmFixture(tmp.dir, 'Paraphe Test HSM', [SECOND])
})
afterAll(() => tmp?.cleanup())

describe('PIN change and SO unblock on SoftHSM2', () => {
  it('changes the PIN after a wrong attempt was reported, never retried', async () => {
    expect(await changePin({ ...sel(), pinProvider: scripted(['9999', '5555']) })).toMatchObject({ status: 'incorrect', triesLeft: null, counter: { countLow: true } })
    expect(await changePin({ ...sel(), pinProvider: scripted([hsm.userPin, '5555']) })).toEqual({ status: 'ok' })
    expect(await signs('5555')).toBe(true)
    await expect(signs(hsm.userPin)).rejects.toMatchObject({ code: 'PIN_INCORRECT' })
  })

  it('resets the PIN with the SO PIN (C_Login CKU_SO + C_InitPIN)', async () => {
    const status = await readPinStatus(sel())
    expect(status.unblockStyle).toBe('so-pin')
    expect(status.pin.source).toBe('pkcs11-flags')
    expect(await unblockPin({ ...sel(), pinProvider: scripted(['00000000', '2468']) })).toMatchObject({ status: 'incorrect' })
    expect(await unblockPin({ ...sel(), pinProvider: scripted([hsm.soPin, '2468']) })).toEqual({ status: 'ok' })
    expect(await signs('2468')).toBe(true)
    expect(await changePin({ ...sel(), pinProvider: scripted(['2468', hsm.userPin]) })).toEqual({ status: 'ok' })
  })

  it('refuses a new PIN outside the token limits before touching the token', async () => {
    const asked: string[] = []
    const provider: PinProvider = async (r) => (asked.push(r.purpose), { pin: new TextEncoder().encode(r.purpose === 'new-pin' ? '12' : hsm.userPin) })
    expect(await changePin({ ...sel(), pinProvider: provider })).toMatchObject({ status: 'new-pin-rejected' })
    expect(asked).toEqual(['current-pin', 'new-pin'])
    expect(await signs(hsm.userPin)).toBe(true)
  })
})

describe('discovery', () => {
  it('reports a missing module and files that are not PKCS#11 libraries in plain words', () => {
    const text = join(tmp.dir, 'not-a-module.so')
    writeFileSync(text, 'plain text')
    const zlib = ['/usr/lib/x86_64-linux-gnu/libz.so.1', '/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/aarch64-linux-gnu/libz.so.1'].find((p) => existsSync(p))
    const listing = listTokens({ modules: [join(tmp.dir, 'missing.so'), text, ...(zlib ? [zlib] : [])], builtin: false, env: {} })
    expect(listing.modules[0]).toMatchObject({ status: 'not-installed', reasonCode: 'missing-file', reason: expect.stringContaining('does not exist') })
    expect(listing.modules[1]).toMatchObject({ status: 'failed', reasonCode: 'not-pkcs11', reason: expect.stringContaining('not a PKCS#11 library') })
    if (zlib) expect(listing.modules[2]).toMatchObject({ status: 'failed', reasonCode: 'not-pkcs11' })
  })

  it('lists several modules at once and shows a token seen through two modules once', () => {
    // A copy of the SoftHSM2 library is a second module (its own dlopen) over the same token store.
    const copy = join(tmp.dir, 'libsofthsm2-copy.so')
    copyFileSync(SOFTHSM_MODULE, copy)
    const listing = listTokens({ modules: [SOFTHSM_MODULE, copy], builtin: false, env: {} })
    expect(listing.modules.map((m) => m.status)).toEqual(['loaded', 'loaded'])
    const first = listing.modules[0]!.slots.flatMap((s) => (s.token ? [s.token] : []))
    const second = listing.modules[1]!.slots.flatMap((s) => (s.token ? [s.token] : []))
    expect(first.map((t) => t.label)).toEqual(expect.arrayContaining([hsm.label, SECOND]))
    expect(second.filter((t) => t.label === hsm.label)).toEqual([])
    expect(first.find((t) => t.label === hsm.label)!.alsoVisibleThrough).toEqual([copy])
  })
})

describe('token details', () => {
  it('shows mechanisms, key pairing, policies mapped to a level and days left', async () => {
    const d = await readTokenDetails(sel())
    expect(d.mechanisms.find((m) => m.name === 'CKM_RSA_PKCS')?.sign).toBe(true)
    expect(d.certificates.map((c) => c.id).sort()).toEqual(['01', '02'])
    const rsa = d.certificates.find((c) => c.id === '01')!
    expect(rsa).toMatchObject({ signatureCertificate: true, validNow: true, level: 'test', publicKey: { type: 'RSA', bits: 2048 }, qcStatements: null })
    expect(rsa.policies[0]).toMatchObject({ oid: '1.2.250.1.999.1', ca: 'Paraphe Test PKI' })
    expect(rsa.daysLeft).toBeGreaterThan(700)
    expect(d.certificates.find((c) => c.id === '02')!.publicKey).toMatchObject({ type: 'EC', curve: 'prime256v1' })
  })
})

describe('CLI', () => {
  const env = () => ({ PARAPHE_PKCS11_MODULES: SOFTHSM_MODULE, SOFTHSM2_CONF: hsm.conf })

  it('certs --json lists the certificates with details; --export writes PEM once, refuses to overwrite', async () => {
    const r = await cli(['certs', '--token', hsm.label, '--no-builtin', '--json'], { env: env() })
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out) as { tokens: Array<{ label: string; certificates: Array<{ id: string; level: string }> }> }
    expect(json.tokens).toHaveLength(1)
    expect(json.tokens[0]!.certificates.find((c) => c.id === '01')!.level).toBe('test')
    const out = join(tmp.dir, 'exported.pem')
    expect((await cli(['certs', '--token', hsm.label, '--no-builtin', '--export', '01', '--out', out], { env: env() })).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
    const again = await cli(['certs', '--token', hsm.label, '--no-builtin', '--export', '01', '--out', out], { env: env() })
    expect(again.code).toBe(2)
    expect(again.err).toMatch(/already exists/)
  })

  it('pin status --json has the counter fields; pin change reads PINs from stdin; a wrong PIN exits 3', async () => {
    const s = await cli(['pin', 'status', '--token', hsm.label, '--no-builtin', '--json'], { env: env() })
    expect(s.code).toBe(0)
    expect(JSON.parse(s.out)).toMatchObject({ triesLeft: null, maxTries: null, countLow: false, finalTry: false, locked: false, pinpad: false, token: { label: hsm.label } })
    const wrong = await cli(['pin', 'change', '--token', hsm.label, '--no-builtin', '--pin-stdin'], { env: env(), stdin: '0000\n7777\n' })
    expect(wrong.code).toBe(3)
    expect(wrong.err).toMatch(/wrong PIN/)
    expect(wrong.err).not.toMatch(/0000|7777/)
    const ok = await cli(['pin', 'change', '--token', hsm.label, '--no-builtin', '--pin-stdin'], { env: env(), stdin: `${hsm.userPin}\r\n7777\r\n` })
    expect(ok).toMatchObject({ code: 0, out: 'PIN changed.' })
    const back = await cli(['pin', 'change', '--token', hsm.label, '--no-builtin'], { env: { ...env(), PARAPHE_PIN: '7777', PARAPHE_NEW_PIN: hsm.userPin } })
    expect(back.code).toBe(0)
    const noPin = await cli(['pin', 'change', '--token', hsm.label, '--no-builtin'], { env: env() })
    expect(noPin.code).toBe(2)
    expect((await cli(['pin', 'status', '--token', 'Nope', '--no-builtin'], { env: env() })).code).toBe(2)
  })
})

describe('IPC handlers', () => {
  it('pinStatus, changePin and a failure that never echoes the PIN', async () => {
    const logs: string[] = []
    const router = createRouter(createHandlers({ emit: () => undefined, settingsModules: () => [SOFTHSM_MODULE], env: { SOFTHSM2_CONF: hsm.conf }, version: 't' }), (l) => logs.push(l))
    const status = await router.invoke('tokens:pin-status', { modulePath: SOFTHSM_MODULE, tokenLabel: hsm.label })
    expect(status).toMatchObject({ ok: true, value: { pin: { locked: false }, unblockStyle: 'so-pin' } })
    const wrong = await router.invoke('tokens:change-pin', { modulePath: SOFTHSM_MODULE, tokenLabel: hsm.label, currentPin: '31415', newPin: '27182' })
    expect(wrong).toMatchObject({ ok: true, value: { status: 'incorrect' } })
    expect(JSON.stringify(wrong)).not.toMatch(/31415|27182/)
    const missing = await router.invoke('tokens:change-pin', { modulePath: SOFTHSM_MODULE, tokenLabel: 'absent', currentPin: '31415', newPin: '27182' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'TOKEN_NOT_FOUND' } })
    const bad = await router.invoke('tokens:change-pin', { modulePath: SOFTHSM_MODULE, tokenLabel: hsm.label, currentPin: '31415', newPin: 'x'.repeat(65) })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    expect(JSON.stringify([missing, bad, logs])).not.toMatch(/31415|27182|xxxxxxxx/)
    const details = await router.invoke('tokens:details', { tokenLabel: hsm.label })
    expect(details).toMatchObject({ ok: true })
    const sha256 = (details as { value: Array<{ certificates: Array<{ id: string; sha256: string }> }> }).value[0]!.certificates.find((c) => c.id === '02')!.sha256
    const path = join(tmp.dir, 'ec.der')
    expect(await router.invoke('tokens:export-certificate', { modulePath: SOFTHSM_MODULE, tokenLabel: hsm.label, sha256, format: 'der', path })).toEqual({ ok: true, value: { path } })
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(sha256)
  })
})
