/**
 * Parsed DER objects memoised by the digest of their bytes: the same certificates, CRLs and OCSP
 * responses come back for every signature and timestamp of a file (a PDF with five signatures and a
 * DSS parsed its CRLs thirty times). Bounded, oldest out first; what is stored is never modified.
 */
import { sha256Hex } from '../trust/trust-store'

export function digestMemo<T>(limit: number): (der: Uint8Array, make: (sha256: string) => T) => T {
  const memo = new Map<string, T>()
  return (der, make) => {
    const key = sha256Hex(der)
    if (memo.has(key)) return memo.get(key)!
    const value = make(key)
    if (memo.size >= limit) memo.delete(memo.keys().next().value!)
    memo.set(key, value)
    return value
  }
}
