/**
 * Find which PKCS#11 module shows a token, from the same candidates as `paraphe tokens` (explicit
 * paths, PARAPHE_PKCS11_MODULES, the middleware catalogue). Modules that fail to load are skipped
 * here (the listing reports them); the first module that shows the token wins.
 */
import { ParapheError } from '../../../shared/errors'
import { moduleCandidates, resolveCandidatePath, type CandidateOptions } from './module-candidates'
import { Pkcs11Library } from './pkcs11-library'
import { TokenError } from './token-errors'
import { readIdentity, type TokenIdentity } from './token-slot'

export interface LocateOptions extends CandidateOptions {
  tokenLabel?: string
  tokenSerial?: string
}

export interface LocatedToken {
  modulePath: string
  identity: TokenIdentity
}

/** Every present token of every loadable candidate module (used by locateToken and `paraphe certs`). */
export function presentTokens(opts: CandidateOptions = {}): LocatedToken[] {
  const out: LocatedToken[] = []
  const seenModules = new Set<string>()
  for (const candidate of moduleCandidates(opts)) {
    const path = resolveCandidatePath(candidate)
    let lib: Pkcs11Library
    try {
      lib = Pkcs11Library.open(path)
    } catch {
      continue
    }
    try {
      if (seenModules.has(lib.realPath)) continue
      seenModules.add(lib.realPath)
      for (const slot of lib.api.C_GetSlotList(true)) {
        try {
          const identity = readIdentity(lib, slot)
          const twin = out.find(
            (t) => t.identity.serialNumber && t.identity.serialNumber === identity.serialNumber && t.identity.model === identity.model && t.identity.label === identity.label,
          )
          if (!twin) out.push({ modulePath: path, identity })
        } catch {
          // removed meanwhile or unreadable: not present
        }
      }
    } catch {
      // a module whose slot list fails is reported by `paraphe tokens`
    } finally {
      lib.close()
    }
  }
  return out
}

export function locateToken(opts: LocateOptions): LocatedToken {
  if (!opts.tokenLabel && !opts.tokenSerial) throw new ParapheError('INVALID_REQUEST', 'choose a token with --token LABEL (or --serial)')
  const present = presentTokens(opts)
  const matches = present.filter(
    (t) => (opts.tokenLabel === undefined || t.identity.label === opts.tokenLabel) && (opts.tokenSerial === undefined || t.identity.serialNumber === opts.tokenSerial),
  )
  if (matches.length === 1) return matches[0]!
  const wanted = opts.tokenLabel !== undefined ? `"${opts.tokenLabel}"` : `serial ${opts.tokenSerial}`
  if (matches.length === 0) {
    const seen = present.map((t) => `"${t.identity.label}"`).join(', ')
    throw new TokenError('TOKEN_NOT_FOUND', `no token ${wanted} is present; ${seen ? `tokens present: ${seen}` : 'no token is present (card inserted? reader plugged? middleware installed? see paraphe tokens)'}`)
  }
  throw new TokenError('TOKEN_NOT_FOUND', `${matches.length} tokens match ${wanted}; choose one with --serial (${matches.map((m) => m.identity.serialNumber).join(', ')})`)
}
