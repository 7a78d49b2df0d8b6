/**
 * Reads the DER structure of a CMS ContentInfo(SignedData): the pieces we need to co-sign, to
 * check a timestamp token, or to add revocation data. Hostile input: every access is bounds-checked
 * by the DER reader and errors say what is wrong. BER indefinite lengths (large attached .p7m made
 * by us or others) are handled by the streaming reader in cades/, not here.
 */
import { decodeOid, DerError, readChildren, readTlv, resolveEnd, tlvBytes, tlvContent, TAG, type Tlv } from './der'

export interface ParsedSignerInfo {
  der: Uint8Array
  version: number
  /** DER of the sid (IssuerAndSerialNumber SEQUENCE, or [0] SubjectKeyIdentifier) */
  sid: Uint8Array
  digestAlgorithmOid: string
  /** the signed attributes as a DER SET (tag 0x31), as covered by the signature; undefined if absent */
  signedAttrs?: Uint8Array
  signedAttributes: { type: string; values: Uint8Array[] }[]
  signatureAlgorithm: Uint8Array
  signatureAlgorithmOid: string
  signatureValue: Uint8Array
  unsignedAttributes: { type: string; values: Uint8Array[] }[]
}

export interface ParsedSignedData {
  version: number
  /** DER AlgorithmIdentifier values */
  digestAlgorithms: Uint8Array[]
  eContentType: string
  /** eContent bytes when attached (primitive or constructed OCTET STRING, joined) */
  eContent?: Uint8Array
  certificates: Uint8Array[]
  /** RevocationInfoChoice DER values */
  revocationChoices: Uint8Array[]
  signerInfos: ParsedSignerInfo[]
}

function attributes(buf: Uint8Array, set: Tlv): { type: string; values: Uint8Array[] }[] {
  return readChildren(buf, set).map((attr) => {
    const [type, values] = readChildren(buf, attr)
    if (!type || type.tag !== TAG.oid || !values || values.tag !== TAG.set) throw new DerError('malformed attribute')
    return { type: decodeOid(tlvContent(buf, type)), values: readChildren(buf, values).map((v) => tlvBytes(buf, v)) }
  })
}

function readInteger(buf: Uint8Array, t: Tlv | undefined): number {
  if (!t || t.tag !== TAG.integer) throw new DerError('INTEGER expected')
  const c = tlvContent(buf, t)
  if (c.length > 4) throw new DerError('INTEGER too large')
  let v = 0
  for (const b of c) v = v * 256 + b
  return v
}

/** The SignerInfos of a DER/BER `SET OF SignerInfo` value. */
export function parseSignerInfoSet(der: Uint8Array): ParsedSignerInfo[] {
  try {
    const set = readTlv(der, 0)
    if (set.tag !== TAG.set) throw new DerError('signerInfos is not a SET')
    return readChildren(der, set).map((s) => parseSignerInfo(der, s))
  } catch (err) {
    if (err instanceof DerError) throw new Error(`not a valid CMS signature: ${err.message}`)
    throw err
  }
}

function parseSignerInfo(buf: Uint8Array, t: Tlv): ParsedSignerInfo {
  const f = readChildren(buf, t)
  let i = 0
  const version = readInteger(buf, f[i++])
  const sid = f[i++]
  const digestAlg = f[i++]
  if (!sid || !digestAlg) throw new DerError('SignerInfo is truncated')
  let signedAttrs: Uint8Array | undefined
  let signedAttributes: ParsedSignerInfo['signedAttributes'] = []
  if (f[i]?.tag === TAG.context(0)) {
    const sa = f[i++]!
    signedAttrs = Uint8Array.from(tlvBytes(buf, sa))
    signedAttrs[0] = TAG.set
    signedAttributes = attributes(buf, sa)
  }
  const sigAlg = f[i++]
  const sig = f[i++]
  if (!sigAlg || sigAlg.tag !== TAG.sequence || !sig || sig.tag !== TAG.octetString) throw new DerError('SignerInfo is truncated')
  const unsigned = f[i]?.tag === TAG.context(1) ? attributes(buf, f[i]!) : []
  const [digestOidTlv] = readChildren(buf, digestAlg)
  const [sigOidTlv] = readChildren(buf, sigAlg)
  if (!digestOidTlv || !sigOidTlv) throw new DerError('AlgorithmIdentifier is empty')
  return {
    der: tlvBytes(buf, t),
    version,
    sid: tlvBytes(buf, sid),
    digestAlgorithmOid: decodeOid(tlvContent(buf, digestOidTlv)),
    signedAttrs,
    signedAttributes,
    signatureAlgorithm: tlvBytes(buf, sigAlg),
    signatureAlgorithmOid: decodeOid(tlvContent(buf, sigOidTlv)),
    signatureValue: tlvContent(buf, sig),
    unsignedAttributes: unsigned,
  }
}

/** A constructed OCTET STRING (BER): its primitive segments joined, nested levels included. */
function joinConstructedOctets(buf: Uint8Array, t: Tlv): Uint8Array {
  const parts: Uint8Array[] = []
  const walk = (node: Tlv, depth: number) => {
    if (depth > 8) throw new DerError('OCTET STRING nesting too deep')
    for (const c of readChildren(buf, node)) {
      if (c.tag === TAG.octetString) parts.push(tlvContent(buf, c))
      else if (c.tag === 0x24) walk(c, depth + 1)
      else throw new DerError('unexpected value inside a constructed OCTET STRING')
    }
  }
  walk(t, 0)
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
}

/** Parse a ContentInfo(SignedData), DER or BER (indefinite lengths, chunked eContent). */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  try {
    const ci = readTlv(der, 0)
    if (ci.tag !== TAG.sequence) throw new DerError('not a CMS ContentInfo')
    if (resolveEnd(der, ci) !== der.length) throw new DerError('extra bytes after the signature')
    const [ct, wrapped] = readChildren(der, ci)
    if (!ct || ct.tag !== TAG.oid || decodeOid(tlvContent(der, ct)) !== '1.2.840.113549.1.7.2') throw new DerError('not a CMS SignedData')
    if (!wrapped || wrapped.tag !== TAG.context(0)) throw new DerError('SignedData content missing')
    const [sd] = readChildren(der, wrapped)
    if (!sd || sd.tag !== TAG.sequence) throw new DerError('SignedData content missing')
    const f = readChildren(der, sd)
    let i = 0
    const version = readInteger(der, f[i++])
    const digestAlgs = f[i++]
    const encap = f[i++]
    if (!digestAlgs || digestAlgs.tag !== TAG.set || !encap || encap.tag !== TAG.sequence) throw new DerError('SignedData is truncated')
    const [eType, eWrapped] = readChildren(der, encap)
    if (!eType || eType.tag !== TAG.oid) throw new DerError('encapContentInfo has no content type')
    let eContent: Uint8Array | undefined
    if (eWrapped) {
      const [os] = readChildren(der, eWrapped)
      if (!os) throw new DerError('empty eContent')
      if (os.tag === TAG.octetString) eContent = tlvContent(der, os)
      else if (os.tag === 0x24) eContent = joinConstructedOctets(der, os)
      else throw new DerError('eContent is not an OCTET STRING')
    }
    let certificates: Uint8Array[] = []
    let revocationChoices: Uint8Array[] = []
    if (f[i]?.tag === TAG.context(0)) certificates = readChildren(der, f[i++]!).map((c) => tlvBytes(der, c))
    if (f[i]?.tag === TAG.context(1)) revocationChoices = readChildren(der, f[i++]!).map((c) => tlvBytes(der, c))
    const sis = f[i]
    if (!sis || sis.tag !== TAG.set) throw new DerError('SignedData has no signerInfos')
    return {
      version,
      digestAlgorithms: readChildren(der, digestAlgs).map((c) => tlvBytes(der, c)),
      eContentType: decodeOid(tlvContent(der, eType)),
      eContent,
      certificates,
      revocationChoices,
      signerInfos: readChildren(der, sis).map((s) => parseSignerInfo(der, s)),
    }
  } catch (err) {
    if (err instanceof DerError) throw new Error(`not a valid CMS signature: ${err.message}`)
    throw err
  }
}
