/**
 * Algorithm identifiers met in signatures, certificates, OCSP and CRLs, and one signature check over
 * Node's crypto (OpenSSL): RSA PKCS#1 v1.5, RSA-PSS, ECDSA, EdDSA, DSA, with SHA-1/2/3 digests.
 */
import { createHash, createPublicKey, type Hash, constants, publicDecrypt, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import * as asn1js from 'asn1js'

export type DigestAlgorithm = 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512' | 'SHAKE256'

const DIGEST_BY_OID: Record<string, DigestAlgorithm> = {
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
  '2.16.840.1.101.3.4.2.8': 'SHA3-256',
  '2.16.840.1.101.3.4.2.9': 'SHA3-384',
  '2.16.840.1.101.3.4.2.10': 'SHA3-512',
  // RFC 8419: id-shake256 with a 512-bit output (Ed448 in CMS)
  '2.16.840.1.101.3.4.2.12': 'SHAKE256',
}

const NODE_HASH: Record<DigestAlgorithm, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA3-256': 'sha3-256',
  'SHA3-384': 'sha3-384',
  'SHA3-512': 'sha3-512',
  SHAKE256: 'shake256',
}

export function digestFromOid(oid: string): DigestAlgorithm | null {
  return DIGEST_BY_OID[oid] ?? null
}

export function digestOid(alg: DigestAlgorithm): string {
  return Object.entries(DIGEST_BY_OID).find(([, a]) => a === alg)![0]
}

export function nodeHashName(alg: DigestAlgorithm): string {
  return NODE_HASH[alg]
}

/**
 * A Node Hash for `alg`. Use this rather than createHash(nodeHashName(alg)): SHAKE256 needs its
 * 64-byte output length (Node's default is 32).
 */
export function createDigest(alg: DigestAlgorithm): Hash {
  return alg === 'SHAKE256' ? createHash('shake256', { outputLength: 64 }) : createHash(NODE_HASH[alg])
}

export function digest(alg: DigestAlgorithm, ...parts: Uint8Array[]): Uint8Array {
  const h = createDigest(alg)
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}

type Scheme = 'rsa' | 'rsa-pss' | 'ecdsa' | 'eddsa' | 'dsa'

/** signature algorithm OID -> scheme and the digest it fixes (null: taken from the digest algorithm) */
const SIGNATURE_ALGS: Record<string, { scheme: Scheme; hash: DigestAlgorithm | null; name: string }> = {
  '1.2.840.113549.1.1.1': { scheme: 'rsa', hash: null, name: 'RSA' },
  '1.2.840.113549.1.1.4': { scheme: 'rsa', hash: 'MD5', name: 'RSA with MD5' },
  '1.2.840.113549.1.1.5': { scheme: 'rsa', hash: 'SHA-1', name: 'RSA with SHA-1' },
  '1.2.840.113549.1.1.14': { scheme: 'rsa', hash: 'SHA-224', name: 'RSA with SHA-224' },
  '1.2.840.113549.1.1.11': { scheme: 'rsa', hash: 'SHA-256', name: 'RSA with SHA-256' },
  '1.2.840.113549.1.1.12': { scheme: 'rsa', hash: 'SHA-384', name: 'RSA with SHA-384' },
  '1.2.840.113549.1.1.13': { scheme: 'rsa', hash: 'SHA-512', name: 'RSA with SHA-512' },
  '2.16.840.1.101.3.4.3.14': { scheme: 'rsa', hash: 'SHA3-256', name: 'RSA with SHA3-256' },
  '2.16.840.1.101.3.4.3.15': { scheme: 'rsa', hash: 'SHA3-384', name: 'RSA with SHA3-384' },
  '2.16.840.1.101.3.4.3.16': { scheme: 'rsa', hash: 'SHA3-512', name: 'RSA with SHA3-512' },
  '1.2.840.113549.1.1.10': { scheme: 'rsa-pss', hash: null, name: 'RSA-PSS' },
  '1.2.840.10045.2.1': { scheme: 'ecdsa', hash: null, name: 'ECDSA' },
  '1.2.840.10045.4.1': { scheme: 'ecdsa', hash: 'SHA-1', name: 'ECDSA with SHA-1' },
  '1.2.840.10045.4.3.1': { scheme: 'ecdsa', hash: 'SHA-224', name: 'ECDSA with SHA-224' },
  '1.2.840.10045.4.3.2': { scheme: 'ecdsa', hash: 'SHA-256', name: 'ECDSA with SHA-256' },
  '1.2.840.10045.4.3.3': { scheme: 'ecdsa', hash: 'SHA-384', name: 'ECDSA with SHA-384' },
  '1.2.840.10045.4.3.4': { scheme: 'ecdsa', hash: 'SHA-512', name: 'ECDSA with SHA-512' },
  '2.16.840.1.101.3.4.3.10': { scheme: 'ecdsa', hash: 'SHA3-256', name: 'ECDSA with SHA3-256' },
  '2.16.840.1.101.3.4.3.11': { scheme: 'ecdsa', hash: 'SHA3-384', name: 'ECDSA with SHA3-384' },
  '2.16.840.1.101.3.4.3.12': { scheme: 'ecdsa', hash: 'SHA3-512', name: 'ECDSA with SHA3-512' },
  '1.3.101.112': { scheme: 'eddsa', hash: null, name: 'Ed25519' },
  '1.3.101.113': { scheme: 'eddsa', hash: null, name: 'Ed448' },
  '1.2.840.10040.4.1': { scheme: 'dsa', hash: null, name: 'DSA' },
  '1.2.840.10040.4.3': { scheme: 'dsa', hash: 'SHA-1', name: 'DSA with SHA-1' },
  '2.16.840.1.101.3.4.3.2': { scheme: 'dsa', hash: 'SHA-256', name: 'DSA with SHA-256' },
}

export interface SignatureCheck {
  ok: boolean
  /** set when the check could not be made at all (unknown algorithm, unreadable key) */
  error: string | null
  /** digest actually used */
  digest: DigestAlgorithm | null
  algorithmName: string
}

export interface PublicKeyFacts {
  /** policy family: 'RSA', 'RSA-PSS', 'EC', 'Ed25519', 'Ed448', 'DSA' */
  family: string
  bits: number
}

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp224r1: 224,
  prime192v1: 192,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
}

export function publicKeyFromSpki(spkiDer: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' })
}

export function publicKeyFacts(key: KeyObject): PublicKeyFacts {
  const d = key.asymmetricKeyDetails ?? {}
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { family: 'RSA', bits: d.modulusLength ?? 0 }
    case 'rsa-pss':
      return { family: 'RSA-PSS', bits: d.modulusLength ?? 0 }
    case 'ec':
      return { family: 'EC', bits: CURVE_BITS[d.namedCurve ?? ''] ?? 0 }
    case 'ed25519':
      return { family: 'Ed25519', bits: 256 }
    case 'ed448':
      return { family: 'Ed448', bits: 448 }
    case 'dsa':
      return { family: 'DSA', bits: d.modulusLength ?? 0 }
    default:
      return { family: String(key.asymmetricKeyType ?? 'unknown'), bits: 0 }
  }
}

interface PssParams {
  hash: DigestAlgorithm
  saltLength: number
}

/** RSASSA-PSS-params (RFC 4055): defaults SHA-1 / MGF1-SHA-1 / salt 20. */
function parsePssParams(params: asn1js.AsnType | undefined): PssParams | null {
  const out: PssParams = { hash: 'SHA-1', saltLength: 20 }
  if (!params || !(params instanceof asn1js.Sequence)) return out
  for (const item of params.valueBlock.value) {
    const tag = item.idBlock.tagNumber
    const inner = (item as asn1js.Constructed).valueBlock?.value?.[0]
    if (item.idBlock.tagClass !== 3 || !inner) continue
    if (tag === 0 && inner instanceof asn1js.Sequence) {
      const oid = inner.valueBlock.value[0]
      const h = oid instanceof asn1js.ObjectIdentifier ? digestFromOid(oid.valueBlock.toString()) : null
      if (!h) return null
      out.hash = h
    } else if (tag === 2 && inner instanceof asn1js.Integer) {
      out.saltLength = inner.valueBlock.valueDec
    }
  }
  return out
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGS[oid]?.name ?? oid
}

/**
 * Verifies `signature` over `data` (or, for RSA PKCS#1 v1.5 only, over a precomputed `digestOfData`)
 * with the key in `spkiDer`. `digestHint` gives the hash when the algorithm OID does not fix it.
 */
export function verifySignature(args: {
  spkiDer: Uint8Array
  algorithmOid: string
  algorithmParams?: asn1js.AsnType
  digestHint?: DigestAlgorithm | null
  data?: Uint8Array
  digestOfData?: Uint8Array
  signature: Uint8Array
}): SignatureCheck {
  const info = SIGNATURE_ALGS[args.algorithmOid]
  if (!info) return { ok: false, error: `unknown signature algorithm ${args.algorithmOid}`, digest: null, algorithmName: args.algorithmOid }
  let key: KeyObject
  try {
    key = publicKeyFromSpki(args.spkiDer)
  } catch (err) {
    return { ok: false, error: `unreadable public key (${(err as Error).message})`, digest: null, algorithmName: info.name }
  }
  const sig = Buffer.from(args.signature)
  try {
    if (info.scheme === 'eddsa') {
      if (!args.data) return { ok: false, error: `${info.name} needs the signed data itself`, digest: null, algorithmName: info.name }
      return { ok: cryptoVerify(null, args.data, key, sig), error: null, digest: null, algorithmName: info.name }
    }
    if (info.scheme === 'rsa-pss') {
      const pss = parsePssParams(args.algorithmParams)
      if (!pss) return { ok: false, error: 'unsupported RSA-PSS parameters', digest: null, algorithmName: info.name }
      if (!args.data) return { ok: false, error: 'RSA-PSS needs the signed data itself', digest: pss.hash, algorithmName: info.name }
      const ok = cryptoVerify(NODE_HASH[pss.hash], args.data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, sig)
      return { ok, error: null, digest: pss.hash, algorithmName: `RSA-PSS with ${pss.hash}` }
    }
    const hash = info.hash ?? args.digestHint ?? null
    if (!hash) return { ok: false, error: `no digest algorithm for ${info.name}`, digest: null, algorithmName: info.name }
    const name = info.hash ? info.name : `${info.name} with ${hash}`
    if (args.data) {
      const keyInput = info.scheme === 'rsa' ? { key, padding: constants.RSA_PKCS1_PADDING } : { key, dsaEncoding: 'der' as const }
      return { ok: cryptoVerify(NODE_HASH[hash], args.data, keyInput, sig), error: null, digest: hash, algorithmName: name }
    }
    if (args.digestOfData && info.scheme === 'rsa') {
      // PKCS#1 v1.5 over a digest only: recover the DigestInfo and compare it.
      let recovered: Buffer
      try {
        recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, sig)
      } catch {
        return { ok: false, error: null, digest: hash, algorithmName: name }
      }
      const expected = digestInfo(hash, args.digestOfData)
      return { ok: constantTimeEqual(new Uint8Array(recovered), expected), error: null, digest: hash, algorithmName: name }
    }
    return { ok: false, error: `${name} cannot be checked without the signed data`, digest: hash, algorithmName: name }
  } catch (err) {
    // OpenSSL throws on malformed signatures or key/algorithm mismatch: that is a failed signature.
    return { ok: false, error: null, digest: info.hash ?? args.digestHint ?? null, algorithmName: `${info.name} (${(err as Error).message.split('\n')[0]})` }
  }
}

/** DER DigestInfo ::= SEQUENCE { AlgorithmIdentifier (with NULL), OCTET STRING } */
export function digestInfo(alg: DigestAlgorithm, hash: Uint8Array): Uint8Array {
  const seq = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: digestOid(alg) }), new asn1js.Null()] }),
      new asn1js.OctetString({ valueHex: hash }),
    ],
  })
  return new Uint8Array(seq.toBER(false))
}
