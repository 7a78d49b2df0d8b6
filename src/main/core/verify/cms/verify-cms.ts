/**
 * CMS / CAdES signature verification, shared by `.p7s`/`.p7m` files and PDF signatures (any
 * SubFilter: adbe.pkcs7.detached, ETSI.CAdES.detached, adbe.pkcs7.sha1 with its encapsulated digest,
 * ETSI.RFC3161 document timestamps).
 *
 * Per SignerInfo: structure of the signed attributes, messageDigest against the content digest,
 * signature value over the DER signed attributes, signing-certificate(-v2) bound to the certificate
 * used, claimed signing time, content/signature/archive timestamps (token signature, imprint, TSA),
 * counter-signatures, baseline level (B-B/B-T/B-LT/B-LTA), then the certificate assessment at the
 * best signature time. Integrity problems decide the `integrity` class; trust problems only the
 * indication.
 */
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import type { CheckResult, IntegrityClass, MessageRef, SignatureFormat, SignatureReport, SubIndication } from '../../../../shared/model/validation'
import { digest, digestFromOid, nodeHashName, verifySignature, type DigestAlgorithm } from '../algorithms'
import { assessSigningCertificate, indicationFor, type CertificateAssessment } from '../certificate-assessment'
import { hex, sameBytes, tryParseCertificate, type ParsedCertificate } from '../certificate'
import type { VerificationContext } from '../context'
import { checkDigestAlgorithm } from '../policy'
import { worstIntegrity } from '../aggregate'
import { check, CodedError, coverage as coverageText, ref, text, type CodedText } from '../texts'
import {
  ARCHIVE_TIMESTAMP_OIDS,
  attributeCount,
  attributeValues,
  encodedBytes,
  OID_CMS,
  octets,
  signedAttributesDer,
  timeValue,
} from './attributes'

export type { DigestAlgorithm } from '../algorithms'

/** What the signature covers: a digest provider (detached; may also give the bytes), or the encapsulated content. */
export type CmsContent =
  | { digest: (alg: DigestAlgorithm) => Promise<Uint8Array>; bytes?: () => Promise<Uint8Array> }
  | {
      encapsulated: true
      /**
       * adbe.pkcs7.sha1: the encapsulated content must equal these bytes (the caller passes the
       * SHA-1 of the ByteRange); a difference is a HASH_FAILURE
       */
      expectedContent?: Uint8Array
    }

export interface VerifyCmsOptions {
  format?: SignatureFormat
  profile?: 'pades' | 'cades'
  /** report ids: `${idPrefix}` for the first signer, `${idPrefix}-2`... (default 'signature-1') */
  idPrefix?: string
  /** validation material found outside the CMS (PDF DSS) */
  extraCertificates?: Uint8Array[]
  embeddedOcsp?: Uint8Array[]
  embeddedCrls?: Uint8Array[]
  /** coverage to put in the reports (PDF verifier knows it; default: whole signed content) */
  coverage?: SignatureReport['coverage']
}

const ab = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer

type ContentAccess =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'digest'; digest: (alg: DigestAlgorithm) => Promise<Uint8Array>; bytes?: () => Promise<Uint8Array> }
  | { kind: 'missing' }

interface ParsedSignedData {
  signedData: pkijs.SignedData
  eContentType: string
  eContent: Uint8Array | null
  certificates: ParsedCertificate[]
  ocsp: Uint8Array[]
  crls: Uint8Array[]
  /** original bytes needed by archive timestamps v3: eContentType TLV, and per SignerInfo its fields before unsignedAttrs */
  raw: { eContentType: Uint8Array | null; signerInfoFields: Array<Uint8Array | null> }
}

function blockBytes(b: asn1js.AsnType | undefined): Uint8Array | null {
  const view = (b as asn1js.BaseBlock | undefined)?.valueBeforeDecodeView
  return view && view.byteLength > 0 ? new Uint8Array(view) : null
}

/** Original TLVs of encapContentInfo.eContentType and of each SignerInfo's signed part (ETSI EN 319 122-1, 5.5.3). */
function rawParts(contentInfo: asn1js.AsnType): ParsedSignedData['raw'] {
  const out: ParsedSignedData['raw'] = { eContentType: null, signerInfoFields: [] }
  const explicit = contentInfo instanceof asn1js.Sequence ? contentInfo.valueBlock.value[1] : undefined
  const sd = (explicit as asn1js.Constructed | undefined)?.valueBlock?.value?.[0]
  if (!(sd instanceof asn1js.Sequence)) return out
  const items = sd.valueBlock.value
  const encap = items[2]
  if (encap instanceof asn1js.Sequence) out.eContentType = blockBytes(encap.valueBlock.value[0])
  const infos = items.at(-1)
  if (!(infos instanceof asn1js.Set)) return out
  for (const si of infos.valueBlock.value) {
    if (!(si instanceof asn1js.Sequence)) {
      out.signerInfoFields.push(null)
      continue
    }
    const fields = si.valueBlock.value.filter((f) => !(f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 1))
    const parts = fields.map(blockBytes)
    out.signerInfoFields.push(parts.every((p) => p !== null) ? new Uint8Array(Buffer.concat(parts as Uint8Array[])) : null)
  }
  return out
}

/** Parses a DER/BER ContentInfo holding SignedData. Throws plain-words errors. Trailing bytes (PDF zero padding) are ignored. */
export function parseSignedData(cmsDer: Uint8Array): ParsedSignedData {
  const asn = asn1js.fromBER(ab(cmsDer))
  if (asn.offset === -1) throw new Error(`not ASN.1 (${asn.result.error || 'unreadable'})`)
  let ci: pkijs.ContentInfo
  try {
    ci = new pkijs.ContentInfo({ schema: asn.result })
  } catch {
    throw new Error('not a CMS ContentInfo')
  }
  if (ci.contentType !== OID_CMS.signedData) throw new Error(`CMS content type ${ci.contentType} is not SignedData`)
  let sd: pkijs.SignedData
  try {
    sd = new pkijs.SignedData({ schema: ci.content })
  } catch (err) {
    throw new Error(`malformed SignedData (${(err as Error).message.split('\n')[0]})`)
  }
  const certificates: ParsedCertificate[] = []
  for (const c of sd.certificates ?? []) {
    if (!(c instanceof pkijs.Certificate)) continue
    const p = tryParseCertificate(new Uint8Array(c.toSchema().toBER(false)))
    if (p) certificates.push(p)
  }
  const ocsp: Uint8Array[] = []
  const crls: Uint8Array[] = []
  for (const r of sd.crls ?? []) {
    if (r instanceof pkijs.CertificateRevocationList) crls.push(new Uint8Array(r.toSchema().toBER(false)))
    else if (r instanceof pkijs.OtherRevocationInfoFormat && r.otherRevInfoFormat === OID_CMS.ocspRevInfoFormat) {
      ocsp.push(new Uint8Array((r.otherRevInfo as asn1js.BaseBlock).toBER(false)))
    }
  }
  const eContent = sd.encapContentInfo.eContent ? octets(sd.encapContentInfo.eContent) : null
  return { signedData: sd, eContentType: sd.encapContentInfo.eContentType, eContent, certificates, ocsp, crls, raw: rawParts(asn.result) }
}

function findSignerCertificate(si: pkijs.SignerInfo, certs: readonly ParsedCertificate[]): ParsedCertificate | null {
  const sid = si.sid as unknown
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const issuer = new Uint8Array(sid.issuer.valueBeforeDecode)
    const serial = hex(sid.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '')
    return certs.find((c) => c.serialHex === serial && sameBytes(c.issuerDer, issuer)) ?? null
  }
  // [0] SubjectKeyIdentifier
  const block = sid as asn1js.BaseBlock
  const bytes = (block as asn1js.Primitive).valueBlock?.valueHexView
  if (!bytes) return null
  const ski = hex(bytes)
  return certs.find((c) => c.subjectKeyId === ski) ?? null
}

interface SigningCertRef {
  version: 1 | 2
  hashAlg: DigestAlgorithm | null
  certHash: Uint8Array
  issuerName: Uint8Array | null
  serialHex: string | null
}

/** First ESSCertID(v2) of a signing-certificate(-v2) attribute value. */
function readSigningCertRef(value: asn1js.AsnType, version: 1 | 2): SigningCertRef | null {
  if (!(value instanceof asn1js.Sequence)) return null
  const certs = value.valueBlock.value[0]
  if (!(certs instanceof asn1js.Sequence)) return null
  const first = certs.valueBlock.value[0]
  if (!(first instanceof asn1js.Sequence)) return null
  const items = first.valueBlock.value
  let i = 0
  let hashAlg: DigestAlgorithm | null = version === 1 ? 'SHA-1' : 'SHA-256'
  if (version === 2 && items[0] instanceof asn1js.Sequence) {
    const oid = items[0].valueBlock.value[0]
    hashAlg = oid instanceof asn1js.ObjectIdentifier ? digestFromOid(oid.valueBlock.toString()) : null
    i = 1
  }
  const certHash = octets(items[i])
  if (!certHash) return null
  let issuerName: Uint8Array | null = null
  let serialHex: string | null = null
  const issuerSerial = items[i + 1]
  if (issuerSerial instanceof asn1js.Sequence) {
    const names = issuerSerial.valueBlock.value[0]
    const serial = issuerSerial.valueBlock.value[1]
    if (names instanceof asn1js.Sequence) {
      const dirName = names.valueBlock.value.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 4) as asn1js.Constructed | undefined
      const inner = dirName?.valueBlock.value[0]
      if (inner) issuerName = encodedBytes(inner)
    }
    if (serial instanceof asn1js.Integer) serialHex = hex(serial.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '')
  }
  return { version, hashAlg, certHash, issuerName, serialHex }
}

interface CoreResult {
  signer: ParsedCertificate | null
  checks: CheckResult[]
  integrity: IntegrityClass
  sub: SubIndication | null
  digestAlg: DigestAlgorithm | null
  signatureValue: Uint8Array
  hasSigningCertAttr: boolean
  signingTime: Date | null
}

const fail = (r: CoreResult, integrity: IntegrityClass, sub: SubIndication) => {
  r.integrity = worstIntegrity([r.integrity, integrity])
  if (r.sub === null || integrity === 'broken') r.sub = r.sub && indicationFor(r.sub) === 'TOTAL_FAILED' ? r.sub : sub
}

/**
 * Cryptographic core of one SignerInfo. `expectContentType`: the eContentType the contentType
 * attribute must carry; null for counter-signatures (the attribute must be absent).
 */
async function verifySignerCore(si: pkijs.SignerInfo, certs: readonly ParsedCertificate[], content: ContentAccess, expectContentType: string | null, profile: 'pades' | 'cades' | undefined): Promise<CoreResult> {
  const r: CoreResult = {
    signer: findSignerCertificate(si, certs),
    checks: [],
    integrity: 'intact',
    sub: null,
    digestAlg: digestFromOid(si.digestAlgorithm.algorithmId),
    signatureValue: octets(si.signature) ?? new Uint8Array(),
    hasSigningCertAttr: false,
    signingTime: null,
  }
  const attrs = si.signedAttrs
  if (!r.digestAlg) {
    r.checks.push(check('digest-algorithm', 'failed', 'cms.digestAlgorithm.unknown', { oid: si.digestAlgorithm.algorithmId }))
    fail(r, 'broken', 'FORMAT_FAILURE')
    return r
  }

  // Signed attributes: each type once, single-valued where CMS requires it.
  let messageDigest: Uint8Array | null = null
  if (attrs) {
    const types = attrs.attributes.map((a) => a.type)
    const dup = types.find((t, i) => types.indexOf(t) !== i)
    if (dup) {
      r.checks.push(check('signed-attributes', 'failed', 'cms.signedAttributes.duplicate', { oid: dup }))
      fail(r, 'broken', 'FORMAT_FAILURE')
    }
    for (const single of [OID_CMS.contentType, OID_CMS.messageDigest, OID_CMS.signingTime]) {
      if (attributeValues(attrs, single).length > 1) {
        r.checks.push(check('signed-attributes', 'failed', 'cms.signedAttributes.multiValued', { oid: single }))
        fail(r, 'broken', 'FORMAT_FAILURE')
      }
    }
    const ct = attributeValues(attrs, OID_CMS.contentType)[0]
    if (expectContentType === null) {
      if (ct) {
        r.checks.push(check('signed-attributes', 'failed', 'cms.signedAttributes.counterContentType'))
        fail(r, 'broken', 'FORMAT_FAILURE')
      }
    } else if (!(ct instanceof asn1js.ObjectIdentifier)) {
      r.checks.push(check('signed-attributes', 'failed', 'cms.signedAttributes.contentTypeMissing'))
      fail(r, 'broken', 'FORMAT_FAILURE')
    } else if (ct.valueBlock.toString() !== expectContentType) {
      r.checks.push(check('signed-attributes', 'failed', 'cms.signedAttributes.contentTypeMismatch', { attribute: ct.valueBlock.toString(), expected: expectContentType }))
      fail(r, 'broken', 'FORMAT_FAILURE')
    }
    messageDigest = octets(attributeValues(attrs, OID_CMS.messageDigest)[0])
    if (!messageDigest) {
      r.checks.push(check('message-digest', 'failed', 'cms.messageDigest.missing'))
      fail(r, 'broken', 'FORMAT_FAILURE')
    }
    const st = attributeValues(attrs, OID_CMS.signingTime)
    r.signingTime = timeValue(st[0])
    if (st.length > 0 && profile === 'pades') r.checks.push(check('signing-time', 'warning', 'cms.signingTime.padesForbidden'))
  }

  // Content digest.
  let contentDigest: Uint8Array | null = null
  if (content.kind === 'bytes') contentDigest = digest(r.digestAlg, content.bytes)
  else if (content.kind === 'digest') {
    try {
      contentDigest = await content.digest(r.digestAlg)
    } catch (err) {
      r.checks.push(err instanceof CodedError ? { id: 'message-digest', status: 'indeterminate', ...err.coded } : check('message-digest', 'indeterminate', 'cms.messageDigest.contentUnreadable', { error: (err as Error).message }))
      fail(r, 'indeterminate', 'SIGNED_DATA_NOT_FOUND')
    }
  } else {
    r.checks.push(check('message-digest', 'indeterminate', 'cms.messageDigest.detachedMissing'))
    fail(r, 'indeterminate', 'SIGNED_DATA_NOT_FOUND')
  }
  if (attrs && messageDigest && contentDigest) {
    if (sameBytes(messageDigest, contentDigest)) r.checks.push(check('message-digest', 'passed', 'cms.messageDigest.ok', { alg: r.digestAlg }))
    else {
      r.checks.push(check('message-digest', 'failed', 'cms.messageDigest.mismatch', { alg: r.digestAlg }))
      fail(r, 'broken', 'HASH_FAILURE')
    }
  }

  let signerIdentified = true
  // signing-certificate(-v2): the signed reference must name the certificate used.
  const v2 = attributeValues(attrs, OID_CMS.signingCertificateV2)
  const v1 = attributeValues(attrs, OID_CMS.signingCertificate)
  const refValue = v2[0] ?? v1[0]
  if (refValue) {
    r.hasSigningCertAttr = true
    const ref = readSigningCertRef(refValue, v2[0] ? 2 : 1)
    if (!ref || !ref.hashAlg) {
      r.checks.push(check('signing-certificate', 'failed', 'cms.signingCertificate.unreadable'))
      fail(r, 'broken', 'FORMAT_FAILURE')
    } else if (r.signer) {
      const hashOk = sameBytes(digest(ref.hashAlg, r.signer.der), ref.certHash)
      const serialOk = ref.serialHex === null || (ref.serialHex === r.signer.serialHex && (ref.issuerName === null || sameBytes(ref.issuerName, r.signer.issuerDer)))
      if (hashOk && serialOk) r.checks.push(check('signing-certificate', 'passed', 'cms.signingCertificate.ok', { attribute: `signing-certificate${ref.version === 2 ? '-v2' : ''}` }))
      else {
        r.checks.push(check('signing-certificate', 'failed', 'cms.signingCertificate.mismatch'))
        fail(r, 'indeterminate', 'NO_SIGNING_CERTIFICATE_FOUND')
        signerIdentified = false
      }
    }
  }
  // Signature value.
  if (!r.signer) {
    r.checks.push(check('signature-value', 'indeterminate', 'cms.signatureValue.noCertificate'))
    fail(r, 'indeterminate', 'NO_SIGNING_CERTIFICATE_FOUND')
  } else if (!signerIdentified) {
    r.checks.push(check('signature-value', 'indeterminate', 'cms.signatureValue.signerNotIdentified'))
  } else {
    let data: Uint8Array | undefined
    let digestOfData: Uint8Array | undefined
    if (attrs) data = signedAttributesDer(attrs)
    else if (content.kind === 'bytes') data = content.bytes
    else if (content.kind === 'digest') {
      if (content.bytes) data = await content.bytes().catch(() => undefined)
      if (!data && contentDigest) digestOfData = contentDigest
    }
    if (data || digestOfData) {
      const verified = verifySignature({
        spkiDer: r.signer.spkiDer,
        algorithmOid: si.signatureAlgorithm.algorithmId,
        algorithmParams: si.signatureAlgorithm.algorithmParams,
        digestHint: r.digestAlg,
        ...(data ? { data } : {}),
        ...(digestOfData ? { digestOfData } : {}),
        signature: r.signatureValue,
      })
      if (verified.error) {
        r.checks.push(check('signature-value', 'indeterminate', 'cms.signatureValue.uncheckable', { error: verified.error }))
        fail(r, 'indeterminate', 'FORMAT_FAILURE')
      } else if (verified.ok) r.checks.push(check('signature-value', 'passed', 'cms.signatureValue.ok', { alg: verified.algorithmName }))
      else {
        r.checks.push(check('signature-value', 'failed', 'cms.signatureValue.mismatch', { alg: verified.algorithmName }))
        fail(r, 'broken', 'SIG_CRYPTO_FAILURE')
      }
    }
  }

  return r
}

export interface TimestampVerification {
  time: Date | null
  tsa: string | null
  tsaCertificate: ParsedCertificate | null
  integrity: IntegrityClass
  checks: CheckResult[]
  /** token intact, imprint matches and the TSA certificate verifies the token */
  valid: boolean
  /** why the token is not valid (coded), null when valid */
  message: CodedText | null
  assessment: CertificateAssessment | null
  digestAlg: DigestAlgorithm | null
}

/**
 * RFC 3161 token check: token signature (as a CMS signer over TSTInfo), then the message imprint
 * against `imprintOf` (null: imprint not recomputed, e.g. archive timestamps), then the TSA
 * certificate (purpose timestamp) at the token time.
 */
export async function verifyTimestampToken(
  tokenDer: Uint8Array,
  imprintOf: ((alg: DigestAlgorithm, tokenSigner: pkijs.SignerInfo) => Promise<Uint8Array | null>) | null,
  ctx: VerificationContext,
  extra: { certificates?: readonly ParsedCertificate[]; ocsp?: Uint8Array[]; crls?: Uint8Array[]; label?: string } = {},
): Promise<TimestampVerification> {
  const label = extra.label ?? 'timestamp'
  const out: TimestampVerification = { time: null, tsa: null, tsaCertificate: null, integrity: 'intact', checks: [], valid: false, message: null, assessment: null, digestAlg: null }
  let parsed: ParsedSignedData
  try {
    parsed = parseSignedData(tokenDer)
  } catch (err) {
    out.integrity = 'broken'
    out.message = text('timestamp.unreadable', { label: timestampLabel(label), error: (err as Error).message })
    out.checks.push({ id: label, status: 'failed', ...out.message })
    return out
  }
  if (parsed.eContentType !== OID_CMS.tstInfo || !parsed.eContent) {
    out.integrity = 'broken'
    out.message = text('timestamp.noTstInfo', { label: timestampLabel(label) })
    out.checks.push({ id: label, status: 'failed', ...out.message })
    return out
  }
  let tst: pkijs.TSTInfo
  try {
    tst = pkijs.TSTInfo.fromBER(ab(parsed.eContent))
  } catch {
    out.integrity = 'broken'
    out.message = text('timestamp.tstInfoUnreadable', { label: timestampLabel(label) })
    out.checks.push({ id: label, status: 'failed', ...out.message })
    return out
  }
  out.time = tst.genTime
  const si = parsed.signedData.signerInfos[0]
  if (!si) {
    out.integrity = 'broken'
    out.message = text('timestamp.noSigner', { label: timestampLabel(label) })
    out.checks.push({ id: label, status: 'failed', ...out.message })
    return out
  }
  const certs = [...parsed.certificates, ...(extra.certificates ?? [])]
  const core = await verifySignerCore(si, certs, { kind: 'bytes', bytes: parsed.eContent }, OID_CMS.tstInfo, 'cades')
  out.tsaCertificate = core.signer
  out.tsa = core.signer ? (core.signer.summary.commonName ?? core.signer.summary.subject) : null
  out.integrity = core.integrity
  for (const c of core.checks) out.checks.push({ id: `${label}-${c.id}`, status: c.status, ...text('timestamp.detail', { label: timestampLabel(label), detail: c.code ? ref(c.code, c.params) : ref('text', { text: c.message }) }) })
  // Imprint.
  const imprintAlg = digestFromOid(tst.messageImprint.hashAlgorithm.algorithmId)
  out.digestAlg = imprintAlg
  if (imprintOf) {
    if (!imprintAlg) {
      out.integrity = worstIntegrity([out.integrity, 'broken'])
      out.checks.push(check(`${label}-imprint`, 'failed', 'timestamp.imprint.unknownAlgorithm', { label: timestampLabel(label) }))
    } else {
      const expected = await imprintOf(imprintAlg, si)
      if (expected === null) {
        out.checks.push(check(`${label}-imprint`, 'info', 'timestamp.imprint.notRecomputedKind', { label: timestampLabel(label) }))
      } else if (sameBytes(new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView), expected)) {
        out.checks.push(check(`${label}-imprint`, 'passed', 'timestamp.imprint.ok', { label: timestampLabel(label) }))
      } else {
        out.integrity = 'broken'
        out.checks.push(check(`${label}-imprint`, 'failed', 'timestamp.imprint.mismatch', { label: timestampLabel(label) }))
      }
    }
  } else {
    out.checks.push(check(`${label}-imprint`, 'info', 'timestamp.imprint.notRecomputed', { label: timestampLabel(label) }))
  }
  if (core.signer) {
    out.assessment = await assessSigningCertificate(core.signer.der, certs.map((c) => c.der), { at: tst.genTime, proven: true, purpose: 'timestamp', embeddedOcsp: [...parsed.ocsp, ...(extra.ocsp ?? [])], embeddedCrls: [...parsed.crls, ...(extra.crls ?? [])] }, ctx)
  }
  out.valid = out.integrity === 'intact'
  const why = out.valid ? undefined : out.checks.find((c) => c.status === 'failed' || c.status === 'indeterminate')
  out.message = why ? { message: why.message, code: why.code ?? 'text', params: why.code ? (why.params ?? {}) : { text: why.message } } : null
  return out
}

function readRevocationValues(attrs: pkijs.SignedAndUnsignedAttributes | undefined): { ocsp: Uint8Array[]; crls: Uint8Array[]; certs: Uint8Array[] } {
  const out = { ocsp: [] as Uint8Array[], crls: [] as Uint8Array[], certs: [] as Uint8Array[] }
  for (const v of attributeValues(attrs, OID_CMS.certValues)) {
    if (v instanceof asn1js.Sequence) for (const c of v.valueBlock.value) out.certs.push(encodedBytes(c))
  }
  for (const v of attributeValues(attrs, OID_CMS.revocationValues)) {
    if (!(v instanceof asn1js.Sequence)) continue
    for (const tagged of v.valueBlock.value) {
      const seq = (tagged as asn1js.Constructed).valueBlock?.value?.[0]
      if (!(seq instanceof asn1js.Sequence)) continue
      const target = tagged.idBlock.tagNumber === 0 ? out.crls : tagged.idBlock.tagNumber === 1 ? out.ocsp : null
      if (target) for (const item of seq.valueBlock.value) target.push(encodedBytes(item))
    }
  }
  return out
}

function contentAccessFor(content: CmsContent, parsed: ParsedSignedData): { access: ContentAccess; checks: CheckResult[]; broken: boolean } {
  if ('encapsulated' in content) {
    if (!parsed.eContent) return { access: { kind: 'missing' }, checks: [check('content', 'failed', 'cms.content.detachedNotEncapsulated')], broken: true }
    if (content.expectedContent && !sameBytes(content.expectedContent, parsed.eContent)) {
      return { access: { kind: 'bytes', bytes: parsed.eContent }, checks: [check('message-digest', 'failed', 'cms.encapsulatedDigest.mismatch')], broken: true }
    }
    return { access: { kind: 'bytes', bytes: parsed.eContent }, checks: content.expectedContent ? [check('encapsulated-digest', 'passed', 'cms.encapsulatedDigest.ok')] : [], broken: false }
  }
  if (parsed.eContent) {
    // Content both inside and given: the signature covers the inside one; the caller's copy must match it.
    return { access: { kind: 'bytes', bytes: parsed.eContent }, checks: [check('content', 'info', 'cms.content.encapsulatedUsed')], broken: false }
  }
  return { access: { kind: 'digest', digest: content.digest, ...(content.bytes ? { bytes: content.bytes } : {}) }, checks: [], broken: false }
}

function baseReport(id: string, format: SignatureFormat, coverage: SignatureReport['coverage']): SignatureReport {
  return {
    id,
    format,
    level: null,
    signer: null,
    signingTime: null,
    timestamp: null,
    indication: 'INDETERMINATE',
    subIndication: null,
    integrity: 'intact',
    trust: 'unknown',
    coverage,
    changesAfter: [],
    checks: [],
    chain: [],
    qualification: null,
  }
}

function formatFailureReport(id: string, format: SignatureFormat, coverage: SignatureReport['coverage'], message: CodedText): SignatureReport {
  return { ...baseReport(id, format, coverage), indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', integrity: 'broken', checks: [{ id: 'structure', status: 'failed', ...message }] }
}

interface SignerJob {
  si: pkijs.SignerInfo
  id: string
  access: ContentAccess
  expectContentType: string | null
  isCounter: boolean
}

export async function verifyCmsSignatures(cmsDer: Uint8Array, content: CmsContent, ctx: VerificationContext, opts: VerifyCmsOptions = {}): Promise<SignatureReport[]> {
  const idPrefix = opts.idPrefix ?? 'signature-1'
  const coverage = opts.coverage ?? coverageText('whole', 'cms.coverage.signedContent')
  let parsed: ParsedSignedData
  try {
    parsed = parseSignedData(cmsDer)
  } catch (err) {
    return [formatFailureReport(idPrefix, opts.format ?? 'CMS', coverage, text('cms.structure.unreadable', { error: (err as Error).message }))]
  }
  if (parsed.signedData.signerInfos.length === 0) return [formatFailureReport(idPrefix, opts.format ?? 'CMS', coverage, text('cms.structure.noSigner'))]
  const isDocTimestamp = parsed.eContentType === OID_CMS.tstInfo
  if (isDocTimestamp && !('encapsulated' in content)) return [await verifyDocumentTimestamp(cmsDer, content.digest, ctx, opts, idPrefix, coverage)]

  const { access, checks: contentChecks, broken: contentBroken } = contentAccessFor(content, parsed)
  const extraCerts = (opts.extraCertificates ?? []).map(tryParseCertificate).filter((c): c is ParsedCertificate => c !== null)

  const jobs: SignerJob[] = parsed.signedData.signerInfos.map((si, i) => ({ si, id: i === 0 ? idPrefix : `${idPrefix}-${i + 1}`, access, expectContentType: parsed.eContentType, isCounter: false }))
  const reports: SignatureReport[] = []
  for (let j = 0; j < jobs.length && j < 64; j++) {
    const job = jobs[j]!
    const { si } = job
    const unsigned = si.unsignedAttrs
    const lt = readRevocationValues(unsigned)
    const ltCerts = lt.certs.map(tryParseCertificate).filter((c): c is ParsedCertificate => c !== null)
    const certs = [...parsed.certificates, ...extraCerts, ...ltCerts]
    const ocsp = [...parsed.ocsp, ...lt.ocsp, ...(opts.embeddedOcsp ?? [])]
    const crls = [...parsed.crls, ...lt.crls, ...(opts.embeddedCrls ?? [])]
    const core = await verifySignerCore(si, certs, job.access, job.expectContentType, opts.profile)
    const report = baseReport(job.id, opts.format ?? (core.hasSigningCertAttr ? 'CAdES' : 'CMS'), job.isCounter ? coverageText('element', 'cms.coverage.counterSignature', { id: job.id.replace(/\.counter-\d+$/, '') }) : coverage)
    report.checks.push(...(job.isCounter ? [] : contentChecks), ...core.checks)
    let integrity = core.integrity
    let sub = core.sub
    if (contentBroken && !job.isCounter) {
      integrity = 'broken'
      sub = sub && indicationFor(sub) === 'TOTAL_FAILED' ? sub : 'HASH_FAILURE'
    }
    report.signer = core.signer?.summary ?? null
    report.signingTime = core.signingTime?.toISOString() ?? null

    // Content timestamps (signed): imprint over the signed content.
    for (const tokenValue of attributeValues(si.signedAttrs, OID_CMS.contentTimestamp)) {
      const ts = await verifyTimestampToken(encodedBytes(tokenValue), job.access.kind === 'bytes' ? async (alg) => digest(alg, (job.access as { bytes: Uint8Array }).bytes) : job.access.kind === 'digest' ? job.access.digest : null, ctx, { certificates: certs, ocsp, crls, label: 'content timestamp' })
      report.checks.push(...ts.checks)
      integrity = worstIntegrity([integrity, ts.integrity])
    }

    // Signature timestamps (unsigned): imprint over the SignatureValue octets.
    const sigTimestamps: TimestampVerification[] = []
    for (const tokenValue of attributeValues(unsigned, OID_CMS.signatureTimestamp)) {
      const ts = await verifyTimestampToken(encodedBytes(tokenValue), async (alg) => digest(alg, core.signatureValue), ctx, { certificates: certs, ocsp, crls, label: 'signature timestamp' })
      sigTimestamps.push(ts)
      report.checks.push(...ts.checks)
      integrity = worstIntegrity([integrity, ts.integrity])
      if (ts.integrity === 'broken' && (sub === null || indicationFor(sub) !== 'TOTAL_FAILED')) sub = 'FORMAT_FAILURE'
      else if (ts.integrity === 'indeterminate' && sub === null) sub = 'NO_POE'
    }
    const archive = ARCHIVE_TIMESTAMP_OIDS.flatMap((oid) => attributeValues(unsigned, oid).map((value) => ({ oid, value })))
    const signerFields = job.isCounter ? null : (parsed.raw.signerInfoFields[parsed.signedData.signerInfos.indexOf(si)] ?? null)
    for (const { oid, value: tokenValue } of archive) {
      // ATSv3 (EN 319 122-1 5.5.3): H(eContentType || H(content) || SignerInfo fields || ATSHashIndexV3)
      const imprintOf =
        oid === OID_CMS.archiveTimestampV3 && parsed.raw.eContentType && signerFields
          ? async (alg: DigestAlgorithm, tokenSigner: pkijs.SignerInfo) => {
              // ats-hash-index-v3 (EN 319 122-1), or ats-hash-index of TS 101 733 v2.2.1 signatures
              const index = attributeValues(tokenSigner.unsignedAttrs, OID_CMS.atsHashIndexV3)[0] ?? attributeValues(tokenSigner.unsignedAttrs, OID_CMS.atsHashIndex)[0]
              if (!index) return null
              const contentHash = job.access.kind === 'bytes' ? digest(alg, job.access.bytes) : job.access.kind === 'digest' ? await job.access.digest(alg) : null
              if (!contentHash) return null
              return digest(alg, parsed.raw.eContentType!, contentHash, signerFields, encodedBytes(index))
            }
          : null
      const ts = await verifyTimestampToken(encodedBytes(tokenValue), imprintOf, ctx, { certificates: certs, ocsp, crls, label: 'archive timestamp' })
      report.checks.push(...ts.checks)
      integrity = worstIntegrity([integrity, ts.integrity])
      if (ts.integrity === 'broken' && (sub === null || indicationFor(sub) !== 'TOTAL_FAILED')) sub = 'FORMAT_FAILURE'
    }
    const validTs = sigTimestamps.filter((t) => t.valid && t.time).sort((a, b) => a.time!.getTime() - b.time!.getTime())
    const shown = validTs[0] ?? sigTimestamps[0]
    if (shown) report.timestamp = timestampSummary(shown)

    // Claimed time vs timestamp.
    const now = ctx.now()
    const bestTime = validTs[0]?.time ?? now
    if (core.signingTime && validTs[0]?.time) {
      const skew = ctx.policy.checks.timestampCoherence.maxClockSkewMinutes * 60_000
      if (core.signingTime.getTime() > validTs[0].time.getTime() + skew) {
        const level = ctx.policy.checks.timestampCoherence.level
        if (level !== 'IGNORE') report.checks.push(check('timestamp-coherence', level === 'FAIL' ? 'failed' : 'warning', 'signingTime.afterTimestamp', { claimed: core.signingTime.toISOString(), timestamp: validTs[0].time.toISOString() }))
        if (level === 'FAIL' && sub === null) sub = 'TIMESTAMP_ORDER_FAILURE'
      }
    }
    if (core.signingTime && core.signingTime.getTime() > now.getTime() + 5 * 60_000) report.checks.push(check('signing-time', 'warning', 'signingTime.future', { claimed: core.signingTime.toISOString() }))

    // Digest algorithm under the dated policy.
    if (core.digestAlg) {
      const v = checkDigestAlgorithm(ctx.policy, core.digestAlg, bestTime)
      report.checks.push(check('crypto-constraints', v.accepted ? 'passed' : 'failed', 'crypto.signatureDigest', { reason: v.reasonRef }))
      if (!v.accepted && sub === null) sub = validTs.length === 0 ? 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' : 'CRYPTO_CONSTRAINTS_FAILURE'
    }

    // Level.
    if (core.hasSigningCertAttr && !job.isCounter) {
      const hasT = validTs.length > 0 || sigTimestamps.length > 0
      const hasLt = attributeCount(unsigned, OID_CMS.certValues) > 0 && attributeCount(unsigned, OID_CMS.revocationValues) > 0
      report.level = archive.length > 0 && hasT ? 'B-LTA' : hasLt && hasT ? 'B-LT' : hasT ? 'B-T' : 'B-B'
    }

    // Certificate assessment.
    if (core.signer) {
      const a = await assessSigningCertificate(core.signer.der, certs.map((c) => c.der), { at: bestTime, proven: validTs.length > 0, embeddedOcsp: ocsp, embeddedCrls: crls }, ctx)
      report.chain = a.chain
      report.trust = a.trust
      report.qualification = a.qualification
      report.checks.push(...a.checks)
      if (sub === null) sub = a.subIndication
    } else report.trust = 'unknown'

    report.integrity = integrity
    report.subIndication = sub
    report.indication = indicationFor(sub)
    reports.push(report)

    // Counter-signatures: each signs this signer's SignatureValue.
    const counters = attributeValues(unsigned, OID_CMS.counterSignature)
    counters.forEach((value, k) => {
      try {
        const csi = new pkijs.SignerInfo({ schema: value })
        jobs.push({ si: csi, id: `${job.id}.counter-${k + 1}`, access: { kind: 'bytes', bytes: core.signatureValue }, expectContentType: null, isCounter: true })
      } catch {
        reports.push(formatFailureReport(`${job.id}.counter-${k + 1}`, 'CMS', coverageText('element', 'cms.coverage.counterSignatureOf', { id: job.id }), text('cms.structure.counterSignatureUnreadable')))
      }
    })
  }
  return reports
}

/** A document timestamp (PDF /SubFilter ETSI.RFC3161): the token's imprint is over the signed bytes. */
async function verifyDocumentTimestamp(
  tokenDer: Uint8Array,
  contentDigest: (alg: DigestAlgorithm) => Promise<Uint8Array>,
  ctx: VerificationContext,
  opts: VerifyCmsOptions,
  id: string,
  coverage: SignatureReport['coverage'],
): Promise<SignatureReport> {
  const extraCerts = (opts.extraCertificates ?? []).map(tryParseCertificate).filter((c): c is ParsedCertificate => c !== null)
  const ts = await verifyTimestampToken(tokenDer, contentDigest, ctx, { certificates: extraCerts, ocsp: opts.embeddedOcsp ?? [], crls: opts.embeddedCrls ?? [], label: 'document timestamp' })
  const report = baseReport(id, opts.format ?? 'PDF-DocTimeStamp', coverage)
  report.checks.push(...ts.checks)
  report.integrity = ts.integrity
  report.signer = ts.tsaCertificate?.summary ?? null
  report.signingTime = ts.time?.toISOString() ?? null
  report.timestamp = ts.time ? timestampSummary(ts) : null
  let sub: SubIndication | null = null
  if (ts.integrity === 'broken') sub = ts.checks.some((c) => c.id.endsWith('imprint') && c.status === 'failed') || ts.checks.some((c) => c.id.endsWith('message-digest') && c.status === 'failed') ? 'HASH_FAILURE' : ts.checks.some((c) => c.id.endsWith('signature-value') && c.status === 'failed') ? 'SIG_CRYPTO_FAILURE' : 'FORMAT_FAILURE'
  else if (ts.integrity === 'indeterminate') sub = 'NO_SIGNING_CERTIFICATE_FOUND'
  if (ts.assessment) {
    report.chain = ts.assessment.chain
    report.trust = ts.assessment.trust
    report.qualification = ts.assessment.qualification
    report.checks.push(...ts.assessment.checks)
    if (sub === null) sub = ts.assessment.subIndication
  }
  if (ts.digestAlg && ts.time) {
    const v = checkDigestAlgorithm(ctx.policy, ts.digestAlg, ctx.now())
    report.checks.push(check('crypto-constraints', v.accepted ? 'passed' : 'failed', 'crypto.timestampImprint', { reason: v.reasonRef }))
    if (!v.accepted && sub === null) sub = 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  }
  report.subIndication = sub
  report.indication = indicationFor(sub)
  return report
}

/** The report's timestamp entry, its message coded. */
export function timestampSummary(ts: TimestampVerification): NonNullable<SignatureReport['timestamp']> {
  return {
    time: ts.time?.toISOString() ?? '',
    tsa: ts.tsa,
    valid: ts.valid,
    message: ts.message?.message ?? null,
    ...(ts.message ? { code: ts.message.code, ...(ts.message.params ? { params: ts.message.params } : {}) } : {}),
  }
}

/** 'signature timestamp', 'archive timestamp', 'signature timestamp 2', ... as a coded text. */
export function timestampLabel(label: string): MessageRef {
  const m = /^(?:(content|signature|archive|document) )?timestamp(?: (\d+))?$/.exec(label)
  if (!m) return ref('text', { text: label })
  const kind = m[1] ?? 'plain'
  return m[2] ? ref(`timestamp.label.${kind}N`, { n: Number(m[2]) }) : ref(`timestamp.label.${kind}`)
}

export { nodeHashName }
