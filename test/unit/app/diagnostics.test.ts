// Diagnostics bundle and the raw-text preview used by the desktop screens.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildDiagnostics } from '../../../src/main/core/diagnostics'
import { readTextPreview } from '../../../src/main/core/files/read-text'
import type { TokenListing } from '../../../src/shared/model/token'

const flags = {
  tokenInitialized: true, loginRequired: true, userPinInitialized: true, protectedAuthenticationPath: false, writeProtected: false,
  userPinCountLow: true, userPinFinalTry: false, userPinLocked: false, userPinToBeChanged: false, soPinCountLow: false, soPinFinalTry: false, soPinLocked: false,
}
const listing: TokenListing = {
  modules: [
    {
      path: '/usr/lib/softhsm/libsofthsm2.so', source: 'settings', name: 'SoftHSM2', status: 'loaded', reasonCode: null, reason: null,
      library: { manufacturer: 'SoftHSM', description: 'Implementation of PKCS11', version: '2.6', cryptokiVersion: '2.40' },
      slots: [{ slotId: '1', description: 'slot', manufacturer: 'SoftHSM', tokenPresent: true, removableDevice: false, hardwareSlot: false,
        token: { label: 'Mairie', manufacturer: 'SoftHSM', model: 'v2', serialNumber: 'abc', flags, minPinLength: 4, maxPinLength: 255, error: null,
          certificates: [{ id: '01', label: 'k', subject: 'CN=Jeanne', subjectCommonName: 'Jeanne', organization: null, issuer: 'CN=CA', issuerCommonName: 'CA', serialNumber: '01',
            notBefore: '2026-01-01T00:00:00Z', notAfter: '2028-01-01T00:00:00Z', keyUsage: ['nonRepudiation'], sha256: 'ff'.repeat(32), hasPrivateKey: true, der: 'MIIBIGNvbnRlbnQ=' }] } }],
    },
    { path: '/opt/idopte/libidop11.so', source: 'builtin', name: 'IDOPTE', status: 'not-installed', reasonCode: 'missing-file', reason: 'file not found', installHint: 'install SCMiddleware', library: null, slots: [] },
    { path: '/tmp/x.so', source: 'settings', name: 'x.so', status: 'failed', reasonCode: 'not-pkcs11', reason: 'not a PKCS#11 library', library: null, slots: [] },
  ],
}

describe('buildDiagnostics', () => {
  it('describes OS, modules, tokens and PIN counters, lists the errors, and carries no certificate body', () => {
    const d = buildDiagnostics({
      version: '1.2.3',
      listing,
      listingError: null,
      pinCounters: [{ modulePath: '/usr/lib/softhsm/libsofthsm2.so', label: 'Mairie', serialNumber: 'abc', pin: null, error: 'token busy' }],
      env: { PARAPHE_PKCS11_MODULES: '/a.so', HOME: '/home/secret-user', PARAPHE_PIN: '1234' },
      now: new Date('2026-11-29T10:00:00Z'),
    })
    expect(d).toMatchObject({ kind: 'paraphe-diagnostics', paraphe: '1.2.3', createdAt: '2026-11-29T10:00:00.000Z', os: { platform: process.platform } })
    const modules = d['modules'] as Array<{ status: string; installHint: string | null; slots: Array<{ token: { certificates: Array<Record<string, unknown>> } | null }> }>
    expect(modules.map((m) => m.status)).toEqual(['loaded', 'not-installed', 'failed'])
    expect(modules[1]!.installHint).toBe('install SCMiddleware')
    expect(modules[0]!.slots[0]!.token!.certificates[0]).not.toHaveProperty('der')
    expect(d['errors']).toEqual(['/tmp/x.so: not a PKCS#11 library', 'pinStatus Mairie: token busy'])
    const text = JSON.stringify(d)
    expect(text).not.toContain('1234') // PARAPHE_PIN is never copied
    expect(text).not.toContain('secret-user')
    expect(d['environment']).toMatchObject({ PARAPHE_PKCS11_MODULES: '/a.so' })
  })

  it('keeps going when the listing itself failed', () => {
    const d = buildDiagnostics({ version: '1', listing: null, listingError: 'no module', pinCounters: [], env: {} })
    expect(d['modules']).toEqual([])
    expect(d['errors']).toEqual(['listTokens: no module'])
  })
})

describe('readTextPreview', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paraphe-text-'))
  it('decodes ISO-8859-1 when the XML prolog says so, UTF-8 otherwise', async () => {
    const latin = join(dir, 'latin.xml')
    writeFileSync(latin, Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>'), Buffer.from([0xe9]), Buffer.from('</a>')]))
    expect((await readTextPreview(latin)).text).toContain('<a>é</a>')
    const utf8 = join(dir, 'utf8.xml')
    writeFileSync(utf8, '<?xml version="1.0"?><a>é</a>')
    expect(await readTextPreview(utf8)).toEqual({ text: '<?xml version="1.0"?><a>é</a>', truncated: false })
  })
  it('is bounded, refuses binary files and says when a file is missing', async () => {
    const big = join(dir, 'big.xml')
    writeFileSync(big, 'x'.repeat(5000))
    expect(await readTextPreview(big, 1000)).toEqual({ text: 'x'.repeat(1000), truncated: true })
    const bin = join(dir, 'bin.xml')
    writeFileSync(bin, Buffer.from([1, 2, 0, 3]))
    await expect(readTextPreview(bin)).rejects.toMatchObject({ code: 'INVALID_REQUEST' })
    await expect(readTextPreview(join(dir, 'missing.xml'))).rejects.toMatchObject({ code: 'IO_ERROR' })
  })
})
