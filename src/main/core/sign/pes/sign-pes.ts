/**
 * PES V2 (Helios) signing: one enveloped XAdES 1.1.1 signature per Bordereau that has an Id, as the
 * bordereau's last child, reference `#Id`, exclusive c14n, SHA-256. When a bordereau has no Id, the
 * whole PES_Aller is signed instead (reference `#rootId`, or "" when the root has no Id either).
 *
 * The document is parsed once and never re-serialized: each bordereau's digest is the exclusive
 * c14n of its element in the parsed DOM (what a verifier computes after the enveloped-signature
 * transform removes our signature, since nothing else changes), and the signatures' bytes, in the
 * file's own encoding, are inserted before the end tags in one pass over the original bytes.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { canonicalize } from '../../xml/c14n'
import { type XmlEncoding, XmlEncodingError } from '../../xml/encoding'
import { applyByteEdits, type ByteEdit, elementOrderIndexes, scanElementSpans, XmlScanError } from '../../xml/element-spans'
import { ALG, NS } from '../../xml/namespaces'
import { type LiteElement as Element, type LiteNode, parseXmlBytesLite } from '../../xml/lite-dom'
import { XmlParseError } from '../../xml/parse'
import type { Signer } from '../signer'
import { signatureInsertion } from '../xades/sign-xml'
import { buildXadesSignature, newXmlId } from '../xades/signature-builder'
import {
  type ProductionPlace,
  type SignaturePolicy,
  type TimestampRequester,
  type XadesLevel,
  XadesSignError,
} from '../xades/types'
import { writeFileAtomic } from '../output'

export class PesError extends XadesSignError {}

export const PES_ALLER_NS = 'http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller'

export interface SignPesOptions {
  input: string
  output: string
  signer: Signer
  /** the Helios signature policy (resources/signature-policies/helios-pes-v2.json) */
  policyProfile: SignaturePolicy
  /** ClaimedRole, e.g. "Ordonnateur" */
  role?: string
  place?: ProductionPlace
  level?: XadesLevel
  timestamp?: TimestampRequester
  signingTime?: Date
  /** replace `output` when it exists (default: refuse) */
  overwrite?: boolean
  /** called after each signature, for progress display */
  onProgress?: (done: number, total: number) => void
  /** cancels between two signatures; nothing is written then */
  signal?: AbortSignal
}

export type PesTarget = 'bordereau' | 'root' | 'document'

export interface PesSignatureResult {
  /** the bordereau's Id; for target 'root' the PES_Aller's Id; null for 'document' */
  bordereauId: string | null
  target: PesTarget
  signatureId: string
}

export interface SignPesResult {
  /** null when nothing needed signing (no file written) */
  output: string | null
  encoding: XmlEncoding
  level: XadesLevel
  bordereauCount: number
  signed: PesSignatureResult[]
  alreadySigned: Array<{ bordereauId: string | null; target: PesTarget }>
  signingTime: Date
}

const isElement = (n: LiteNode | null): n is Element => !!n && n.nodeType === 1

function hasOwnSignature(el: Element): boolean {
  for (let c = el.firstChild; c; c = c.nextSibling) if (isElement(c) && c.localName === 'Signature' && c.namespaceURI === NS.ds) return true
  return false
}

function findBordereaux(root: Element): Element[] {
  const found: Element[] = []
  const stack: Element[] = [root]
  while (stack.length > 0) {
    const n = stack.pop() as Element
    for (let c = n.lastChild; c; c = c.previousSibling) {
      if (!isElement(c)) continue
      if (c.localName === 'Bordereau') found.push(c)
      // a ds:Signature never holds bordereaux
      else if (c.namespaceURI !== NS.ds) stack.push(c)
    }
  }
  return found.reverse()
}

/** True when the root element is a PES_Aller (the flow sent to Helios). */
export function isPesAller(root: Element): boolean {
  return root.localName === 'PES_Aller' && (root.namespaceURI === null || root.namespaceURI === '' || root.namespaceURI === PES_ALLER_NS)
}

/** Cheap check on a file's bytes (for choosing the format): a PES_Aller root element. */
export function looksLikePesAller(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1')
  return /<(?:[A-Za-z_][\w.-]*:)?PES_Aller[\s>/]/.test(head)
}

interface Job {
  element: Element
  target: PesTarget
  id: string | null
}

export async function signPes(o: SignPesOptions): Promise<SignPesResult> {
  const level = o.level ?? 'B-B'
  if (level === 'B-T' && !o.timestamp) throw new PesError('level B-T needs a timestamp authority (TSA); configure one or sign at level B-B')
  if (resolve(o.input) === resolve(o.output)) throw new PesError('the output must be a new file: the input is never modified')
  const signingTime = o.signingTime ?? new Date()
  const bytes = await readFile(o.input)
  let parsed: ReturnType<typeof parseXmlBytesLite>
  try {
    parsed = parseXmlBytesLite(bytes)
  } catch (e) {
    if (e instanceof XmlParseError || e instanceof XmlEncodingError) throw new PesError(`${o.input}: ${e.message}`, { cause: e })
    throw e
  }
  const { root, encoding } = parsed
  if (!isPesAller(root)) throw new PesError(`${o.input} is not a PES_Aller file (root element: ${root.tagName})`)

  const bordereaux = findBordereaux(root)
  const idOf = (el: Element): string | null => {
    const v = el.getAttribute('Id')
    return v && v.trim() !== '' ? v : null
  }
  const jobs: Job[] = []
  if (bordereaux.length > 0 && bordereaux.every((b) => idOf(b) !== null)) {
    const seen = new Set<string>()
    for (const b of bordereaux) {
      const id = idOf(b) as string
      if (seen.has(id)) throw new PesError(`two bordereaux have the same Id "${id}": a reference #${id} would be ambiguous`)
      seen.add(id)
      jobs.push({ element: b, target: 'bordereau', id })
    }
  } else {
    const rootId = idOf(root)
    jobs.push({ element: root, target: rootId ? 'root' : 'document', id: rootId })
  }
  // an Id must designate exactly one element, or a verifier may check something else than we signed
  const idCounts = countIdAttributes(root)
  for (const j of jobs) if (j.id !== null && idCounts.get(j.id) !== 1) throw new PesError(`the Id "${j.id}" is used by several elements`)

  const toSign = jobs.filter((j) => !hasOwnSignature(j.element))
  const alreadySigned = jobs.filter((j) => hasOwnSignature(j.element)).map((j) => ({ bordereauId: j.id, target: j.target }))
  const base = {
    output: null,
    encoding: encoding.encoding,
    level,
    bordereauCount: bordereaux.length,
    alreadySigned,
    signingTime,
  }
  if (toSign.length === 0) return { ...base, signed: [] }

  let spans: ReturnType<typeof scanElementSpans>
  try {
    spans = scanElementSpans(bytes)
  } catch (e) {
    if (e instanceof XmlScanError) throw new PesError(`${o.input}: ${e.message}`, { cause: e })
    throw e
  }
  const order = elementOrderIndexes(root, toSign.map((j) => j.element))
  const edits: ByteEdit[] = []
  const signed: PesSignatureResult[] = []
  for (const job of toSign) {
    if (o.signal?.aborted) throw new PesError('signing cancelled: nothing was written')
    const index = order.get(job.element)
    if (index === undefined || index >= spans.count) throw new PesError('internal error: element not found in the file bytes')
    checkTagAt(bytes, spans.start[index] as number, job.element.tagName)
    const digest = createHash('sha256')
      .update(canonicalize(job.target === 'document' ? parsed.document : job.element, { method: 'exc-c14n' }), 'utf8')
      .digest()
    const signatureId = newXmlId(`${job.id ?? 'PES'}_SIG`)
    const signature = await buildXadesSignature({
      signer: o.signer,
      version: '1.1.1',
      signatureId,
      references: [{ uri: job.id ? `#${job.id}` : '', transforms: [ALG.envelopedSignature, ALG.excC14n], digest }],
      signingTime,
      policy: o.policyProfile,
      roles: o.role ? [o.role] : [],
      place: o.place,
      timestamp: level === 'B-T' ? o.timestamp : undefined,
      prefixes: { ds: 'ds', xades: 'xad' },
    })
    edits.push(signatureInsertion(spans, index, job.element.tagName, signature, encoding.encoding))
    signed.push({ bordereauId: job.id, target: job.target, signatureId })
    o.onProgress?.(signed.length, toSign.length)
  }
  await writeFileAtomic(o.output, applyByteEdits(bytes, edits), { force: o.overwrite ?? false })
  return { ...base, output: o.output, signed }
}

function countIdAttributes(root: Element): Map<string, number> {
  const counts = new Map<string, number>()
  const stack: Element[] = [root]
  while (stack.length > 0) {
    const el = stack.pop() as Element
    const id = el.getAttribute('Id')
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1)
    for (let c = el.firstChild; c; c = c.nextSibling) if (isElement(c)) stack.push(c)
  }
  return counts
}

/** Guard against any disagreement between the byte scanner and the parser. */
function checkTagAt(bytes: Uint8Array, at: number, tagName: string): void {
  const name = Buffer.from(tagName, 'utf8')
  const ok = bytes[at] === 0x3c && Buffer.from(bytes.buffer, bytes.byteOffset + at + 1, name.length).equals(name)
  if (!ok && /^[\x00-\x7f]*$/.test(tagName)) throw new PesError('internal error: the file bytes and the parsed document disagree')
}
