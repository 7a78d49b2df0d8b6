/**
 * Everything a verification depends on from the outside world, injected: clock, trust anchors,
 * network (or its absence) and the validation policy. Built once per verification run.
 */
import { readFileSync } from 'node:fs'
import type { HttpClient } from '../net/http'
import { loadBundledAnchors, TrustStore } from '../trust/trust-store'
import { loadQualificationTable, type QualificationTable } from '../trust/qualification'
import { loadValidationPolicy, type ValidationPolicy } from './policy'
import { resolveResourcesDir } from './resources'

export type { HttpClient } from '../net/http'

export interface VerificationContext {
  /** validation time source (tests pin it) */
  now: () => Date
  trust: TrustStore
  /** true: never touch the network; revocation not embedded gives INDETERMINATE with the reason */
  offline: boolean
  /** used for OCSP/CRL/AIA fetches when not offline; absent = no network either */
  http?: HttpClient
  policy: ValidationPolicy
  /** certificate policy OID -> RGS level / qualified status */
  qualification: QualificationTable
  /** per-request network timeout, ms */
  networkTimeoutMs: number
}

export interface CreateVerificationContextOptions {
  now?: () => Date
  offline?: boolean
  http?: HttpClient
  /** directory holding validation-policy.json and trust/ (default: found by resolveResourcesDir) */
  resourcesDir?: string
  /** replaces the policy file */
  policy?: ValidationPolicy
  /** load resources/trust/* anchors (default true) */
  bundledAnchors?: boolean
  /** user anchors: PEM or DER file paths (`--trust`) */
  trustFiles?: string[]
  /** user anchors given as bytes (PEM text or DER) */
  trustCertificates?: Uint8Array[]
  /** ETSI TS 119 612 trusted list files (local XML) */
  trustedListFiles?: string[]
  networkTimeoutMs?: number
}

/** Throws a plain-words Error when a trust file or the policy cannot be read. */
export function createVerificationContext(opts: CreateVerificationContextOptions = {}): VerificationContext {
  const resourcesDir = resolveResourcesDir(opts.resourcesDir)
  const trust = new TrustStore()
  if (opts.bundledAnchors !== false) loadBundledAnchors(trust, resourcesDir)
  for (const path of opts.trustFiles ?? []) {
    let bytes: Buffer
    try {
      bytes = readFileSync(path)
    } catch (err) {
      throw new Error(`cannot read trust anchor file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    trust.addCertificatesFromFile(bytes, 'user', path)
  }
  for (const [i, bytes] of (opts.trustCertificates ?? []).entries()) trust.addCertificatesFromFile(bytes, 'user', `trust certificate ${i + 1}`)
  for (const path of opts.trustedListFiles ?? []) {
    let xml: string
    try {
      xml = readFileSync(path, 'utf8')
    } catch (err) {
      throw new Error(`cannot read trusted list ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    trust.addTrustedList(xml, path)
  }
  const offline = opts.offline ?? false
  return {
    now: opts.now ?? (() => new Date()),
    trust,
    offline,
    ...(opts.http && !offline ? { http: opts.http } : {}),
    policy: opts.policy ?? loadValidationPolicy(resourcesDir),
    qualification: loadQualificationTable(resourcesDir),
    networkTimeoutMs: opts.networkTimeoutMs ?? 10_000,
  }
}
