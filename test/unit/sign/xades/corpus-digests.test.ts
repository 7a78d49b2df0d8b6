// Independent oracle for our c14n: PES files signed by other tools (Helios-profile signatures made by
// LiberSign / i-Parapheur era software, from the stela and pastell repositories). Recomputing every
// reference digest and checking every SignatureValue over the canonical SignedInfo must succeed.
import 'reflect-metadata'
import { createHash, verify, X509Certificate } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Element, Node } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { signingCertificateFacts } from '../../../../src/main/core/sign/xades/certificate'
import { HELIOS_POLICY_ID, loadSignaturePolicy, parseSignaturePolicy } from '../../../../src/main/core/sign/xades/policy'
import { canonicalize } from '../../../../src/main/core/xml/c14n'
import { NS } from '../../../../src/main/core/xml/namespaces'
import { parseXml } from '../../../../src/main/core/xml/parse'

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'pes')
const signedFiles = readdirSync(join(FIXTURES, 'signed')).filter((f) => f.endsWith('.xml'))

function byId(root: Node, id: string): Element | null {
  const stack: Node[] = [root]
  while (stack.length > 0) {
    const n = stack.pop() as Node
    if (n.nodeType === 1 && (n as Element).getAttribute('Id') === id) return n as Element
    for (let c = n.firstChild; c; c = c.nextSibling) stack.push(c)
  }
  return null
}
const child = (el: Element, ns: string, name: string) => el.getElementsByTagNameNS(ns, name)[0] as Element

describe('c14n against signatures made by other tools', () => {
  it.each(signedFiles)('%s: every reference digest and the signature value check out', (file) => {
    const { document } = parseXml(readFileSync(join(FIXTURES, 'signed', file)))
    const signatures = Array.from(document.getElementsByTagNameNS(NS.ds, 'Signature'))
    expect(signatures.length).toBeGreaterThan(0)
    for (const sig of signatures) {
      for (const ref of Array.from(sig.getElementsByTagNameNS(NS.ds, 'Reference'))) {
        const target = byId(document, (ref.getAttribute('URI') as string).slice(1))
        expect(target).not.toBeNull()
        const alg = child(ref, NS.ds, 'DigestMethod').getAttribute('Algorithm') as string
        const digest = createHash(alg.endsWith('sha1') ? 'sha1' : 'sha256')
          .update(canonicalize(target as Element, { method: 'exc-c14n', exclude: (n) => n === sig }), 'utf8')
          .digest('base64')
        expect(digest).toBe(child(ref, NS.ds, 'DigestValue').textContent?.trim())
      }
      const certB64 = (child(sig, NS.ds, 'X509Certificate').textContent as string).replace(/\s/g, '')
      const method = child(sig, NS.ds, 'SignatureMethod').getAttribute('Algorithm') as string
      const signedInfo = canonicalize(child(sig, NS.ds, 'SignedInfo'), { method: 'exc-c14n' })
      const value = Buffer.from((child(sig, NS.ds, 'SignatureValue').textContent as string).replace(/\s/g, ''), 'base64')
      const cert = new X509Certificate(Buffer.from(certB64, 'base64'))
      expect(verify(method.endsWith('sha1') ? 'sha1' : 'sha256', Buffer.from(signedInfo, 'utf8'), cert.publicKey, value)).toBe(true)
    }
  })

  it('reads issuer and decimal serial as the Helios signatures write them', () => {
    const file = join(FIXTURES, 'signed', 'stela__test-perime-04-04-2016.xml')
    const { document } = parseXml(readFileSync(file))
    const certB64 = (document.getElementsByTagNameNS(NS.ds, 'X509Certificate')[0]?.textContent as string).replace(/\s/g, '')
    const facts = signingCertificateFacts(Buffer.from(certB64, 'base64'))
    expect(facts.serialDecimal).toBe(document.getElementsByTagNameNS(NS.ds, 'X509SerialNumber')[0]?.textContent)
    expect(facts.issuerName).toBe(document.getElementsByTagNameNS(NS.ds, 'X509IssuerName')[0]?.textContent)
    expect(facts.sha256.toString('base64')).toBe(document.getElementsByTagNameNS(NS.xades111, 'DigestValue')[0]?.textContent)
  })

  it('the Helios policy resource is valid data with the identifier and hash seen in signed PES files', () => {
    const policy = loadSignaturePolicy(join(__dirname, '..', '..', '..', '..', 'resources'), 'helios-pes-v2')
    const seen = readFileSync(join(FIXTURES, 'signed', 'pastell__SHA256_bordereau.xml'), 'latin1')
    expect(seen).toContain(`<xad:Identifier>${policy.identifier}</xad:Identifier>`)
    expect(seen).toContain(`<xad:DigestValue>${policy.hash.value}</xad:DigestValue>`)
    expect(seen).toContain(`<xad:SPURI>${policy.uri}</xad:SPURI>`)
    expect(() => loadSignaturePolicy('/nonexistent', '../etc')).toThrow(/invalid signature policy name/)
    expect(loadSignaturePolicy(undefined, HELIOS_POLICY_ID)).toEqual(policy)
    expect(() => parseSignaturePolicy({ ...policy, hash: { algorithm: 'SHA-256', value: 'AAAA' } })).toThrow(/not a SHA-256 digest/)
    expect(() => parseSignaturePolicy({ ...policy, identifier: 'not an identifier' })).toThrow(/identifier/)
  })
})
