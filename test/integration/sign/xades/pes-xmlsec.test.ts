// PES V2 (Helios profile) signed with SoftHSM2 RSA and EC keys through Pkcs11Signer: every
// bordereau's signature verified by xmlsec1 on its own (--node-id), every byte outside the inserted
// signatures unchanged (ISO-8859-1 kept), already-signed bordereaux reported and left alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Element } from '@xmldom/xmldom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PesError, signPes, type SignPesResult } from '../../../../src/main/core/sign/pes'
import { createTsaClient } from '../../../../src/main/core/sign/timestamp/tsa-client'
import { loadSignaturePolicy, signXml, toSignaturePolicy } from '../../../../src/main/core/sign/xades'
import { openTokenSigner, type TokenSignerHandle } from '../../../../src/main/core/token/pkcs11-signer'
import { NS } from '../../../../src/main/core/xml/namespaces'
import { parseXml } from '../../../../src/main/core/xml/parse'
import { createTestPki, type TestPki } from '../../../support/pki'
import { type PkiServices, startPkiServices } from '../../../support/services'
import { createSoftwareSigner } from '../../../support/software-signer'
import { createSoftHsmFixture, SOFTHSM_MODULE, type SoftHsmFixture, tempDir, testPki } from '../../token/fixtures'
import { xmlsecVerify, type XmlsecTrust } from './helpers'

const ROOT = join(__dirname, '..', '..', '..', '..')
const FIXTURES = join(ROOT, 'test', 'fixtures', 'pes')
const policyFile = loadSignaturePolicy(join(ROOT, 'resources'), 'helios-pes-v2')
const policyProfile = toSignaturePolicy(policyFile)
const place = { city: 'Saint-Étienne', postalCode: '42000', countryName: 'France' }

let tmp: ReturnType<typeof tempDir>
let hsm: SoftHsmFixture
let pki: TestPki
let trust: XmlsecTrust
const handles: TokenSignerHandle[] = []

beforeAll(async () => {
  tmp = tempDir('paraphe-pes-')
  hsm = await createSoftHsmFixture(tmp.dir)
  pki = await testPki(tmp.dir)
  trust = { rootPem: pki.rootPemPath, intermediatePem: pki.certs.intermediate.certPemPath }
})
afterAll(async () => {
  for (const h of handles) await h.close()
  tmp?.cleanup()
})

async function tokenSigner(keyId: string) {
  const h = await openTokenSigner({
    modulePath: SOFTHSM_MODULE,
    tokenLabel: hsm.label,
    keyId,
    pinProvider: async () => ({ pin: new TextEncoder().encode(hsm.userPin) }),
  })
  handles.push(h)
  return h.signer
}

/** Cut our signatures out of the output: what remains must be the input, byte for byte. */
function withoutSignatures(output: Buffer, result: SignPesResult): Buffer {
  let bytes = output
  for (const s of result.signed) {
    const start = bytes.indexOf(`<ds:Signature xmlns:ds="${NS.ds}"`, 0, 'latin1')
    const idAt = bytes.indexOf(`Id="${s.signatureId}"`, start, 'latin1')
    expect(start).toBeGreaterThanOrEqual(0)
    const s2 = bytes.lastIndexOf('<ds:Signature ', idAt, 'latin1')
    const end = bytes.indexOf('</ds:Signature>', idAt, 'latin1') + '</ds:Signature>'.length
    bytes = Buffer.concat([bytes.subarray(0, s2), bytes.subarray(end)])
  }
  return bytes
}

async function verifyAll(output: string, result: SignPesResult) {
  for (const s of result.signed) {
    const v = await xmlsecVerify(output, trust, { nodeId: s.signatureId })
    expect(v.ok, `${s.signatureId}: ${v.output}`).toBe(true)
  }
}

const FILES: Array<[string, 'bordereau' | 'root' | 'document', number]> = [
  ['unsigned/pastell__fichier_signe_avec_accent.xml', 'bordereau', 1],
  ['unsigned/pastell__HELIOS_SIMU_ALR2_LibelleColBud_avec_accent.xml', 'bordereau', 1],
  ['unsigned/pastell__PESALR1_99988877766655_121211_11.xml', 'bordereau', 6],
  ['unsigned/pastell__creation-document_pes.xml', 'root', 1],
  ['unsigned/pastell__PESALR2_12345678912345_110113_01.xml', 'document', 1],
  ['unsigned/pastell__PES_MARCHE.xml', 'document', 1],
]

describe.each([
  ['RSA', '01'],
  ['EC', '02'],
])('PES V2 with the SoftHSM2 %s key', (kind, keyId) => {
  it.each(FILES)('%s: each signature verifies alone, bytes outside them unchanged', async (file, target, count) => {
    const signer = await tokenSigner(keyId)
    const input = join(FIXTURES, file)
    const output = join(tmp.dir, `${kind}-${file.split('/').pop()}`)
    const result = await signPes({ input, output, signer, policyProfile, role: 'Ordonnateur', place })
    expect(result.signed).toHaveLength(count)
    expect(result.signed.every((s) => s.target === target)).toBe(true)
    expect(result.alreadySigned).toEqual([])
    expect(result.encoding).toBe('ISO-8859-1')
    await verifyAll(output, result)
    const outBytes = readFileSync(output)
    expect(withoutSignatures(outBytes, result).equals(readFileSync(input))).toBe(true)

    // each signature is the last child of what it signs, with the Helios profile's properties
    const { document, root } = parseXml(outBytes)
    for (const s of result.signed) {
      const sig = Array.from(document.getElementsByTagNameNS(NS.ds, 'Signature')).find((e) => e.getAttribute('Id') === s.signatureId) as Element
      const parent = sig.parentNode as Element
      expect(sig.nextSibling).toBeNull()
      if (target === 'bordereau') expect([parent.localName, parent.getAttribute('Id')]).toEqual(['Bordereau', s.bordereauId])
      else expect(parent).toBe(root)
      const ref = sig.getElementsByTagNameNS(NS.ds, 'Reference')[0] as Element
      expect(ref.getAttribute('URI')).toBe(s.bordereauId ? `#${s.bordereauId}` : '')
      const text = (name: string) => sig.getElementsByTagNameNS(NS.xades111, name)[0]?.textContent
      expect(text('Identifier')).toBe(policyFile.identifier)
      expect(text('SPURI')).toBe(policyFile.uri)
      expect(text('ClaimedRole')).toBe('Ordonnateur')
      expect([text('City'), text('PostalCode'), text('CountryName')]).toEqual(['Saint-Étienne', '42000', 'France'])
      expect(sig.getElementsByTagNameNS(NS.ds, 'X509SerialNumber')[0]?.textContent).toBe(BigInt('0x' + pki.certs[kind === 'RSA' ? 'signerRsa' : 'signerEc'].serialNumber).toString(10))
      expect(sig.getElementsByTagNameNS(NS.ds, 'SignatureMethod')[0]?.getAttribute('Algorithm')).toBe(
        kind === 'RSA' ? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' : 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
      )
    }
  })
})

describe.each([
  ['RSA', '01'],
  ['EC', '02'],
])('generic XAdES with the SoftHSM2 %s key', (kind, keyId) => {
  it.each(['enveloped', 'enveloping', 'detached'] as const)('%s: verified by xmlsec1', async (mode) => {
    const signer = await tokenSigner(keyId)
    const input = join(FIXTURES, 'unsigned/pastell__HELIOS_SIMU_ALR2_LibelleColBud_avec_accent.xml')
    const output = join(tmp.dir, `xades-${kind}-${mode}.xml`)
    await signXml({ input, output, signer, mode, level: 'B-B', role: 'Le Maire', place })
    const v = await xmlsecVerify(output, trust, mode === 'detached' ? { urlMap: { [encodeURIComponent(basename(input))]: input } } : {})
    expect(v.ok, v.output).toBe(true)
  })
})

describe('PES V2 behaviour', () => {
  let svc: PkiServices
  let soft: ReturnType<typeof createSoftwareSigner>
  let strust: XmlsecTrust
  beforeAll(async () => {
    svc = await startPkiServices((baseUrl) => createTestPki(join(tmp.dir, 'pki-tsa'), { baseUrl }))
    soft = createSoftwareSigner({ certificate: svc.pki.certs.signerRsa.certDer, privateKey: svc.pki.certs.signerRsa.keyPem, chain: [svc.pki.certs.intermediate.certDer] })
    strust = { rootPem: svc.pki.rootPemPath, intermediatePem: svc.pki.certs.intermediate.certPemPath }
  })
  afterAll(async () => svc?.close())

  it('already-signed bordereaux are reported, not signed twice; nothing is written when nothing is left', async () => {
    const first = join(tmp.dir, 'once.xml')
    const r1 = await signPes({ input: join(FIXTURES, 'unsigned/pastell__PESALR1_99988877766655_121211_11.xml'), output: first, signer: soft, policyProfile })
    expect(r1.signed).toHaveLength(6)
    const second = join(tmp.dir, 'twice.xml')
    const r2 = await signPes({ input: first, output: second, signer: soft, policyProfile })
    expect(r2.signed).toEqual([])
    expect(r2.alreadySigned.map((a) => a.bordereauId)).toEqual(r1.signed.map((s) => s.bordereauId))
    expect(r2.output).toBeNull()
    expect(existsSync(second)).toBe(false)
    const other = await signPes({ input: join(FIXTURES, 'signed/stela__test-perime-04-04-2016.xml'), output: join(tmp.dir, 'stela.xml'), signer: soft, policyProfile })
    expect(other.alreadySigned).toEqual([{ bordereauId: 'C998620181', target: 'bordereau' }])
  })

  it('a role outside ISO-8859-1 is written as character references and verifies; B-T adds a timestamp', async () => {
    const output = join(tmp.dir, 'role.xml')
    const role = 'Ordonnateur délégué – 1ᵉʳ adjoint'
    const r = await signPes({
      input: join(FIXTURES, 'unsigned/pastell__fichier_signe_avec_accent.xml'),
      output,
      signer: soft,
      policyProfile,
      role,
      level: 'B-T',
      timestamp: createTsaClient({ url: svc.tsaUrl }),
    })
    const raw = readFileSync(output).toString('latin1')
    expect(raw).toContain('Ordonnateur d\u00e9l\u00e9gu\u00e9 &#8211; 1&#7497;&#691; adjoint')
    const { document } = parseXml(readFileSync(output))
    expect(document.getElementsByTagNameNS(NS.xades111, 'ClaimedRole')[0]?.textContent).toBe(role)
    expect(document.getElementsByTagNameNS(NS.xades111, 'EncapsulatedTimeStamp')).toHaveLength(1)
    const v = await xmlsecVerify(output, strust, { nodeId: r.signed[0]!.signatureId })
    expect(v.ok, v.output).toBe(true)
  })

  it('a changed bordereau fails its own signature while the others still verify', async () => {
    const output = join(tmp.dir, 'six.xml')
    const r = await signPes({ input: join(FIXTURES, 'unsigned/pastell__PESALR1_99988877766655_121211_11.xml'), output, signer: soft, policyProfile })
    const bytes = readFileSync(output)
    const second = bytes.indexOf(`Id="${r.signed[1]!.bordereauId}"`, 0, 'latin1')
    const at = bytes.indexOf('V="', second, 'latin1') + 3
    bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31
    const tampered = join(tmp.dir, 'six-tampered.xml')
    writeFileSync(tampered, bytes)
    const results = await Promise.all(r.signed.map((s) => xmlsecVerify(tampered, strust, { nodeId: s.signatureId })))
    expect(results.map((x) => x.ok)).toEqual([true, false, true, true, true, true])
  })

  it.each([
    ['UTF-8 with a BOM and CRLF', 'UTF-8', true],
    ['windows-1252', 'windows-1252', false],
  ])('awkward layouts (%s): comments and CDATA holding end tags, an empty-element bordereau', async (_label, encoding, bom) => {
    const body =
      `<?xml version="1.0" encoding="${encoding}"?>\r\n<PES_Aller Id="P1">\r\n <PES_DepenseAller>\r\n` +
      `  <Bordereau Id="B1"><Obj V="Facture \u20ac 12 \u00e9t\u00e9"/><!-- </Bordereau> --><Note><![CDATA[</Bordereau> & <x>]]></Note>\r\n  </Bordereau>\r\n` +
      `  <Bordereau Id="B2" V='a>b'/>\r\n` +
      `  <Bordereau Id="B3">\r\n   <?pi </Bordereau>?>\r\n  </Bordereau >\r\n </PES_DepenseAller>\r\n</PES_Aller>\r\n`
    const bytes = encoding === 'UTF-8' ? Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(body, 'utf8')]) : Buffer.from(body.replace('\u20ac', '\u0080'), 'latin1')
    const input = join(tmp.dir, `awkward-${encoding}.xml`)
    writeFileSync(input, bytes)
    const output = join(tmp.dir, `awkward-${encoding}-signed.xml`)
    const r = await signPes({ input, output, signer: soft, policyProfile, role: 'Ordonnateur – délégué' })
    expect(r.signed.map((x) => x.bordereauId)).toEqual(['B1', 'B2', 'B3'])
    expect(r.encoding).toBe(encoding)
    for (const s of r.signed) {
      const v = await xmlsecVerify(output, strust, { nodeId: s.signatureId })
      expect(v.ok, v.output).toBe(true)
    }
    const out = readFileSync(output)
    if (bom) expect([...out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const { document } = parseXml(out)
    expect(document.getElementsByTagNameNS(NS.xades111, 'ClaimedRole')[0]?.textContent).toBe('Ordonnateur – délégué')
    expect(document.getElementsByTagName('Obj')[0]?.getAttribute('V')).toBe('Facture \u20ac 12 \u00e9t\u00e9')
  })

  it('cancelling between two signatures writes nothing', async () => {
    const controller = new AbortController()
    const output = join(tmp.dir, 'cancelled.xml')
    const attempt = signPes({
      input: join(FIXTURES, 'unsigned/pastell__PESALR1_99988877766655_121211_11.xml'),
      output,
      signer: soft,
      policyProfile,
      signal: controller.signal,
      onProgress: (done) => done === 2 && controller.abort(),
    })
    await expect(attempt).rejects.toThrow(/cancelled/)
    expect(existsSync(output)).toBe(false)
  })

  it('refuses a file that is not a PES_Aller, in plain words', async () => {
    const notPes = join(tmp.dir, 'acte.xml')
    writeFileSync(notPes, '<?xml version="1.0" encoding="UTF-8"?><acte Id="a1"/>')
    await expect(signPes({ input: notPes, output: join(tmp.dir, 'acte-signed.xml'), signer: soft, policyProfile })).rejects.toThrow(PesError)
    await expect(signPes({ input: notPes, output: join(tmp.dir, 'acte-signed.xml'), signer: soft, policyProfile })).rejects.toThrow(/not a PES_Aller/)
  })
})
