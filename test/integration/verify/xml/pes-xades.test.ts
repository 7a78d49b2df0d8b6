/**
 * XAdES / PES verification end to end with the local test PKI: PES V2 files (ISO-8859-1) whose
 * bordereaux are signed (RSA and ECDSA raw r||s) by the bench generator, each signature checked by
 * xmlsec1 as an independent oracle, then by verifyFile with the root as user anchor: online OCSP
 * against the local services, offline mode, a revoked signer, tampering.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeHttpClient } from '../../../../src/main/core/net/http'
import { createVerificationContext, verifyFile } from '../../../../src/main/core/verify/index'
import { createTestPki, type PkiCertName } from '../../../support/pki'
import { startPkiServices, type PkiServices } from '../../../support/services'
// @ts-expect-error plain ESM tool without type declarations
import { generateSignedPes, xmlsecVerify } from '../../../../tools/bench/pes-generator.mjs'

let dir: string
let svc: PkiServices
const files: Partial<Record<PkiCertName, { path: string; ids: string[] }>> = {}

function makePes(name: PkiCertName, count = 3): void {
  const c = svc.pki.certs[name]
  const path = join(dir, `${name}.xml`)
  const ids = generateSignedPes({ out: path, count, signer: { key: c.keyPemPath, der: c.certDer }, chainDer: [svc.pki.certs.intermediate.certDer] })
  files[name] = { path, ids }
}

function context(extra: { offline?: boolean } = {}) {
  return createVerificationContext({
    offline: extra.offline ?? false,
    http: createNodeHttpClient({ timeoutMs: 5000 }),
    trustFiles: [svc.pki.rootPemPath],
    bundledAnchors: false,
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-verify-xml-'))
  svc = await startPkiServices((baseUrl) => createTestPki(join(dir, 'pki'), { baseUrl }))
  makePes('signerRsa')
  makePes('signerEc')
  makePes('signerRevoked', 1)
}, 120_000)

afterAll(async () => {
  await svc?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('PES signed per bordereau', () => {
  it('every generated signature verifies with xmlsec1 (independent oracle)', () => {
    for (const name of ['signerRsa', 'signerEc'] as const) {
      const f = files[name]!
      for (const id of f.ids) expect(xmlsecVerify(f.path, id, svc.pki.rootPemPath), `${name} ${id}`).toBe(true)
    }
  })

  it('passes every bordereau signature, RSA and ECDSA, with a trusted chain and online revocation', async () => {
    for (const name of ['signerRsa', 'signerEc'] as const) {
      const r = await verifyFile(files[name]!.path, { ctx: context() })
      expect(r.fileType).toBe('pes')
      expect(r.integrity, name).toBe('intact')
      expect(r.trust, name).toBe('trusted')
      expect(r.signatures).toHaveLength(3)
      for (const [i, s] of r.signatures.entries()) {
        expect(s.indication, `${name} ${s.id}: ${JSON.stringify(s.checks.filter((c) => c.status !== 'passed' && c.status !== 'info'))}`).toBe('TOTAL_PASSED')
        expect(s.format).toBe('XAdES')
        expect(s.coverage.description).toBe(`signature covers bordereau BORD${i + 1} (${i + 1} of 3); PES header not covered`)
        expect(s.signer?.sha256).toBe(createHash('sha256').update(svc.pki.certs[name].certDer).digest('hex'))
        expect(s.chain.length).toBeGreaterThanOrEqual(2)
      }
    }
  })

  it('offline: integrity intact, but the verdict stays undecided and says why', async () => {
    const r = await verifyFile(files.signerRsa!.path, { ctx: context({ offline: true }) })
    expect(r.integrity).toBe('intact')
    expect(r.signatures[0]?.indication).toBe('INDETERMINATE')
    expect(r.signatures[0]?.checks.some((c) => c.id === 'revocation' && c.status !== 'passed')).toBe(true)
  })

  it('a revoked signer fails', async () => {
    const r = await verifyFile(files.signerRevoked!.path, { ctx: context() })
    expect(r.integrity).toBe('intact')
    expect(r.trust).toBe('revoked')
    expect(r.signatures[0]?.indication).not.toBe('TOTAL_PASSED')
  })

  it('an accented label changed in one bordereau breaks that signature only', async () => {
    const text = readFileSync(files.signerRsa!.path).toString('latin1')
    const second = text.indexOf('<Bordereau Id="BORD2">')
    const at = text.indexOf('Société', second)
    expect(at).toBeGreaterThan(second)
    const tampered = join(dir, 'tampered.xml')
    writeFileSync(tampered, Buffer.from(text.slice(0, at) + 'Sociétè' + text.slice(at + 'Société'.length), 'latin1'))
    const r = await verifyFile(tampered, { ctx: context() })
    expect(r.integrity).toBe('broken')
    expect(r.signatures.map((s) => s.integrity)).toEqual(['intact', 'broken', 'intact'])
    expect(r.signatures[1]?.subIndication).toBe('HASH_FAILURE')
  })
})
