// `npm run demo-token` provisions a real SoftHSM2 token; the CLI then lists it with its demo
// certificate. Runs the built CLI (bin/paraphe.js) as a user would.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { TokenListingSchema } from '../../../src/shared/model/token'

const run = promisify(execFile)
const BIN = resolve(__dirname, '../../../bin/paraphe.js')

describe('demo token', () => {
  it('creates "Paraphe Démo" once, with an on-token key and a certificate marked as demonstration', async () => {
    const appData = mkdtempSync(join(tmpdir(), 'paraphe-demo-'))
    const env: NodeJS.ProcessEnv = { ...process.env, PARAPHE_APP_DATA: appData }
    delete env['SOFTHSM2_CONF'] // the demo token's own configuration must be picked up
    delete env['PARAPHE_PKCS11_MODULES']

    const first = await run(process.execPath, [BIN, 'demo-token'], { env })
    expect(first.stdout).toMatch(/Created the demo token "Paraphe Démo" \(PIN 123456\)/)
    const second = await run(process.execPath, [BIN, 'demo-token'], { env })
    expect(second.stdout).toMatch(/already exists/)

    const { stdout } = await run(process.execPath, [BIN, 'tokens', '--json'], { env })
    const listing = TokenListingSchema.parse(JSON.parse(stdout))
    const softhsm = listing.modules.find((m) => m.name === 'SoftHSM2')
    expect(softhsm?.status).toBe('loaded')
    // SoftHSM2 always offers one more, uninitialised token: it is listed but flagged as such.
    const tokens = softhsm!.slots.flatMap((s) => (s.token?.flags.tokenInitialized ? [s.token] : []))
    expect(tokens.map((t) => t.label)).toEqual(['Paraphe Démo'])
    const [cert] = tokens[0]!.certificates
    expect(cert).toMatchObject({ id: '01', hasPrivateKey: true, subjectCommonName: 'Démo Paraphe (NON RGS - démonstration)' })
    expect(cert!.keyUsage).toContain('nonRepudiation')
    expect(readFileSync(join(appData, 'demo-token', 'demo-ca.pem'), 'utf8')).toMatch(/BEGIN CERTIFICATE/)
  })
})
