/**
 * CMS SignedData (RFC 5652) for CAdES (ETSI EN 319 122) and PAdES (ETSI EN 319 142, SubFilter
 * ETSI.CAdES.detached). Assembled from DER pieces: the signed attributes are DER-sorted (the
 * signature covers their DER SET encoding), ECDSA r||s from tokens becomes DER, RSA-PSS gets its
 * parameters, and a B-T signature carries an RFC 3161 token over the SignatureValue bytes.
 */
import { createHash, verify as cryptoVerify, X509Certificate, constants as cryptoConstants } from 'node:crypto'
import { defaultSignatureAlgorithm, type DigestAlgorithm, type SignatureAlgorithm, type Signer } from '../signer'
import type { TimestampRequester } from '../timestamp/tsa-client'
import { digestAlgorithmIdentifier, keyTypeMatches, rawEcdsaToDer, signatureAlgorithmIdentifier } from './algorithms'
import { certificateIdentity } from './certificate-fields'
import {
  cmsTime,
  concatBytes,
  encodeLength,
  explicit,
  octetString,
  oid,
  sequence,
  setOf,
  smallInteger,
  sortedSetContent,
  tlv,
  TAG,
} from './der'
import { digestLength, nodeHashName, OID } from './oids'

export type CmsProfile = 'cades' | 'pades'

export interface RevocationValues {
  /** DER OCSPResponse values (RFC 6960) */
  ocsp?: Uint8Array[]
  /** DER CertificateList values (RFC 5280) */
  crls?: Uint8Array[]
}

export interface CmsSignatureOptions {
  signer: Signer
  /** digest of the content (or of the PDF ByteRange), computed by the caller with `digestAlgorithm` */
  contentDigest: Uint8Array
  /** default SHA-256 */
  digestAlgorithm?: DigestAlgorithm
  /** 'pades' leaves signingTime out (the time goes into the signature dictionary /M) */
  profile: CmsProfile
  /** CAdES only; default: now */
  signingTime?: Date
  /** eContentType and the contentType attribute; default id-data */
  contentTypeOid?: string
  /** when given, the signature becomes B-T: a signature timestamp is added as unsigned attribute */
  timestamp?: TimestampRequester
  /** B-LT: revocation values embedded in SignedData.crls */
  revocation?: RevocationValues
  /** certificates to embed besides the signer's certificate and signer.chain (DER) */
  extraCertificates?: Uint8Array[]
  /** attached (enveloping) signature: the content itself; absent => detached */
  encapsulatedContent?: Uint8Array
  /** default: RSA PKCS#1 v1.5 or ECDSA with `digestAlgorithm` */
  signatureAlgorithm?: SignatureAlgorithm
}

export interface SignerInfoResult {
  /** DER SignerInfo */
  signerInfo: Uint8Array
  /** the raw SignatureValue bytes (DER for ECDSA) */
  signatureValue: Uint8Array
  digestAlgorithm: DigestAlgorithm
  /** B-T: the signature timestamp token (DER ContentInfo) */
  timestampToken?: Uint8Array
}

/** ESS signing-certificate-v2 (RFC 5035): SHA-256 of the certificate (hashAlgorithm DEFAULT) and IssuerSerial. */
export function signingCertificateV2Value(certDer: Uint8Array): Uint8Array {
  const { issuerDer, serialDer } = certificateIdentity(certDer)
  const certHash = createHash('sha256').update(certDer).digest()
  // GeneralNames ::= SEQUENCE OF GeneralName; directoryName is [4] EXPLICIT Name (Name is a CHOICE)
  const issuerSerial = sequence(sequence(explicit(4, issuerDer)), serialDer)
  const essCertIdV2 = sequence(octetString(certHash), issuerSerial)
  return sequence(sequence(essCertIdV2))
}

function attribute(type: string, value: Uint8Array): Uint8Array {
  return sequence(oid(type), setOf([value]))
}

/** The DER SET of signed attributes, as signed (tag 0x31). In SignerInfo it is re-tagged [0]. */
export function encodeSignedAttributes(opts: {
  contentTypeOid: string
  contentDigest: Uint8Array
  signerCertificate: Uint8Array
  signingTime?: Date
}): Uint8Array {
  const attrs = [
    attribute(OID.contentType, oid(opts.contentTypeOid)),
    attribute(OID.messageDigest, octetString(opts.contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2Value(opts.signerCertificate)),
  ]
  if (opts.signingTime) attrs.push(attribute(OID.signingTime, cmsTime(opts.signingTime)))
  return tlv(TAG.set, sortedSetContent(attrs))
}

/** Check the signer's answer against its certificate: catches a key/certificate mismatch on the token. */
function checkSignature(certDer: Uint8Array, data: Uint8Array, signatureDer: Uint8Array, alg: SignatureAlgorithm): void {
  const key = new X509Certificate(certDer).publicKey
  const hash = nodeHashName(alg.hash)
  let ok: boolean
  try {
    if (alg.scheme === 'ECDSA') ok = cryptoVerify(hash, data, { key, dsaEncoding: 'der' }, signatureDer)
    else if (alg.scheme === 'RSA-PSS')
      ok = cryptoVerify(hash, data, { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength }, signatureDer)
    else ok = cryptoVerify(hash, data, key, signatureDer)
  } catch {
    ok = false
  }
  if (!ok) {
    throw new Error('the signature made by the token does not match its certificate (wrong key selected, or a faulty token)')
  }
}

/**
 * One SignerInfo: signed attributes, the signer's signature, and (B-T) the signature timestamp.
 * Exposed for co-signatures and the streaming attached writer.
 */
export async function buildSignerInfo(opts: CmsSignatureOptions): Promise<SignerInfoResult> {
  const digestAlgorithm = opts.digestAlgorithm ?? 'SHA-256'
  if (opts.contentDigest.length !== digestLength(digestAlgorithm)) {
    throw new Error(`content digest has ${opts.contentDigest.length} bytes, ${digestAlgorithm} needs ${digestLength(digestAlgorithm)}`)
  }
  const signer = opts.signer
  const algorithm = opts.signatureAlgorithm ?? defaultSignatureAlgorithm(signer, digestAlgorithm)
  if (!keyTypeMatches(algorithm, signer.keyType)) throw new Error(`a ${signer.keyType} key cannot make ${algorithm.scheme} signatures`)
  if (!signer.supports(algorithm)) throw new Error(`the token does not support ${algorithm.scheme} with ${algorithm.hash}`)

  const signedAttrs = encodeSignedAttributes({
    contentTypeOid: opts.contentTypeOid ?? OID.data,
    contentDigest: opts.contentDigest,
    signerCertificate: signer.certificate,
    signingTime: opts.profile === 'cades' ? (opts.signingTime ?? new Date()) : undefined,
  })
  const toBeSigned = createHash(nodeHashName(algorithm.hash)).update(signedAttrs).digest()
  const raw = await signer.signDigest(new Uint8Array(toBeSigned), algorithm)
  const signatureValue = algorithm.scheme === 'ECDSA' ? rawEcdsaToDer(raw) : raw
  checkSignature(signer.certificate, signedAttrs, signatureValue, algorithm)

  const { issuerDer, serialDer } = certificateIdentity(signer.certificate)
  // signedAttrs [0] IMPLICIT SET: same bytes as the signed SET, tag changed
  const implicitSignedAttrs = Uint8Array.from(signedAttrs)
  implicitSignedAttrs[0] = TAG.context(0)
  const fields = [
    smallInteger(1), // version 1: sid is issuerAndSerialNumber
    sequence(issuerDer, serialDer),
    digestAlgorithmIdentifier(digestAlgorithm),
    implicitSignedAttrs,
    signatureAlgorithmIdentifier(algorithm),
    octetString(signatureValue),
  ]
  let timestampToken: Uint8Array | undefined
  if (opts.timestamp) {
    const imprint = createHash(nodeHashName(digestAlgorithm)).update(signatureValue).digest()
    timestampToken = await opts.timestamp(new Uint8Array(imprint), digestAlgorithm)
    fields.push(tlv(TAG.context(1), attribute(OID.signatureTimeStampToken, timestampToken)))
  }
  return { signerInfo: sequence(...fields), signatureValue, digestAlgorithm, timestampToken }
}

/** RevocationInfoChoice values: CRLs as is, OCSP responses as [1] OtherRevocationInfoFormat (RFC 5940). */
export function encodeRevocationChoices(values: RevocationValues | undefined): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const crl of values?.crls ?? []) out.push(crl)
  for (const resp of values?.ocsp ?? []) out.push(tlv(TAG.context(1), oid(OID.riOcspResponse), resp))
  return out
}

export interface SignedDataParts {
  digestAlgorithms: Uint8Array[]
  eContentType: string
  certificates: Uint8Array[]
  /** encoded RevocationInfoChoice values */
  revocationChoices: Uint8Array[]
  signerInfos: Uint8Array[]
  /** minimum version (co-signatures keep what existing SignerInfos require) */
  version?: number
}

/** RFC 5652 5.1: 5 with "other" revocation formats (OCSP), 3 when eContentType is not id-data, else 1. */
export function signedDataVersion(parts: Pick<SignedDataParts, 'eContentType' | 'revocationChoices' | 'version'>): number {
  const computed = parts.revocationChoices.some((c) => c[0] === TAG.context(1)) ? 5 : parts.eContentType === OID.data ? 1 : 3
  return Math.max(computed, parts.version ?? 0)
}

function uniqueBytes(items: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>()
  const out: Uint8Array[] = []
  for (const item of items) {
    const key = Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('base64')
    if (!seen.has(key)) {
      seen.add(key)
      out.push(item)
    }
  }
  return out
}

/** The fields of SignedData that precede encapContentInfo, and the ones after it. */
function signedDataPrefix(parts: SignedDataParts): Uint8Array {
  return concatBytes([smallInteger(signedDataVersion(parts)), setOf(uniqueBytes(parts.digestAlgorithms))])
}

/** certificates, crls and signerInfos: the fields after encapContentInfo. */
export function signedDataSuffix(parts: SignedDataParts): Uint8Array {
  const pieces: Uint8Array[] = []
  const certs = uniqueBytes(parts.certificates)
  if (certs.length) pieces.push(tlv(TAG.context(0), sortedSetContent(certs)))
  const revs = uniqueBytes(parts.revocationChoices)
  if (revs.length) pieces.push(tlv(TAG.context(1), sortedSetContent(revs)))
  // signerInfos keep their order: a co-signature is appended after the existing ones
  pieces.push(tlv(TAG.set, ...(parts.signerInfos.length ? parts.signerInfos : [new Uint8Array(0)])))
  return concatBytes(pieces)
}

/** DER ContentInfo(SignedData); `eContent` present => attached. */
export function encodeSignedData(parts: SignedDataParts & { eContent?: Uint8Array }): Uint8Array {
  const encap = parts.eContent
    ? sequence(oid(parts.eContentType), explicit(0, octetString(parts.eContent)))
    : sequence(oid(parts.eContentType))
  const signedData = sequence(signedDataPrefix(parts), encap, signedDataSuffix(parts))
  return sequence(oid(OID.signedData), explicit(0, signedData))
}

/**
 * BER indefinite-length framing for attached signatures of any size: `head` goes first, then the
 * content as primitive OCTET STRING chunks (`contentChunkHeader`), then `tail`. The version and
 * digest algorithms must be known before the content is written, the rest after.
 */
/** ContentInfo and SignedData opened with indefinite lengths, then version and digestAlgorithms. */
export function encodeSignedDataOpening(parts: Pick<SignedDataParts, 'digestAlgorithms' | 'eContentType' | 'revocationChoices' | 'version'>): Uint8Array {
  const prefix = concatBytes([smallInteger(signedDataVersion(parts)), setOf(uniqueBytes(parts.digestAlgorithms))])
  return concatBytes([
    Uint8Array.of(0x30, 0x80), // ContentInfo
    oid(OID.signedData),
    Uint8Array.of(0xa0, 0x80), // [0] EXPLICIT
    Uint8Array.of(0x30, 0x80), // SignedData
    prefix,
  ])
}

/** After encapContentInfo: the remaining SignedData fields and the end-of-contents of the opening. */
export function encodeSignedDataClosing(parts: SignedDataParts): Uint8Array {
  const eoc = Uint8Array.of(0, 0)
  return concatBytes([signedDataSuffix(parts), eoc, eoc, eoc])
}

export function encodeStreamingHead(parts: Pick<SignedDataParts, 'digestAlgorithms' | 'eContentType' | 'revocationChoices' | 'version'>): Uint8Array {
  return concatBytes([
    encodeSignedDataOpening(parts),
    Uint8Array.of(0x30, 0x80), // EncapsulatedContentInfo
    oid(parts.eContentType),
    Uint8Array.of(0xa0, 0x80), // [0] EXPLICIT eContent
    Uint8Array.of(0x24, 0x80), // OCTET STRING, constructed, indefinite
  ])
}

export function contentChunkHeader(length: number): Uint8Array {
  return concatBytes([Uint8Array.of(TAG.octetString), encodeLength(length)])
}

export function encodeStreamingTail(parts: SignedDataParts): Uint8Array {
  const eoc = Uint8Array.of(0, 0)
  return concatBytes([
    eoc, // OCTET STRING
    eoc, // [0] eContent
    eoc, // EncapsulatedContentInfo
    encodeSignedDataClosing(parts), // then SignedData, [0], ContentInfo
  ])
}

/** The certificates a signature embeds: signer, its chain, extras (duplicates dropped). */
export function signerCertificates(signer: Signer, extra: readonly Uint8Array[] = []): Uint8Array[] {
  return uniqueBytes([signer.certificate, ...signer.chain, ...extra])
}

/** Build a complete CAdES/PAdES CMS signature; returns DER ContentInfo(SignedData). */
export async function createCmsSignature(opts: CmsSignatureOptions): Promise<Uint8Array> {
  if (opts.encapsulatedContent) {
    const actual = createHash(nodeHashName(opts.digestAlgorithm ?? 'SHA-256')).update(opts.encapsulatedContent).digest()
    if (!actual.equals(opts.contentDigest)) throw new Error('contentDigest is not the digest of encapsulatedContent')
  }
  const { signerInfo, digestAlgorithm } = await buildSignerInfo(opts)
  return encodeSignedData({
    digestAlgorithms: [digestAlgorithmIdentifier(digestAlgorithm)],
    eContentType: opts.contentTypeOid ?? OID.data,
    eContent: opts.encapsulatedContent,
    certificates: signerCertificates(opts.signer, opts.extraCertificates),
    revocationChoices: encodeRevocationChoices(opts.revocation),
    signerInfos: [signerInfo],
  })
}
