/**
 * Certificate assessment for one signer (or timestamp / OCSP signer): chain building to a trust
 * anchor, validity at the proven signature time, revocation of every non-anchor certificate of the
 * chain, key usage for the purpose, dated algorithm policy, RGS level / qualified status.
 * Shared by the CMS, PDF and XML verifiers.
 */
import type { CertificateSummary, CheckResult, Indication, SubIndication, TrustStatus } from '../../../shared/model/validation'
import { qualifyCertificate } from '../trust/qualification'
import type { TrustAnchor } from '../trust/trust-store'
import { digestFromOid, publicKeyFacts, publicKeyFromSpki, signatureAlgorithmName, verifySignature } from './algorithms'
import {
  caIssuerUrls,
  extendedKeyUsages,
  hasExtension,
  isIssuedBy,
  keyUsageNames,
  OID_EXT,
  OID_KP,
  tryParseCertificate,
  type ParsedCertificate,
} from './certificate'
import type { VerificationContext } from './context'
import { checkDigestAlgorithm, checkPublicKey } from './policy'
import { checkRevocation } from './revocation'
import { check, ref, type CodedText, text } from './texts'

export type CertificatePurpose = 'signature' | 'timestamp' | 'ocsp'

export interface AssessmentOptions {
  /**
   * best signature time: the time a valid timestamp proves the signature existed, else the
   * validation time; validity, revocation and algorithms are judged at this time
   */
  at: Date
  embeddedOcsp?: Uint8Array[]
  embeddedCrls?: Uint8Array[]
  /** what the certificate is used for (key usage rules); default 'signature' */
  purpose?: CertificatePurpose
  /** true when `at` is proven by a valid timestamp (proof of existence); default false */
  proven?: boolean
}

export interface CertificateAssessment {
  trust: TrustStatus
  /** signer first, anchor last when found */
  chain: CertificateSummary[]
  checks: CheckResult[]
  /** null when everything passed */
  subIndication: SubIndication | null
  /** indication implied by this assessment alone (TOTAL_PASSED when subIndication is null) */
  indication: Indication
  qualification: string | null
}

/** ETSI EN 319 102-1: which indication each sub-indication belongs to. */
export function indicationFor(sub: SubIndication | null): Indication {
  if (sub === null) return 'TOTAL_PASSED'
  switch (sub) {
    case 'FORMAT_FAILURE':
    case 'HASH_FAILURE':
    case 'SIG_CRYPTO_FAILURE':
    case 'REVOKED':
    case 'NOT_YET_VALID':
    case 'EXPIRED':
    case 'SIG_CONSTRAINTS_FAILURE':
    case 'CHAIN_CONSTRAINTS_FAILURE':
    case 'CRYPTO_CONSTRAINTS_FAILURE':
    case 'TIMESTAMP_ORDER_FAILURE':
      return 'TOTAL_FAILED'
    default:
      return 'INDETERMINATE'
  }
}

const MAX_CHAIN = 10

interface BuiltChain {
  certs: ParsedCertificate[]
  anchor: TrustAnchor | null
  /** why the chain stops without an anchor */
  problem: CodedText | null
}

async function fetchIssuerByAia(cert: ParsedCertificate, ctx: VerificationContext): Promise<ParsedCertificate[]> {
  if (ctx.offline || !ctx.http) return []
  const found: ParsedCertificate[] = []
  for (const url of caIssuerUrls(cert).slice(0, 2)) {
    try {
      const res = await ctx.http.get(url, { timeoutMs: ctx.networkTimeoutMs })
      if (res.status !== 200) continue
      const c = tryParseCertificate(res.body)
      if (c) found.push(c)
    } catch {
      // an unreachable caIssuers URL only means the chain may stay incomplete
    }
  }
  return found
}

async function buildChain(signer: ParsedCertificate, pool: ParsedCertificate[], anchors: Array<{ anchor: TrustAnchor; cert: ParsedCertificate }>, ctx: VerificationContext): Promise<BuiltChain> {
  const certs: ParsedCertificate[] = [signer]
  let current = signer
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    const selfAnchor = anchors.find((a) => a.cert.sha256 === current.sha256)
    if (selfAnchor) return { certs, anchor: selfAnchor.anchor, problem: null }
    // An anchor issuing `current` (same name and a signature that verifies) ends the chain.
    const anchorIssuer = anchors.find((a) => isIssuedBy(current, a.cert))
    if (anchorIssuer) {
      certs.push(anchorIssuer.cert)
      return { certs, anchor: anchorIssuer.anchor, problem: null }
    }
    let issuer = pool.find((c) => c.sha256 !== current.sha256 && !certs.some((x) => x.sha256 === c.sha256) && isIssuedBy(current, c))
    if (!issuer && !isIssuedBy(current, current)) {
      const fetched = await fetchIssuerByAia(current, ctx)
      issuer = fetched.find((c) => isIssuedBy(current, c))
      if (issuer) pool.push(issuer)
    }
    if (!issuer) {
      const selfSigned = isIssuedBy(current, current)
      return {
        certs,
        anchor: null,
        problem: selfSigned
          ? text('chain.selfSignedNotAnchor', { name: current.summary.commonName ?? current.summary.subject })
          : text('chain.issuerNotFound', { name: current.summary.commonName ?? current.summary.subject, issuer: current.summary.issuer }),
      }
    }
    certs.push(issuer)
    current = issuer
  }
  return { certs, anchor: null, problem: text('chain.tooLong') }
}

function nameOf(c: ParsedCertificate): string {
  return c.summary.commonName ?? c.summary.subject
}

export async function assessSigningCertificate(
  certDer: Uint8Array,
  otherCertsDer: Uint8Array[],
  opts: AssessmentOptions,
  ctx: VerificationContext,
): Promise<CertificateAssessment> {
  const checks: CheckResult[] = []
  const purpose = opts.purpose ?? 'signature'
  const signer = tryParseCertificate(certDer)
  if (!signer) {
    return {
      trust: 'unknown',
      chain: [],
      checks: [check('certificate', 'failed', 'certificate.unreadable')],
      subIndication: 'FORMAT_FAILURE',
      indication: 'TOTAL_FAILED',
      qualification: null,
    }
  }
  const pool = otherCertsDer.map(tryParseCertificate).filter((c): c is ParsedCertificate => c !== null && c.sha256 !== signer.sha256)
  const anchors = ctx.trust
    .anchors()
    .map((anchor) => ({ anchor, cert: tryParseCertificate(anchor.der) }))
    .filter((a): a is { anchor: TrustAnchor; cert: ParsedCertificate } => a.cert !== null)
  const now = ctx.now()
  const at = opts.at
  const proven = opts.proven === true
  const subs: SubIndication[] = []
  let trust: TrustStatus = 'trusted'
  const lower = (t: TrustStatus) => {
    const order: TrustStatus[] = ['revoked', 'untrusted', 'expired', 'unknown', 'trusted']
    if (order.indexOf(t) < order.indexOf(trust)) trust = t
  }

  // 1. chain
  const built = await buildChain(signer, pool, anchors, ctx)
  if (built.anchor) {
    const a = built.anchor
    const how = ref(a.source === 'trusted-list' ? 'chain.source.trustedList' : a.source === 'user' ? 'chain.source.user' : 'chain.source.bundled', { origin: a.origin })
    checks.push(check('chain', 'passed', 'chain.ok', { count: built.certs.length, anchor: a.subject, how }))
  } else {
    checks.push(check('chain', 'failed', 'chain.none', { problem: built.problem ? ref(built.problem.code, built.problem.params) : '?' }))
    subs.push('NO_CERTIFICATE_CHAIN_FOUND')
    lower('untrusted')
  }

  // 2. validity of each certificate at the best signature time (and today, for information)
  for (const c of built.certs) {
    const isAnchor = built.anchor !== null && c.sha256 === built.certs.at(-1)!.sha256
    if (at.getTime() < c.notBefore.getTime()) {
      checks.push(check('validity', 'failed', 'validity.notYetValid', { name: nameOf(c), at: at.toISOString(), from: c.notBefore.toISOString() }))
      subs.push('NOT_YET_VALID')
    } else if (at.getTime() > c.notAfter.getTime()) {
      const level = ctx.policy.checks.certificateExpired.level
      if (level !== 'IGNORE') {
        checks.push(check('validity', level === 'FAIL' ? 'failed' : 'warning', proven ? 'validity.expired' : 'validity.expiredNoProof', { name: nameOf(c), on: c.notAfter.toISOString() }))
        if (level === 'FAIL') subs.push(isAnchor ? 'OUT_OF_BOUNDS_NO_POE' : !proven ? 'OUT_OF_BOUNDS_NO_POE' : 'EXPIRED')
        lower('expired')
      }
    } else if (now.getTime() > c.notAfter.getTime()) {
      checks.push(check('validity', 'info', 'validity.expiredSince', { name: nameOf(c), on: c.notAfter.toISOString(), at: at.toISOString() }))
    }
  }
  if (!checks.some((c) => c.id === 'validity' && c.status === 'failed')) checks.push(check('validity', 'passed', 'validity.ok', { at: at.toISOString() }))

  // 3. key usage for the purpose
  if (purpose === 'signature') {
    const rule = ctx.policy.checks.signerKeyUsage
    const ku = keyUsageNames(signer)
    if (rule.level !== 'IGNORE') {
      if (ku === null) checks.push(check('key-usage', 'info', 'keyUsage.unrestricted'))
      else {
        const missing = rule.required.filter((r) => !ku.includes(r))
        if (missing.length === 0) checks.push(check('key-usage', 'passed', 'keyUsage.ok', { usages: ku.join(', ') }))
        else {
          checks.push(check('key-usage', rule.level === 'FAIL' ? 'failed' : 'warning', ku.length ? 'keyUsage.notForSignatures' : 'keyUsage.notForSignaturesNone', { missing: missing.join(', '), has: ku.join(', ') }))
          if (rule.level === 'FAIL') subs.push('CHAIN_CONSTRAINTS_FAILURE')
        }
      }
    }
  } else {
    const wanted = purpose === 'timestamp' ? OID_KP.timeStamping : OID_KP.ocspSigning
    const eku = extendedKeyUsages(signer)
    if (eku && eku.includes(wanted)) checks.push(check('key-usage', 'passed', 'keyUsage.extendedOk', { usage: purpose === 'timestamp' ? 'timeStamping' : 'OCSPSigning' }))
    else {
      checks.push(check('key-usage', 'failed', purpose === 'timestamp' ? 'keyUsage.notTimestamping' : 'keyUsage.notOcsp'))
      subs.push('CHAIN_CONSTRAINTS_FAILURE')
    }
  }

  // 4. algorithms (dated policy): signer key, and the digests of the chain's certificate signatures
  try {
    const facts = publicKeyFacts(publicKeyFromSpki(signer.spkiDer))
    const v = checkPublicKey(ctx.policy, facts.family, facts.bits, at)
    checks.push(check('crypto-constraints', v.accepted ? 'passed' : 'failed', v.reasonRef.code, v.reasonRef.params))
    if (!v.accepted) subs.push(!proven ? 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' : 'CRYPTO_CONSTRAINTS_FAILURE')
  } catch {
    checks.push(check('crypto-constraints', 'failed', 'crypto.signerKeyUnreadable'))
    subs.push('CRYPTO_CONSTRAINTS_FAILURE')
  }
  const nonAnchor = built.anchor ? built.certs.slice(0, -1) : built.certs
  for (const c of nonAnchor) {
    const alg = c.cert.signatureAlgorithm
    const hashOid = signatureAlgorithmName(alg.algorithmId)
    const m = /SHA(3)?-(\d+)|MD5|SHA-1/.exec(hashOid)
    const hashName = m ? (m[0] === 'MD5' ? 'MD5' : m[0]) : null
    if (!hashName) continue
    const v = checkDigestAlgorithm(ctx.policy, hashName, at)
    if (!v.accepted) {
      checks.push(check('crypto-constraints', 'failed', 'crypto.certificateSignedWith', { name: nameOf(c), alg: hashOid, reason: v.reasonRef }))
      subs.push(!proven ? 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' : 'CRYPTO_CONSTRAINTS_FAILURE')
    }
  }

  // 5. revocation of each certificate below the anchor
  const revocationLevel = ctx.policy.checks.revocation.level
  const ocsp = opts.embeddedOcsp ?? []
  const crls = opts.embeddedCrls ?? []
  if (revocationLevel !== 'IGNORE') {
    for (let i = 0; i < built.certs.length; i++) {
      const c = built.certs[i]!
      const issuer = built.certs[i + 1]
      if (built.anchor && i === built.certs.length - 1) break
      if (!issuer) {
        checks.push(check('revocation', 'indeterminate', 'revocation.issuerUnknown', { name: nameOf(c) }))
        continue
      }
      if (hasExtension(c, OID_EXT.ocspNoCheck) && purpose !== 'signature') {
        checks.push(check('revocation', 'info', 'revocation.noCheck', { name: nameOf(c) }))
        continue
      }
      const r = await checkRevocation(c, issuer, [...pool, ...built.certs], { ocsp, crls }, ctx)
      const who = i === 0 ? ref('revocation.who.signer') : ref('revocation.who.ca', { name: nameOf(c) })
      const answer = ref(r.code, r.params)
      if (r.status === 'good') checks.push(check('revocation', 'passed', 'revocation.answer', { who, answer }))
      else if (r.status === 'revoked') {
        const before = r.revocationTime === null || r.revocationTime.getTime() <= at.getTime()
        if (before) {
          checks.push(check('revocation', revocationLevel === 'FAIL' ? 'failed' : 'warning', 'revocation.revokedBefore', { who, answer, at: at.toISOString() }))
          lower('revoked')
          if (revocationLevel === 'FAIL') subs.push(i === 0 ? (!proven ? 'REVOKED_NO_POE' : 'REVOKED') : 'REVOKED_CA_NO_POE')
        } else {
          checks.push(check('revocation', 'info', 'revocation.revokedAfter', { who, answer, at: at.toISOString() }))
        }
      } else {
        checks.push(check('revocation', revocationLevel === 'FAIL' ? 'indeterminate' : 'warning', 'revocation.answer', { who, answer }))
        lower('unknown')
        if (revocationLevel === 'FAIL') subs.push('TRY_LATER')
      }
    }
  }

  // 6. qualification
  const issuerService = built.anchor?.service ?? ctx.trust.anchors().find((a) => a.service && built.certs[1] && a.sha256 === built.certs[1].sha256)?.service
  const q = qualifyCertificate(signer.der, ctx.qualification, issuerService)

  // Most serious first: failures before indeterminates, then by ETSI weight.
  const ORDER: SubIndication[] = [
    'REVOKED',
    'NOT_YET_VALID',
    'EXPIRED',
    'CRYPTO_CONSTRAINTS_FAILURE',
    'CHAIN_CONSTRAINTS_FAILURE',
    'FORMAT_FAILURE',
    'REVOKED_NO_POE',
    'REVOKED_CA_NO_POE',
    'NO_CERTIFICATE_CHAIN_FOUND',
    'OUT_OF_BOUNDS_NO_POE',
    'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    'TRY_LATER',
  ]
  const subIndication = subs.length === 0 ? null : [...subs].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))[0]!
  return {
    trust,
    chain: built.certs.map((c) => c.summary),
    checks,
    subIndication,
    indication: indicationFor(subIndication),
    qualification: q.summary,
  }
}

/** Re-exported for format verifiers that check a signature with a certificate's key. */
export { digestFromOid, verifySignature }
