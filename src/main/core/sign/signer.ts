/**
 * The one signing contract (pyHanko's Signer, EU DSS's SignatureTokenConnection): formats compute a
 * digest and call `signDigest`; they never see PKCS#11. Implemented by Pkcs11Signer (tokens, the
 * virtual card) and, in tests only, by a software key.
 */
export type DigestAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512'

export type SignatureAlgorithm =
  | { scheme: 'RSASSA-PKCS1-v1_5'; hash: DigestAlgorithm }
  | { scheme: 'RSA-PSS'; hash: DigestAlgorithm; saltLength: number }
  | { scheme: 'ECDSA'; hash: DigestAlgorithm }

export type KeyType = 'RSA' | 'EC'

export interface Signer {
  /** DER of the signing certificate */
  readonly certificate: Uint8Array
  /** DER of other certificates known to the signer (intermediates), for embedding; may be empty */
  readonly chain: readonly Uint8Array[]
  readonly keyType: KeyType
  /** EC only: the named curve ('P-256', 'P-384', 'P-521') */
  readonly namedCurve?: string
  /** true when the key needs the PIN again for every signature (CKA_ALWAYS_AUTHENTICATE) */
  readonly pinPerSignature: boolean
  /** the algorithms this signer can produce (token mechanisms permitting) */
  supports(algorithm: SignatureAlgorithm): boolean
  /**
   * Sign a precomputed digest. RSA PKCS#1 v1.5: the signer wraps it in a DigestInfo.
   * ECDSA: returns the raw r||s form (IEEE P1363); formats convert to DER where they need it.
   */
  signDigest(digest: Uint8Array, algorithm: SignatureAlgorithm): Promise<Uint8Array>
}

/** The default algorithm for a key: SHA-256 with PKCS#1 v1.5 (RSA) or ECDSA. */
export function defaultSignatureAlgorithm(signer: Pick<Signer, 'keyType'>, hash: DigestAlgorithm = 'SHA-256'): SignatureAlgorithm {
  return signer.keyType === 'RSA' ? { scheme: 'RSASSA-PKCS1-v1_5', hash } : { scheme: 'ECDSA', hash }
}
