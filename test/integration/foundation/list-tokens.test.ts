// The first vertical slice on real components: the SoftHSM2 token and the virtual PIV card behind
// pcscd + OpenSC, listed with their certificates by the core API and by the built CLI.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { listTokens } from '../../../src/main/core/token/list-tokens'
import { TokenListingSchema, type TokenInfo, type TokenListing } from '../../../src/shared/model/token'
import { loadTestEnv, type TestEnvDescription } from '../../support/env'

const run = promisify(execFile)
const BIN = resolve(__dirname, '../../../bin/paraphe.js')

function initialisedTokens(listing: TokenListing): Array<{ module: string; token: TokenInfo }> {
  return listing.modules.flatMap((m) => m.slots.flatMap((s) => (s.token?.flags.tokenInitialized ? [{ module: m.path, token: s.token }] : [])))
}

function sha256OfPem(path: string): string {
  const b64 = readFileSync(path, 'utf8').replace(/-----[^-]+-----|\s/g, '')
  return createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex')
}

let env: TestEnvDescription
beforeAll(() => {
  env = loadTestEnv()
})

function expectBothTokens(listing: TokenListing): void {
  const tokens = initialisedTokens(listing)
  const softhsm = tokens.find((t) => t.token.label === env.softhsm.label)
  expect(softhsm, 'SoftHSM2 token listed').toBeDefined()
  expect(softhsm!.module).toBe(env.softhsm.modulePath)
  expect(softhsm!.token.serialNumber).toBe(env.softhsm.serial)
  expect(softhsm!.token.certificates.map((c) => [c.id, c.sha256, c.hasPrivateKey]).sort()).toEqual(
    env.softhsm.keys.map((k) => [k.id, sha256OfPem(k.certPemPath), true]).sort(),
  )
  expect(softhsm!.token.flags.loginRequired).toBe(true)

  const card = tokens.find((t) => t.module === env.vcard!.modulePath)
  expect(card, 'virtual PIV card listed through OpenSC').toBeDefined()
  expect(card!.token.manufacturer).toMatch(/piv/i)
  const cardCerts = card!.token.certificates.map((c) => c.sha256).sort()
  expect(cardCerts).toEqual(env.vcard!.slots.map((s) => sha256OfPem(s.certPemPath)).sort())
  for (const c of card!.token.certificates) expect(c.keyUsage).toContain('nonRepudiation')
}

describe('token listing on real tokens', () => {
  it('the core API lists the SoftHSM2 token and the virtual card with their certificates', () => {
    expect(env.vcard, 'the virtual card is part of the test environment').not.toBeNull()
    const listing = listTokens({ modules: [env.softhsm.modulePath, env.vcard!.modulePath], builtin: false, env: {} })
    expect(listing.modules.map((m) => m.status)).toEqual(['loaded', 'loaded'])
    expectBothTokens(listing)
  })

  it('`paraphe tokens --json` lists the same, with modules from PARAPHE_PKCS11_MODULES', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'tokens', '--json', '--no-builtin'], {
      env: { ...process.env, PARAPHE_PKCS11_MODULES: `${env.softhsm.modulePath}:${env.vcard!.modulePath}` },
    })
    const listing = TokenListingSchema.parse(JSON.parse(stdout))
    expect(listing.modules.map((m) => m.source)).toEqual(['environment', 'environment'])
    expectBothTokens(listing)
  })

  it('the human output names both tokens and their holders', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'tokens', '--no-builtin', '--module', env.softhsm.modulePath, '--module', env.vcard!.modulePath])
    expect(stdout).toContain(`token "${env.softhsm.label}"`)
    expect(stdout).toMatch(/key\+cert/)
  })

  it('a module given twice (and through a symbolic path) is listed once', () => {
    const listing = listTokens({ modules: [env.softhsm.modulePath, env.softhsm.modulePath], builtin: false, env: {} })
    expect(listing.modules).toHaveLength(1)
  })
})
