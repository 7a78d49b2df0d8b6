/** Plain facts about an X.509 certificate, read with @peculiar/x509 (DER in, JSON-safe data out). */
import 'reflect-metadata'
import { createHash } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import type { CertificateInfo } from '../../../shared/model/token'

const KEY_USAGE_NAMES: Array<[number, string]> = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
  [x509.KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [x509.KeyUsageFlags.decipherOnly, 'decipherOnly'],
]

function firstRdn(name: x509.Name, oidOrShort: string): string | null {
  const values = name.getField(oidOrShort)
  return values.length > 0 ? (values[0] ?? null) : null
}

export type CertificateFacts = Omit<CertificateInfo, 'id' | 'label' | 'hasPrivateKey'>

/** Throws when `der` is not a certificate; callers decide how to report it. */
export function describeCertificate(der: Uint8Array): CertificateFacts {
  const cert = new x509.X509Certificate(der)
  const subject = new x509.Name(cert.subjectName.toArrayBuffer())
  const issuer = new x509.Name(cert.issuerName.toArrayBuffer())
  const ku = cert.getExtension(x509.KeyUsagesExtension)
  return {
    subject: cert.subject,
    subjectCommonName: firstRdn(subject, 'CN'),
    organization: firstRdn(subject, 'O'),
    issuer: cert.issuer,
    issuerCommonName: firstRdn(issuer, 'CN'),
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    keyUsage: ku ? KEY_USAGE_NAMES.filter(([flag]) => (ku.usages & flag) !== 0).map(([, n]) => n) : [],
    sha256: createHash('sha256').update(der).digest('hex'),
    der: Buffer.from(der).toString('base64'),
  }
}
