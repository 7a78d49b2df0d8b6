/**
 * Hostile CMS input: truncations and bit flips of real CAdES files (DSS corpus) always give a
 * verdict, never an exception, and never `intact` when the signed bytes were changed.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createVerificationContext } from '../../../src/main/core/verify/context'
import { parseSignedData, verifyCmsSignatures } from '../../../src/main/core/verify/cms/verify-cms'

const corpus = join(__dirname, '..', '..', 'fixtures', 'corpus', 'dss', 'cades')
const ctx = createVerificationContext({ offline: true, bundledAnchors: false, now: () => new Date('2026-11-01T00:00:00Z') })

// deterministic pseudo-random positions
function* positions(seed: number, n: number, max: number): Generator<number> {
  let x = seed
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    yield x % max
  }
}

describe('verifyCmsSignatures on damaged input', () => {
  const original = new Uint8Array(readFileSync(join(corpus, 'cades-bes-signeddata-enveloping.p7m')))

  it('the undamaged file is intact (control)', async () => {
    const reports = await verifyCmsSignatures(original, { encapsulated: true }, ctx)
    expect(reports.map((r) => r.integrity)).toEqual(['intact'])
  })

  it('truncated files: always a verdict, never intact', async () => {
    for (const len of [0, 1, 2, 10, 100, original.length >> 1, original.length - 1]) {
      const reports = await verifyCmsSignatures(original.subarray(0, len), { encapsulated: true }, ctx)
      expect(reports.length).toBeGreaterThan(0)
      expect(reports.every((r) => r.integrity !== 'intact')).toBe(true)
    }
  })

  it('bit flips: always a verdict, and never intact when the flip hits what the signature covers', async () => {
    // Regions the signature protects: the encapsulated content, the signed attributes, the signature value.
    const parsed = parseSignedData(original)
    const si = parsed.signedData.signerInfos[0]!
    const buf = Buffer.from(original)
    const region = (bytes: Uint8Array) => {
      const at = buf.indexOf(Buffer.from(bytes))
      expect(at).toBeGreaterThan(0)
      return [at, at + bytes.length] as const
    }
    const covered = [region(parsed.eContent!), region(new Uint8Array(si.signedAttrs!.encodedValue).subarray(2)), region(new Uint8Array(si.signature.valueBlock.valueHexView))]
    let checked = 0
    for (const pos of positions(7, 60, original.length)) {
      const damaged = new Uint8Array(original)
      damaged[pos]! ^= 1 << pos % 8
      const reports = await verifyCmsSignatures(damaged, { encapsulated: true }, ctx)
      expect(reports.length).toBeGreaterThan(0)
      if (covered.some(([a, b]) => pos >= a && pos < b)) {
        checked++
        expect(reports.some((r) => r.integrity !== 'intact'), `flip at ${pos}`).toBe(true)
      }
    }
    expect(checked).toBeGreaterThan(5)
  })
})

describe('archive timestamps v3 (EN 319 122-1 5.5.3)', () => {
  const lta = new Uint8Array(readFileSync(join(corpus, 'counterSignedLTA.p7s')))

  it('recomputes the archive imprint of DSS LTA signatures', async () => {
    for (const file of ['counterSignedLTA.p7s', 'CAdESDoubleLTA.p7m']) {
      const reports = await verifyCmsSignatures(new Uint8Array(readFileSync(join(corpus, file))), { encapsulated: true }, ctx)
      const imprints = reports[0]!.checks.filter((c) => c.id === 'archive timestamp-imprint')
      expect(imprints.length, file).toBeGreaterThan(0)
      expect(imprints.every((c) => c.status === 'passed'), file).toBe(true)
    }
  })

  it('a changed ats-hash-index (unsigned, so not caught by the token signature) breaks the imprint', async () => {
    // DER of OBJECT IDENTIFIER 0.4.0.19122.1.5 (id-aa-ATSHashIndex-v3)
    const oid = Buffer.from('060704008195320105', 'hex')
    const at = Buffer.from(lta).indexOf(oid)
    expect(at).toBeGreaterThan(0)
    const damaged = new Uint8Array(lta)
    damaged[at + oid.length + 30]! ^= 0x01
    const reports = await verifyCmsSignatures(damaged, { encapsulated: true }, ctx)
    expect(reports[0]!.checks.find((c) => c.id === 'archive timestamp-imprint')?.status).toBe('failed')
    expect(reports[0]!.integrity).toBe('broken')
  })
})
