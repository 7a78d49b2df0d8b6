/**
 * ASiC-E: a detached XML signature over a package part, made here with Node crypto and checked by
 * xmlsec1 first (independent oracle), then packed as an ASiC-E container and verified; then with an
 * added part, a changed part, a missing part.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { constants, createHash, createPrivateKey, generateKeyPairSync, sign, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVerificationContext } from '../../../../src/main/core/verify/context'
import { verifyContainer } from '../../../../src/main/core/verify/container/verify-container'
import { writeZip } from './zip-writer'

const DS = 'http://www.w3.org/2000/09/xmldsig#'
const dir = mkdtempSync(join(tmpdir(), 'paraphe-asic-verify-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-29T12:00:00Z') })
const docBytes = Buffer.from('Délibération n° 2026-042 : vote du budget\n', 'utf8')
const mimetype = Buffer.from('application/vnd.etsi.asic-e+zip')
let signatureXml: Buffer

beforeAll(() => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '30', '-subj', '/CN=ASiC Test Signer'], { stdio: 'ignore' })
  const digest = createHash('sha256').update(docBytes).digest('base64')
  // SignedInfo written directly in exclusive canonical form, so the signature does not depend on our canonicalizer.
  const inner =
    `<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"></ds:SignatureMethod>` +
    `<ds:Reference URI="d%C3%A9lib%C3%A9ration.txt"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`
  const signedInfo = `<ds:SignedInfo xmlns:ds="${DS}">${inner}</ds:SignedInfo>`
  const value = sign('sha256', Buffer.from(signedInfo), createPrivateKey(readFileSync(join(dir, 'key.pem')))).toString('base64')
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')
  signatureXml = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#"><ds:Signature xmlns:ds="${DS}" Id="S1"><ds:SignedInfo>${inner}</ds:SignedInfo>` +
      `<ds:SignatureValue>${value}</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature></asic:XAdESSignatures>\n`,
  )
  writeFileSync(join(dir, 'signatures001.xml'), signatureXml)
  writeFileSync(join(dir, 'délibération.txt'), docBytes)
})

function unused(..._: unknown[]): void {}

function pack(name: string, parts: Array<[string, Buffer]>): string {
  const path = join(dir, name)
  writeZip(path, [['mimetype', mimetype], ...parts])
  return path
}

describe('ASiC-E with an XML signature', () => {
  it('xmlsec1 accepts the detached signature (oracle)', () => {
    const run = spawnSync('xmlsec1', ['--verify', '--trusted-pem', join(dir, 'cert.pem'), 'signatures001.xml'], { cwd: dir, encoding: 'utf8' })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/^OK$/m)
  })

  it('verifies the signed part and says the whole package is covered', async () => {
    const r = await verifyContainer(pack('ok.asice', [['délibération.txt', docBytes], ['META-INF/signatures001.xml', signatureXml]]), ctx)
    expect(r.fileType).toBe('asic')
    expect(r.integrity).toBe('intact')
    expect(r.signatures).toHaveLength(1)
    expect(r.signatures[0]?.coverage).toMatchObject({ kind: 'whole', description: 'all 1 parts of the package', code: 'container.coverage.allParts' })
    expect(r.signatures[0]?.signer?.commonName).toBe('ASiC Test Signer')
  })

  it('reports a part added after signing', async () => {
    const r = await verifyContainer(pack('added.asice', [['délibération.txt', docBytes], ['annexe.pdf', Buffer.from('%PDF-1.7 added')], ['META-INF/signatures001.xml', signatureXml]]), ctx)
    expect(r.integrity).toBe('partial')
    expect(r.signatures[0]?.coverage.description).toContain('not signed: annexe.pdf')
  })

  it('breaks when the signed part changes', async () => {
    const r = await verifyContainer(pack('changed.asice', [['délibération.txt', Buffer.from('Délibération n° 2026-042 : budget rejeté\n')], ['META-INF/signatures001.xml', signatureXml]]), ctx)
    expect(r.integrity).toBe('broken')
    expect(r.signatures[0]?.subIndication).toBe('HASH_FAILURE')
  })

  it('cannot decide when the signed part is missing', async () => {
    const r = await verifyContainer(pack('missing.asice', [['META-INF/signatures001.xml', signatureXml]]), ctx)
    expect(r.integrity).toBe('indeterminate')
    expect(r.signatures[0]?.checks.some((c) => /no part "délibération.txt"/.test(c.message))).toBe(true)
  })
})

describe('signature algorithms over a package part', () => {
  // One key pair per algorithm family; certificates made by openssl from those keys.
  function certFor(keyPem: string, name: string): string {
    writeFileSync(join(dir, `${name}.key`), keyPem)
    execFileSync('openssl', ['req', '-x509', '-new', '-key', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-days', '30', '-subj', `/CN=${name}`], { stdio: 'ignore' })
    return new X509Certificate(readFileSync(join(dir, `${name}.pem`))).raw.toString('base64')
  }

  async function signedWith(method: string, name: string, keyPem: string, signOpts: (key: ReturnType<typeof createPrivateKey>) => Parameters<typeof sign>[2]) {
    const cert = certFor(keyPem, name)
    const digest = createHash('sha256').update(docBytes).digest('base64')
    const inner =
      `<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="${method}"></ds:SignatureMethod>` +
      `<ds:Reference URI="doc.txt"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`
    const value = sign('sha256', Buffer.from(`<ds:SignedInfo xmlns:ds="${DS}">${inner}</ds:SignedInfo>`), signOpts(createPrivateKey(keyPem))).toString('base64')
    const xml = Buffer.from(`<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#"><ds:Signature xmlns:ds="${DS}"><ds:SignedInfo>${inner}</ds:SignedInfo><ds:SignatureValue>${value}</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature></asic:XAdESSignatures>`)
    return verifyContainer(pack(`${name}.asice`, [['doc.txt', docBytes], ['META-INF/signatures.xml', xml]]), ctx)
  }

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()

  it('RSA-PSS (sha256-rsa-MGF1, salt = hash length)', async () => {
    const r = await signedWith('http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1', 'pss', rsa, (key) => ({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }))
    expect(r.integrity).toBe('intact')
  })

  it('ECDSA P-256 as raw r||s', async () => {
    const r = await signedWith('http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256', 'ecraw', ec, (key) => ({ key, dsaEncoding: 'ieee-p1363' }))
    expect(r.integrity).toBe('intact')
  })

  it('ECDSA in DER form is not an XMLDSig signature value', async () => {
    const r = await signedWith('http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256', 'ecder', ec, (key) => ({ key, dsaEncoding: 'der' }))
    expect(r.integrity).toBe('broken')
    expect(r.signatures[0]?.subIndication).toBe('SIG_CRYPTO_FAILURE')
  })

  it('a PKCS#1 v1.5 signature announced as RSA-PSS fails', async () => {
    const r = await signedWith('http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1', 'pkcs1', rsa, (key) => key)
    expect(r.integrity).toBe('broken')
  })
})

describe('OpenDocument with a document signature and a macro signature', () => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()

  function signatureFile(parts: Array<[string, Buffer]>, cert: string): Buffer {
    const refs = parts
      .map(([uri, bytes]) => `<ds:Reference URI="${uri}"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod><ds:DigestValue>${createHash('sha256').update(bytes).digest('base64')}</ds:DigestValue></ds:Reference>`)
      .join('')
    const inner = `<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"></ds:SignatureMethod>${refs}`
    const value = sign('sha256', Buffer.from(`<ds:SignedInfo xmlns:ds="${DS}">${inner}</ds:SignedInfo>`), createPrivateKey(key)).toString('base64')
    return Buffer.from(`<document-signatures xmlns="urn:oasis:names:tc:opendocument:xmlns:digitalsignature:1.0"><ds:Signature xmlns:ds="${DS}"><ds:SignedInfo>${inner}</ds:SignedInfo><ds:SignatureValue>${value}</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature></document-signatures>`)
  }

  it('judges the macro signature against the macro parts only', async () => {
    writeFileSync(join(dir, 'odf.key'), key)
    execFileSync('openssl', ['req', '-x509', '-new', '-key', join(dir, 'odf.key'), '-out', join(dir, 'odf.pem'), '-days', '30', '-subj', '/CN=Macro Signer'], { stdio: 'ignore' })
    const cert = new X509Certificate(readFileSync(join(dir, 'odf.pem'))).raw.toString('base64')
    const odfMime = Buffer.from('application/vnd.oasis.opendocument.text')
    const content = Buffer.from('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    const macro = Buffer.from('<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1">Sub Main\nEnd Sub</script:module>')
    const manifest = Buffer.from('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    const parts: Array<[string, Buffer]> = [['mimetype', odfMime], ['content.xml', content], ['Basic/Standard/Module1.xml', macro], ['META-INF/manifest.xml', manifest]]
    const macroSig = signatureFile([['Basic/Standard/Module1.xml', macro], ['META-INF/manifest.xml', manifest]], cert)
    const path = join(dir, 'macro.odt')
    writeZip(path, [...parts, ['META-INF/macrosignatures.xml', macroSig], ['META-INF/documentsignatures.xml', signatureFile([...parts, ['META-INF/macrosignatures.xml', macroSig]], cert)]])
    const r = await verifyContainer(path, ctx)
    expect(r.fileType).toBe('odf')
    expect(r.integrity).toBe('intact')
    expect(r.signatures.map((s) => s.coverage.description).sort()).toEqual(['all 4 parts of the package', 'the 2 macro parts of the package'])

    // Only the macro signature: the document content is not signed.
    const onlyMacro = join(dir, 'only-macro.odt')
    writeZip(onlyMacro, [...parts, ['META-INF/macrosignatures.xml', macroSig]])
    const m = await verifyContainer(onlyMacro, ctx)
    expect(m.integrity).toBe('partial')
    expect(m.messages.join(' ')).toContain('content.xml')
  })
})
