/**
 * Cryptographic check of one SignerInfo with node:crypto: messageDigest equals the content digest,
 * and the signature over the DER signed attributes verifies with the certificate found by sid.
 * Used to check timestamp tokens before embedding them; the verification engine has its own
 * pipeline of checks and can reuse this primitive.
 */
import { constants, createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto'
import { certificateIdentity } from './certificate-fields'
import { decodeOid, readChildren, readTlv, tlvContent, TAG } from './der'
import { digestFromOid, nodeHashName, OID } from './oids'
import type { ParsedSignerInfo } from './parse'

export interface SignerInfoCheck {
  ok: boolean
  /** DER of the certificate designated by sid, when found among `certificates` */
  certificate?: Uint8Array
  reason?: string
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}

/** The certificate a sid designates: IssuerAndSerialNumber compared bytewise, or SubjectKeyIdentifier. */
export function findSignerCertificate(sid: Uint8Array, certificates: readonly Uint8Array[]): Uint8Array | undefined {
  if (sid[0] === TAG.sequence) {
    const [issuer, serial] = readChildren(sid, readTlv(sid, 0))
    if (!issuer || !serial) return undefined
    const issuerDer = sid.subarray(issuer.start, issuer.end)
    const serialDer = sid.subarray(serial.start, serial.end)
    return certificates.find((c) => {
      try {
        const id = certificateIdentity(c)
        return sameBytes(id.issuerDer, issuerDer) && sameBytes(id.serialDer, serialDer)
      } catch {
        return false
      }
    })
  }
  if (sid[0] === 0x80) {
    const ski = Buffer.from(tlvContent(sid, readTlv(sid, 0))).toString('hex').toUpperCase()
    return certificates.find((c) => {
      try {
        return subjectKeyIdentifierHex(c) === ski
      } catch {
        return false
      }
    })
  }
  return undefined
}

/** Hex (upper case) of the subjectKeyIdentifier extension of a certificate, or undefined. */
export function subjectKeyIdentifierHex(certDer: Uint8Array): string | undefined {
  const cert = readTlv(certDer, 0)
  const [tbs] = readChildren(certDer, cert)
  if (!tbs) return undefined
  const extsWrapper = readChildren(certDer, tbs).find((t) => t.tag === TAG.context(3))
  if (!extsWrapper) return undefined
  const [exts] = readChildren(certDer, extsWrapper)
  if (!exts) return undefined
  for (const ext of readChildren(certDer, exts)) {
    const parts = readChildren(certDer, ext)
    if (parts[0] && decodeOid(tlvContent(certDer, parts[0])) === '2.5.29.14') {
      const value = parts[parts.length - 1]!
      const inner = tlvContent(certDer, value)
      return Buffer.from(tlvContent(inner, readTlv(inner, 0))).toString('hex').toUpperCase()
    }
  }
  return undefined
}

function pssSaltLength(sigAlg: Uint8Array): number {
  const [, params] = readChildren(sigAlg, readTlv(sigAlg, 0))
  if (!params) return 20
  for (const p of readChildren(sigAlg, params)) {
    if (p.tag === TAG.context(2)) {
      const [int] = readChildren(sigAlg, p)
      let v = 0
      for (const b of tlvContent(sigAlg, int!)) v = v * 256 + b
      return v
    }
  }
  return 20
}

export function verifySignerInfo(si: ParsedSignerInfo, content: Uint8Array, eContentType: string, certificates: readonly Uint8Array[]): SignerInfoCheck {
  const certificate = findSignerCertificate(si.sid, certificates)
  if (!certificate) return { ok: false, reason: 'the signer certificate is not in the signature' }
  const digest = digestFromOid(si.digestAlgorithmOid)
  if (!digest) return { ok: false, certificate, reason: `unsupported digest algorithm ${si.digestAlgorithmOid}` }
  if (!si.signedAttrs) return { ok: false, certificate, reason: 'no signed attributes' }
  const md = si.signedAttributes.find((a) => a.type === OID.messageDigest)
  const ct = si.signedAttributes.find((a) => a.type === OID.contentType)
  if (!md || md.values.length !== 1 || !ct || ct.values.length !== 1) return { ok: false, certificate, reason: 'messageDigest or contentType attribute missing' }
  const mdValue = md.values[0]!
  const expected = createHash(nodeHashName(digest)).update(content).digest()
  if (!sameBytes(tlvContent(mdValue, readTlv(mdValue, 0)), expected)) return { ok: false, certificate, reason: 'the content does not match the signed digest' }
  const ctValue = ct.values[0]!
  if (decodeOid(tlvContent(ctValue, readTlv(ctValue, 0))) !== eContentType) return { ok: false, certificate, reason: 'contentType attribute differs from the content type' }

  const key = new X509Certificate(Buffer.from(certificate)).publicKey
  const hashName = nodeHashName(digest)
  let ok = false
  try {
    const alg = si.signatureAlgorithmOid
    if (alg.startsWith('1.2.840.10045.4.3.')) ok = cryptoVerify(hashName, si.signedAttrs, { key, dsaEncoding: 'der' }, si.signatureValue)
    else if (alg === OID.rsassaPss)
      ok = cryptoVerify(hashName, si.signedAttrs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength(si.signatureAlgorithm) }, si.signatureValue)
    else if (alg === OID.rsaEncryption || alg === OID.sha256WithRSA || alg === OID.sha384WithRSA || alg === OID.sha512WithRSA)
      ok = cryptoVerify(hashName, si.signedAttrs, key, si.signatureValue)
    else return { ok: false, certificate, reason: `unsupported signature algorithm ${alg}` }
  } catch (err) {
    return { ok: false, certificate, reason: `signature cannot be checked: ${(err as Error).message}` }
  }
  return ok ? { ok: true, certificate } : { ok: false, certificate, reason: 'the signature value does not verify' }
}
