/** XMLDSig algorithm identifiers mapped to Node crypto, and KeyValue public keys imported as KeyObjects. */
import type { Element } from '@xmldom/xmldom'
import { constants, createHash, createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto'
import { NS_DSIG, NS_DSIG11, base64Bytes, firstChildNS, textOf } from './dom'

const DIGESTS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#sha224': 'sha224',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-224': 'sha3-224',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-256': 'sha3-256',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-384': 'sha3-384',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-512': 'sha3-512',
}

/** Node hash name for an XMLDSig DigestMethod, or null when unknown or refused (MD5). */
export function digestName(uri: string): string | null {
  return DIGESTS[uri] ?? null
}

export function digest(uri: string, data: Uint8Array): Buffer | null {
  const name = digestName(uri)
  return name ? createHash(name).update(data).digest() : null
}

export type SignatureKind = 'rsa' | 'rsa-pss' | 'ecdsa' | 'dsa' | 'hmac'

export interface SignatureAlgorithm {
  kind: SignatureKind
  hash: string
}

const MORE = 'http://www.w3.org/2001/04/xmldsig-more#'
const MORE07 = 'http://www.w3.org/2007/05/xmldsig-more#'
const SIGNATURES: Record<string, SignatureAlgorithm> = {
  [`${NS_DSIG}rsa-sha1`]: { kind: 'rsa', hash: 'sha1' },
  [`${MORE}rsa-sha224`]: { kind: 'rsa', hash: 'sha224' },
  [`${MORE}rsa-sha256`]: { kind: 'rsa', hash: 'sha256' },
  [`${MORE}rsa-sha384`]: { kind: 'rsa', hash: 'sha384' },
  [`${MORE}rsa-sha512`]: { kind: 'rsa', hash: 'sha512' },
  [`${MORE07}sha1-rsa-MGF1`]: { kind: 'rsa-pss', hash: 'sha1' },
  [`${MORE07}sha224-rsa-MGF1`]: { kind: 'rsa-pss', hash: 'sha224' },
  [`${MORE07}sha256-rsa-MGF1`]: { kind: 'rsa-pss', hash: 'sha256' },
  [`${MORE07}sha384-rsa-MGF1`]: { kind: 'rsa-pss', hash: 'sha384' },
  [`${MORE07}sha512-rsa-MGF1`]: { kind: 'rsa-pss', hash: 'sha512' },
  [`${MORE}ecdsa-sha1`]: { kind: 'ecdsa', hash: 'sha1' },
  [`${MORE}ecdsa-sha224`]: { kind: 'ecdsa', hash: 'sha224' },
  [`${MORE}ecdsa-sha256`]: { kind: 'ecdsa', hash: 'sha256' },
  [`${MORE}ecdsa-sha384`]: { kind: 'ecdsa', hash: 'sha384' },
  [`${MORE}ecdsa-sha512`]: { kind: 'ecdsa', hash: 'sha512' },
  [`${NS_DSIG}dsa-sha1`]: { kind: 'dsa', hash: 'sha1' },
  [`${NS_DSIG11}dsa-sha256`]: { kind: 'dsa', hash: 'sha256' },
  [`${NS_DSIG}hmac-sha1`]: { kind: 'hmac', hash: 'sha1' },
  [`${MORE}hmac-sha224`]: { kind: 'hmac', hash: 'sha224' },
  [`${MORE}hmac-sha256`]: { kind: 'hmac', hash: 'sha256' },
  [`${MORE}hmac-sha384`]: { kind: 'hmac', hash: 'sha384' },
  [`${MORE}hmac-sha512`]: { kind: 'hmac', hash: 'sha512' },
  [`${MORE}hmac-md5`]: { kind: 'hmac', hash: 'md5' },
}

export function signatureAlgorithm(uri: string): SignatureAlgorithm | null {
  return SIGNATURES[uri] ?? null
}

/** RSA-PSS parameters from ds:SignatureMethod (RFC 9231 rsa-pss); defaults follow the MGF1 URIs. */
export function pssSaltLength(method: Element, alg: SignatureAlgorithm): number {
  const params = firstChildNS(method, MORE07, 'RSAPSSParams')
  const salt = params ? textOf(firstChildNS(params, MORE07, 'SaltLength')) : ''
  if (salt && /^\d+$/.test(salt)) return Number(salt)
  return createHash(alg.hash).digest().length
}

/** Verifies a public-key SignatureValue over canonical SignedInfo bytes. Never throws. */
export function verifyWithKey(
  alg: SignatureAlgorithm,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
  saltLength?: number,
): boolean {
  try {
    switch (alg.kind) {
      case 'rsa':
        if (key.asymmetricKeyType !== 'rsa') return false
        return verify(alg.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature)
      case 'rsa-pss':
        if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return false
        return verify(alg.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature)
      case 'ecdsa':
        if (key.asymmetricKeyType !== 'ec') return false
        // XMLDSig carries ECDSA as raw r||s.
        return verify(alg.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
      case 'dsa':
        if (key.asymmetricKeyType !== 'dsa') return false
        return verify(alg.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
      default:
        return false
    }
  } catch {
    return false
  }
}

/** HMAC check; `truncatedBits` from HMACOutputLength. */
export function verifyHmac(alg: SignatureAlgorithm, key: Uint8Array, data: Uint8Array, signature: Uint8Array, truncatedBits: number | null): boolean {
  const mac = createHmac(alg.hash, key).update(data).digest()
  const bits = truncatedBits ?? mac.length * 8
  const bytes = Math.ceil(bits / 8)
  if (signature.length !== bytes) return false
  const expected = Buffer.from(mac.subarray(0, bytes))
  if (bits % 8 !== 0) {
    const mask = 0xff << (8 - (bits % 8))
    expected[bytes - 1] = expected[bytes - 1]! & mask
    const given = Buffer.from(signature)
    given[bytes - 1] = given[bytes - 1]! & mask
    return timingSafeEqual(expected, given)
  }
  return timingSafeEqual(expected, Buffer.from(signature))
}

// --- KeyValue import -------------------------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function der(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body])
}

function derInteger(unsigned: Buffer): Buffer {
  let i = 0
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++
  let v = unsigned.subarray(i)
  if (v.length === 0) v = Buffer.from([0])
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v])
  return der(0x02, v)
}

function derOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number)
  const bytes: number[] = [40 * parts[0]! + parts[1]!]
  for (const p of parts.slice(2)) {
    const chunk: number[] = []
    let v = p
    do {
      chunk.unshift(v & 0x7f)
      v = Math.floor(v / 128)
    } while (v > 0)
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] = chunk[i]! | 0x80
    bytes.push(...chunk)
  }
  return der(0x06, Buffer.from(bytes))
}

function spki(algorithm: Buffer, publicKey: Buffer): Buffer {
  return der(0x30, Buffer.concat([algorithm, der(0x03, Buffer.concat([Buffer.from([0]), publicKey]))]))
}

/** Reads ds:KeyValue (RSA, DSA, EC) into a public key; null when absent or unusable. */
export function keyFromKeyValue(keyValue: Element): KeyObject | null {
  try {
    const rsa = firstChildNS(keyValue, NS_DSIG, 'RSAKeyValue')
    if (rsa) {
      const n = base64Bytes(textOf(firstChildNS(rsa, NS_DSIG, 'Modulus')))
      const e = base64Bytes(textOf(firstChildNS(rsa, NS_DSIG, 'Exponent')))
      const body = Buffer.concat([derInteger(n), derInteger(e)])
      return createPublicKey({
        key: spki(der(0x30, Buffer.concat([derOid('1.2.840.113549.1.1.1'), Buffer.from([0x05, 0x00])])), der(0x30, body)),
        format: 'der',
        type: 'spki',
      })
    }
    const dsa = firstChildNS(keyValue, NS_DSIG, 'DSAKeyValue')
    if (dsa) {
      const part = (name: string): Buffer => base64Bytes(textOf(firstChildNS(dsa, NS_DSIG, name)))
      const params = der(0x30, Buffer.concat([derInteger(part('P')), derInteger(part('Q')), derInteger(part('G'))]))
      return createPublicKey({
        key: spki(der(0x30, Buffer.concat([derOid('1.2.840.10040.4.1'), params])), derInteger(part('Y'))),
        format: 'der',
        type: 'spki',
      })
    }
    const ec = firstChildNS(keyValue, NS_DSIG11, 'ECKeyValue')
    if (ec) {
      const curve = firstChildNS(ec, NS_DSIG11, 'NamedCurve')?.getAttribute('URI') ?? ''
      const oid = curve.replace(/^urn:oid:/, '')
      if (!/^[0-9.]+$/.test(oid)) return null
      const point = base64Bytes(textOf(firstChildNS(ec, NS_DSIG11, 'PublicKey')))
      return createPublicKey({
        key: spki(der(0x30, Buffer.concat([derOid('1.2.840.10045.2.1'), derOid(oid)])), point),
        format: 'der',
        type: 'spki',
      })
    }
  } catch {
    return null
  }
  return null
}
