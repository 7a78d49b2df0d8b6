/** Parsed certificate facts the verifier needs (pkijs for structure, original bytes kept). */
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import type { CertificateSummary } from '../../../shared/model/validation'
import { describeCertificate } from '../x509/certificate-info'
import { verifySignature, type SignatureCheck } from './algorithms'
import { digestMemo } from './memo'

export const OID_EXT = {
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  crlDistributionPoints: '2.5.29.31',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const

export const OID_KP = { timeStamping: '1.3.6.1.5.5.7.3.8', ocspSigning: '1.3.6.1.5.5.7.3.9' } as const

export interface ParsedCertificate {
  der: Uint8Array
  sha256: string
  cert: pkijs.Certificate
  subjectDer: Uint8Array
  issuerDer: Uint8Array
  spkiDer: Uint8Array
  /** the BIT STRING content of subjectPublicKey (what OCSP issuerKeyHash hashes) */
  publicKeyBits: Uint8Array
  serialHex: string
  notBefore: Date
  notAfter: Date
  subjectKeyId: string | null
  authorityKeyId: string | null
  summary: CertificateSummary
}

function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer
}

export function hex(u: Uint8Array | ArrayBuffer): string {
  return Buffer.from(u instanceof Uint8Array ? u : new Uint8Array(u)).toString('hex')
}

function extension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return cert.extensions?.find((e) => e.extnID === oid)
}

export function summarize(der: Uint8Array): CertificateSummary {
  const f = describeCertificate(der)
  return {
    subject: f.subject,
    commonName: f.subjectCommonName,
    organization: f.organization,
    issuer: f.issuer,
    serialNumber: f.serialNumber,
    notBefore: f.notBefore,
    notAfter: f.notAfter,
    sha256: f.sha256,
  }
}

// Parsing (pkijs + @peculiar/x509 for the summary) costs milliseconds per certificate and the same
// certificates come back for every signature, timestamp and OCSP response.
const memoCertificate = digestMemo<ParsedCertificate>(512)

/** Throws when `der` is not a certificate. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  return memoCertificate(der, (sha256) => parseCertificateUncached(der, sha256))
}

function parseCertificateUncached(der: Uint8Array, sha256: string): ParsedCertificate {
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(der))
  const ski = extension(cert, OID_EXT.subjectKeyIdentifier)?.parsedValue
  const aki = extension(cert, OID_EXT.authorityKeyIdentifier)?.parsedValue as pkijs.AuthorityKeyIdentifier | undefined
  return {
    der: new Uint8Array(der),
    sha256,
    cert,
    subjectDer: new Uint8Array(cert.subject.valueBeforeDecode),
    issuerDer: new Uint8Array(cert.issuer.valueBeforeDecode),
    spkiDer: new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false)),
    publicKeyBits: new Uint8Array(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
    serialHex: hex(cert.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, ''),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    subjectKeyId: ski instanceof asn1js.OctetString ? hex(ski.valueBlock.valueHexView) : null,
    authorityKeyId: aki?.keyIdentifier ? hex(aki.keyIdentifier.valueBlock.valueHexView) : null,
    summary: summarize(der),
  }
}

export function tryParseCertificate(der: Uint8Array): ParsedCertificate | null {
  try {
    return parseCertificate(der)
  } catch {
    return null
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b))
}

/** Was `child` signed by `issuer`'s key? (names must match too) */
export function isIssuedBy(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (!sameBytes(child.issuerDer, issuer.subjectDer)) return false
  if (child.authorityKeyId && issuer.subjectKeyId && child.authorityKeyId !== issuer.subjectKeyId) return false
  return verifyCertificateSignature(child, issuer.spkiDer).ok
}

export function verifyCertificateSignature(child: ParsedCertificate, issuerSpki: Uint8Array): SignatureCheck {
  return verifySignature({
    spkiDer: issuerSpki,
    algorithmOid: child.cert.signatureAlgorithm.algorithmId,
    algorithmParams: child.cert.signatureAlgorithm.algorithmParams,
    data: child.cert.tbsView,
    signature: child.cert.signatureValue.valueBlock.valueHexView,
  })
}

export function keyUsageNames(pc: ParsedCertificate): string[] | null {
  const ku = extension(pc.cert, OID_EXT.keyUsage)?.parsedValue
  if (!(ku instanceof asn1js.BitString)) return null
  const bytes = ku.valueBlock.valueHexView
  const names = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly']
  return names.filter((_, i) => ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0)
}

export function extendedKeyUsages(pc: ParsedCertificate): string[] | null {
  const eku = extension(pc.cert, OID_EXT.extKeyUsage)?.parsedValue as pkijs.ExtKeyUsage | undefined
  return eku ? eku.keyPurposes : null
}

export function hasExtension(pc: ParsedCertificate, oid: string): boolean {
  return extension(pc.cert, oid) !== undefined
}

export function isCa(pc: ParsedCertificate): boolean {
  const bc = extension(pc.cert, OID_EXT.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined
  return bc?.cA === true
}

/** http(s) URLs of OCSP responders (AIA) */
export function ocspUrls(pc: ParsedCertificate): string[] {
  return accessUrls(pc, '1.3.6.1.5.5.7.48.1')
}

export function caIssuerUrls(pc: ParsedCertificate): string[] {
  return accessUrls(pc, '1.3.6.1.5.5.7.48.2')
}

function accessUrls(pc: ParsedCertificate, method: string): string[] {
  const aia = extension(pc.cert, OID_EXT.authorityInfoAccess)?.parsedValue as pkijs.InfoAccess | undefined
  return (aia?.accessDescriptions ?? [])
    .filter((d) => d.accessMethod === method && d.accessLocation.type === 6)
    .map((d) => String(d.accessLocation.value))
    .filter((u) => /^https?:\/\//i.test(u))
}

export function crlUrls(pc: ParsedCertificate): string[] {
  const dp = extension(pc.cert, OID_EXT.crlDistributionPoints)?.parsedValue as pkijs.CRLDistributionPoints | undefined
  const out: string[] = []
  for (const p of dp?.distributionPoints ?? []) {
    const names = Array.isArray(p.distributionPoint) ? p.distributionPoint : []
    for (const n of names as pkijs.GeneralName[]) if (n.type === 6 && /^https?:\/\//i.test(String(n.value))) out.push(String(n.value))
  }
  return out
}
