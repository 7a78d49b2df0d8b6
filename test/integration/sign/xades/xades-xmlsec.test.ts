// Generic XAdES (EN 319 132, 1.3.2): enveloped, enveloping, detached, B-B and B-T, RSA and EC,
// verified by xmlsec1 against the local test PKI; B-T timestamps checked with `openssl ts -verify`.
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTsaClient } from '../../../../src/main/core/sign/timestamp/tsa-client'
import { signXml, TimestampFailedError } from '../../../../src/main/core/sign/xades'
import { canonicalize } from '../../../../src/main/core/xml/c14n'
import { NS } from '../../../../src/main/core/xml/namespaces'
import { parseXml } from '../../../../src/main/core/xml/parse'
import { createTestPki } from '../../../support/pki'
import { type PkiServices, startPkiServices } from '../../../support/services'
import { createSoftwareSigner } from '../../../support/software-signer'
import { runStatus } from '../../../support/util'
import { firstText, xmlsecVerify, type XmlsecTrust } from './helpers'

let svc: PkiServices
let dir: string
let trust: XmlsecTrust
let latinDoc: string
let utf8Doc: string
// ISO-8859-1, CRLF line ends, comments and a PI outside and inside the root, a default namespace
const LATIN_DOC = Buffer.from(
  '<?xml version="1.0" encoding="ISO-8859-1"?>\r\n<!-- délibération -->\r\n<deliberation xmlns="urn:exemple:acte" numero="2026-042">\r\n' +
    '  <objet>Tarifs de la cantine : crème brûlée à 2 euros &amp; café</objet>\r\n  <?traitement ok?>\r\n  <!-- note -->\r\n</deliberation>\r\n<!-- fin -->\r\n',
  'latin1',
)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-xades-'))
  svc = await startPkiServices((baseUrl) => createTestPki(join(dir, 'pki'), { baseUrl }))
  trust = { rootPem: svc.pki.rootPemPath, intermediatePem: svc.pki.certs.intermediate.certPemPath }
  latinDoc = join(dir, 'délibération.xml')
  writeFileSync(latinDoc, LATIN_DOC)
  utf8Doc = join(dir, 'utf8.xml')
  writeFileSync(utf8Doc, '<?xml version="1.0" encoding="UTF-8"?>\n<a:doc xmlns:a="urn:a"><a:p lang="fr">Ça marche — oui 😀</a:p></a:doc>\n')
})
afterAll(async () => {
  await svc?.close()
  rmSync(dir, { recursive: true, force: true })
})

const signer = (name: 'signerRsa' | 'signerEc') =>
  createSoftwareSigner({ certificate: svc.pki.certs[name].certDer, privateKey: svc.pki.certs[name].keyPem, chain: [svc.pki.certs.intermediate.certDer] })
const out = (name: string) => join(dir, name)
const place = { city: 'Saint-Étienne', postalCode: '42000', countryName: 'FR' }
const policy = { identifier: 'urn:oid:1.2.250.1.999.9.1', description: 'Politique de test', hash: { algorithm: 'SHA-256' as const, value: createHash('sha256').update('policy').digest('base64') }, uri: 'https://example.org/politique.pdf' }

describe.each(['signerRsa', 'signerEc'] as const)('XAdES B-B with %s', (name) => {
  it('enveloped: xmlsec1 verifies; the document keeps its bytes and encoding; a changed byte breaks it', async () => {
    const output = out(`${name}-enveloped.xml`)
    const signingTime = new Date('2026-11-29T10:11:12.345Z')
    await signXml({ input: latinDoc, output, signer: signer(name), mode: 'enveloped', level: 'B-B', role: 'Le Maire', place, policy, signingTime })
    expect((await xmlsecVerify(output, trust)).ok).toBe(true)
    const bytes = readFileSync(output)
    const at = LATIN_DOC.lastIndexOf('</deliberation>')
    expect(bytes.subarray(0, at).equals(LATIN_DOC.subarray(0, at))).toBe(true)
    expect(bytes.subarray(bytes.length - (LATIN_DOC.length - at)).equals(LATIN_DOC.subarray(at))).toBe(true)
    const text = bytes.toString('latin1') // ISO-8859-1 kept: "Étienne" is one byte
    expect(text).toContain('<xades:City>Saint-\u00c9tienne</xades:City>')
    expect(firstText(text, 'xades:SigningTime')).toBe('2026-11-29T10:11:12Z')
    expect(firstText(text, 'xades:ClaimedRole')).toBe('Le Maire')
    expect(text).toContain(`<xades:Identifier Qualifier="OIDAsURN">${policy.identifier}</xades:Identifier>`)
    expect(text).toContain(`<ds:DigestValue>${createHash('sha256').update(svc.pki.certs[name].certDer).digest('base64')}</ds:DigestValue>`)
    expect(text).toMatch(/<xades:SigningCertificateV2>/)
    const tampered = out(`${name}-enveloped-tampered.xml`)
    const changed = text.replace('\u00e0 2 euros', '\u00e0 3 euros')
    expect(changed).not.toBe(text)
    writeFileSync(tampered, Buffer.from(changed, 'latin1'))
    expect((await xmlsecVerify(tampered, trust)).ok).toBe(false)
  })

  it('enveloping: the document inside ds:Object, UTF-8 output, verified by xmlsec1', async () => {
    const output = out(`${name}-enveloping.xml`)
    const r = await signXml({ input: utf8Doc, output, signer: signer(name), mode: 'enveloping', level: 'B-B' })
    expect(r.encoding).toBe('UTF-8')
    expect((await xmlsecVerify(output, trust)).ok).toBe(true)
    const doc = parseXml(readFileSync(output))
    expect(doc.root.localName).toBe('Signature')
    const obj = doc.document.getElementsByTagNameNS(NS.ds, 'Object')[0]
    expect(obj?.getElementsByTagNameNS('urn:a', 'p')[0]?.textContent).toBe('Ça marche — oui 😀')
  })

  it('detached: a reference to the file, verified by xmlsec1 with the data mapped; other data fails', async () => {
    const data = out(`${name}-data.bin`)
    writeFileSync(data, Buffer.from([0, 1, 2, 255, 10, 13]))
    const output = out(`${name}-data.bin.xades.xml`)
    await signXml({ input: data, output, signer: signer(name), mode: 'detached', level: 'B-B' })
    const uri = `${name}-data.bin`
    expect(readFileSync(output, 'utf8')).toContain(`URI="${uri}"`)
    expect((await xmlsecVerify(output, trust, { urlMap: { [uri]: data } })).ok).toBe(true)
    const other = out(`${name}-other.bin`)
    writeFileSync(other, 'not the signed data')
    expect((await xmlsecVerify(output, trust, { urlMap: { [uri]: other } })).ok).toBe(false)
  })
})

describe('XAdES B-T', () => {
  it('adds a SignatureTimeStamp over the canonical SignatureValue (openssl ts -verify) and still verifies', async () => {
    const output = out('bt.xml')
    await signXml({ input: latinDoc, output, signer: signer('signerEc'), mode: 'enveloped', level: 'B-T', timestamp: createTsaClient({ url: svc.tsaUrl }) })
    expect((await xmlsecVerify(output, trust)).ok).toBe(true)
    const { document } = parseXml(readFileSync(output))
    const token = Buffer.from(document.getElementsByTagNameNS(NS.xades132, 'EncapsulatedTimeStamp')[0]?.textContent ?? '', 'base64')
    expect(token.length).toBeGreaterThan(100)
    const sv = document.getElementsByTagNameNS(NS.ds, 'SignatureValue')[0]!
    writeFileSync(out('bt.token'), token)
    writeFileSync(out('bt.data'), canonicalize(sv, { method: 'exc-c14n' }))
    const args = (d: string) => ['ts', '-verify', '-token_in', '-in', out('bt.token'), '-data', d, '-CAfile', svc.pki.rootPemPath, '-untrusted', svc.pki.certs.intermediate.certPemPath]
    const v = await runStatus('openssl', args(out('bt.data')))
    expect(v.stdout + v.stderr).toContain('Verification: OK')
    writeFileSync(out('bt.other'), 'something else')
    expect((await runStatus('openssl', args(out('bt.other')))).code).not.toBe(0)
  })

  it('a failing TSA writes nothing and says B-B is possible; B-T without a TSA is refused', async () => {
    const output = out('bt-fail.xml')
    const attempt = signXml({ input: latinDoc, output, signer: signer('signerRsa'), mode: 'enveloped', level: 'B-T', timestamp: createTsaClient({ url: svc.fail.tsaHttp500 }) })
    await expect(attempt).rejects.toBeInstanceOf(TimestampFailedError)
    await expect(attempt).rejects.toThrow(/B-B/)
    expect(existsSync(output)).toBe(false)
    await expect(signXml({ input: latinDoc, output, signer: signer('signerRsa'), mode: 'enveloped', level: 'B-T' })).rejects.toThrow(/timestamp authority/)
  })
})

describe('inputs and outputs', () => {
  it('never overwrites without being asked, never writes over the input, leaves no temporary file', async () => {
    const target = out('keep.xml')
    writeFileSync(target, 'precious')
    await expect(signXml({ input: latinDoc, output: target, signer: signer('signerRsa'), mode: 'enveloped', level: 'B-B' })).rejects.toThrow(/already exists/)
    expect(readFileSync(target, 'utf8')).toBe('precious')
    await expect(signXml({ input: latinDoc, output: latinDoc, signer: signer('signerRsa'), mode: 'enveloped', level: 'B-B' })).rejects.toThrow(/input is never modified/)
    await signXml({ input: latinDoc, output: target, signer: signer('signerRsa'), mode: 'enveloped', level: 'B-B', overwrite: true })
    expect((await xmlsecVerify(target, trust)).ok).toBe(true)
    expect(readFileSync(latinDoc).equals(LATIN_DOC)).toBe(true)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('hostile or broken XML gets a plain error naming the file', async () => {
    const bad = out('bad.xml')
    writeFileSync(bad, '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
    await expect(signXml({ input: bad, output: out('bad-signed.xml'), signer: signer('signerRsa'), mode: 'enveloped', level: 'B-B' })).rejects.toThrow(/bad\.xml: .*(DOCTYPE|entities)/)
    writeFileSync(bad, '<a><b></a>')
    await expect(signXml({ input: bad, output: out('bad-signed.xml'), signer: signer('signerRsa'), mode: 'enveloping', level: 'B-B' })).rejects.toThrow(/not well-formed/)
    expect(existsSync(out('bad-signed.xml'))).toBe(false)
  })
})
