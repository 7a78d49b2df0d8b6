/**
 * ZIP containers signed with XML signatures over package parts: ASiC-S / ASiC-E
 * (META-INF/signatures*.xml) and signed OpenDocument (META-INF/documentsignatures.xml). Each
 * reference is resolved to a part and digested over the part's bytes; parts no signature covers are
 * listed (partial), a signature over a changed part fails (broken).
 */
import { basename } from 'node:path'
import type { IntegrityClass, SignatureReport, ValidationReport } from '../../../../shared/model/validation'
import { fileIntegrity, fileTrust } from '../aggregate'
import type { VerificationContext } from '../context'
import type { FormatVerification } from '../registry'
import { parseXmlBytes, XmlInputError } from '../xml/dom'
import type { ExternalData } from '../xml/references'
import { toSignatureReport, verifyDocumentSignatures, type AssessmentCache } from '../xml/verify-xml'
import { openZipPackage, ZipInputError, type ZipPackage } from './zip'
import { coverage as coverageText, FileMessages, text } from '../texts'

const ODF_SIGNATURES = ['META-INF/documentsignatures.xml', 'META-INF/macrosignatures.xml']

export type ContainerKind = 'odf' | 'asic-s' | 'asic-e' | 'zip'

async function containerKind(pkg: ZipPackage): Promise<{ kind: ContainerKind; mimetype: string | null }> {
  const mimetype = pkg.has('mimetype') ? (await pkg.read('mimetype')).toString('latin1').trim() : null
  if (mimetype?.startsWith('application/vnd.oasis.opendocument')) return { kind: 'odf', mimetype }
  if (mimetype === 'application/vnd.etsi.asic-s+zip') return { kind: 'asic-s', mimetype }
  if (mimetype === 'application/vnd.etsi.asic-e+zip') return { kind: 'asic-e', mimetype }
  if (pkg.names.some((n) => /^META-INF\/documentsignatures\.xml$/.test(n))) return { kind: 'odf', mimetype }
  if (pkg.names.some((n) => /^META-INF\/.*signatures.*\.xml$/i.test(n))) return { kind: 'asic-e', mimetype }
  return { kind: 'zip', mimetype }
}

function signatureParts(pkg: ZipPackage, kind: ContainerKind): string[] {
  if (kind === 'odf') return ODF_SIGNATURES.filter((n) => pkg.has(n))
  return pkg.names.filter((n) => /^META-INF\/[^/]*signatures[^/]*\.xml$/i.test(n))
}

/** Parts a signature is expected to cover (signature files and container metadata left out). */
function partsToCover(pkg: ZipPackage, kind: ContainerKind, signatureFiles: string[]): string[] {
  return pkg.names.filter((n) => {
    if (signatureFiles.includes(n)) return false
    if (kind === 'odf') return true
    // ASiC: mimetype and META-INF metadata (manifests, other signatures) are not signed data objects.
    return n !== 'mimetype' && !n.startsWith('META-INF/')
  })
}

function partResolver(pkg: ZipPackage): (uri: string) => Promise<ExternalData> {
  return async (uri: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) return { unavailable: text('container.external.notFetched') }
    let name = uri.split('#')[0] ?? ''
    try {
      name = decodeURIComponent(name)
    } catch {
      /* keep as written */
    }
    name = name.replace(/^\.\//, '').replace(/^\//, '')
    if (!pkg.has(name)) return { unavailable: text('container.external.missingPart', { name }) }
    return { bytes: await pkg.read(name), label: name }
  }
}

export async function verifyContainerFile(path: string, ctx: VerificationContext): Promise<FormatVerification> {
  let pkg: ZipPackage
  try {
    pkg = await openZipPackage(path)
  } catch (e) {
    return { fileType: 'zip', signatures: [], ...FileMessages.of('file.error', { file: basename(path), error: (e as Error).message }).fields(), integrity: 'broken' }
  }
  try {
    const { kind } = await containerKind(pkg)
    const fileType = kind === 'odf' ? 'odf' : kind === 'zip' ? 'zip' : 'asic'
    const sigFiles = signatureParts(pkg, kind)
    const cadesSignatures = pkg.names.filter((n) => /^META-INF\/.*\.p7s$/i.test(n))
    const messages = new FileMessages()
    if (kind === 'zip') {
      return { fileType, signatures: [], ...FileMessages.of('container.file.plainZip', { file: basename(path) }).fields(), integrity: 'indeterminate' }
    }
    if (sigFiles.length === 0) {
      if (cadesSignatures.length > 0) {
        return { fileType, signatures: [], ...FileMessages.of('container.file.asicCades', { files: cadesSignatures.join(', ') }).fields(), integrity: 'indeterminate' }
      }
      return { fileType, signatures: [], ...FileMessages.of('container.file.noSignature', { file: basename(path) }).fields() }
    }
    const toCover = partsToCover(pkg, kind, sigFiles)
    const covered = new Set<string>()
    const signatures: SignatureReport[] = []
    let fileLevel: IntegrityClass | undefined
    const resolve = partResolver(pkg)
    const assessments: AssessmentCache = new Map()
    for (const sigFile of sigFiles) {
      let results
      try {
        results = await verifyDocumentSignatures(parseXmlBytes(await pkg.read(sigFile)), resolve)
      } catch (e) {
        if (e instanceof XmlInputError || e instanceof ZipInputError) {
          messages.add('file.error', { file: sigFile, error: e.message })
          fileLevel = e instanceof XmlInputError && e.refused ? 'indeterminate' : 'broken'
          continue
        }
        throw e
      }
      if (results.length === 0) messages.add('container.file.noDsSignature', { file: sigFile })
      for (const r of results) {
        const parts = r.references.filter((x) => x.targetKind === 'external' && x.status === 'valid').map((x) => x.externalLabel!)
        if (r.integrity !== 'broken') for (const p of parts) covered.add(p)
        // An ODF macro signature covers the scripts only (Basic/, Dialogs/, Scripts/ and the manifest).
        const expected = sigFile === 'META-INF/macrosignatures.xml' ? toCover.filter((p) => /^(Basic|Dialogs|Scripts)\//.test(p) || p === 'META-INF/manifest.xml') : toCover
        const missing = expected.filter((p) => !parts.includes(p))
        const coverage =
          missing.length === 0
            ? sigFile === 'META-INF/macrosignatures.xml'
              ? coverageText('element', 'container.coverage.macroParts', { count: expected.length })
              : coverageText('whole', 'container.coverage.allParts', { count: toCover.length })
            : coverageText('partial', 'container.coverage.someParts', { count: parts.length, of: expected.length, file: sigFile, missing: `${missing.slice(0, 8).join(', ')}${missing.length > 8 ? '…' : ''}` })
        const integrity: IntegrityClass = missing.length > 0 && r.integrity === 'intact' ? 'partial' : r.integrity
        signatures.push(await toSignatureReport(r, coverage, integrity, ctx, [], assessments))
      }
    }
    const uncovered = toCover.filter((p) => !covered.has(p))
    if (signatures.length > 0 && uncovered.length > 0) {
      messages.add('container.file.uncoveredParts', { parts: `${uncovered.slice(0, 20).join(', ')}${uncovered.length > 20 ? '…' : ''}` })
      fileLevel = fileLevel ?? 'partial'
    }
    return { fileType, signatures, ...messages.fields(), ...(fileLevel ? { integrity: fileLevel } : {}) }
  } finally {
    pkg.close()
  }
}

export async function verifyContainer(path: string, ctx: VerificationContext): Promise<ValidationReport> {
  const result = await verifyContainerFile(path, ctx)
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
