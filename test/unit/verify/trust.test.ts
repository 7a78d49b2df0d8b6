import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVerificationContext } from '../../../src/main/core/verify/context'
import { assessSigningCertificate } from '../../../src/main/core/verify/certificate-assessment'
import { parseTrustedList } from '../../../src/main/core/trust/trusted-list'
import { TrustStore } from '../../../src/main/core/trust/trust-store'
import { checkRevocation } from '../../../src/main/core/verify/revocation'
import { tryParseCertificate } from '../../../src/main/core/verify/certificate'
import { createNodeHttpClient } from '../../../src/main/core/net/http'
import { verificationText } from '../../../src/shared/verification-text'
import type { CheckResult } from '../../../src/shared/model/validation'
import { createTestPki, type TestPki } from '../../support/pki'
import { signList, trustedListXml as signedListXml } from '../trust/tl-builder'

let dir: string
let pki: TestPki

function trustedListXml(certs: Array<{ der: Uint8Array; type: string; status: string; tsp: string }>): string {
  const services = certs
    .map(
      (c) => `<TSPService><ServiceInformation>
        <ServiceTypeIdentifier>${c.type}</ServiceTypeIdentifier>
        <ServiceName><Name xml:lang="en">${c.tsp} service</Name></ServiceName>
        <ServiceDigitalIdentity><DigitalId><X509Certificate>${Buffer.from(c.der).toString('base64')}</X509Certificate></DigitalId></ServiceDigitalIdentity>
        <ServiceStatus>${c.status}</ServiceStatus><StatusStartingTime>2020-01-01T00:00:00Z</StatusStartingTime>
      </ServiceInformation></TSPService>`,
    )
    .join('')
  return `<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/19612/TSLTag">
  <SchemeInformation><TSLVersionIdentifier>5</TSLVersionIdentifier><TSLSequenceNumber>42</TSLSequenceNumber>
    <SchemeTerritory>FR</SchemeTerritory><ListIssueDateTime>2026-10-01T00:00:00Z</ListIssueDateTime>
    <NextUpdate><dateTime>2027-04-01T00:00:00Z</dateTime></NextUpdate></SchemeInformation>
  <TrustServiceProviderList><TrustServiceProvider>
    <TSPInformation><TSPName><Name xml:lang="fr">Autorité Test</Name><Name xml:lang="en">Test Authority</Name></TSPName></TSPInformation>
    <TSPServices>${services}</TSPServices>
  </TrustServiceProvider></TrustServiceProviderList>
</TrustServiceStatusList>`
}

const CA_QC = 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC'
const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted'
const WITHDRAWN = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn'

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-trust-'))
  pki = await createTestPki(join(dir, 'pki'), { baseUrl: 'http://127.0.0.1:9' })
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ETSI TS 119 612 trusted list', () => {
  it('reads providers, services, status and certificates', () => {
    const tl = parseTrustedList(trustedListXml([{ der: pki.certs.intermediate.certDer, type: CA_QC, status: GRANTED, tsp: 'Test Authority' }]), 'tl.xml')
    expect(tl.territory).toBe('FR')
    expect(tl.sequenceNumber).toBe('42')
    expect(tl.services).toHaveLength(1)
    expect(tl.services[0]).toMatchObject({ tspName: 'Test Authority', granted: true, qualifiedCa: true })
    expect(Buffer.from(tl.services[0]!.certificates[0]!).equals(pki.certs.intermediate.certDer)).toBe(true)
  })

  it('refuses what is not a trusted list, and DOCTYPEs', () => {
    expect(() => parseTrustedList('<a/>', 'x.xml')).toThrow(/not an ETSI TS 119 612 trusted list/)
    expect(() => parseTrustedList('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><TrustServiceStatusList/>', 'x.xml')).toThrow(/DOCTYPE/)
    expect(() => parseTrustedList('<TrustServiceStatusList', 'x.xml')).toThrow(/x.xml/)
  })

  it('makes a granted CA service of a signed list a chain anchor (offline, no other anchor)', async () => {
    // the list is used only when signed by a configured trusted-list signer (test/unit/trust/)
    const tlPath = join(dir, 'tl.xml')
    writeFileSync(tlPath, signList(signedListXml({ territory: 'FR', services: [{ der: pki.certs.intermediate.certDer, type: CA_QC, status: GRANTED, tsp: 'Test Authority' }] }), pki.certs.signerRsa))
    const ctx = createVerificationContext({ offline: true, bundledAnchors: false, trustedListFiles: [tlPath], trustedListSigners: [pki.certs.signerRsa.certPemPath] })
    await ctx.trust.ready()
    const a = await assessSigningCertificate(pki.certs.signerRsa.certDer, [], { at: new Date() }, ctx)
    expect(a.chain).toHaveLength(2)
    expect(a.checks.find((c) => c.id === 'chain')?.status).toBe('passed')
    expect(a.checks.find((c) => c.id === 'chain')?.message).toMatch(/trusted list/)
    // offline and nothing embedded: revocation unknown, so not 'trusted' yet
    expect(a.trust).toBe('unknown')
    expect(a.subIndication).toBe('TRY_LATER')
  })
})

describe('certificate assessment', () => {
  it('builds signer -> intermediate -> user anchor and checks revocation with embedded CRLs', async () => {
    const ctx = createVerificationContext({ offline: true, bundledAnchors: false, trustFiles: [pki.rootPemPath] })
    const a = await assessSigningCertificate(pki.certs.signerRsa.certDer, [pki.certs.intermediate.certDer], { at: new Date(), embeddedCrls: [pki.crlDer.intermediate, pki.crlDer.root] }, ctx)
    expect(a.chain.map((c) => c.sha256)).toHaveLength(3)
    expect(a.trust).toBe('trusted')
    expect(a.subIndication).toBeNull()
    expect(a.indication).toBe('TOTAL_PASSED')
    expect(a.checks.filter((c) => c.id === 'revocation').every((c) => c.status === 'passed')).toBe(true)
  })

  it('finds a revoked signer in the embedded CRL', async () => {
    const ctx = createVerificationContext({ offline: true, bundledAnchors: false, trustFiles: [pki.rootPemPath] })
    const a = await assessSigningCertificate(pki.certs.signerRevoked.certDer, [pki.certs.intermediate.certDer], { at: new Date(), embeddedCrls: [pki.crlDer.intermediate, pki.crlDer.root] }, ctx)
    expect(a.trust).toBe('revoked')
    expect(a.subIndication).toBe('REVOKED_NO_POE')
    // a timestamp proving the signature predates the revocation keeps it valid
    const before = new Date(new Date(pki.revoked[0]!.revokedAt).getTime() - 3600_000)
    const b = await assessSigningCertificate(pki.certs.signerRevoked.certDer, [pki.certs.intermediate.certDer], { at: before, proven: true, embeddedCrls: [pki.crlDer.intermediate, pki.crlDer.root] }, ctx)
    expect(b.trust).toBe('trusted')
  })

  it('rejects a CRL not signed by the issuer', async () => {
    const ctx = createVerificationContext({ offline: true, bundledAnchors: false, trustFiles: [pki.rootPemPath] })
    const forged = Buffer.from(pki.crlDer.intermediate)
    forged[forged.length - 5]! ^= 0xff
    const a = await assessSigningCertificate(pki.certs.signerRevoked.certDer, [pki.certs.intermediate.certDer], { at: new Date(), embeddedCrls: [forged, pki.crlDer.root] }, ctx)
    expect(a.trust).not.toBe('trusted')
    expect(a.checks.find((c) => c.id === 'revocation')?.message).toMatch(/CRL signature does not verify/)
  })

  it('gives the revocation problems as codes: a forged embedded CRL, then unreachable OCSP and CRL servers', async () => {
    const forged = Buffer.from(pki.crlDer.intermediate)
    forged[forged.length - 5]! ^= 0xff
    const cert = tryParseCertificate(pki.certs.signerRsa.certDer)!
    const issuer = tryParseCertificate(pki.certs.intermediate.certDer)!
    // the PKI's OCSP and CRL URLs point at 127.0.0.1:9, where nothing listens
    const online = createVerificationContext({ offline: false, http: createNodeHttpClient({ timeoutMs: 3000 }), bundledAnchors: false, trustFiles: [pki.rootPemPath] })
    const r = await checkRevocation(cert, issuer, [], { ocsp: [], crls: [forged] }, online)
    expect(r.status).toBe('unavailable')
    expect(r.code).toBe('revocation.unavailable')
    expect(r.problems.map((p) => p.code)).toEqual(['revocation.problem.embeddedCrl', 'revocation.problem.ocsp', 'revocation.problem.crl'])
    expect(r.problems[0]!.params).toEqual({ error: { code: 'revocation.error.crlSignature' } })
    // the English message is the English text of the code, as before codes existed
    expect(r.message).toBe(verificationText('en', r.code, r.params, ''))
    expect(r.message).toMatch(/^revocation status not available: embedded CRL: CRL signature does not verify with the issuer key; OCSP http:\/\/127\.0\.0\.1:9\/\S+: .+; CRL http:\/\/127\.0\.0\.1:9\/\S+: /)
    const fr = verificationText('fr', r.code, r.params, '')
    expect(fr).toMatch(/^état de révocation indisponible : liste de révocation incluse : la signature de la liste de révocation ne se vérifie pas avec la clé de l’émetteur ; OCSP http:\/\/127\.0\.0\.1:9\//)
    expect(fr).not.toMatch(/embedded|does not verify|not available/)

    // offline: the same forged CRL listed after the offline reason
    const offline = createVerificationContext({ offline: true, bundledAnchors: false, trustFiles: [pki.rootPemPath] })
    const o = await checkRevocation(cert, issuer, [], { ocsp: [], crls: [forged] }, offline)
    expect(o.code).toBe('revocation.offlineDetails')
    expect(o.problems.map((p) => p.code)).toEqual(['revocation.problem.embeddedCrl'])
    expect(o.message).toBe('no embedded revocation data for this certificate; offline mode: the OCSP responder and CRL were not consulted; embedded CRL: CRL signature does not verify with the issuer key')
    expect((await checkRevocation(cert, issuer, [], { ocsp: [], crls: [] }, offline)).code).toBe('revocation.offline')

    // an answer: the source and date are parameters
    const good = await checkRevocation(cert, issuer, [], { ocsp: [], crls: [pki.crlDer.intermediate] }, offline)
    expect(good).toMatchObject({ status: 'good', code: 'revocation.good', problems: [] })
    expect(verificationText('fr', good.code, good.params, '')).toMatch(/^non révoqué \(liste de révocation incluse, /)

    // the assessment's check carries the same coded answer (no English to re-read)
    const a = await assessSigningCertificate(pki.certs.signerRsa.certDer, [pki.certs.intermediate.certDer], { at: new Date(), embeddedCrls: [forged] }, online)
    const c = a.checks.find((x) => x.id === 'revocation') as CheckResult
    expect(c).toMatchObject({ status: 'indeterminate', code: 'revocation.answer' })
    expect((c.params!.answer as { code: string }).code).toBe('revocation.unavailable')
    expect(verificationText('fr', c.code, c.params, '')).toMatch(/^certificat du signataire : état de révocation indisponible : liste de révocation incluse : /)
  })

  it('requires nonRepudiation for signatures and timeStamping for timestamps', async () => {
    const ctx = createVerificationContext({ offline: true, bundledAnchors: false, trustFiles: [pki.rootPemPath] })
    const asSigner = await assessSigningCertificate(pki.certs.ocspResponder.certDer, [pki.certs.intermediate.certDer], { at: new Date() }, ctx)
    expect(asSigner.checks.find((c) => c.id === 'key-usage')?.status).toBe('failed')
    const tsa = await assessSigningCertificate(pki.certs.tsa.certDer, [pki.certs.intermediate.certDer], { at: new Date(), purpose: 'timestamp' }, ctx)
    expect(tsa.checks.find((c) => c.id === 'key-usage')?.status).toBe('passed')
    const notTsa = await assessSigningCertificate(pki.certs.signerRsa.certDer, [pki.certs.intermediate.certDer], { at: new Date(), purpose: 'timestamp' }, ctx)
    expect(notTsa.checks.find((c) => c.id === 'key-usage')?.status).toBe('failed')
  })

  it('reports an unreadable certificate without throwing', async () => {
    const ctx = createVerificationContext({ offline: true, bundledAnchors: false })
    const a = await assessSigningCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01]), [], { at: new Date() }, ctx)
    expect(a.subIndication).toBe('FORMAT_FAILURE')
  })

  it('user anchors: clear error for a file that is not a certificate', () => {
    const p = join(dir, 'bad.pem')
    writeFileSync(p, 'hello')
    expect(() => createVerificationContext({ trustFiles: [p] })).toThrow(/neither PEM nor DER/)
    const store = new TrustStore()
    expect(() => store.addCertificatesFromFile(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), 'user', 'x.pem')).toThrow(/x.pem/)
  })
})
