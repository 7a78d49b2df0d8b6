/**
 * The external corpus as acceptance test for XML, PES and signed-ZIP verification: every entry of
 * expectations.json (fixtures copied under licence, RUB-NDS ODF attacks read from ../shared/corpus).
 * Zero false accepts; at least 95% in the expected class or an acceptable one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createVerificationContext } from '../../../../src/main/core/verify/context'
import { verifyContainer } from '../../../../src/main/core/verify/container/verify-container'
import { verifyXml } from '../../../../src/main/core/verify/xml/verify-xml'

// the licensed corpus copy shared with the whole-corpus test (test/fixtures/corpus/SOURCES.md)
const FIXTURES = resolve(__dirname, '../../../fixtures/corpus')
const SHARED = resolve(__dirname, '../../../../../shared/corpus')

interface Expectation {
  file: string
  class: string
  also_acceptable: string[]
}

// the XML side of the corpus: XAdES/XMLDSig, PES and signed OpenDocument files
const XML_SOURCES = ['dss/xades/', 'xmldsig-xmlsec/', 'pes/', 'odf-xades-attacks/']
const all: Expectation[] = (JSON.parse(readFileSync(join(FIXTURES, 'expectations.json'), 'utf8')).files as Expectation[]).filter((e) =>
  XML_SOURCES.some((prefix) => e.file.startsWith(prefix)),
)
const entries = all.filter((e) => e.class !== 'skip')
const odfPresent = existsSync(join(SHARED, 'odf-xades-attacks'))

function pathOf(e: Expectation): string | null {
  if (e.file.startsWith('odf-xades-attacks/')) return odfPresent ? join(SHARED, e.file) : null
  return join(FIXTURES, e.file)
}

const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-29T12:00:00Z') })

describe('XML / PES / signed ZIP corpus', () => {
  const misses: string[] = []
  let scored = 0
  for (const e of entries) {
    const path = pathOf(e)
    it.skipIf(!path)(`${e.file}: ${e.class}${e.also_acceptable.length ? ` (or ${e.also_acceptable.join(', ')})` : ''}`, async () => {
      const report = path!.endsWith('.odt') ? await verifyContainer(path!, ctx) : await verifyXml(path!, ctx)
      scored++
      const got = report.integrity
      if (got !== e.class && !e.also_acceptable.includes(got)) misses.push(`${e.file}: got ${got}, expected ${e.class}`)
      // The one error that must never happen: a damaged or wrapped file shown as intact.
      if (['partial', 'modified', 'broken'].includes(e.class)) expect(got).not.toBe('intact')
    })
  }

  it('meets at least 95% of the expected classes', () => {
    if (!odfPresent) console.warn(`skipped the RUB-NDS odf-xades-attacks entries: ${SHARED}/odf-xades-attacks not found (no licence to copy them)`)
    expect(scored).toBeGreaterThan(80)
    expect(misses.length / scored, misses.join('\n')).toBeLessThanOrEqual(0.05)
  })

  it('rejects every DSS signature-wrapping file that plain xmlsec1 accepts', async () => {
    for (const f of ['xsw__XSW-enveloped-fake-content.xml', 'xsw__XSW-enveloped-fake-content-misplaced.xml', 'xsw__XSW-enveloped-fake-content-two-same-id.xml', 'xsw__XSW-enveloping-fake-manifest.xml', 'xsw__disable-checks.xml']) {
      const report = await verifyXml(join(FIXTURES, 'dss/xades', f), ctx)
      expect(report.integrity, f).not.toBe('intact')
      expect(report.signatures.every((s) => s.indication !== 'TOTAL_PASSED'), f).toBe(true)
    }
    const original = await verifyXml(join(FIXTURES, 'dss/xades/xsw__original.xml'), ctx)
    expect(original.integrity).toBe('intact')
    expect(original.signatures[0]?.coverage.kind).toBe('whole')
  })

  it('reports a duplicate Id as signature wrapping', async () => {
    const report = await verifyXml(join(FIXTURES, 'dss/xades/xsw__XSW-enveloped-fake-content-two-same-id.xml'), ctx)
    expect(report.integrity).toBe('broken')
    expect(report.signatures[0]?.checks.some((c) => c.status === 'failed' && /2 elements carry the Id/.test(c.message))).toBe(true)
  })

  it('never fetches external references and says why the result is undecided', async () => {
    const report = await verifyXml(join(FIXTURES, 'xmldsig-xmlsec/merlin-xmldsig-twenty-three/signature-external-dsa.xml'), ctx)
    expect(report.integrity).toBe('indeterminate')
    expect(report.signatures[0]?.checks.some((c) => /not fetched/.test(c.message))).toBe(true)
  })

  it('verifies a detached signature over an http URI when the user gives the content (--content), never by fetching', async () => {
    const sig = join(FIXTURES, 'xmldsig-xmlsec/phaos-xmldsig-three/signature-rsa-detached.xml')
    expect(readFileSync(sig, 'utf8')).toContain('URI="http://www.ietf.org/rfc/rfc3161.txt"')
    expect((await verifyXml(sig, ctx)).integrity).toBe('indeterminate')
    const content = join(FIXTURES, 'xmldsig-xmlsec/external-data/rfc3161.txt')
    const given = await verifyXml(sig, ctx, { content })
    expect(given.integrity).toBe('intact')
    expect(given.signatures[0]?.coverage.description).toContain('rfc3161.txt')
    // The wrong file given as content: the digest says so.
    const wrong = await verifyXml(sig, ctx, { content: join(FIXTURES, 'xmldsig-xmlsec/external-data/xml-stylesheet-2018') })
    expect(wrong.integrity).toBe('broken')
    expect(wrong.signatures[0]?.subIndication).toBe('HASH_FAILURE')
  })

  it('refuses XSLT transforms by policy', async () => {
    const report = await verifyXml(join(FIXTURES, 'xmldsig-xmlsec/phaos-xmldsig-three/signature-rsa-detached-xslt-transform.xml'), ctx)
    expect(report.integrity).toBe('indeterminate')
    expect(report.signatures[0]?.checks.some((c) => /XSLT transform refused/.test(c.message))).toBe(true)
  })

  it('checks an HMAC only with a key, never as a signature by a person', async () => {
    const path = join(FIXTURES, 'xmldsig-xmlsec/merlin-xmldsig-twenty-three/signature-enveloping-hmac-sha1.xml')
    const { verifyXmlFile } = await import('../../../../src/main/core/verify/xml/verify-xml')
    const withoutKey = await verifyXmlFile(path, ctx)
    expect(withoutKey.signatures[0]?.integrity).toBe('indeterminate')
    const key = readFileSync(join(FIXTURES, 'needs/merlin-hmackey-secret.bin'))
    const withKey = await verifyXmlFile(path, ctx, { hmacKey: key })
    expect(withKey.signatures[0]?.checks.find((c) => c.id === 'signature-value')?.status).toBe('passed')
    expect(withKey.signatures[0]?.indication).not.toBe('TOTAL_PASSED')
    const wrongKey = await verifyXmlFile(path, ctx, { hmacKey: Buffer.from('not the secret') })
    expect(wrongKey.signatures[0]?.integrity).toBe('broken')
    // An HMAC truncated below 80 bits is refused whatever the key (CVE-2009-0217).
    const dir = mkdtempSync(join(tmpdir(), 'paraphe-hmac-'))
    try {
      const short = join(dir, 'hmac-40.xml')
      const original = readFileSync(join(FIXTURES, 'xmldsig-xmlsec/merlin-xmldsig-twenty-three/signature-enveloping-hmac-sha1-40.xml'), 'utf8')
      expect(original).toContain('HMACOutputLength>80<')
      writeFileSync(short, original.replace('HMACOutputLength>80<', 'HMACOutputLength>40<'))
      const truncated = await verifyXmlFile(short, ctx, { hmacKey: key })
      expect(truncated.signatures[0]?.integrity).toBe('broken')
      expect(truncated.signatures[0]?.checks.some((c) => /CVE-2009-0217/.test(c.message))).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
