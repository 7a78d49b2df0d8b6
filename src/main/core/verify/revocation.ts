/**
 * Revocation status of one certificate: embedded OCSP responses and CRLs first (what the signer
 * shipped), then, when the context allows the network, the OCSP responder (AIA) and the CRL
 * distribution points through the injected HTTP client. Every response is checked: it must name
 * the certificate and be signed by its issuer (or a responder the issuer delegated).
 */
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { digest, digestFromOid, digestOid, verifySignature, type DigestAlgorithm } from './algorithms'
import {
  crlUrls,
  extendedKeyUsages,
  hex,
  isIssuedBy,
  ocspUrls,
  OID_KP,
  sameBytes,
  tryParseCertificate,
  type ParsedCertificate,
} from './certificate'
import type { VerificationContext } from './context'
import { digestMemo } from './memo'
import { ref, text, type CodedText } from './texts'
import type { MessageParams, MessageRef } from '../../../shared/model/validation'

export type RevocationSource = 'embedded-ocsp' | 'embedded-crl' | 'online-ocsp' | 'online-crl'

export interface RevocationResult {
  status: 'good' | 'revoked' | 'unknown' | 'unavailable'
  source: RevocationSource | null
  revocationTime: Date | null
  /** RFC 5280 CRLReason of a revocation when the answer gives one (e.g. 'keyCompromise') */
  reason: RevocationReason | null
  /** thisUpdate of the answer used */
  thisUpdate: Date | null
  /** English text of `code`/`params` (CLI JSON, logs, the Sign screen's details) */
  message: string
  /** the answer as a coded text (src/shared/verification-text), e.g. 'revocation.good' */
  code: string
  params?: MessageParams
  /** why no usable answer was found (answers tried and refused, network errors), in order */
  problems: MessageRef[]
  /** responder / CRL issuer certificates that came with the answers (for the chain report) */
  extraCertificates: Uint8Array[]
}

export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise'

const REASONS: Record<number, RevocationReason> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
}

/** CRLReason from an ENUMERATED block, or from the DER of one (a CRL entry's reasonCode extension). */
function reasonOf(block: unknown): RevocationReason | null {
  try {
    let b = block
    if (b instanceof Uint8Array) b = asn1js.fromBER(ab(b)).result
    if (b instanceof asn1js.Enumerated) return REASONS[b.valueBlock.valueDec] ?? null
  } catch {
    // an unreadable reason leaves the revocation itself intact
  }
  return null
}

const ab = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer

const memoOcsp = digestMemo<pkijs.BasicOCSPResponse | null>(64)

function parseBasicOcsp(der: Uint8Array): pkijs.BasicOCSPResponse | null {
  return memoOcsp(der, () => parseBasicOcspUncached(der))
}

function parseBasicOcspUncached(der: Uint8Array): pkijs.BasicOCSPResponse | null {
  try {
    const resp = pkijs.OCSPResponse.fromBER(ab(der))
    if (resp.responseStatus.valueBlock.valueDec !== 0 || !resp.responseBytes) return null
    if (resp.responseBytes.responseType !== '1.3.6.1.5.5.7.48.1.1') return null
    return pkijs.BasicOCSPResponse.fromBER(resp.responseBytes.response.valueBlock.valueHexView)
  } catch {
    // CAdES revocationValues carry BasicOCSPResponse directly
    try {
      return pkijs.BasicOCSPResponse.fromBER(ab(der))
    } catch {
      return null
    }
  }
}

/** Status and time of the SingleResponse naming `cert`, when the response is signed by an allowed responder. */
function readOcsp(
  basic: pkijs.BasicOCSPResponse,
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  pool: readonly ParsedCertificate[],
): { status: 'good' | 'revoked' | 'unknown'; revocationTime: Date | null; reason: RevocationReason | null; thisUpdate: Date; nextUpdate: Date | null; responderDers: Uint8Array[] } | { error: MessageRef } | null {
  const single = basic.tbsResponseData.responses.find((r) => {
    const alg = digestFromOid(r.certID.hashAlgorithm.algorithmId)
    if (!alg) return false
    const serial = hex(r.certID.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '')
    return (
      serial === cert.serialHex &&
      sameBytes(new Uint8Array(r.certID.issuerNameHash.valueBlock.valueHexView), digest(alg, issuer.subjectDer)) &&
      sameBytes(new Uint8Array(r.certID.issuerKeyHash.valueBlock.valueHexView), digest(alg, issuer.publicKeyBits))
    )
  })
  if (!single) return null
  const embedded = (basic.certs ?? []).map((c) => tryParseCertificate(new Uint8Array(c.toSchema().toBER(false)))).filter((c): c is ParsedCertificate => c !== null)
  const candidates = [issuer, ...embedded, ...pool].filter(
    (c) => c.sha256 === issuer.sha256 || (isIssuedBy(c, issuer) && (extendedKeyUsages(c) ?? []).includes(OID_KP.ocspSigning)),
  )
  const tbs = basic.tbsResponseData.tbsView
  const signature = new Uint8Array(basic.signature.valueBlock.valueHexView)
  const responder = candidates.find(
    (c) =>
      verifySignature({
        spkiDer: c.spkiDer,
        algorithmOid: basic.signatureAlgorithm.algorithmId,
        algorithmParams: basic.signatureAlgorithm.algorithmParams,
        data: tbs,
        signature,
      }).ok,
  )
  if (!responder) return { error: ref('revocation.error.ocspNotAuthorised') }
  const status = single.certStatus as asn1js.BaseBlock
  const tag = status.idBlock.tagNumber
  let revocationTime: Date | null = null
  let reason: RevocationReason | null = null
  if (tag === 1) {
    // RevokedInfo: revocationTime, [0] EXPLICIT CRLReason OPTIONAL
    const reasonTag = (status as asn1js.Constructed).valueBlock.value?.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0)
    reason = reasonOf((reasonTag as asn1js.Constructed | undefined)?.valueBlock.value?.[0])
    const inner = (status as asn1js.Constructed).valueBlock.value?.[0]
    if (inner instanceof asn1js.GeneralizedTime) revocationTime = inner.toDate()
    else if (inner && (inner as asn1js.BaseBlock).valueBeforeDecodeView) {
      try {
        const gt = new asn1js.GeneralizedTime({ valueHex: (inner as asn1js.BaseBlock).valueBlock.valueBeforeDecodeView })
        revocationTime = gt.toDate()
      } catch {
        revocationTime = null
      }
    }
  }
  return {
    status: tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown',
    revocationTime,
    reason,
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate ?? null,
    responderDers: responder.sha256 === issuer.sha256 ? [] : [responder.der],
  }
}

/** A parsed CRL and, per issuer key tried, whether its signature verifies (both memoised). */
interface ParsedCrl {
  crl: pkijs.CertificateRevocationList
  signatureOkBy: Map<string, boolean>
}
const memoCrl = digestMemo<ParsedCrl | null>(32)

function readCrl(crlDer: Uint8Array, cert: ParsedCertificate, issuer: ParsedCertificate): { revoked: boolean; revocationTime: Date | null; reason: RevocationReason | null; thisUpdate: Date; nextUpdate: Date | null } | { error: MessageRef } | null {
  const parsed = memoCrl(crlDer, () => {
    try {
      return { crl: pkijs.CertificateRevocationList.fromBER(ab(crlDer)), signatureOkBy: new Map() }
    } catch {
      return null
    }
  })
  if (!parsed) return { error: ref('revocation.error.crlUnreadable') }
  const { crl } = parsed
  if (!sameBytes(new Uint8Array(crl.issuer.valueBeforeDecode), issuer.subjectDer)) return null
  let signatureOk = parsed.signatureOkBy.get(issuer.sha256)
  if (signatureOk === undefined) {
    signatureOk = verifySignature({
      spkiDer: issuer.spkiDer,
      algorithmOid: crl.signature.algorithmId,
      algorithmParams: crl.signature.algorithmParams,
      data: crl.tbsView,
      signature: new Uint8Array(crl.signatureValue.valueBlock.valueHexView),
    }).ok
    parsed.signatureOkBy.set(issuer.sha256, signatureOk)
  }
  if (!signatureOk) return { error: ref('revocation.error.crlSignature') }
  const entry = (crl.revokedCertificates ?? []).find((r) => hex(r.userCertificate.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '') === cert.serialHex)
  return {
    revoked: entry !== undefined,
    revocationTime: entry ? entry.revocationDate.value : null,
    reason: reasonOf(entry?.crlEntryExtensions?.extensions.find((e) => e.extnID === '2.5.29.21')?.extnValue.valueBlock.valueHexView),
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value ?? null,
  }
}

/** DER OCSPRequest for one certificate (SHA-1 CertID: the identifier every responder supports). */
export function buildOcspRequest(cert: ParsedCertificate, issuer: ParsedCertificate, alg: DigestAlgorithm = 'SHA-1'): Uint8Array {
  const serial = new asn1js.Integer({ valueHex: ab(new Uint8Array(cert.cert.serialNumber.valueBlock.valueHexView)) })
  const certId = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: digestOid(alg) }), new asn1js.Null()] }),
      new asn1js.OctetString({ valueHex: ab(digest(alg, issuer.subjectDer)) }),
      new asn1js.OctetString({ valueHex: ab(digest(alg, issuer.publicKeyBits)) }),
      serial,
    ],
  })
  const req = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [certId] })] })] })] })
  return new Uint8Array(req.toBER(false))
}

function pemOrDer(body: Uint8Array): Uint8Array {
  const text = Buffer.from(body.subarray(0, 64)).toString('latin1')
  if (!text.includes('-----BEGIN')) return body
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(Buffer.from(body).toString('latin1'))
  return m ? new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')) : body
}

const SOURCE_CODES = {
  'embedded-ocsp': 'revocation.source.embeddedOcsp',
  'embedded-crl': 'revocation.source.embeddedCrl',
  'online-ocsp': 'revocation.source.onlineOcsp',
  'online-crl': 'revocation.source.onlineCrl',
} as const

function fromAnswer(status: 'good' | 'revoked' | 'unknown', source: RevocationSource, revocationTime: Date | null, thisUpdate: Date, extra: Uint8Array[], reason: RevocationReason | null, problems: MessageRef[]): RevocationResult {
  const where = ref(SOURCE_CODES[source])
  const answer =
    status === 'good'
      ? text('revocation.good', { source: where, at: thisUpdate.toISOString() })
      : status === 'revoked'
        ? text('revocation.revoked', { source: where, at: revocationTime?.toISOString() ?? '?' })
        : text('revocation.unknownCertificate', { source: where })
  return { status, source, revocationTime, reason: status === 'revoked' ? reason : null, thisUpdate, ...answer, problems, extraCertificates: extra }
}

function unavailable(answer: CodedText, problems: MessageRef[]): RevocationResult {
  return { status: 'unavailable', source: null, revocationTime: null, reason: null, thisUpdate: null, ...answer, problems, extraCertificates: [] }
}

/** An exception's message: a technical detail (network, parser) kept in its own words. */
const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))

export async function checkRevocation(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  pool: readonly ParsedCertificate[],
  embedded: { ocsp: readonly Uint8Array[]; crls: readonly Uint8Array[] },
  ctx: VerificationContext,
): Promise<RevocationResult> {
  const problems: MessageRef[] = []
  for (const der of embedded.ocsp) {
    const basic = parseBasicOcsp(der)
    if (!basic) continue
    const r = readOcsp(basic, cert, issuer, pool)
    if (!r) continue
    if ('error' in r) {
      problems.push(ref('revocation.problem.embeddedOcsp', { error: r.error }))
      continue
    }
    return fromAnswer(r.status, 'embedded-ocsp', r.revocationTime, r.thisUpdate, r.responderDers, r.reason, problems)
  }
  for (const der of embedded.crls) {
    const r = readCrl(der, cert, issuer)
    if (!r) continue
    if ('error' in r) {
      problems.push(ref('revocation.problem.embeddedCrl', { error: r.error }))
      continue
    }
    return fromAnswer(r.revoked ? 'revoked' : 'good', 'embedded-crl', r.revocationTime, r.thisUpdate, [], r.reason, problems)
  }
  if (ctx.offline || !ctx.http) {
    const answer = ctx.offline
      ? problems.length
        ? text('revocation.offlineDetails', { details: problems })
        : text('revocation.offline')
      : problems.length
        ? text('revocation.noNetworkClientDetails', { details: problems })
        : text('revocation.noNetworkClient')
    return unavailable(answer, problems)
  }
  const now = ctx.now()
  const maxAgeMs = ctx.policy.checks.revocationFreshnessHours * 3600_000
  for (const url of ocspUrls(cert)) {
    try {
      const res = await ctx.http.post(url, buildOcspRequest(cert, issuer), 'application/ocsp-request', { timeoutMs: ctx.networkTimeoutMs })
      if (res.status !== 200) {
        problems.push(ref('revocation.problem.ocspHttp', { url, status: res.status }))
        continue
      }
      const basic = parseBasicOcsp(res.body)
      if (!basic) {
        problems.push(ref('revocation.problem.ocspUnusable', { url }))
        continue
      }
      const r = readOcsp(basic, cert, issuer, pool)
      if (!r) {
        problems.push(ref('revocation.problem.ocspOtherCertificate', { url }))
        continue
      }
      if ('error' in r) {
        problems.push(ref('revocation.problem.ocsp', { url, error: r.error }))
        continue
      }
      if (r.thisUpdate.getTime() > now.getTime() + 5 * 60_000 || now.getTime() - r.thisUpdate.getTime() > maxAgeMs) {
        problems.push(ref('revocation.problem.ocspNotFresh', { url, at: r.thisUpdate.toISOString() }))
        continue
      }
      return fromAnswer(r.status, 'online-ocsp', r.revocationTime, r.thisUpdate, r.responderDers, r.reason, problems)
    } catch (err) {
      problems.push(ref('revocation.problem.ocsp', { url, error: errorText(err) }))
    }
  }
  for (const url of crlUrls(cert)) {
    try {
      const res = await ctx.http.get(url, { timeoutMs: ctx.networkTimeoutMs })
      if (res.status !== 200) {
        problems.push(ref('revocation.problem.crlHttp', { url, status: res.status }))
        continue
      }
      const r = readCrl(pemOrDer(res.body), cert, issuer)
      if (!r) {
        problems.push(ref('revocation.problem.crlOtherIssuer', { url }))
        continue
      }
      if ('error' in r) {
        problems.push(ref('revocation.problem.crl', { url, error: r.error }))
        continue
      }
      if (r.nextUpdate && r.nextUpdate.getTime() < now.getTime()) {
        problems.push(ref('revocation.problem.crlOutOfDate', { url, at: r.nextUpdate.toISOString() }))
        continue
      }
      return fromAnswer(r.revoked ? 'revoked' : 'good', 'online-crl', r.revocationTime, r.thisUpdate, [], r.reason, problems)
    } catch (err) {
      problems.push(ref('revocation.problem.crl', { url, error: errorText(err) }))
    }
  }
  if (problems.length === 0) problems.push(ref('revocation.problem.noSource'))
  return unavailable(text('revocation.unavailable', { details: problems }), problems)
}
