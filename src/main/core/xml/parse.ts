/**
 * Safe XML parsing for files from outside: @xmldom/xmldom (never fetches anything), XML 1.0 line-end
 * normalisation only (xmldom's default also folds U+0085/U+2028, which XML 1.0 parsers such as
 * libxml2 keep: a digest computed over that DOM would not match theirs), no DOCTYPE unless asked,
 * and never entity declarations or external identifiers.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom'
import { type DetectedEncoding, decodeXml, detectXmlEncoding } from './encoding'

export class XmlParseError extends Error {
  override readonly name = 'XmlParseError'
}

export interface ParseXmlOptions {
  /** accept a DOCTYPE without entity declarations or external identifiers (default false) */
  allowDoctype?: boolean
}

export interface ParsedXml {
  document: Document
  root: Element
  /** the decoded text (BOM removed) */
  text: string
  encoding: DetectedEncoding
}

const xml10LineEnds = (s: string): string => s.replace(/\r\n?/g, '\n')

/** Parse text already decoded (no encoding detection). */
export function parseXmlText(text: string, options: ParseXmlOptions = {}): { document: Document; root: Element } {
  // look at the DOCTYPE before xmldom does: it would only complain later about an unknown entity
  const prologEnd = text.search(/<[A-Za-z_:]/)
  const prolog = prologEnd < 0 ? text : text.slice(0, prologEnd)
  if (/<!DOCTYPE/.test(prolog)) {
    if (!options.allowDoctype) throw new XmlParseError('XML documents with a DOCTYPE declaration are not accepted')
    if (/<!ENTITY/i.test(prolog)) throw new XmlParseError('XML documents declaring entities are not accepted')
  }
  let firstError: string | null = null
  const parser = new DOMParser({
    normalizeLineEndings: xml10LineEnds,
    onError: (level, message) => {
      if (level === 'warning') return
      firstError ??= message
      throw new XmlParseError(`the XML is not well-formed: ${String(message).split('\n')[0]}`)
    },
  })
  let document: Document
  try {
    document = parser.parseFromString(text, 'application/xml')
  } catch (e) {
    if (e instanceof XmlParseError) throw e
    throw new XmlParseError(`the XML is not well-formed: ${firstError ?? (e as Error).message}`)
  }
  const doctype = document.doctype
  if (doctype) {
    if (!options.allowDoctype) throw new XmlParseError('XML documents with a DOCTYPE declaration are not accepted')
    if (doctype.publicId || doctype.systemId) throw new XmlParseError('XML documents referring to an external DTD are not accepted')
    if (/<!ENTITY/i.test(doctype.internalSubset ?? '')) throw new XmlParseError('XML documents declaring entities are not accepted')
  }
  const root = document.documentElement
  if (!root) throw new XmlParseError('the XML document has no root element')
  return { document, root }
}

/** Detect the encoding, decode and parse a document's bytes. Throws XmlEncodingError or XmlParseError. */
export function parseXml(bytes: Uint8Array, options: ParseXmlOptions = {}): ParsedXml {
  if (bytes.length === 0) throw new XmlParseError('the file is empty')
  const encoding = detectXmlEncoding(bytes)
  const text = decodeXml(bytes, encoding)
  const { document, root } = parseXmlText(text, options)
  return { document, root, text, encoding }
}


