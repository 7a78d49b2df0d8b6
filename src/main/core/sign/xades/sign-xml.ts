/**
 * Generic XAdES (EN 319 132, namespace 1.3.2): enveloped, enveloping or detached, B-B or B-T.
 * Enveloped signatures are inserted into the original bytes before the root's end tag: the document
 * keeps its encoding and every byte it had.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { canonicalize } from '../../xml/c14n'
import { decodeXml, encodeXmlText, type XmlEncoding, XmlEncodingError } from '../../xml/encoding'
import { applyByteEdits, scanElementSpans, XmlScanError } from '../../xml/element-spans'
import { ALG, NS } from '../../xml/namespaces'
import { parseXmlBytesLite, parseXmlLite } from '../../xml/lite-dom'
import { XmlParseError } from '../../xml/parse'
import type { Signer } from '../signer'
import { buildXadesSignature, newXmlId, type SignedReference } from './signature-builder'
import {
  type ProductionPlace,
  type SignaturePolicy,
  type TimestampRequester,
  type XadesLevel,
  XadesSignError,
} from './types'
import { writeFileAtomic } from '../output'

export type XadesMode = 'enveloped' | 'enveloping' | 'detached'

export interface SignXmlOptions {
  input: string
  output: string
  signer: Signer
  mode: XadesMode
  level: XadesLevel
  timestamp?: TimestampRequester
  policy?: SignaturePolicy
  role?: string | readonly string[]
  place?: ProductionPlace
  signingTime?: Date
  /** replace `output` when it exists (default: refuse) */
  overwrite?: boolean
}

export interface SignXmlResult {
  output: string
  mode: XadesMode
  level: XadesLevel
  signatureId: string
  signingTime: Date
  /** encoding of the output document */
  encoding: XmlEncoding
}

const sha256 = (data: string | Uint8Array): Buffer => createHash('sha256').update(data).digest()

/** Turn parser/encoding errors about the input into plain messages naming the file. */
function readableInputError(e: unknown, input: string): never {
  if (e instanceof XmlParseError || e instanceof XmlEncodingError || e instanceof XmlScanError) {
    throw new XadesSignError(`${input}: ${e.message}`, { cause: e })
  }
  throw e
}

/**
 * The data file's name, percent-encoded: a detached signature travels next to its file (verifiers
 * look for it there, and many refuse references climbing out of the signature's folder).
 */
function detachedUri(input: string): string {
  return encodeURIComponent(basename(input))
}

export async function signXml(o: SignXmlOptions): Promise<SignXmlResult> {
  if (o.level === 'B-T' && !o.timestamp) throw new XadesSignError('level B-T needs a timestamp authority (TSA); configure one or sign at level B-B')
  if (resolve(o.input) === resolve(o.output)) throw new XadesSignError('the output must be a new file: the input is never modified')
  const signingTime = o.signingTime ?? new Date()
  const roles = o.role === undefined ? [] : typeof o.role === 'string' ? [o.role] : [...o.role]
  const signatureId = newXmlId('xades')
  const common = {
    signer: o.signer,
    version: '1.3.2' as const,
    signatureId,
    signingTime,
    policy: o.policy,
    roles,
    place: o.place,
    timestamp: o.level === 'B-T' ? o.timestamp : undefined,
  }
  const bytes = await readFile(o.input)
  let out: Buffer
  let encoding: XmlEncoding = 'UTF-8'

  if (o.mode === 'detached') {
    const refId = `${signatureId}-ref0`
    const references: SignedReference[] = [
      { id: refId, uri: detachedUri(o.input), transforms: [], digest: sha256(bytes), mimeType: /\.xml$/i.test(o.input) ? 'text/xml' : 'application/octet-stream' },
    ]
    const signature = await buildXadesSignature({ ...common, references })
    out = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${signature}\n`, 'utf8')
  } else {
    let parsed: ReturnType<typeof parseXmlBytesLite>
    let spans: ReturnType<typeof scanElementSpans>
    try {
      parsed = parseXmlBytesLite(bytes)
      spans = scanElementSpans(bytes)
    } catch (e) {
      readableInputError(e, o.input)
    }
    encoding = parsed.encoding.encoding
    if (o.mode === 'enveloped') {
      // URI="": the whole document without comments, minus this signature (enveloped transform)
      const refId = `${signatureId}-ref0`
      const digest = sha256(canonicalize(parsed.document, { method: 'exc-c14n' }))
      const signature = await buildXadesSignature({
        ...common,
        references: [{ id: refId, uri: '', transforms: [ALG.envelopedSignature, ALG.excC14n], digest, mimeType: 'text/xml' }],
      })
      out = insertBeforeEndTag(bytes, spans, 0, parsed.root.tagName, signature, encoding)
    } else {
      // enveloping: the root element, as written, inside a ds:Object
      const rootEnd = bytes.indexOf(0x3e, spans.endTagStart[0] as number) + 1
      const rootText = decodeXml(bytes.subarray(spans.start[0] as number, rootEnd), { ...parsed.encoding, bomLength: 0 })
      const objectId = `${signatureId}-obj`
      const objectXml = `<ds:Object Id="${objectId}" MimeType="text/xml">${rootText}</ds:Object>`
      const { root } = parseXmlLite(`<w xmlns:ds="${NS.ds}">${objectXml}</w>`)
      const digest = sha256(canonicalize(root.firstChild as NonNullable<typeof root.firstChild>, { method: 'exc-c14n' }))
      const signature = await buildXadesSignature({
        ...common,
        references: [{ id: `${signatureId}-ref0`, uri: `#${objectId}`, transforms: [ALG.excC14n], digest, mimeType: 'text/xml' }],
        objects: objectXml,
        prefixes: { ds: 'ds', xades: 'xades' },
      })
      out = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${signature}\n`, 'utf8')
      encoding = 'UTF-8'
    }
  }
  await writeFileAtomic(o.output, out, { force: o.overwrite ?? false })
  return { output: o.output, mode: o.mode, level: o.level, signatureId, signingTime, encoding }
}

/**
 * Insert `signatureXml` as the last child of the element at `index` (document order), in the
 * document's encoding; an empty-element tag `<x/>` becomes `<x>…</x>`.
 */
export function insertBeforeEndTag(
  bytes: Uint8Array,
  spans: ReturnType<typeof scanElementSpans>,
  index: number,
  tagName: string,
  signatureXml: string,
  encoding: XmlEncoding,
): Buffer {
  return applyByteEdits(bytes, [signatureInsertion(spans, index, tagName, signatureXml, encoding)])
}

export function signatureInsertion(
  spans: ReturnType<typeof scanElementSpans>,
  index: number,
  tagName: string,
  signatureXml: string,
  encoding: XmlEncoding,
): { at: number; remove: number; insert: Uint8Array } {
  const at = spans.endTagStart[index] as number
  if (spans.selfClosing[index]) {
    return { at, remove: 2, insert: encodeXmlText(`>${signatureXml}</${tagName}>`, encoding) }
  }
  return { at, remove: 0, insert: encodeXmlText(signatureXml, encoding) }
}

