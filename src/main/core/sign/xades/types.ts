import type { DigestAlgorithm } from '../signer'
import type { TimestampRequester } from '../timestamp/tsa-client'

/** (imprint, hash) -> TimeStampToken DER: the RFC 3161 client's requester (createTsaClient). */
export type { TimestampRequester }

export type XadesLevel = 'B-B' | 'B-T'

/** SignatureProductionPlace: where the signer says they signed. */
export interface ProductionPlace {
  city?: string
  postalCode?: string
  countryName?: string
  stateOrProvince?: string
  streetAddress?: string
}

/** A signature policy the signature commits to (SignaturePolicyIdentifier); data, not constants. */
export interface SignaturePolicy {
  /** e.g. urn:oid:1.2.250.1.131.1.5.18.21.1.7 */
  identifier: string
  description?: string
  /** digest of the policy document */
  hash: { algorithm: DigestAlgorithm; value: string }
  /** where the policy document can be fetched (SPURI) */
  uri?: string
}

export class XadesSignError extends Error {
  override readonly name = 'XadesSignError'
}

/** The timestamp could not be obtained: nothing was written; signing at B-B remains possible. */
export class TimestampFailedError extends XadesSignError {
  constructor(cause: unknown) {
    super(
      `the signature timestamp could not be obtained (${cause instanceof Error ? cause.message : String(cause)}); nothing was written. Sign at level B-B (without a timestamp) or try another timestamp authority.`,
      { cause },
    )
  }
}
