import type { DigestAlgorithm, KeyType, SignatureAlgorithm } from '../signer'
import { concatBytes, derNull, explicit, oid, sequence, smallInteger, unsignedInteger } from './der'
import { digestOid, OID } from './oids'

/** AlgorithmIdentifier of a digest; parameters absent (RFC 5754 section 2). */
export function digestAlgorithmIdentifier(alg: DigestAlgorithm): Uint8Array {
  return sequence(oid(digestOid(alg)))
}

const RSA_OIDS: Record<DigestAlgorithm, string> = { 'SHA-256': OID.sha256WithRSA, 'SHA-384': OID.sha384WithRSA, 'SHA-512': OID.sha512WithRSA }
const ECDSA_OIDS: Record<DigestAlgorithm, string> = { 'SHA-256': OID.ecdsaWithSHA256, 'SHA-384': OID.ecdsaWithSHA384, 'SHA-512': OID.ecdsaWithSHA512 }

/** SignerInfo.signatureAlgorithm for the scheme the signer used. */
export function signatureAlgorithmIdentifier(alg: SignatureAlgorithm): Uint8Array {
  switch (alg.scheme) {
    case 'RSASSA-PKCS1-v1_5':
      return sequence(oid(RSA_OIDS[alg.hash]), derNull())
    case 'ECDSA':
      return sequence(oid(ECDSA_OIDS[alg.hash]))
    case 'RSA-PSS': {
      // RSASSA-PSS-params (RFC 4055): hash, MGF1 with the same hash, salt length; trailer default.
      const hashId = digestAlgorithmIdentifier(alg.hash)
      const params = sequence(
        explicit(0, hashId),
        explicit(1, sequence(oid(OID.mgf1), hashId)),
        explicit(2, smallIntegerOrBig(alg.saltLength)),
      )
      return sequence(oid(OID.rsassaPss), params)
    }
  }
}

function smallIntegerOrBig(n: number): Uint8Array {
  if (n < 256) return smallInteger(n)
  return unsignedInteger(Uint8Array.of((n >> 8) & 0xff, n & 0xff))
}

export function keyTypeMatches(alg: SignatureAlgorithm, keyType: KeyType): boolean {
  return keyType === 'EC' ? alg.scheme === 'ECDSA' : alg.scheme !== 'ECDSA'
}

/** PKCS#11 CKM_ECDSA gives r||s (IEEE P1363); CMS wants Ecdsa-Sig-Value ::= SEQUENCE { r, s }. */
export function rawEcdsaToDer(rs: Uint8Array): Uint8Array {
  if (rs.length === 0 || rs.length % 2 !== 0) throw new Error(`the token returned an ECDSA signature of odd length (${rs.length} bytes)`)
  const half = rs.length / 2
  return sequence(unsignedInteger(rs.subarray(0, half)), unsignedInteger(rs.subarray(half)))
}

export { concatBytes }
