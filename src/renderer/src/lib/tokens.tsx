// One shared view of the tokens for every screen (status strip, Signer, Certificats): modules and
// slots (listTokens), details with certificates (tokenDetails) and each token's PIN counter
// (pinStatus). Refreshed on demand and on hot-plug events.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { InvokeValue } from '../../../shared/contract'
import type { TokenListing } from '../../../shared/model/token'
import type { CertificateDetails, TokenDetails } from '../../../shared/model/token-details'
import { asUiError, call, type UiError } from './ipc'

export type PinReport = InvokeValue<'pinStatus'>

export interface TokenEntry {
  details: TokenDetails
  pin: PinReport | null
  pinError: UiError | null
}

export interface SigningKey {
  token: TokenDetails
  cert: CertificateDetails
}

export interface TokenState {
  loading: boolean
  error: UiError | null
  listing: TokenListing | null
  tokens: TokenEntry[]
  refresh(): Promise<void>
  /** re-read one token's PIN counter (after a PIN attempt) */
  refreshPin(token: TokenDetails): Promise<void>
}

const TokenContext = createContext<TokenState | null>(null)

export function tokenKey(t: Pick<TokenDetails, 'modulePath' | 'serialNumber' | 'label'>): string {
  return `${t.modulePath}|${t.serialNumber}|${t.label}`
}

export function tokenRef(t: TokenDetails) {
  return { modulePath: t.modulePath, tokenLabel: t.label, ...(t.serialNumber ? { tokenSerial: t.serialNumber } : {}) }
}

async function readPin(t: TokenDetails): Promise<Pick<TokenEntry, 'pin' | 'pinError'>> {
  try {
    return { pin: await call('pinStatus', tokenRef(t)), pinError: null }
  } catch (err) {
    return { pin: null, pinError: asUiError(err) }
  }
}

export function TokenProvider({ children }: { children: ReactNode }) {
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<UiError | null>(null)
  const [listing, setListing] = useState<TokenListing | null>(null)
  const [tokens, setTokens] = useState<TokenEntry[]>([])
  const generation = useRef(0)

  const refresh = useCallback(async () => {
    const gen = ++generation.current
    setLoading(true)
    try {
      const l = await call('listTokens')
      const entries: TokenEntry[] = []
      // details token by token (initialized tokens only: an empty slot has no label to select it by);
      // one after another: token operations are serialized anyway
      const seen = new Set<string>()
      for (const m of l.modules)
        for (const s of m.slots) {
          const t = s.token
          if (!t?.flags.tokenInitialized) continue
          const id = `${t.label}|${t.serialNumber}`
          if (seen.has(id)) continue
          seen.add(id)
          const details = await call('tokenDetails', { extraModules: [], tokenLabel: t.label, ...(t.serialNumber ? { tokenSerial: t.serialNumber } : {}) })
          for (const d of details) entries.push({ details: d, ...(await readPin(d)) })
        }
      if (gen !== generation.current) return
      setListing(l)
      setTokens(entries)
      setError(null)
    } catch (err) {
      if (gen === generation.current) setError(asUiError(err))
    } finally {
      if (gen === generation.current) setLoading(false)
    }
  }, [])

  const refreshPin = useCallback(async (token: TokenDetails) => {
    const next = await readPin(token)
    setTokens((list) => list.map((e) => (tokenKey(e.details) === tokenKey(token) ? { ...e, ...next } : e)))
  }, [])

  useEffect(() => {
    void refresh()
    return window.paraphe.onTokensChanged(() => void refresh())
  }, [refresh])

  const value = useMemo(() => ({ loading, error, listing, tokens, refresh, refreshPin }), [loading, error, listing, tokens, refresh, refreshPin])
  return <TokenContext.Provider value={value}>{children}</TokenContext.Provider>
}

export function useTokens(): TokenState {
  const v = useContext(TokenContext)
  if (!v) throw new Error('useTokens outside TokenProvider')
  return v
}

/** Certificates that can sign: a private key of the same id is on the token. */
export function signingKeys(tokens: TokenEntry[]): SigningKey[] {
  return tokens.flatMap((e) => e.details.certificates.filter((c) => c.hasPrivateKey).map((cert) => ({ token: e.details, cert })))
}

export function signingKeyId(k: SigningKey): string {
  return `${tokenKey(k.token)}|${k.cert.sha256}`
}
