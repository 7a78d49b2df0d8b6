/**
 * XAdES details on real DSS files (signature timestamp imprint over the canonical SignatureValue,
 * a damaged timestamp token) and canonicalization on small documents whose canonical form follows
 * from the C14N rules (namespace rendering, attribute order, escaping, xml:* inheritance).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createVerificationContext } from '../../../../src/main/core/verify/context'
import { C14N10, C14N10_COMMENTS, C14N11, EXC_C14N, c14nMethod, canonicalize } from '../../../../src/main/core/verify/xml/c14n'
import { parseXmlBytes } from '../../../../src/main/core/verify/xml/dom'
import { verifyXml } from '../../../../src/main/core/verify/xml/verify-xml'

const LTA = resolve(__dirname, '../../../fixtures/corpus/dss/xades/dss1987__data2sign-signed-xades-enveloped-baseline-lta.xml')
const dir = mkdtempSync(join(tmpdir(), 'paraphe-xades-verify-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-29T12:00:00Z') })

describe('XAdES signature timestamp', () => {
  it('verifies the token and its imprint over the canonical SignatureValue, and uses its time', async () => {
    const r = await verifyXml(LTA, ctx)
    expect(r.integrity).toBe('intact')
    const s = r.signatures[0]!
    expect(s.level).toBe('B-T')
    expect(s.timestamp).toEqual({ time: '2020-02-11T21:13:19.000Z', tsa: 'tsa.izenpe.com', valid: true, message: null })
    expect(s.checks.find((c) => c.id === 'signature timestamp-imprint')?.status).toBe('passed')
    // The signer certificate expired in 2020 but the timestamp proves the signature existed before.
    expect(s.checks.some((c) => c.id === 'validity' && /valid at the proven signature time/.test(c.message))).toBe(true)
  })

  it('breaks when the timestamp token is damaged', async () => {
    const text = readFileSync(LTA, 'utf8')
    const m = /(<xades:SignatureTimeStamp[\s\S]*?<xades:EncapsulatedTimeStamp[^>]*>)([^<]+)(<)/.exec(text)!
    const token = Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')
    token[token.length - 10] = token[token.length - 10]! ^ 0x01 // inside the TSA's signature value
    const damaged = join(dir, 'damaged-ts.xml')
    writeFileSync(damaged, text.replace(m[0], m[1] + token.toString('base64') + m[3]))
    const r = await verifyXml(damaged, ctx)
    expect(r.integrity).toBe('broken')
    expect(r.signatures[0]?.timestamp?.valid).toBe(false)
    expect(r.signatures[0]?.indication).toBe('TOTAL_FAILED')
  })
})

function c14n(xml: string, alg: string, select?: (doc: ReturnType<typeof parseXmlBytes>['doc']) => unknown, prefixes: string[] = []): string {
  const { doc } = parseXmlBytes(Buffer.from(xml, 'utf8'))
  const apex = (select ? select(doc) : doc) as Parameters<typeof canonicalize>[0]['apex']
  return canonicalize({ apex, exclude: new Set(), commentsInSet: true }, c14nMethod(alg)!, prefixes).toString('utf8')
}

describe('canonicalization', () => {
  const doc = '<?xml version="1.0"?>\n<!--before-->\n<a xmlns="http://x" xmlns:b="http://b" b:z="1" a="2" xml:lang="fr"><b:c/>\r\n<!--in--><d  e="tab\tand&#10;line">t&amp;&lt;&gt;&#13;"\'</d></a>\n<?pi data?>'

  // A literal tab in an attribute is normalized to a space by the parser; &#10; stays a line feed.
  it('renders a whole document (C14N 1.0): attributes sorted by namespace URI then name, expanded empty elements, escaping, no XML declaration', () => {
    expect(c14n(doc, C14N10)).toBe('<a xmlns="http://x" xmlns:b="http://b" a="2" b:z="1" xml:lang="fr"><b:c></b:c>\n<d e="tab and&#xA;line">t&amp;&lt;&gt;&#xD;"\'</d></a>\n<?pi data?>')
  })

  it('keeps comments only in the WithComments variant, with line breaks around the root', () => {
    expect(c14n(doc, C14N10_COMMENTS)).toBe('<!--before-->\n<a xmlns="http://x" xmlns:b="http://b" a="2" b:z="1" xml:lang="fr"><b:c></b:c>\n<!--in--><d e="tab and&#xA;line">t&amp;&lt;&gt;&#xD;"\'</d></a>\n<?pi data?>')
  })

  it('inclusive subtree: all in-scope namespaces and inherited xml:lang on the apex', () => {
    const d = (x: ReturnType<typeof parseXmlBytes>['doc']) => x.getElementsByTagName('d')[0]
    expect(c14n(doc, C14N10, d)).toBe('<d xmlns="http://x" xmlns:b="http://b" e="tab and&#xA;line" xml:lang="fr">t&amp;&lt;&gt;&#xD;"\'</d>')
    expect(c14n(doc, C14N11, d)).toBe('<d xmlns="http://x" xmlns:b="http://b" e="tab and&#xA;line" xml:lang="fr">t&amp;&lt;&gt;&#xD;"\'</d>')
  })

  it('exclusive subtree: only visibly used namespaces, no xml:* inheritance, InclusiveNamespaces honoured', () => {
    const d = (x: ReturnType<typeof parseXmlBytes>['doc']) => x.getElementsByTagName('d')[0]
    expect(c14n(doc, EXC_C14N, d)).toBe('<d xmlns="http://x" e="tab and&#xA;line">t&amp;&lt;&gt;&#xD;"\'</d>')
    expect(c14n(doc, EXC_C14N, d, ['b'])).toBe('<d xmlns="http://x" xmlns:b="http://b" e="tab and&#xA;line">t&amp;&lt;&gt;&#xD;"\'</d>')
  })

  it('undeclares the default namespace only where an output ancestor declared one', () => {
    const x = '<r xmlns="http://x"><s xmlns=""><t/></s></r>'
    expect(c14n(x, C14N10)).toBe('<r xmlns="http://x"><s xmlns=""><t></t></s></r>')
    expect(c14n(x, EXC_C14N, (d) => d.getElementsByTagName('s')[0])).toBe('<s><t></t></s>')
  })
})
