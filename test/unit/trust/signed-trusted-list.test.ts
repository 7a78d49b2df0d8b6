/**
 * Trusted lists are believed only when their enveloped XML signature verifies with a configured
 * trusted-list signer (or, for a national list, a signer the verified list of lists names for its
 * territory). Lists are built here and signed with xmlsec1 using keys of the test PKI; DSS's real
 * signed trusted list and its signature-wrapping variants come from the corpus.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../src/main/cli/index'
import { decideTrustedLists, parseTrustedListFile } from '../../../src/main/core/trust/signed-trusted-list'
import { assessSigningCertificate } from '../../../src/main/core/verify/certificate-assessment'
import { createVerificationContext, type VerificationContext } from '../../../src/main/core/verify/context'
import type { ValidationReport } from '../../../src/shared/model/validation'
import { VERIFICATION_TEXTS, verificationText } from '../../../src/shared/verification-text'
import { createTestPki, type TestPki } from '../../support/pki'
import { CA_QC, daysFromNow, GRANTED, providerListXml, signList, trustedListXml } from './tl-builder'

const CORPUS = resolve(__dirname, '../../fixtures/corpus/dss/xades')
const NOW = new Date()

let dir: string
let pki: TestPki
let n = 0

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-tl-'))
  pki = await createTestPki(join(dir, 'pki'), { baseUrl: 'http://127.0.0.1:9' })
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(xml: string, name = `list-${++n}.xml`): string {
  const p = join(dir, name)
  writeFileSync(p, xml)
  return p
}

/** A national list naming the test intermediate CA as a granted CA/QC service. */
const frenchList = (extra: Parameters<typeof trustedListXml>[0] = {}) =>
  trustedListXml({ territory: 'FR', services: [{ der: pki.certs.intermediate.certDer, tsp: 'Autorite Test' }], ...extra })

async function context(lists: string[], signers: string[]): Promise<VerificationContext> {
  const ctx = createVerificationContext({ offline: true, bundledAnchors: false, trustedListFiles: lists, trustedListSigners: signers, now: () => NOW })
  await ctx.trust.ready()
  return ctx
}

const fromList = (ctx: VerificationContext) => ctx.trust.anchors().filter((a) => a.source === 'trusted-list')
const noticeCodes = (ctx: VerificationContext) => ctx.trust.notices.map((m) => m.code)

async function chainStatus(ctx: VerificationContext) {
  const a = await assessSigningCertificate(pki.certs.signerRsa.certDer, [], { at: NOW }, ctx)
  return { chain: a.checks.find((c) => c.id === 'chain'), sub: a.subIndication, length: a.chain.length }
}

describe('a trusted list signed by a configured signer', () => {
  it('is used: its services are anchors with their qualified status, and the chain goes through it', async () => {
    const started = performance.now()
    const ctx = await context([write(signList(frenchList(), pki.certs.signerEc))], [pki.certs.signerEc.certPemPath])
    const elapsed = performance.now() - started
    expect(noticeCodes(ctx)).toEqual([])
    expect(ctx.trust.trustedLists.map((l) => [l.territory, l.sequenceNumber])).toEqual([['FR', '42']])
    const anchors = fromList(ctx)
    expect(anchors).toHaveLength(1)
    expect(Buffer.from(anchors[0]!.der).equals(pki.certs.intermediate.certDer)).toBe(true)
    expect(anchors[0]!.service).toMatchObject({ type: CA_QC, status: GRANTED, granted: true, qualifiedCa: true })
    const { chain, length } = await chainStatus(ctx)
    expect(chain?.status).toBe('passed')
    expect(chain?.message).toMatch(/trusted list/)
    expect(length).toBe(2)
    console.log(`small signed list (ECDSA P-256) checked and loaded in ${elapsed.toFixed(0)} ms`)
  })

  it('a comment slipped into a certificate value (outside what c14n signs) changes nothing that is read', async () => {
    const signed = signList(frenchList(), pki.certs.signerEc)
    const b64 = pki.certs.intermediate.certDer.toString('base64')
    const withComment = signed.replace(b64, `${b64.slice(0, 40)}<!--QUJD-->${b64.slice(40)}`)
    expect(withComment).not.toBe(signed)
    const ctx = await context([write(withComment)], [pki.certs.signerEc.certPemPath])
    expect(noticeCodes(ctx)).toEqual([])
    expect(Buffer.from(fromList(ctx)[0]!.der).equals(pki.certs.intermediate.certDer)).toBe(true)
  })

  it('also works with an RSA signer and a reference to the root Id', async () => {
    const signed = signList(frenchList({ id: 'tsl-fr' }), pki.certs.signerRsa, { idAttr: 'TrustServiceStatusList' })
    expect(signed).toContain('URI="#tsl-fr"')
    const ctx = await context([write(signed)], [pki.certs.signerRsa.certPemPath])
    expect(noticeCodes(ctx)).toEqual([])
    expect(fromList(ctx)).toHaveLength(1)
  })
})

describe('a trusted list that is not used', () => {
  async function refused(xml: string, signers: string[], code: string) {
    const ctx = await context([write(xml)], signers)
    expect(noticeCodes(ctx)).toEqual([code])
    expect(fromList(ctx)).toEqual([])
    expect(ctx.trust.trustedLists).toEqual([])
    const { chain, sub } = await chainStatus(ctx)
    expect(chain?.status).not.toBe('passed')
    expect(sub).toBe('NO_CERTIFICATE_CHAIN_FOUND')
    return ctx
  }

  it('unsigned', async () => {
    const ctx = await refused(trustedListXml({ territory: 'FR', services: [{ der: pki.certs.intermediate.certDer, tsp: 'Autorite Test' }] }, false), [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.unsigned')
    expect(ctx.trust.notices[0]!.message).toMatch(/is not used: it is not signed/)
    // and without any signer configured, an unsigned list is still called unsigned
    await refused(trustedListXml({ territory: 'FR', services: [{ der: pki.certs.intermediate.certDer, tsp: 'Autorite Test' }] }, false), [], 'trustedList.notUsed.unsigned')
  })

  it('signature broken by a one-byte change in the signed content', async () => {
    const signed = signList(frenchList(), pki.certs.signerEc)
    const tampered = signed.replace('<Name xml:lang="en">Autorite Test</Name>', '<Name xml:lang="en">Autorite Tesu</Name>')
    expect(tampered).not.toBe(signed)
    const ctx = await refused(tampered, [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.signatureInvalid')
    expect(ctx.trust.notices[0]!.message).toMatch(/signature is not valid \(.*digest/i)
  })

  it('signature value changed', async () => {
    const signed = signList(frenchList(), pki.certs.signerRsa)
    const value = /<ds:SignatureValue>([^<]+)</.exec(signed)![1]!
    const flipped = value.slice(0, 10) + (value[10] === 'A' ? 'B' : 'A') + value.slice(11)
    await refused(signed.replace(value, flipped), [pki.certs.signerRsa.certPemPath], 'trustedList.notUsed.signatureInvalid')
  })

  it('signer certificate not valid when the list says it was issued', async () => {
    const ctx = await refused(signList(frenchList({ issued: daysFromNow(-60) }), pki.certs.signerEc), [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.signerNotValid')
    expect(ctx.trust.notices[0]!.message).toMatch(/was not valid on its issue date/)
  })

  it('signed by another key than the configured signer', async () => {
    const ctx = await refused(signList(frenchList(), pki.certs.cardRsa), [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.unknownSigner')
    expect(ctx.trust.notices[0]!.message).toContain(pki.certs.cardRsa.subject.split(',')[0]!)
  })

  it('signed, but no signer configured', async () => {
    await refused(signList(frenchList(), pki.certs.signerEc), [], 'trustedList.notUsed.noSignerForTerritory')
  })

  it('KeyInfo certificate swapped for the configured signer (its key does not verify the signature)', async () => {
    const signed = signList(frenchList(), pki.certs.cardRsa)
    const carried = /<ds:X509Certificate>([^<]+)</.exec(signed)![1]!
    const swapped = signed.replace(carried, pki.certs.signerRsa.certDer.toString('base64'))
    await refused(swapped, [pki.certs.signerRsa.certPemPath], 'trustedList.notUsed.signatureInvalid')
  })

  it('wrapping: a second provider list injected beside the signed one', async () => {
    const signed = signList(frenchList(), pki.certs.signerEc)
    const fake = providerListXml([{ der: pki.certs.root.certDer, tsp: 'Fake Authority' }])
    const injected = signed.replace('<ds:Signature', `${fake}\n  <ds:Signature`)
    await refused(injected, [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.signatureInvalid')
  })

  it('wrapping: the signed list (reference to its Id) nested under a fake root with fake providers', async () => {
    const signed = signList(frenchList({ id: 'tsl-fr' }), pki.certs.signerEc, { idAttr: 'TrustServiceStatusList' })
    const inner = signed.replace(/^<\?xml[^>]*>\s*/, '')
    const wrapped = trustedListXml({ territory: 'FR', services: [{ der: pki.certs.root.certDer, tsp: 'Fake Authority' }] }, false).replace(
      '</TrustServiceStatusList>\n',
      `<SchemeExtensions>${inner}</SchemeExtensions>\n</TrustServiceStatusList>\n`,
    )
    // xmlsec1 alone would accept this file: the reference still finds the untouched signed list
    const path = write(wrapped)
    execFileSync('xmlsec1', ['--verify', '--id-attr:Id', 'http://uri.etsi.org/02231/v2#:TrustServiceStatusList', '--trusted-pem', pki.certs.signerEc.certPemPath, '--insecure', path], { stdio: 'ignore' })
    const ctx = await refused(wrapped, [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.signatureMisplaced')
    expect(ctx.trust.notices[0]!.message).toMatch(/not at the root of the list/)
  })

  it('wrapping: two elements carrying the signed Id', async () => {
    const signed = signList(frenchList({ id: 'tsl-fr' }), pki.certs.signerEc, { idAttr: 'TrustServiceStatusList' })
    const dup = signed.replace('<TrustServiceProviderList>', `<TrustServiceProviderList Id="tsl-fr">`)
    await refused(dup, [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.signatureInvalid')
  })

  it('a signature on part of the list only', async () => {
    // the reference names the provider list, not the whole document
    const xml = frenchList().replace('<TrustServiceProviderList>', '<TrustServiceProviderList Id="providers">').replace('<ds:Reference URI="">', '<ds:Reference URI="#providers">')
    const signed = signList(xml.replace('<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>', ''), pki.certs.signerEc, { idAttr: 'TrustServiceProviderList' })
    await refused(signed, [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.notWholeDocument')
  })

  it('expired: NextUpdate in the past', async () => {
    const due = daysFromNow(-0.5)
    const ctx = await refused(signList(frenchList({ nextUpdate: due }), pki.certs.signerEc), [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.expired')
    expect(ctx.trust.notices[0]!.message).toContain(`out of date, its update was due on ${due.replace('Z', '.000Z')}`)
  })

  it('signed with SHA-1', async () => {
    const sha1 = frenchList().replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1')
    const ctx = await refused(signList(sha1, pki.certs.signerRsa), [pki.certs.signerRsa.certPemPath], 'trustedList.notUsed.weakAlgorithm')
    expect(ctx.trust.notices[0]!.message).toContain('rsa-sha1')
  })

  it('closed: no NextUpdate', async () => {
    await refused(signList(frenchList({ nextUpdate: null }), pki.certs.signerEc), [pki.certs.signerEc.certPemPath], 'trustedList.notUsed.noNextUpdate')
  })
})

describe('list of lists (LOTL) and national lists', () => {
  const lotl = (pointers: Array<{ territory: string; signers: Uint8Array[] }>) => trustedListXml({ listOfLists: true, pointers })

  it('a national list signed by the certificate the verified LOTL gives for its territory is used', async () => {
    const lotlPath = write(signList(lotl([{ territory: 'DE', signers: [pki.certs.cardRsa.certDer] }, { territory: 'FR', signers: [pki.certs.signerEc.certDer] }]), pki.certs.signerRsa))
    const frPath = write(signList(frenchList(), pki.certs.signerEc))
    // the national list first: the order of the files does not matter
    const ctx = await context([frPath, lotlPath], [pki.certs.signerRsa.certPemPath])
    expect(noticeCodes(ctx)).toEqual([])
    expect(ctx.trust.trustedLists.map((l) => [l.territory, l.isListOfLists])).toEqual([['FR', false], ['EU', true]])
    expect(fromList(ctx)).toHaveLength(1)
    expect((await chainStatus(ctx)).chain?.status).toBe('passed')
  })

  it('a national list signed by the certificate given for another territory is not used', async () => {
    const lotlPath = write(signList(lotl([{ territory: 'DE', signers: [pki.certs.signerEc.certDer] }]), pki.certs.signerRsa))
    const ctx = await context([lotlPath, write(signList(frenchList(), pki.certs.signerEc))], [pki.certs.signerRsa.certPemPath])
    expect(noticeCodes(ctx)).toEqual(['trustedList.notUsed.unknownSigner'])
    expect(fromList(ctx)).toEqual([])
  })

  it('a LOTL signed by an unconfigured key vouches for nobody', async () => {
    const lotlPath = write(signList(lotl([{ territory: 'FR', signers: [pki.certs.signerEc.certDer] }]), pki.certs.cardRsa))
    const ctx = await context([lotlPath, write(signList(frenchList(), pki.certs.signerEc))], [pki.certs.signerRsa.certPemPath])
    expect(noticeCodes(ctx)).toEqual(['trustedList.notUsed.unknownSigner', 'trustedList.notUsed.unknownSigner'])
    expect(fromList(ctx)).toEqual([])
  })

  it('a LOTL without configured signer is refused and says which option is missing', async () => {
    const lotlPath = write(signList(lotl([{ territory: 'FR', signers: [pki.certs.signerEc.certDer] }]), pki.certs.signerRsa))
    const ctx = await context([lotlPath, write(signList(frenchList(), pki.certs.signerEc))], [])
    expect(noticeCodes(ctx)).toEqual(['trustedList.notUsed.noSignerConfigured', 'trustedList.notUsed.noSignerForTerritory'])
    expect(ctx.trust.notices[0]!.message).toContain('--trusted-list-signer')
  })
})

describe('DSS corpus: a real signed trusted list (SK, XAdES) and its wrapping attacks', () => {
  const original = () => readFileSync(join(CORPUS, 'xsw__original.xml'))
  const signerOf = (bytes: Buffer): string => {
    // the certificate the list carries in KeyInfo, configured here as the trusted-list signer
    const cert = /<ds:X509Certificate>([^<]+)</.exec(bytes.toString('utf8'))![1]!
    return write(`-----BEGIN CERTIFICATE-----\n${cert.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`, `sk-signer-${++n}.pem`)
  }

  it('the original verifies; used while current, refused as expired now', async () => {
    const bytes = original()
    const signer = readFileSync(signerOf(bytes))
    const file = parseTrustedListFile({ origin: 'xsw__original.xml', bytes })
    const started = performance.now()
    const [current] = await decideTrustedLists([file], { signers: [new Uint8Array(Buffer.from(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END/.exec(signer.toString())![1]!.replace(/\s+/g, ''), 'base64'))], now: new Date('2018-08-01T00:00:00Z') })
    const elapsed = performance.now() - started
    expect(current!.refused).toBeNull()
    expect(current!.signer).toMatch(/TL and Signature Policy List 2/)
    expect(file.list.territory).toBe('SK')
    expect(file.list.services.length).toBeGreaterThan(10)
    console.log(`real SK trusted list (${(bytes.length / 1024).toFixed(0)} KiB, ${file.list.services.length} services) signature checked in ${elapsed.toFixed(0)} ms`)
    const ctx = await context([join(CORPUS, 'xsw__original.xml')], [signerOf(bytes)])
    expect(noticeCodes(ctx)).toEqual(['trustedList.notUsed.expired'])
  })

  it.each([
    ['xsw__XSW-enveloped-fake-content.xml'],
    ['xsw__XSW-enveloped-fake-content-misplaced.xml'],
    ['xsw__XSW-enveloped-fake-content-two-same-id.xml'],
  ])('%s is refused', async (name) => {
    const bytes = readFileSync(join(CORPUS, name))
    const signerDer = new Uint8Array(Buffer.from(/<ds:X509Certificate>([^<]+)</.exec(bytes.toString('utf8'))![1]!, 'base64'))
    const [d] = await decideTrustedLists([parseTrustedListFile({ origin: name, bytes })], { signers: [signerDer], now: new Date('2018-08-01T00:00:00Z') })
    expect(d!.refused?.code).toMatch(/^trustedList\.notUsed\.(signatureInvalid|signatureMisplaced|notWholeDocument|severalSignatures)$/)
  })
})

describe('reports and CLI', () => {
  function io() {
    const out: string[] = []
    const err: string[] = []
    return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), env: {}, isTty: false } }
  }

  it('every refusal code written in src/main/core/trust has a French and an English text with the same placeholders', () => {
    const trustDir = resolve(__dirname, '../../../src/main/core/trust')
    const written = new Set(readdirSync(trustDir).flatMap((f) => [...readFileSync(join(trustDir, f), 'utf8').matchAll(/'(trustedList\.[A-Za-z.]+)'/g)].map((m) => m[1]!)))
    expect(written.size).toBeGreaterThanOrEqual(12)
    const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const code of written) {
      const entry = VERIFICATION_TEXTS[code]
      expect(entry, code).toBeDefined()
      expect(placeholders(entry!.fr), code).toEqual(placeholders(entry!.en))
    }
    const fr = verificationText('fr', 'trustedList.notUsed.expired', { file: 'tl.xml', nextUpdate: '2025-07-01T00:00:00Z' }, '')
    expect(fr).toMatch(/^la liste de confiance tl\.xml n’est pas utilisée : elle est périmée/)
  })

  it('paraphe verify: the list is used with --trusted-list-signer, refused (and said) without', async () => {
    // an XML document signed by the test signer, whose issuer only the trusted list knows
    const template = `<?xml version="1.0" encoding="UTF-8"?>
<deliberation><objet>Test</objet><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature></deliberation>
`
    const doc = write(template, 'deliberation-template.xml')
    const signedDoc = join(dir, 'deliberation.xml')
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${pki.certs.signerRsa.keyPemPath},${pki.certs.signerRsa.certPemPath}`, '--output', signedDoc, doc], { stdio: 'ignore' })
    const tl = write(signList(frenchList(), pki.certs.signerEc))

    const used = io()
    await runCli(['verify', signedDoc, '--offline', '--json', '--no-bundled-anchors', '--trusted-list', tl, '--trusted-list-signer', pki.certs.signerEc.certPemPath], used.io)
    const ok = JSON.parse(used.out.join('')) as ValidationReport
    expect(ok.messages.filter((m) => /trusted list/.test(m))).toEqual([])
    expect(ok.signatures[0]!.checks.find((c) => c.id === 'chain')?.status).toBe('passed')

    const refused = io()
    await runCli(['verify', signedDoc, '--offline', '--json', '--no-bundled-anchors', '--trusted-list', tl], refused.io)
    const bad = JSON.parse(refused.out.join('')) as ValidationReport
    expect(bad.messageRefs?.[0]?.code).toBe('trustedList.notUsed.noSignerForTerritory')
    expect(bad.messages[0]).toContain(tl)
    expect(bad.signatures[0]!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND')

    // French text report: the reason in plain words
    const text = io()
    await runCli(['verify', signedDoc, '--offline', '--no-bundled-anchors', '--trusted-list', tl], text.io)
    expect(text.out.join('\n')).toMatch(/liste de confiance .* n’est pas utilisée/)

    // a signer file that is not a certificate is a usage error
    const notCert = write('hello', 'not-a-cert.pem')
    const usage = io()
    expect(await runCli(['verify', signedDoc, '--offline', '--trusted-list', tl, '--trusted-list-signer', notCert], usage.io)).toBe(2)
    expect(usage.err.join('')).toMatch(/not-a-cert\.pem/)
  })
})
