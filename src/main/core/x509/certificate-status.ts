/**
 * Is a token's certificate revoked today? Asked when the person picks a certificate to sign with,
 * so that a revoked one is announced before any PIN instead of after a refused signature.
 * Same engine as verification: the issuer is found the way the chain builder finds it (the token's
 * other certificates, then the trust anchors, then the AIA caIssuers URL), then `checkRevocation`
 * asks the OCSP responder (AIA) and falls back to the CRL (CDP). Short per-request timeout: this
 * check informs, it must never keep the screen waiting.
 */
import type { CertificateStatus } from '../../../shared/model/app-ipc'
import type { HttpClient } from '../net/http'
import { caIssuerUrls, crlUrls, isIssuedBy, ocspUrls, tryParseCertificate, type ParsedCertificate } from '../verify/certificate'
import { createVerificationContext, type VerificationContext } from '../verify/context'
import { checkRevocation } from '../verify/revocation'

export interface CertificateStatusOptions {
  /** absent: no network, the answer is unknown / offline */
  http?: HttpClient
  /** the user's trust anchor files (PEM/DER), besides the bundled anchors */
  trustFiles?: string[]
  /** per HTTP request, ms (default 4000) */
  timeoutMs?: number
  now?: () => Date
}

const DEFAULT_TIMEOUT_MS = 4000

function pemOrDer(body: Uint8Array): Uint8Array {
  const text = Buffer.from(body.subarray(0, 64)).toString('latin1')
  if (!text.includes('-----BEGIN')) return body
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/.exec(Buffer.from(body).toString('latin1'))
  return m ? new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')) : body
}

/**
 * The issuing CA: on the token, among the trust anchors, else fetched from the caIssuers URL.
 * `unreachable` lists the caIssuers URLs that gave no HTTP answer (offline is not "no issuer").
 */
async function findIssuer(cert: ParsedCertificate, pool: readonly ParsedCertificate[], ctx: VerificationContext): Promise<{ issuer: ParsedCertificate | null; unreachable: string[] }> {
  const known = [...pool, ...ctx.trust.anchors().map((a) => tryParseCertificate(a.der))].filter((c): c is ParsedCertificate => c !== null && c.sha256 !== cert.sha256)
  const local = known.find((c) => isIssuedBy(cert, c))
  if (local || !ctx.http) return { issuer: local ?? null, unreachable: [] }
  const unreachable: string[] = []
  for (const url of caIssuerUrls(cert).slice(0, 2)) {
    try {
      const res = await ctx.http.get(url, { timeoutMs: ctx.networkTimeoutMs })
      if (res.status !== 200) continue
      const c = tryParseCertificate(pemOrDer(res.body))
      if (c && isIssuedBy(cert, c)) return { issuer: c, unreachable: [] }
    } catch (err) {
      unreachable.push(`${url}: ${(err as Error).message}`)
    }
  }
  return { issuer: null, unreachable }
}

/**
 * Revocation status of `certificateDer` now. Never throws for a hostile or broken certificate or
 * answer: every failure is an `unknown` with its reason in plain words.
 */
export async function checkCertificateStatus(certificateDer: Uint8Array, tokenCertificates: readonly Uint8Array[], opts: CertificateStatusOptions = {}): Promise<CertificateStatus> {
  const cert = tryParseCertificate(certificateDer)
  if (!cert) return { status: 'unknown', why: 'unreadable', message: 'the certificate cannot be read' }
  if (!opts.http) return { status: 'unknown', why: 'offline', message: 'offline: the revocation status was not asked' }
  if (ocspUrls(cert).length === 0 && crlUrls(cert).length === 0) {
    return { status: 'unknown', why: 'no-responder', message: 'the certificate names no OCSP responder and no CRL' }
  }
  const ctx = createVerificationContext({
    http: opts.http,
    networkTimeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    trustFiles: opts.trustFiles ?? [],
    ...(opts.now ? { now: opts.now } : {}),
  })
  const pool = tokenCertificates.map((d) => tryParseCertificate(d)).filter((c): c is ParsedCertificate => c !== null)
  const { issuer, unreachable } = await findIssuer(cert, pool, ctx)
  if (!issuer && unreachable.length > 0) return { status: 'unknown', why: 'no-answer', message: `the certificate of the issuing authority could not be downloaded: ${unreachable.join('; ')}` }
  if (!issuer) return { status: 'unknown', why: 'no-issuer', message: `the issuing authority "${cert.summary.issuer}" was not found (not on the token, not a trust anchor, not published at its caIssuers address)` }
  const r = await checkRevocation(cert, issuer, pool, { ocsp: [], crls: [] }, ctx)
  const source = r.source === 'online-crl' || r.source === 'embedded-crl' ? ('crl' as const) : ('ocsp' as const)
  const checkedAt = (r.thisUpdate ?? ctx.now()).toISOString()
  if (r.status === 'good') return { status: 'good', source, checkedAt }
  if (r.status === 'revoked') return { status: 'revoked', source, revokedAt: r.revocationTime?.toISOString() ?? null, reason: r.reason, checkedAt }
  if (r.status === 'unknown') return { status: 'unknown', why: 'responder-unknown', message: r.message }
  return { status: 'unknown', why: 'no-answer', message: r.message }
}
