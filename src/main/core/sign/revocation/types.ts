/** Validation data for B-LT: what was fetched for a certificate chain, and what could not be. */
export interface CollectedRevocation {
  /** DER OCSPResponse values */
  ocsp: Uint8Array[]
  /** DER CertificateList values */
  crls: Uint8Array[]
  /** certificates of the chain (issuers fetched through caIssuers, OCSP responders), DER */
  certificates: Uint8Array[]
  /** one line per certificate whose status could not be obtained (B-LT is then refused) */
  problems: string[]
}

/** Gather revocation data for a chain (signer first). */
export type RevocationCollector = (chain: readonly Uint8Array[], signal?: AbortSignal) => Promise<CollectedRevocation>
