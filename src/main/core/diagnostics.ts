/**
 * Diagnostics bundle for support: OS, Paraphe version, PKCS#11 modules (loaded / missing / failed
 * with reasons), slots, tokens (flags, PIN counters), certificates (subject, issuer, validity,
 * fingerprints) and the errors met while collecting. No secret: no PIN, no key material, no file
 * content; certificates are public but only their identity is kept.
 */
import os from 'node:os'
import type { TokenListing } from '../../shared/model/token'
import type { PinCounter } from '../../shared/model/pin'

export interface DiagnosticsInput {
  version: string
  listing: TokenListing | null
  listingError: string | null
  pinCounters: Array<{ modulePath: string; label: string; serialNumber: string; pin: PinCounter | null; error: string | null }>
  env: NodeJS.ProcessEnv
  now?: Date
}

/** Environment variables that change how Paraphe finds modules and cards (values are paths, not secrets). */
const RELEVANT_ENV = ['PARAPHE_PKCS11_MODULES', 'SOFTHSM2_CONF', 'OPENSC_CONF', 'PCSCLITE_CSOCK_NAME', 'PARAPHE_JOURNAL']

export function buildDiagnostics(input: DiagnosticsInput): Record<string, unknown> {
  const errors: string[] = []
  if (input.listingError) errors.push(`listTokens: ${input.listingError}`)
  const modules = (input.listing?.modules ?? []).map((m) => {
    if (m.status === 'failed') errors.push(`${m.path}: ${m.reason ?? m.reasonCode ?? 'failed'}`)
    return {
      name: m.name,
      path: m.path,
      source: m.source,
      status: m.status,
      reasonCode: m.reasonCode,
      reason: m.reason,
      vendor: m.vendor ?? null,
      installHint: m.installHint ?? null,
      library: m.library,
      slots: m.slots.map((s) => ({
        slotId: s.slotId,
        description: s.description,
        manufacturer: s.manufacturer,
        tokenPresent: s.tokenPresent,
        removableDevice: s.removableDevice,
        hardwareSlot: s.hardwareSlot,
        token: s.token
          ? {
              label: s.token.label,
              manufacturer: s.token.manufacturer,
              model: s.token.model,
              serialNumber: s.token.serialNumber,
              flags: s.token.flags,
              minPinLength: s.token.minPinLength,
              maxPinLength: s.token.maxPinLength,
              error: s.token.error,
              alsoVisibleThrough: s.token.alsoVisibleThrough ?? [],
              certificates: s.token.certificates.map((c) => ({
                id: c.id,
                label: c.label,
                subject: c.subject,
                issuer: c.issuer,
                serialNumber: c.serialNumber,
                notBefore: c.notBefore,
                notAfter: c.notAfter,
                keyUsage: c.keyUsage,
                sha256: c.sha256,
                hasPrivateKey: c.hasPrivateKey,
              })),
            }
          : null,
      })),
    }
  })
  for (const p of input.pinCounters) if (p.error) errors.push(`pinStatus ${p.label}: ${p.error}`)
  return {
    kind: 'paraphe-diagnostics',
    version: 1,
    createdAt: (input.now ?? new Date()).toISOString(),
    paraphe: input.version,
    os: { platform: process.platform, arch: process.arch, release: os.release(), type: os.type(), node: process.versions.node, electron: process.versions['electron'] ?? null },
    environment: Object.fromEntries(RELEVANT_ENV.map((k) => [k, input.env[k] ?? null])),
    modules,
    pinCounters: input.pinCounters,
    errors,
  }
}
