/**
 * Everything a verification depends on from the outside world, injected: clock, trust anchors,
 * network (or its absence) and the validation policy. Built once per verification run.
 */
import { readFileSync } from 'node:fs'
import type { HttpClient } from '../net/http'
import { loadBundledAnchors, TrustStore } from '../trust/trust-store'
import { parseTrustedListFile, type ParsedTrustedListFile } from '../trust/signed-trusted-list'
import { certificatesFromFile } from '../trust/pem'
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
  /** ETSI TS 119 612 trusted list files (local XML); used only when signed by a trusted-list signer */
  trustedListFiles?: string[]
  /**
   * certificates (PEM or DER files, `--trusted-list-signer`) allowed to sign a list of lists (EU
   * LOTL) or a list given directly; a national list may also be signed by a certificate that a
   * usable list of lists names for its territory
   */
  trustedListSigners?: string[]
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
  const trustedLists: ParsedTrustedListFile[] = []
  for (const path of opts.trustedListFiles ?? []) {
    let bytes: Buffer
    try {
      bytes = readFileSync(path)
    } catch (err) {
      throw new Error(`cannot read trusted list ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    trustedLists.push(parseTrustedListFile({ origin: path, bytes }))
  }
  const listSigners: Uint8Array[] = []
  for (const path of opts.trustedListSigners ?? []) {
    let bytes: Buffer
    try {
      bytes = readFileSync(path)
    } catch (err) {
      throw new Error(`cannot read trusted-list signer certificate ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    try {
      listSigners.push(...certificatesFromFile(bytes))
    } catch (err) {
      throw new Error(`${path}: ${(err as Error).message}`)
    }
  }
  const now = opts.now ?? (() => new Date())
  // The lists' signatures are checked asynchronously: their anchors exist once trust.ready() settles
  // (verifyFile waits for it); until then, and for a refused list, nothing from them is trusted.
  if (trustedLists.length > 0) void trust.loadTrustedLists(trustedLists, { signers: listSigners, now: now() })
  const offline = opts.offline ?? false
  return {
    now,
    trust,
    offline,
    ...(opts.http && !offline ? { http: opts.http } : {}),
    policy: opts.policy ?? loadValidationPolicy(resourcesDir),
    qualification: loadQualificationTable(resourcesDir),
    networkTimeoutMs: opts.networkTimeoutMs ?? 10_000,
  }
}
