/**
 * PDF signature verification: every signature field and document timestamp (any SubFilter),
 * ByteRange sanity, signed bytes hashed by streaming positioned reads (the file is never loaded
 * whole), the CMS checked by the shared CMS verifier, the revisions listed, and every change made
 * after each signature classified as allowed or not. Hostile files always get a verdict.
 */
import { basename } from 'node:path'
import type { Change, IntegrityClass, SignatureFormat, SignatureReport, ValidationReport } from '../../../../shared/model/validation'
import { PdfDict, PdfRef, PdfStream, PdfString, type PdfObject } from '../../pdf/objects'
import { PdfReader, type PdfRevision, type PdfView } from '../../pdf/reader'
import { FileByteSource } from '../../pdf/source'
import { fileIntegrity, fileTrust, worstIntegrity } from '../aggregate'
import { createDigest, type DigestAlgorithm } from '../algorithms'
import { verifyCmsSignatures, type CmsContent } from '../cms/verify-cms'
import type { VerificationContext } from '../context'
import type { FormatVerification, FormatVerifyOptions } from '../registry'
import { analyseChanges, docMdpOf, type DetectedChange, type FieldLock, type ModificationPolicy } from './changes'
import { mapDocument, type DocumentMap } from './document-map'
import type { FoundSignature } from './signatures'
import { listPdfSignatures, type ListedSignature } from './signature-list'
import { parsePdfDate } from './pdf-date'
import { indicationFor } from '../certificate-assessment'
import { copyPrefixAtomic } from '../../files/atomic-write'
import { check, coverage as coverageText, FileMessages, ref, refOf, text, type CodedText } from '../texts'

const HASH_CHUNK = 4 * 1024 * 1024
const MAX_DSS_ITEMS = 2000

export class PdfExtractError extends Error {
  override name = 'PdfExtractError'
}

export function detectPdf(head: Buffer): boolean {
  return head.subarray(0, 1024).includes('%PDF-')
}

/** Verifies every signature of a PDF file and returns the file-level report. */
export async function verifyPdf(path: string, ctx: VerificationContext, opts: FormatVerifyOptions = {}): Promise<ValidationReport> {
  const validationTime = ctx.now().toISOString()
  const r = await verifyPdfFormat(path, opts, ctx)
  return {
    file: path,
    fileType: r.fileType,
    integrity: fileIntegrity(r.signatures, r.integrity),
    trust: fileTrust(r.signatures),
    signatures: r.signatures,
    messages: r.messages,
    ...(r.messageRefs ? { messageRefs: r.messageRefs } : {}),
    validationTime,
  }
}

/** The registry entry point (see ../registry.ts). */
export async function verifyPdfFormat(path: string, opts: FormatVerifyOptions, ctx: VerificationContext): Promise<FormatVerification> {
  const reader = await PdfReader.open(path)
  try {
    const result = await new PdfVerification(reader, ctx).run()
    if (opts.extractTo && result.signatures.length > 0) {
      await extractSignedRevision(path, 0, opts.extractTo, { overwrite: opts.overwrite ?? false })
      result.extracted = opts.extractTo
      const written = text('pdf.file.revisionExtracted', { path: opts.extractTo })
      result.messages.push(written.message)
      result.messageRefs = [...(result.messageRefs ?? result.messages.slice(0, -1).map(() => null)), refOf(written)]
    }
    return result
  } finally {
    await reader.close()
  }
}

type SignatureEntry = ListedSignature

class PdfVerification {
  private finalMap: Promise<DocumentMap> | null = null
  private revisions: PdfRevision[] = []
  private finalView!: PdfView

  constructor(
    private readonly reader: PdfReader,
    private readonly ctx: VerificationContext,
  ) {}

  async run(): Promise<FormatVerification> {
    const reader = this.reader
    const messages = new FileMessages()
    this.revisions = await reader.revisions()
    this.finalView = await reader.view()
    // also adds to this.revisions those that signatures end on but the xref chain does not list
    const entries: SignatureEntry[] = await listPdfSignatures(reader, this.finalView)
    const n = this.revisions.length
    if (n === 0) messages.add('pdf.file.noRevision')
    else messages.add(n > 1 ? 'pdf.file.revisions' : 'pdf.file.revisionOne', { count: n, ends: this.revisions.map((r) => ref('pdf.file.revisionEnd', { index: r.index, end: r.end })) })
    // the reader's structure notes are technical English details, shown as a parameter
    for (const p of new Set(this.finalView.problems)) messages.add('pdf.file.structure', { problem: p })
    const tail = await this.trailingData()
    if (tail) messages.push(tail)
    if (entries.length === 0) return { fileType: 'pdf', signatures: [], ...messages.fields() }

    const dss = await this.dssMaterial()
    const signatures: SignatureReport[] = []
    for (let i = 0; i < entries.length; i++) {
      const reports = await this.verifyOne(entries, i, dss, tail)
      signatures.push(...reports)
    }
    return { fileType: 'pdf', signatures, ...messages.fields() }
  }

  /** Bytes after the last revision end that are not whitespace: unexplained content. */
  private async trailingData(): Promise<CodedText | null> {
    const last = this.revisions[this.revisions.length - 1]
    const from = last ? last.end : 0
    if (!last || from >= this.reader.size) return null
    const len = this.reader.size - from
    const probe = await this.reader.read(from, Math.min(len, 64 * 1024))
    if (len <= probe.length && /^[\s\0]*$/.test(probe.toString('latin1'))) return null
    return text('pdf.file.trailingData', { count: len })
  }

  private finalDocumentMap(): Promise<DocumentMap> {
    this.finalMap ??= mapDocument(this.finalView)
    return this.finalMap
  }

  /** Certificates, OCSP responses and CRLs of the document security store (PAdES B-LT/LTA). */
  private async dssMaterial(): Promise<{ certs: Uint8Array[]; ocsp: Uint8Array[]; crls: Uint8Array[] }> {
    const out = { certs: [] as Uint8Array[], ocsp: [] as Uint8Array[], crls: [] as Uint8Array[] }
    try {
      const v = this.finalView
      const dss = await v.dict((await v.catalog())?.get('DSS'))
      if (!dss) return out
      const read = async (key: string, into: Uint8Array[]): Promise<void> => {
        for (const item of ((await v.array(dss.get(key))) ?? []).slice(0, MAX_DSS_ITEMS)) {
          const s = await v.resolve(item)
          if (s instanceof PdfStream) {
            try {
              into.push(await v.streamBytes(s, true))
            } catch {
              /* unreadable item: ignored, the CMS verifier reports what is missing */
            }
          }
        }
      }
      await read('Certs', out.certs)
      await read('OCSPs', out.ocsp)
      await read('CRLs', out.crls)
    } catch {
      /* damaged DSS: verification goes on without it */
    }
    return out
  }

  private async verifyOne(entries: SignatureEntry[], index: number, dss: { certs: Uint8Array[]; ocsp: Uint8Array[]; crls: Uint8Array[] }, tail: CodedText | null): Promise<SignatureReport[]> {
    const { id, found, br } = entries[index]!
    const dict = found.dict
    const subFilter = dict.name('SubFilter') ?? ''
    const isDocTs = dict.name('Type') === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161'
    const format: SignatureFormat = isDocTs ? 'PDF-DocTimeStamp' : subFilter === 'ETSI.CAdES.detached' ? 'PAdES' : 'PDF-PKCS7'
    const size = this.reader.size
    const coverage: SignatureReport['coverage'] =
      br.end === size && br.verdict !== 'broken'
        ? coverageText('whole', 'pdf.coverage.whole')
        : br.revision
          ? coverageText('partial', 'pdf.coverage.revision', { revision: br.revision.index, of: this.revisions.length })
          : br.end > 0
            ? coverageText('partial', 'pdf.coverage.bytes', { end: br.end, size })
            : coverageText('unknown', 'pdf.coverage.unknown')
    const checks: SignatureReport['checks'] = []
    let structural: IntegrityClass = br.verdict === 'ok' ? 'intact' : br.verdict
    if (br.problems.length === 0) checks.push(check('byte-range', 'passed', 'pdf.byteRange.ok'))
    for (const p of br.problems) checks.push({ id: 'byte-range', status: br.verdict === 'broken' ? 'failed' : 'warning', ...p })

    // the signature dictionary must belong to the revision it signs
    if (br.ranges && found.dictNum !== null) {
      const own = await this.ownedBySignedRevision(found, br.end)
      if (!own) {
        structural = 'broken'
        checks.push(check('signature-dictionary', 'failed', 'pdf.signatureDictionary.notInRevision'))
      }
    }

    // cryptographic verification
    const contents = dict.get('Contents')
    let reports: SignatureReport[]
    const supported = ['adbe.pkcs7.detached', 'ETSI.CAdES.detached', 'ETSI.RFC3161', 'adbe.pkcs7.sha1'].includes(subFilter)
    if (!(contents instanceof PdfString) || contents.bytes.length === 0 || !br.ranges) {
      reports = [emptyReport(id, format, coverage, 'broken', 'TOTAL_FAILED', 'FORMAT_FAILURE', text(br.ranges ? 'pdf.signature.contentsEmpty' : 'pdf.signature.rangesUnreadable'))]
    } else if (!supported) {
      reports = [emptyReport(id, format, coverage, 'indeterminate', 'INDETERMINATE', 'FORMAT_FAILURE', text('pdf.signature.subFilterUnsupported', { subFilter: subFilter || '(none)' }))]
    } else {
      const ranges = br.ranges
      const digests = new Map<string, Promise<Uint8Array>>()
      const digestOf = (alg: DigestAlgorithm): Promise<Uint8Array> => {
        let p = digests.get(alg)
        if (!p) {
          p = hashRanges(this.reader, ranges, alg)
          digests.set(alg, p)
        }
        return p
      }
      const content: CmsContent = subFilter === 'adbe.pkcs7.sha1' ? { encapsulated: true, expectedContent: await digestOf('SHA-1') } : { digest: digestOf }
      reports = await verifyCmsSignatures(contents.bytes, content, this.ctx, {
        format,
        ...(format === 'PAdES' ? { profile: 'pades' as const } : {}),
        idPrefix: id,
        extraCertificates: dss.certs,
        embeddedOcsp: dss.ocsp,
        embeddedCrls: dss.crls,
        coverage,
      })
    }

    // PAdES requires DER: a certificate serial number with illegal padding makes strict readers
    // (OpenSSL, EU DSS) reject the whole signature container
    if (contents instanceof PdfString && br.ranges) {
      const bad = nonDerSerials(contents.bytes)
      if (bad) {
        structural = 'broken'
        checks.push({ id: 'cms-encoding', status: 'failed', ...bad })
      }
    }

    // changes after this signature
    const detected: DetectedChange[] = []
    if (!found.inFinal) detected.push(changeOf('signature-removed', text('pdf.change.signatureNoLongerInDocument')))
    if (br.ranges && br.end < size) {
      try {
        detected.push(...(await this.changesAfter(entries, index)))
      } catch (err) {
        detected.push(changeOf('unknown', text('pdf.change.analysisFailed', { error: (err as Error).message }), 'unexplained'))
      }
      if (tail) detected.push(changeOf('trailing-data', tail, 'unexplained'))
    }
    const changesAfter = summarizeChanges(detected)
    let changeClass: IntegrityClass = 'intact'
    if (detected.some((c) => !c.allowed && c.severity === 'unexplained')) changeClass = 'partial'
    if (detected.some((c) => !c.allowed && c.severity !== 'unexplained')) changeClass = 'modified'
    if (detected.length === 0 && br.end < size && br.ranges) checks.push(check('changes-after', 'passed', 'pdf.changesAfter.none'))
    else if (detected.length > 0) {
      const bad = changesAfter.filter((c) => !c.allowed)
      checks.push(
        bad.length
          ? check('changes-after', 'failed', 'pdf.changesAfter.notAllowed', { changes: bad.map(changeRef) })
          : check('changes-after', 'passed', 'pdf.changesAfter.onlyAllowed'),
      )
    }

    if (!isDocTs) this.claimedTimeFromM(dict, reports)

    for (const r of reports) {
      r.coverage = coverage
      r.changesAfter = changesAfter
      r.checks = [...checks, ...r.checks]
      r.integrity = worstIntegrity([r.integrity, structural, changeClass])
      if (structural === 'broken' && r.indication !== 'TOTAL_FAILED') {
        r.indication = 'TOTAL_FAILED'
        r.subIndication = 'FORMAT_FAILURE'
      }
    }
    return reports
  }

  /**
   * PAdES puts the claimed signing time in the signature dictionary's /M (the CMS signing-time
   * attribute is forbidden there): it becomes the report's signing time, unless a PKCS#7 signature
   * already carries a signed signing-time attribute. /M lies inside the signed bytes, so the
   * signature covers it; it stays the signer's own claim, which only a timestamp proves.
   */
  private claimedTimeFromM(dict: PdfDict, reports: SignatureReport[]): void {
    const m = dict.get('M')
    if (m === undefined) return
    const raw = m instanceof PdfString ? Buffer.from(m.bytes).toString('latin1') : null
    const when = raw === null ? null : parsePdfDate(raw)
    const signers = reports.filter((r) => !r.id.includes('.counter-'))
    if (!when) {
      // shown, not trusted: only printable ASCII, bounded
      const shown = raw === null ? '(not a string)' : raw.replace(/[^\x20-\x7e]/g, '?').slice(0, 40)
      for (const r of signers) r.checks.push(check('signing-time', 'warning', 'pdf.signingTime.unreadable', { value: shown }))
      return
    }
    const iso = when.toISOString()
    const now = this.ctx.now()
    for (const r of signers) {
      if (r.signingTime !== null) continue
      r.signingTime = iso
      r.checks.push(check('signing-time', 'info', 'pdf.signingTime.fromM', { time: iso }))
      if (when.getTime() > now.getTime() + 5 * 60_000) r.checks.push(check('signing-time', 'warning', 'signingTime.future', { claimed: iso }))
      const ts = r.timestamp?.valid ? new Date(r.timestamp.time) : null
      const coherence = this.ctx.policy.checks.timestampCoherence
      if (ts && !Number.isNaN(ts.getTime()) && coherence.level !== 'IGNORE' && when.getTime() > ts.getTime() + coherence.maxClockSkewMinutes * 60_000) {
        r.checks.push(check('timestamp-coherence', coherence.level === 'FAIL' ? 'failed' : 'warning', 'signingTime.afterTimestamp', { claimed: iso, timestamp: ts.toISOString() }))
        if (coherence.level === 'FAIL' && r.subIndication === null) {
          r.subIndication = 'TIMESTAMP_ORDER_FAILURE'
          r.indication = indicationFor('TIMESTAMP_ORDER_FAILURE')
        }
      }
    }
  }

  /** True when the signed revision holds this very signature dictionary (same /Contents position). */
  private async ownedBySignedRevision(found: FoundSignature, end: number): Promise<boolean> {
    const view = await this.reader.view(end)
    const o = await view.get(found.dictNum!)
    const d = o?.value instanceof PdfDict ? o.value : null
    const c1 = d?.get('Contents')
    const c2 = found.dict.get('Contents')
    return c1 instanceof PdfString && c2 instanceof PdfString && c1.start === c2.start && o!.location.kind === 'offset' && o!.location.offset < end
  }

  private async changesAfter(entries: SignatureEntry[], index: number): Promise<DetectedChange[]> {
    const end = entries[index]!.br.end
    const signedView = await this.reader.view(end)
    const [signedMap, finalMap] = await Promise.all([mapDocument(signedView), this.finalDocumentMap()])
    const policy = await this.policyFor(entries, index, signedView)
    return analyseChanges(this.reader, signedMap, finalMap, this.revisions, policy)
  }

  /** DocMDP of the certification signature and FieldMDP locks of the signatures up to this one. */
  private async policyFor(entries: SignatureEntry[], index: number, view: PdfView): Promise<ModificationPolicy> {
    const end = entries[index]!.br.end
    let docMdp: ModificationPolicy['docMdp'] = null
    const locks: FieldLock[] = []
    const resolved = new Map<PdfObject, PdfDict | undefined>()
    const resolveSync = (v: PdfObject | undefined): PdfDict | undefined => (v instanceof PdfDict ? v : v === undefined ? undefined : resolved.get(v))
    const preload = async (v: PdfObject | undefined, depth = 0): Promise<void> => {
      if (depth > 4 || v === undefined) return
      if (v instanceof PdfRef) {
        const d = await view.dict(v)
        resolved.set(v, d)
        if (d) for (const x of d.entries.values()) await preload(x, depth + 1)
      } else if (Array.isArray(v)) for (const x of v) await preload(x, depth + 1)
      else if (v instanceof PdfDict) for (const x of v.entries.values()) await preload(x, depth + 1)
    }
    const catalog = await view.catalog()
    const perms = await view.dict(catalog?.get('Perms'))
    const certRef = perms?.get('DocMDP')
    for (const e of entries) {
      if (e.br.end > end) continue
      const d = e.found.dict
      await preload(d.get('Reference'))
      const p = docMdpOf(d, resolveSync)
      const isCert = p !== null || (certRef instanceof PdfRef && certRef.num === e.found.dictNum)
      if (isCert && docMdp === null) docMdp = p ?? 2
      for (const r of Array.isArray(d.get('Reference')) ? (d.get('Reference') as PdfObject[]) : []) {
        const rd = resolveSync(r)
        if (rd?.name('TransformMethod') !== 'FieldMDP') continue
        const lock = lockFrom(resolveSync(rd.get('TransformParams')), resolveSync)
        if (lock) locks.push(lock)
      }
      const fieldLock = e.found.fieldDict?.get('Lock')
      if (fieldLock !== undefined) {
        await preload(fieldLock)
        const lock = lockFrom(resolveSync(fieldLock), resolveSync)
        if (lock) locks.push(lock)
      }
    }
    return { docMdp, locks }
  }
}

/** One DER TLV header: tag byte, content start and end (definite lengths only). */
function tlv(b: Uint8Array, pos: number, limit: number): { tag: number; start: number; end: number } | null {
  if (pos + 2 > limit) return null
  const tag = b[pos]!
  let len = b[pos + 1]!
  let start = pos + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || start + n > limit) return null
    len = 0
    for (let k = 0; k < n; k++) len = len * 256 + b[start + k]!
    start += n
  }
  const end = start + len
  return end <= limit ? { tag, start, end } : null
}

/**
 * A plain-words problem when a certificate of the CMS has a non-minimal (non-DER) serial number.
 * Walks the DER headers only (ContentInfo -> SignedData -> certificates -> tbsCertificate ->
 * serialNumber): no full parse of a container that may hold large CRLs.
 */
function nonDerSerials(cms: Uint8Array): CodedText | null {
  const ci = tlv(cms, 0, cms.length)
  if (!ci || ci.tag !== 0x30) return null
  const oid = tlv(cms, ci.start, ci.end)
  const explicit = oid && tlv(cms, oid.end, ci.end)
  const sd = explicit && explicit.tag === 0xa0 ? tlv(cms, explicit.start, explicit.end) : null
  if (!sd || sd.tag !== 0x30) return null
  let pos = sd.start
  for (let k = 0; k < 8 && pos < sd.end; k++) {
    const item = tlv(cms, pos, sd.end)
    if (!item) return null
    if (item.tag === 0xa0) {
      for (let c = item.start; c < item.end; ) {
        const cert = tlv(cms, c, item.end)
        if (!cert) return null
        const tbs = cert.tag === 0x30 ? tlv(cms, cert.start, cert.end) : null
        let first = tbs && tbs.tag === 0x30 ? tlv(cms, tbs.start, tbs.end) : null
        if (first && tbs && first.tag === 0xa0) first = tlv(cms, first.end, tbs.end)
        if (first && first.tag === 0x02 && first.end - first.start > 1) {
          const b0 = cms[first.start]!
          const b1 = cms[first.start + 1]!
          if ((b0 === 0x00 && b1 < 0x80) || (b0 === 0xff && b1 >= 0x80))
            return text('pdf.cmsEncoding.serialNotDer')
        }
        c = cert.end
      }
      return null
    }
    pos = item.end
  }
  return null
}

function lockFrom(d: PdfDict | undefined, _resolve: (v: PdfObject | undefined) => PdfDict | undefined): FieldLock | null {
  if (!d) return null
  const action = d.name('Action')
  if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return null
  const fields = d.get('Fields')
  const names = Array.isArray(fields) ? fields.filter((f): f is PdfString => f instanceof PdfString).map((f) => f.text()) : []
  return { action, fields: names }
}

function emptyReport(
  id: string,
  format: SignatureFormat,
  coverage: SignatureReport['coverage'],
  integrity: IntegrityClass,
  indication: SignatureReport['indication'],
  sub: SignatureReport['subIndication'],
  message: CodedText,
): SignatureReport {
  return {
    id,
    format,
    level: null,
    signer: null,
    signingTime: null,
    timestamp: null,
    indication,
    subIndication: sub,
    integrity,
    trust: 'unknown',
    coverage,
    changesAfter: [],
    checks: [{ id: 'signature-value', status: integrity === 'broken' ? 'failed' : 'indeterminate', ...message }],
    chain: [],
    qualification: null,
  }
}

/** A change found outside the object-by-object analysis (never allowed). */
function changeOf(kind: string, t: CodedText, severity?: 'unexplained'): DetectedChange {
  return { kind, allowed: false, description: t.message, code: t.code, ...(t.params ? { params: t.params } : {}), revision: null, ...(severity ? { severity } : {}) }
}

function changeRef(c: { description: string; code?: string; params?: Change['params'] }): ReturnType<typeof ref> {
  return c.code ? ref(c.code, c.params) : ref('text', { text: c.description })
}

/** One entry per kind, permission and revision, descriptions joined (a few shown). */
function summarizeChanges(changes: DetectedChange[]): Change[] {
  const groups = new Map<string, { c: DetectedChange; items: DetectedChange[] }>()
  for (const c of changes) {
    const key = `${c.kind}|${c.allowed}|${c.revision}`
    const g = groups.get(key)
    if (g) {
      if (!g.items.some((i) => i.description === c.description)) g.items.push(c)
    } else groups.set(key, { c, items: [c] })
  }
  return [...groups.values()]
    .map(({ c, items }) => {
      const t = items.length === 1 ? { message: c.description, code: c.code, params: c.params } : items.length > 4 ? text('pdf.change.listMore', { changes: items.slice(0, 4).map(changeRef), more: items.length - 4 }) : text('pdf.change.list', { changes: items.map(changeRef) })
      return {
        kind: c.kind,
        allowed: c.allowed,
        description: t.message,
        ...(t.code ? { code: t.code } : {}),
        ...(t.params ? { params: t.params } : {}),
        revision: c.revision,
      }
    })
    .sort((a, b) => Number(a.allowed) - Number(b.allowed) || (a.revision ?? 0) - (b.revision ?? 0))
}

/** Digest of the byte ranges, read in chunks (one read ahead while the previous chunk is hashed). */
export async function hashRanges(reader: PdfReader, ranges: readonly [number, number][], alg: DigestAlgorithm): Promise<Uint8Array> {
  const h = createDigest(alg)
  const source = reader.source
  const bufs = [Buffer.allocUnsafe(HASH_CHUNK), Buffer.allocUnsafe(HASH_CHUNK)]
  const readChunk = async (buf: Buffer, pos: number, len: number): Promise<Buffer> => {
    if (source instanceof FileByteSource) {
      const n = await source.readInto(buf, pos, len)
      return buf.subarray(0, n)
    }
    return source.read(pos, len)
  }
  const chunks: [number, number][] = []
  for (const [s, l] of ranges) for (let p = s; p < s + l; p += HASH_CHUNK) chunks.push([p, Math.min(HASH_CHUNK, s + l - p)])
  let pending = chunks.length ? readChunk(bufs[0]!, chunks[0]![0], chunks[0]![1]) : null
  for (let i = 0; i < chunks.length; i++) {
    const data = await pending!
    if (data.length !== chunks[i]![1]) throw new Error('the file is shorter than its /ByteRange')
    pending = i + 1 < chunks.length ? readChunk(bufs[(i + 1) % 2]!, chunks[i + 1]![0], chunks[i + 1]![1]) : null
    h.update(data)
  }
  return new Uint8Array(h.digest())
}

/**
 * Writes the bytes signed by signature `signatureIndex` (0-based, in the order of the report:
 * oldest signed revision first) to `outPath`: the document as it was when signed. Atomic; never
 * replaces an existing file unless `overwrite`.
 */
export async function extractSignedRevision(path: string, signatureIndex: number, outPath: string, opts: { overwrite?: boolean } = {}): Promise<{ bytes: number; signature: string }> {
  const reader = await PdfReader.open(path)
  let end: number
  let name: string
  try {
    const sorted = await listPdfSignatures(reader, await reader.view())
    const chosen = sorted[signatureIndex]
    if (!chosen) throw new PdfExtractError(`no signature number ${signatureIndex + 1} in ${basename(path)} (${sorted.length} found)`)
    if (chosen.br.end <= 0 || chosen.br.end > reader.size) throw new PdfExtractError('the signed range of this signature is not inside the file')
    end = chosen.br.end
    name = chosen.found.fieldName
  } finally {
    await reader.close()
  }
  await copyPrefixAtomic(path, end, outPath, opts.overwrite ?? false)
  return { bytes: end, signature: name }
}

