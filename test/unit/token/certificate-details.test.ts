import 'reflect-metadata'
import { webcrypto } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import catalogue from '../../../resources/certificate-policies.json'
import {
  certificateToPem,
  describeCertificateDetails,
  exportCertificate,
  lookupPolicy,
  parseQcStatements,
  strongestLevel,
} from '../../../src/main/core/token/certificate-details'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)
const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'))
// QcCompliance, QcSSCD, QcType(eSign)
const QC_QUALIFIED_QSCD_ESIGN = '30293008060604008e4601013008060604008e4601043013060604008e4601063009060704008e46010601'

let dir: string
let der: Uint8Array
const now = new Date('2026-06-01T00:00:00Z')

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-certdetails-'))
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a1b',
    name: 'CN=Agent Comptable, O=Mairie de Testville, C=FR',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2026-06-11T12:00:00Z'),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.nonRepudiation, true),
      new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.4', '1.2.3.4.5']),
      new x509.CertificatePolicyExtension(['1.2.3.999', '0.4.0.194112.1.2', '1.2.250.1.999.7']),
      new x509.Extension('1.3.6.1.5.5.7.1.3', false, hex(QC_QUALIFIED_QSCD_ESIGN)),
    ],
  })
  der = new Uint8Array(cert.rawData)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('certificate details', () => {
  it('maps policies to CA and level, reads QCStatements and days left', () => {
    const d = describeCertificateDetails({ id: '02', label: 'sig', hasPrivateKey: true }, der, { now })
    expect(d.policies).toEqual([
      { oid: '1.2.3.999', name: null, ca: null, level: null },
      expect.objectContaining({ oid: '0.4.0.194112.1.2', level: 'eIDAS qualified (QSCD)' }),
      expect.objectContaining({ oid: '1.2.250.1.999.7', ca: 'Paraphe Test PKI', level: 'test' }),
    ])
    expect(d.level).toBe('eIDAS qualified (QSCD)')
    expect(d.qcStatements).toEqual({ qualified: true, qscd: true, types: ['eSign'], statements: ['0.4.0.1862.1.1', '0.4.0.1862.1.4', '0.4.0.1862.1.6'] })
    expect(d.daysLeft).toBe(10)
    expect(d.validNow).toBe(true)
    expect(d.signatureCertificate).toBe(true)
    expect(d.extendedKeyUsage).toEqual(['emailProtection', '1.2.3.4.5'])
    expect(d.publicKey).toEqual({ type: 'EC', bits: null, curve: 'prime256v1' })
    expect(describeCertificateDetails({ id: '', label: '', hasPrivateKey: false }, der, { now: new Date('2026-07-01T00:00:00Z') })).toMatchObject({ validNow: false, daysLeft: -20 })
  })

  it('refuses what is not a certificate, and malformed QCStatements give null', () => {
    expect(() => describeCertificateDetails({ id: '', label: '', hasPrivateKey: false }, hex('3003020101'))).toThrow(/not a readable X.509/)
    expect(parseQcStatements(hex('0401ff'))).toBeNull()
    expect(parseQcStatements(hex('3000'))).toEqual({ qualified: false, qscd: false, types: [], statements: [] })
  })

  it('every catalogue entry is a dotted OID; exact entries win over prefixes; levels order', () => {
    for (const p of catalogue.policies) expect(p.oid).toMatch(/^\d+(\.\d+)+$/)
    expect(lookupPolicy('1.2.250.1.999.1').name).toMatch(/signer policy/)
    expect(lookupPolicy('1.2.250.1.9990').level).toBeNull()
    expect(strongestLevel([lookupPolicy('0.4.0.2042.1.2'), lookupPolicy('0.4.0.194112.1.0')])).toBe('eIDAS qualified')
    expect(strongestLevel([])).toBeNull()
  })

  it('exports PEM and DER atomically and never replaces a file unasked', () => {
    const pem = join(dir, 'c.pem')
    exportCertificate(der, 'pem', pem)
    expect(readFileSync(pem, 'utf8')).toBe(certificateToPem(der))
    expect(certificateToPem(der).split('\n').every((l) => l.length <= 64)).toBe(true)
    const out = join(dir, 'c.der')
    writeFileSync(out, 'keep me')
    expect(() => exportCertificate(der, 'der', out)).toThrow(/already exists/)
    expect(readFileSync(out, 'utf8')).toBe('keep me')
    exportCertificate(der, 'der', out, { overwrite: true })
    expect(new Uint8Array(readFileSync(out))).toEqual(der)
    expect(() => exportCertificate(der, 'der', join(dir, 'no-such-dir', 'x.der'))).toThrow(/could not write/)
  })
})
