/**
 * XML file verification: XMLDSig / XAdES enveloped, enveloping and detached, PES V2 (one signature
 * per bordereau). The file is parsed once; each signature is checked on that DOM (references,
 * signature value, signer binding), then the file-level scope is decided: whole document, some
 * bordereaux of a PES, or only part of the document (signature wrapping: partial).
 */
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path'
import type { Element } from '@xmldom/xmldom'
import type { CertificateSummary, IntegrityClass, SignatureReport, ValidationReport } from '../../../../shared/model/validation'
import { fileIntegrity, fileTrust, worstIntegrity } from '../aggregate'
import { digest } from '../algorithms'
import { tryParseCertificate, type ParsedCertificate } from '../certificate'
import { timestampLabel, timestampSummary, verifyTimestampToken, type TimestampVerification } from '../cms/verify-cms'
import { check, coverage as coverageText, FileMessages, ref, text } from '../texts'
import { assessSigningCertificate, indicationFor, type CertificateAssessment } from '../certificate-assessment'
import { summarize } from '../certificate'
import type { VerificationContext } from '../context'
import type { FormatVerification } from '../registry'
import { MAX_XML_BYTES, NS_DSIG, XmlInputError, describeElement, descendantsNS, indexIds, isAncestorOrSelf, parseXmlBytes, type IdIndex, type LoadedXml } from './dom'
import type { ExternalData } from './references'
import { verifyXmlSignature, type XmlSignatureResult } from './verify-signature'

export interface XmlVerifyOptions {
  /** detached content given by the user (`--content`) */
  content?: string
  /** HMAC shared secret, when the user has one */
  hmacKey?: Uint8Array
}


/**
 * Detached data: the file the user gave (`--content`) when its name matches the URI or the URI cannot
 * be read otherwise (a remote URI, a missing local file); else a file in the signature's folder, never
 * outside it; never the network.
 */
export function fileResolver(xmlPath: string, content?: string): (uri: string) => Promise<ExternalData> {
  const dir = dirname(xmlPath)
  const readFileData = async (path: string): Promise<ExternalData | null> => {
    try {
      const s = await stat(path)
      if (!s.isFile()) return { unavailable: text('xml.external.notAFile', { file: basename(path) }) }
      return { bytes: await readFile(path), label: basename(path) }
    } catch {
      return null
    }
  }
  return async (uri: string) => {
    const given = content ? async (): Promise<ExternalData> => (await readFileData(content)) ?? { unavailable: text('xml.external.contentUnreadable', { path: content }) } : null
    if (given && basename(decodeURIComponentSafe(uri.split('#')[0] ?? '')) === basename(content!)) return given()
    if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) return given ? given() : { unavailable: text('xml.external.notFetched') }
    const rel = decodeURIComponentSafe(uri.split('#')[0] ?? '')
    const candidate = normalize(join(dir, rel))
    if (!rel || isAbsolute(rel) || !(candidate + sep).startsWith(normalize(dir) + sep) || candidate === normalize(dir)) {
      return given ? given() : { unavailable: text('xml.external.outsideFolder', { uri }) }
    }
    const local = await readFileData(candidate)
    if (local) return local
    return given ? given() : { unavailable: text('xml.external.notFound', { uri }) }
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** Every ds:Signature of the document, each checked against the one parsed DOM. */
export async function verifyDocumentSignatures(
  xml: LoadedXml,
  resolveExternal: (uri: string) => Promise<ExternalData>,
  hmacKey?: Uint8Array,
  ids: IdIndex = indexIds(xml.doc),
): Promise<XmlSignatureResult[]> {
  const root = xml.doc.documentElement!
  const signatures = [...(root.namespaceURI === NS_DSIG && root.localName === 'Signature' ? [root] : []), ...descendantsNS(root, (ns) => ns === NS_DSIG, 'Signature')]
  const results: XmlSignatureResult[] = []
  for (const sig of signatures) {
    results.push(await verifyXmlSignature(sig, { env: { doc: xml.doc, ids, resolveExternal }, hmacKey }))
  }
  return results
}

/** one verification's certificate assessments (judged at the same validation time) */
export type AssessmentCache = Map<string, Promise<CertificateAssessment>>
/** signer summaries per assessment cache (same lifetime: one verification) */
const summaryCaches = new WeakMap<AssessmentCache, Map<string, CertificateSummary>>()

/** Turns a checked signature into the report model, with the certificate assessment. */
export async function toSignatureReport(
  r: XmlSignatureResult,
  coverage: SignatureReport['coverage'],
  signatureIntegrity: IntegrityClass,
  ctx: VerificationContext,
  extraChecks: SignatureReport['checks'] = [],
  assessments: AssessmentCache = new Map(),
): Promise<SignatureReport> {
  const checks = [...r.checks, ...extraChecks]
  let integrity = signatureIntegrity
  let signer: SignatureReport['signer'] = null
  let chain: SignatureReport['chain'] = []
  let trust: SignatureReport['trust'] = 'unknown'
  let qualification: string | null = null
  let sub = integrity === 'broken' || integrity === 'indeterminate' ? r.subIndication : null
  const summaries = summaryCaches.get(assessments) ?? new Map<string, CertificateSummary>()
  summaryCaches.set(assessments, summaries)
  if (r.signerCertDer) {
    try {
      const id = `summary:${createHash('sha256').update(r.signerCertDer).digest('hex')}`
      let summary = summaries.get(id)
      if (!summary) {
        summary = summarize(r.signerCertDer)
        summaries.set(id, summary)
      }
      signer = summary
    } catch {
      checks.push(check('signing-certificate', 'failed', 'certificate.unreadable'))
    }
  }
  // XAdES SignatureTimeStamp: the token's imprint is over the canonicalized ds:SignatureValue element.
  const timestamps: TimestampVerification[] = []
  for (const [i, token] of r.signatureTimestamps.entries()) {
    const canonical = r.canonicalSignatureValue(token.canonicalizationMethod)
    const label = r.signatureTimestamps.length > 1 ? `signature timestamp ${i + 1}` : 'signature timestamp'
    if (!canonical) {
      checks.push(check(label, 'indeterminate', 'xml.timestamp.canonicalizationUnsupported', { label: timestampLabel(label), method: token.canonicalizationMethod }))
      continue
    }
    const ts = await verifyTimestampToken(token.der, async (alg) => digest(alg, canonical), ctx, {
      certificates: r.otherCertsDer.map(tryParseCertificate).filter((c): c is ParsedCertificate => c !== null),
      ocsp: r.embeddedOcspDer,
      crls: r.embeddedCrlDer,
      label,
    })
    timestamps.push(ts)
    checks.push(...ts.checks)
    if (ts.integrity === 'broken') {
      integrity = worstIntegrity([integrity, 'broken'])
      if (sub === null || indicationFor(sub) !== 'TOTAL_FAILED') sub = 'FORMAT_FAILURE'
    }
  }
  const validTs = timestamps.filter((t) => t.valid && t.time).sort((a, b) => a.time!.getTime() - b.time!.getTime())
  const shownTs = validTs[0] ?? timestamps[0]
  const timestamp: SignatureReport['timestamp'] = shownTs ? timestampSummary(shownTs) : null
  const provenTime = validTs[0]?.time ?? null
  if (provenTime && r.signingTime) {
    const skew = ctx.policy.checks.timestampCoherence.maxClockSkewMinutes * 60_000
    const level = ctx.policy.checks.timestampCoherence.level
    if (new Date(r.signingTime).getTime() > provenTime.getTime() + skew && level !== 'IGNORE') {
      checks.push(check('timestamp-coherence', level === 'FAIL' ? 'failed' : 'warning', 'signingTime.afterTimestamp', { claimed: r.signingTime, timestamp: provenTime.toISOString() }))
      if (level === 'FAIL' && sub === null) sub = 'TIMESTAMP_ORDER_FAILURE'
    }
  }

  if (r.signerCertDer && signer && integrity !== 'broken') {
    const at = provenTime ?? ctx.now()
    // A PES carries the same signer on hundreds of bordereaux: assess each distinct input once.
    const key = [r.signerCertDer, ...r.otherCertsDer, ...r.embeddedOcspDer, ...r.embeddedCrlDer]
      .map((d) => createHash('sha256').update(d).digest('hex'))
      .join(':') + `@${provenTime?.toISOString() ?? 'now'}`
    let pending = assessments.get(key)
    if (!pending) {
      pending = assessSigningCertificate(r.signerCertDer, r.otherCertsDer, { at, proven: provenTime !== null, embeddedOcsp: r.embeddedOcspDer, embeddedCrls: r.embeddedCrlDer }, ctx)
      assessments.set(key, pending)
    }
    const assessment = await pending
    checks.push(...assessment.checks)
    chain = assessment.chain
    trust = assessment.trust
    qualification = assessment.qualification
    sub ??= assessment.subIndication
    if (!r.signerBound && !sub) sub = 'NO_SIGNING_CERTIFICATE_FOUND'
  } else if (!r.signerCertDer && integrity !== 'broken') {
    sub ??= 'NO_SIGNING_CERTIFICATE_FOUND'
  }
  if (integrity === 'partial' && !sub) sub = 'GENERIC'
  return {
    id: r.id,
    format: r.format,
    level: r.format === 'XAdES' ? (validTs.length > 0 ? 'B-T' : 'B-B') : null,
    signer,
    signingTime: r.signingTime,
    timestamp,
    indication: indicationFor(sub),
    subIndication: sub,
    integrity,
    trust,
    coverage,
    changesAfter: [],
    checks,
    chain,
    qualification,
  }
}

function isPes(root: Element): boolean {
  return /^PES_/.test(root.localName ?? '')
}

interface Scoped {
  result: XmlSignatureResult
  coverage: SignatureReport['coverage']
  integrity: IntegrityClass
  extra: SignatureReport['checks']
}

const RANK: IntegrityClass[] = ['broken', 'modified', 'partial', 'indeterminate', 'intact']
const worse = (a: IntegrityClass, b: IntegrityClass): IntegrityClass => (RANK.indexOf(a) <= RANK.indexOf(b) ? a : b)

/** File-level scope of each signature over a standalone XML document. */
export function scopeSignatures(xml: LoadedXml, results: XmlSignatureResult[]): { scoped: Scoped[]; fileIntegrity: IntegrityClass | undefined; messages: FileMessages } {
  const root = xml.doc.documentElement!
  const messages = new FileMessages()
  const scoped: Scoped[] = []
  if (isPes(root)) {
    const bordereaux = descendantsNS(root, () => true, 'Bordereau')
    const signedBordereaux = new Set<Element>()
    let wholeFile = false
    for (const r of results) {
      const extra: SignatureReport['checks'] = []
      let integrity = r.integrity
      let coverage: SignatureReport['coverage']
      const parent = r.element.parentNode as Element | null
      const dataTargets = r.signedElements
      if (r.signsWholeDocument) {
        coverage = coverageText('whole', 'pes.coverage.wholeFile')
        if (integrity === 'intact') wholeFile = true
      } else if (parent && parent.localName === 'Bordereau') {
        const index = bordereaux.indexOf(parent) + 1
        const name = parent.getAttribute('Id') || `#${index}`
        if (dataTargets.length === 1 && dataTargets[0] === parent) {
          coverage = coverageText('element', 'pes.coverage.bordereau', { name, index, of: bordereaux.length })
          if (integrity === 'intact' || integrity === 'partial') signedBordereaux.add(parent)
        } else {
          coverage = coverageText('unknown', 'pes.coverage.notItsBordereau', { name })
          extra.push(
            dataTargets.length
              ? check('scope', 'failed', 'pes.scope.wrapping', { name, targets: dataTargets.map(describeElement).join(', ') })
              : check('scope', 'failed', 'pes.scope.wrappingNothing', { name }),
          )
          integrity = 'broken'
        }
      } else {
        coverage = dataTargets.length ? coverageText('partial', 'pes.coverage.over', { targets: dataTargets.map(describeElement).join(', ') }) : coverageText('partial', 'pes.coverage.overNothing')
        integrity = worse(integrity, 'partial')
      }
      scoped.push({ result: r, coverage, integrity, extra })
    }
    let fileLevel: IntegrityClass | undefined
    if (results.length > 0 && !wholeFile) {
      const unsigned = bordereaux.filter((b) => !signedBordereaux.has(b))
      if (unsigned.length > 0 && signedBordereaux.size > 0) {
        messages.add('pes.file.unsignedBordereaux', { count: unsigned.length, of: bordereaux.length, ids: unsigned.slice(0, 10).map((b) => b.getAttribute('Id') || '?').join(', ') })
        fileLevel = 'partial'
      }
    }
    return { scoped, fileIntegrity: fileLevel, messages }
  }

  const rootIsSignature = root.namespaceURI === NS_DSIG && root.localName === 'Signature'
  const wholeCovered = results.some((r) => r.signsWholeDocument && (r.integrity === 'intact' || r.integrity === 'partial'))
  for (const r of results) {
    const extra: SignatureReport['checks'] = []
    let integrity = r.integrity
    let coverage: SignatureReport['coverage']
    if (r.signsWholeDocument) coverage = coverageText('whole', 'xml.coverage.wholeDocument')
    else if (rootIsSignature && r.element === root) {
      const parts = [...(r.externalTargets.length ? [ref('xml.coverage.detachedContent', { targets: r.externalTargets.join(', ') })] : []), ...(r.references.some((x) => x.targetKind === 'element') ? [ref('xml.coverage.envelopedData')] : [])]
      coverage = parts.length ? coverageText('whole', 'xml.coverage.parts', { parts }) : coverageText('whole', 'xml.coverage.nothingResolved')
    } else if (wholeCovered) {
      const named = r.signedElements.map(describeElement).join(', ') || r.externalTargets.join(', ')
      coverage = named ? coverageText('element', 'xml.coverage.signs', { what: named }) : coverageText('element', 'xml.coverage.ownPropertiesOnly')
    } else {
      const named = r.signedElements.map(describeElement).join(', ') || r.externalTargets.join(', ')
      const what = named ? named : ref('xml.coverage.nothingOutside')
      coverage = coverageText('partial', 'xml.coverage.signsOnly', { what, root: describeElement(root) })
      extra.push(check('scope', 'failed', 'xml.scope.notWhatWasSigned', { what, root: describeElement(root) }))
      integrity = worse(integrity, 'partial')
    }
    // A signed element hidden inside another signature's objects is not what a reader sees.
    for (const t of r.signedElements) {
      const holder = results.find((o) => o !== r && isAncestorOrSelf(o.element, t))
      if (holder) {
        extra.push(check('scope', 'failed', 'xml.scope.insideAnotherSignature', { element: describeElement(t) }))
        integrity = worse(integrity, 'partial')
      }
    }
    scoped.push({ result: r, coverage, integrity, extra })
  }
  return { scoped, fileIntegrity: undefined, messages }
}

/** Verifies an XML file already read (the registry entry point and the CLI share it). */
export async function verifyXmlFile(path: string, ctx: VerificationContext, opts: XmlVerifyOptions = {}): Promise<FormatVerification> {
  const size = (await stat(path)).size
  if (size > MAX_XML_BYTES) {
    return { fileType: 'xml', signatures: [], ...FileMessages.of('xml.file.tooLarge', { file: basename(path), mb: MAX_XML_BYTES / 1024 / 1024 }).fields(), integrity: 'indeterminate' }
  }
  const bytes = await readFile(path)
  let xml: LoadedXml
  try {
    xml = parseXmlBytes(bytes)
  } catch (e) {
    const refused = e instanceof XmlInputError && e.refused
    const looksSigned = /xmldsig#|<(\w+:)?Signature[\s>]/.test(bytes.subarray(0, 4 * 1024 * 1024).toString('latin1'))
    return {
      fileType: 'xml',
      signatures: [],
      // the parser's reason (line, column, character) is a technical detail kept in English
      ...FileMessages.of('file.error', { file: basename(path), error: (e as Error).message }).fields(),
      integrity: refused ? 'indeterminate' : looksSigned ? 'broken' : 'indeterminate',
    }
  }
  const ids = indexIds(xml.doc)
  const results = await verifyDocumentSignatures(xml, fileResolver(path, opts.content), opts.hmacKey, ids)
  const root = xml.doc.documentElement!
  const fileType = isPes(root) ? 'pes' : 'xml'
  if (results.length === 0) return { fileType, signatures: [], ...FileMessages.of('xml.file.noSignature', { file: basename(path) }).fields() }
  const { scoped, fileIntegrity: level, messages } = scopeSignatures(xml, results)
  if (ids.duplicates.length > 0) {
    // Not signed, so not an integrity failure by itself; a reader looking elements up by Id may be misled.
    messages.add('xml.file.duplicateIds', { ids: ids.duplicates.slice(0, 5).map((d) => `"${d}"`).join(', ') })
  }
  const signatures: SignatureReport[] = []
  const assessments: AssessmentCache = new Map()
  for (const s of scoped) signatures.push(await toSignatureReport(s.result, s.coverage, s.integrity, ctx, s.extra, assessments))
  if (results.some((r) => r.references.some((x) => x.status === 'unavailable' && x.targetKind === 'external'))) {
    messages.add('xml.file.externalUnavailable')
  }
  return { fileType, signatures, ...messages.fields(), ...(level ? { integrity: level } : {}) }
}

/** `verifyXml(path, ctx)`: the full report for one XML / PES file. */
export async function verifyXml(path: string, ctx: VerificationContext, opts: XmlVerifyOptions = {}): Promise<ValidationReport> {
  const result = await verifyXmlFile(path, ctx, opts)
  return {
    file: path,
    fileType: result.fileType,
    integrity: fileIntegrity(result.signatures, result.integrity),
    trust: fileTrust(result.signatures),
    signatures: result.signatures,
    messages: result.messages,
    ...(result.messageRefs ? { messageRefs: result.messageRefs } : {}),
    validationTime: ctx.now().toISOString(),
  }
}
