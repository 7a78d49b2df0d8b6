/**
 * PAdES signing (ETSI EN 319 142-1, SubFilter ETSI.CAdES.detached), levels B-B to B-LTA.
 *
 * The document is never loaded whole: only the xref chain, the catalog, the form and the target
 * page are parsed. The original bytes are streamed into a temporary file next to the output (and
 * hashed on the way), then each revision is appended as an incremental update: the signature, then
 * for B-LT the DSS, then for B-LTA a document timestamp. The temporary file is renamed into place
 * only when everything succeeded; the input is never written.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto'
import { constants as fsConstants } from 'node:fs'
import { link, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { createCmsSignature } from '../cms/signed-data'
import { nodeHashName } from '../cms/oids'
import type { RevocationCollector } from '../revocation/types'
import type { DigestAlgorithm, Signer } from '../signer'
import { TimestampError, type TimestampRequester } from '../timestamp/tsa-client'
import { describeCertificate } from '../../x509/certificate-info'
import { buildAppearance, helveticaFontDict } from './appearance'
import { addDss, certificatesInCms, type DssCounts, type ValidationData } from './dss'
import { ImageFormatError, imageToPdf } from './image'
import { BYTE_RANGE_PLACEHOLDER, ContentsPlaceholder, IncrementalUpdate, type BuiltUpdate } from './incremental-update'
import { SourcePdf, PdfStructureError } from './source-pdf'
import { findPage, readDocumentInfo, type DocumentInfo, type FieldInfo } from './pdf-structure'
import { PdfDict, PdfRef, PdfString, PdfSyntaxError, PdfWriteError, name } from '../../pdf'
import { addSignatureField, pdfDate, uniqueFieldName } from './signature-field'

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA'
export const PADES_LEVELS: readonly PadesLevel[] = ['B-B', 'B-T', 'B-LT', 'B-LTA']

/**
 * Validation data for B-LT (src/main/core/sign/revocation): given the certificates to validate (the
 * signer's chain and the TSA's), OCSP responses and CRLs (DER), missing issuers, and problems.
 */
export type RevocationFetcher = RevocationCollector

export interface VisibleSignature {
  /** 1-based page number */
  page: number
  /** [x, y, width, height] in points from the lower-left corner of the visible page area */
  rect: [number, number, number, number]
  /** text lines; default: signer, date, capacity (reason), place */
  lines?: string[]
  /** PNG or JPEG bytes, or a file path */
  image?: Uint8Array | string
}

export interface SignPdfOptions {
  input: string
  output: string
  signer: Signer
  level: PadesLevel
  /** RFC 3161 client: signature timestamp (B-T and above) and document timestamp (B-LTA) */
  timestamp?: TimestampRequester
  /** B-LT and B-LTA */
  revocationFetcher?: RevocationFetcher
  /** capacity or reason (/Reason), e.g. a preset label "Le Maire" */
  reason?: string
  location?: string
  contactInfo?: string
  /** signer name (/Name); default: the certificate's common name */
  name?: string
  visible?: VisibleSignature
  /** certification signature (DocMDP): 1 no change, 2 form filling and signing, 3 also annotations */
  certify?: { docMdpPermissions: 1 | 2 | 3 }
  /** field name; default Signature1, Signature2... (the first free one) */
  fieldName?: string
  digestAlgorithm?: DigestAlgorithm
  /** bytes reserved for the CMS in /Contents; default sized from the certificates and level */
  contentsSize?: number
  /** replace an existing output file (default: refuse) */
  overwrite?: boolean
  /** inputs up to this size are read in one call (default 8 MiB); larger ones are streamed */
  preloadBytes?: number
  /** signing time written in /M and the appearance (default: now) */
  signingTime?: Date
  signal?: AbortSignal
}

export interface SignPdfResult {
  output: string
  fieldName: string
  byteRange: [number, number, number, number]
  level: PadesLevel
  signingTime: Date
  /** DER size of the CMS and the room reserved for it */
  cmsSize: number
  contentsSize: number
  dss?: DssCounts
  documentTimestamp?: { fieldName: string; byteRange: [number, number, number, number]; tokenSize: number }
  outputSize: number
  /** digest of the input file with `digestAlgorithm` (computed anyway while copying it) */
  inputDigest: Uint8Array
}

export type PadesErrorCode =
  | 'bad-option'
  | 'invalid-pdf'
  | 'output-exists'
  | 'certified-no-changes'
  | 'certification-not-first'
  | 'field-exists'
  | 'contents-too-small'
  | 'input-changed'
  | 'input-unreadable'
  | 'revocation-unavailable'
  | 'timestamp-failed'
  | 'cancelled'

export class PadesError extends Error {
  override name = 'PadesError'
  constructor(
    readonly code: PadesErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

const COPY_CHUNK = 4 * 1024 * 1024
const DOC_TIMESTAMP_RESERVE = 16 * 1024

export async function signPdf(opts: SignPdfOptions): Promise<SignPdfResult> {
  validateOptions(opts)
  const input = resolve(opts.input)
  const output = resolve(opts.output)
  if (input === output) throw new PadesError('bad-option', 'the output must be a different file from the input (the input is never modified)')
  if (!(await exists(dirname(output)))) throw new PadesError('bad-option', `the output folder ${dirname(output)} does not exist`)
  if (!opts.overwrite && (await exists(output))) throw new PadesError('output-exists', `${output} already exists (use overwrite to replace it)`)
  checkAbort(opts.signal)

  const signingTime = opts.signingTime ?? new Date()
  const digestAlgorithm = opts.digestAlgorithm ?? 'SHA-256'
  const tmp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`)
  let out: FileHandle | undefined
  let source: SourcePdf | undefined
  try {
    source = await openPdf(input, opts.preloadBytes)
    const doc = await readStructure(source)
    checkPermissions(doc, opts)
    const { name: fieldName, existing: existingField } = chooseField(doc, opts.fieldName)
    const image = opts.visible?.image === undefined ? undefined : typeof opts.visible.image === 'string' ? await readFile(opts.visible.image) : opts.visible.image

    out = await open(tmp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_RDWR, 0o644)
    // copy the original bytes and hash them on the way: one read of the input
    const afterOriginal = await copyAndHash(source, input, out, digestAlgorithm, opts.signal)

    let contentsSize = opts.contentsSize ?? estimateContentsSize(opts)
    let built: BuiltUpdate | undefined
    let cms: Uint8Array | undefined
    const fieldCount = doc.fields.length
    for (let attempt = 0; ; attempt++) {
      built = await asInvalidPdf(() => buildSignatureUpdate(source!, doc, opts, { fieldName, existingField, signingTime, contentsSize, image }))
      const digest = digestOf(afterOriginal.copy(), built)
      checkAbort(opts.signal)
      cms = await withTimestampError(opts.level, () =>
        createCmsSignature({
          signer: opts.signer,
          contentDigest: digest,
          digestAlgorithm,
          profile: 'pades',
          timestamp: opts.level === 'B-B' ? undefined : opts.timestamp,
        }),
      )
      if (cms.length <= contentsSize) break
      // a second try costs another use of the key: only when the token does not ask the PIN again
      if (attempt > 0 || opts.contentsSize !== undefined || opts.signer.pinPerSignature) {
        throw new PadesError(
          'contents-too-small',
          `the signature (${cms.length} bytes) is larger than the ${contentsSize} bytes reserved for it in the PDF; retry with contentsSize >= ${cms.length + 1024}`,
        )
      }
      contentsSize = cms.length + 4096
      // rebuild from the same document state (the first attempt recorded its new field)
      doc.fields.length = fieldCount
    }
    fillContents(built, cms, source.size)
    await writeAll(out, built.bytes, source.size)
    const running = afterOriginal.copy().update(built.bytes)
    let length = built.totalLength
    await source.close()
    source = undefined

    const result: SignPdfResult = {
      output,
      fieldName,
      byteRange: built.byteRange!,
      level: opts.level,
      signingTime,
      cmsSize: cms.length,
      contentsSize,
      outputSize: 0,
      inputDigest: new Uint8Array(afterOriginal.copy().digest()),
    }

    if (opts.level === 'B-LT' || opts.level === 'B-LTA') {
      checkAbort(opts.signal)
      const certificates = [opts.signer.certificate, ...opts.signer.chain, ...certificatesInCms(cms)]
      const fetched = await opts.revocationFetcher!(dedupeBytes(certificates), opts.signal)
      if (fetched.problems.length)
        throw new PadesError('revocation-unavailable', `${opts.level} needs the revocation status of every certificate (signer and timestamp authority); not obtained: ${fetched.problems.join('; ')}`)
      const data: ValidationData = {
        certificates: dedupeBytes([...certificates, ...fetched.certificates]),
        ocspResponses: fetched.ocsp,
        crls: fetched.crls,
      }
      const file = await openPdf(tmp, 0)
      try {
        const dssDoc = await readStructure(file)
        const catalog = dssDoc.catalog.clone()
        const update = new IncrementalUpdate(file)
        result.dss = await addDss(file, update, catalog, data)
        update.set(dssDoc.catalogRef, catalog)
        const dssUpdate = update.build()
        await writeAll(out, dssUpdate.bytes, length)
        running.update(dssUpdate.bytes)
        length = dssUpdate.totalLength
      } finally {
        await file.close()
      }
    }

    if (opts.level === 'B-LTA') {
      checkAbort(opts.signal)
      const file = await openPdf(tmp, 0)
      try {
        const tsDoc = await readStructure(file)
        const tsField = uniqueFieldName(tsDoc)
        const update = new IncrementalUpdate(file)
        const sigDict = new PdfDict([
          ['Type', name('DocTimeStamp')],
          ['Filter', name('Adobe.PPKLite')],
          ['SubFilter', name('ETSI.RFC3161')],
          ['ByteRange', BYTE_RANGE_PLACEHOLDER],
          ['Contents', new ContentsPlaceholder(DOC_TIMESTAMP_RESERVE)],
        ])
        const catalog = tsDoc.catalog.clone()
        const page = await findPage(file, catalog, 1)
        const { catalogChanged } = await addSignatureField(file, tsDoc, update, { fieldName: tsField, signatureDict: sigDict, page, rect: [0, 0, 0, 0], catalog })
        if (catalogChanged) update.set(tsDoc.catalogRef, catalog)
        const tsUpdate = update.build()
        const digest = digestOf(running.copy(), tsUpdate, length)
        const token = await withTimestampError(opts.level, () => opts.timestamp!(digest, digestAlgorithm))
        if (token.length > DOC_TIMESTAMP_RESERVE)
          throw new PadesError('contents-too-small', `the document timestamp (${token.length} bytes) is larger than the room reserved for it`)
        fillContents(tsUpdate, token, length)
        await writeAll(out, tsUpdate.bytes, length)
        length = tsUpdate.totalLength
        result.documentTimestamp = { fieldName: tsField, byteRange: tsUpdate.byteRange!, tokenSize: token.length }
      } finally {
        await file.close()
      }
    }

    await out.sync()
    await out.close()
    out = undefined
    result.outputSize = length
    checkAbort(opts.signal)
    await moveIntoPlace(tmp, output, opts.overwrite === true)
    return result
  } catch (e) {
    throw translateError(e)
  } finally {
    await source?.close().catch(() => undefined)
    if (out) await out.close().catch(() => undefined)
    await unlink(tmp).catch(() => undefined)
  }
}

function validateOptions(opts: SignPdfOptions): void {
  if (!PADES_LEVELS.includes(opts.level)) throw new PadesError('bad-option', `unknown PAdES level "${String(opts.level)}" (B-B, B-T, B-LT or B-LTA)`)
  if (opts.level !== 'B-B' && !opts.timestamp) throw new PadesError('bad-option', `level ${opts.level} needs a timestamp authority (TSA URL); sign at level B-B without one`)
  if ((opts.level === 'B-LT' || opts.level === 'B-LTA') && !opts.revocationFetcher)
    throw new PadesError('bad-option', `level ${opts.level} needs revocation data (OCSP/CRL access)`)
  const v = opts.visible
  if (v) {
    if (!Number.isInteger(v.page) || v.page < 1) throw new PadesError('bad-option', 'the page of a visible signature is a number from 1')
    if (v.rect.length !== 4 || !v.rect.every(Number.isFinite) || v.rect[2] <= 0 || v.rect[3] <= 0)
      throw new PadesError('bad-option', 'the rectangle of a visible signature is x, y, width, height with a positive width and height')
  }
  if (opts.fieldName !== undefined && (!opts.fieldName || opts.fieldName.includes('.') || opts.fieldName.length > 120))
    throw new PadesError('bad-option', 'a field name must be non-empty, without dots, at most 120 characters')
  if (opts.contentsSize !== undefined && (!Number.isInteger(opts.contentsSize) || opts.contentsSize < 1024 || opts.contentsSize > 4 * 1024 * 1024))
    throw new PadesError('bad-option', 'contentsSize must be between 1 KiB and 4 MiB')
}

function checkPermissions(doc: DocumentInfo, opts: SignPdfOptions): void {
  if (doc.docMdp?.permissions === 1)
    throw new PadesError('certified-no-changes', 'this document is certified with "no changes allowed": adding a signature would invalidate its certification')
  if (opts.certify) {
    if (doc.docMdp) throw new PadesError('certification-not-first', 'this document is already certified: it cannot be certified a second time')
    if (doc.fields.some((f) => f.signed)) throw new PadesError('certification-not-first', 'a certification must be the first signature of a document, and this one is already signed')
  }
}

/** A new unique name, or an existing EMPTY signature field asked for by name (prepared documents). */
function chooseField(doc: DocumentInfo, requested: string | undefined): { name: string; existing?: FieldInfo } {
  if (requested === undefined) return { name: uniqueFieldName(doc) }
  const found = doc.fields.find((f) => f.name === requested)
  if (!found) return { name: requested }
  if (found.isSignature && !found.signed && found.ref) return { name: requested, existing: found }
  throw new PadesError(
    'field-exists',
    found.isSignature ? `the signature field "${requested}" is already signed` : `the document already has a field named "${requested}" that is not a signature field`,
  )
}

/** Room for the CMS: certificates + signature + attributes, plus a timestamp token from B-T on. */
export function estimateContentsSize(opts: Pick<SignPdfOptions, 'signer' | 'level'>): number {
  const certs = opts.signer.certificate.length + opts.signer.chain.reduce((n, c) => n + c.length, 0)
  const timestamp = opts.level === 'B-B' ? 0 : 10 * 1024
  const size = certs + 4096 + timestamp
  return Math.ceil(Math.max(size * 1.25, 8192) / 1024) * 1024
}

async function buildSignatureUpdate(
  file: SourcePdf,
  doc: DocumentInfo,
  opts: SignPdfOptions,
  ctx: { fieldName: string; existingField?: FieldInfo; signingTime: Date; contentsSize: number; image?: Uint8Array },
): Promise<BuiltUpdate> {
  const update = new IncrementalUpdate(file)
  const catalog = doc.catalog.clone()
  const signerName = opts.name ?? commonName(opts.signer.certificate)
  const sig = new PdfDict([
    ['Type', name('Sig')],
    ['Filter', name('Adobe.PPKLite')],
    ['SubFilter', name('ETSI.CAdES.detached')],
    ['ByteRange', BYTE_RANGE_PLACEHOLDER],
    ['Contents', new ContentsPlaceholder(ctx.contentsSize)],
    ['M', PdfString.latin1(pdfDate(ctx.signingTime))],
  ])
  if (signerName) sig.set('Name', PdfString.fromText(signerName))
  if (opts.reason) sig.set('Reason', PdfString.fromText(opts.reason))
  if (opts.location) sig.set('Location', PdfString.fromText(opts.location))
  if (opts.contactInfo) sig.set('ContactInfo', PdfString.fromText(opts.contactInfo))
  sig.set('Prop_Build', new PdfDict([['App', new PdfDict([['Name', name('Paraphe')]])]]))
  let catalogChanged = false
  if (opts.certify) {
    const params = new PdfDict([['Type', name('TransformParams')], ['P', opts.certify.docMdpPermissions], ['V', name('1.2')]])
    sig.set('Reference', [new PdfDict([['Type', name('SigRef')], ['TransformMethod', name('DocMDP')], ['TransformParams', params]])])
  }

  const makeAppearance = (w: number, h: number, lines: string[] | undefined, rotate = 0) => {
    const fontRef = update.add(helveticaFontDict())
    let imageRef
    if (ctx.image) {
      let img
      try {
        img = imageToPdf(ctx.image)
      } catch (e) {
        if (e instanceof ImageFormatError) throw new PadesError('bad-option', e.message, { cause: e })
        throw e
      }
      if (img.smask) img.image.dict.set('SMask', update.add(img.smask))
      imageRef = { ref: update.add(img.image), width: img.width, height: img.height }
    }
    return buildAppearance({ width: w, height: h, lines: lines ?? defaultLines(signerName, ctx.signingTime, opts.reason, opts.location), image: imageRef, fontRef, rotate })
  }

  let signatureRef: PdfRef
  if (ctx.existingField) {
    // a prepared empty field: fill its /V; its widget keeps its place, and gets our appearance
    const fieldRef = ctx.existingField.ref!
    const field = (await file.resolveDict(fieldRef))!.clone()
    signatureRef = update.add(sig)
    field.set('V', signatureRef)
    const r = await file.resolve(field.get('Rect'))
    const nums = Array.isArray(r) ? await Promise.all(r.map((x) => file.resolve(x))) : []
    if (nums.length === 4 && nums.every((x) => typeof x === 'number')) {
      const [x1, y1, x2, y2] = nums as number[]
      const w = Math.abs(x2! - x1!)
      const h = Math.abs(y2! - y1!)
      if (w > 1 && h > 1) field.set('AP', new PdfDict([['N', update.add(makeAppearance(w, h, opts.visible?.lines))]]))
    }
    update.set(fieldRef, field)
    const form = doc.acroForm!.clone()
    const flags = await file.resolve(form.get('SigFlags'))
    if (((typeof flags === 'number' ? flags : 0) & 3) !== 3) {
      form.set('SigFlags', (typeof flags === 'number' ? flags : 0) | 3)
      if (doc.acroFormRef) update.set(doc.acroFormRef, form)
      else {
        catalog.set('AcroForm', form)
        catalogChanged = true
      }
    }
  } else {
    const v = opts.visible
    const page = await findPage(file, catalog, v?.page ?? 1)
    let rect: [number, number, number, number] = [0, 0, 0, 0]
    let appearance
    if (v) {
      rect = displayRectToUser(page.box, page.rotate, v.rect)
      const [llx, lly, urx, ury] = page.box
      if (rect[0] >= urx || rect[1] >= ury || rect[2] <= llx || rect[3] <= lly) {
        const [dw, dh] = page.rotate % 180 ? [ury - lly, urx - llx] : [urx - llx, ury - lly]
        throw new PadesError('bad-option', `the signature rectangle is outside page ${v.page} (page size ${dw} x ${dh} points)`)
      }
      appearance = makeAppearance(v.rect[2], v.rect[3], v.lines, page.rotate)
    }
    const added = await addSignatureField(file, doc, update, { fieldName: ctx.fieldName, signatureDict: sig, page, rect, appearance, catalog })
    catalogChanged ||= added.catalogChanged
    signatureRef = added.signatureRef
  }
  if (opts.certify) {
    // keep other permissions (e.g. /UR3) when /Perms already exists, direct or indirect
    const perms = await file.resolveDict(catalog.get('Perms'))
    const permsDict = perms ? perms.clone() : new PdfDict()
    permsDict.set('DocMDP', signatureRef)
    catalog.set('Perms', permsDict)
    catalogChanged = true
  }
  if (catalogChanged) update.set(doc.catalogRef, catalog)
  return update.build()
}

/**
 * [x, y, w, h] measured on the page as displayed (from its lower-left corner, after /Rotate) to a
 * /Rect in the page's user space.
 */
export function displayRectToUser(box: [number, number, number, number], rotate: number, [x, y, w, h]: [number, number, number, number]): [number, number, number, number] {
  const [llx, lly, urx, ury] = box
  const W = urx - llx
  const H = ury - lly
  const toUser = (X: number, Y: number): [number, number] => {
    switch (rotate) {
      case 90:
        return [W - Y, X]
      case 180:
        return [W - X, H - Y]
      case 270:
        return [Y, H - X]
      default:
        return [X, Y]
    }
  }
  const [u1, v1] = toUser(x, y)
  const [u2, v2] = toUser(x + w, y + h)
  return [llx + Math.min(u1, u2), lly + Math.min(v1, v2), llx + Math.max(u1, u2), lly + Math.max(v1, v2)]
}

function defaultLines(signerName: string | undefined, when: Date, reason?: string, location?: string): string[] {
  const pad = (n: number) => String(n).padStart(2, '0')
  const off = -when.getTimezoneOffset()
  const tz = `UTC${off >= 0 ? '+' : '-'}${pad(Math.trunc(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`
  const date = `${pad(when.getDate())}/${pad(when.getMonth() + 1)}/${when.getFullYear()} ${pad(when.getHours())}:${pad(when.getMinutes())} (${tz})`
  const lines: string[] = []
  if (signerName) lines.push(`Signé par ${signerName}`)
  lines.push(`Le ${date}`)
  if (reason) lines.push(`Qualité : ${reason}`)
  if (location) lines.push(`Lieu : ${location}`)
  return lines
}

// parsing a certificate costs milliseconds: a batch signs many files with the same one
const commonNames = new WeakMap<Uint8Array, string | undefined>()
function commonName(certDer: Uint8Array): string | undefined {
  if (commonNames.has(certDer)) return commonNames.get(certDer)
  let cn: string | undefined
  try {
    cn = describeCertificate(certDer).subjectCommonName ?? undefined
  } catch {
    cn = undefined
  }
  commonNames.set(certDer, cn)
  return cn
}

/** Digest of the signed ranges: `hash` already holds the bytes before the update. */
function digestOf(hash: Hash, built: BuiltUpdate, base?: number): Uint8Array {
  const start = base ?? built.totalLength - built.bytes.length
  const hole = built.contents!
  hash.update(built.bytes.subarray(0, hole.start - start))
  hash.update(built.bytes.subarray(hole.end - start))
  return new Uint8Array(hash.digest())
}

function fillContents(built: BuiltUpdate, value: Uint8Array, base: number): void {
  const hole = built.contents!
  const room = (hole.end - hole.start - 2) / 2
  if (value.length > room) throw new PadesError('contents-too-small', `the signature (${value.length} bytes) does not fit the ${room} bytes reserved`)
  built.bytes.write(Buffer.from(value).toString('hex'), hole.start - base + 1, 'latin1')
}

async function copyAndHash(source: SourcePdf, path: string, out: FileHandle, alg: DigestAlgorithm, signal?: AbortSignal): Promise<Hash> {
  const hash = createHash(nodeHashName(alg))
  const expected = source.size
  const whole = source.preloaded
  if (whole) {
    checkAbort(signal)
    hash.update(whole)
    await writeAll(out, whole, 0)
    if ((await stat(path)).size !== expected) throw new PadesError('input-changed', 'the input file changed while it was being signed')
    return hash
  }
  const buf = Buffer.allocUnsafe(Math.min(COPY_CHUNK, Math.max(expected, 1)))
  let pos = 0
  while (pos < expected) {
    checkAbort(signal)
    const n = await source.readInto(buf, pos, Math.min(buf.length, expected - pos))
    if (n === 0) break
    const chunk = buf.subarray(0, n)
    hash.update(chunk)
    await writeAll(out, chunk, pos)
    pos += n
  }
  if (pos !== expected || (await stat(path)).size !== expected) throw new PadesError('input-changed', 'the input file changed while it was being signed')
  return hash
}

async function writeAll(fh: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done)
    done += bytesWritten
  }
}

async function moveIntoPlace(tmp: string, output: string, overwrite: boolean): Promise<void> {
  if (overwrite) return rename(tmp, output)
  try {
    // link() fails when the output appeared meanwhile: never replace a file we were not asked to
    await link(tmp, output)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new PadesError('output-exists', `${output} already exists`)
    // file systems without hard links: check then rename
    if (await exists(output)) throw new PadesError('output-exists', `${output} already exists`)
    await rename(tmp, output)
  }
}

async function openPdf(path: string, preloadBytes?: number): Promise<SourcePdf> {
  return asInvalidPdf(() => SourcePdf.open(path, { preloadBytes }))
}

async function readStructure(file: SourcePdf): Promise<DocumentInfo> {
  return asInvalidPdf(() => readDocumentInfo(file))
}

/** Reading a hostile file can fail in many ways (bad zlib data, absurd values): all are "invalid PDF". */
async function asInvalidPdf<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (e) {
    if (e instanceof PadesError) throw e
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'EPERM')
      throw new PadesError('input-unreadable', `cannot read the PDF: ${(e as Error).message}`, { cause: e })
    throw new PadesError('invalid-pdf', `cannot sign this PDF: ${(e as Error).message}`, { cause: e })
  }
}

function translateError(e: unknown): unknown {
  if (e instanceof PdfStructureError || e instanceof PdfSyntaxError || e instanceof PdfWriteError) return new PadesError('invalid-pdf', `cannot sign this PDF: ${e.message}`, { cause: e })
  if ((e as Error)?.name === 'AbortError') return new PadesError('cancelled', 'signature cancelled', { cause: e })
  return e
}

/** A failed timestamp means no file at this level: say so, and that B-B works without a TSA. */
async function withTimestampError<T>(level: PadesLevel, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (e instanceof TimestampError)
      throw new PadesError('timestamp-failed', `the timestamp authority failed (${e.message}): no ${level} signature was written; retry later or sign at level B-B`, { cause: e })
    throw e
  }
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new PadesError('cancelled', 'signature cancelled')
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

function dedupeBytes(items: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>()
  return items.filter((b) => {
    const k = createHash('sha256').update(b).digest('hex')
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

export { loadCapacityPresets, capacityReason } from './capacity-presets'
export { PdfStructureError } from './source-pdf'
