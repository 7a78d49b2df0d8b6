/**
 * Safe XML loading for signature verification, on top of the project's parser (src/main/core/xml:
 * declared encoding, ISO-8859-1 through Buffer 'latin1', XML 1.0 line ends, DOCTYPE refused): the
 * original bytes are kept, never re-serialized, and size and depth are bounded before any
 * canonicalization recurses.
 */
import type { Document, Element, Node } from '@xmldom/xmldom'
import { parseXml } from '../../xml/parse'

export const NS_DSIG = 'http://www.w3.org/2000/09/xmldsig#'
export const NS_DSIG11 = 'http://www.w3.org/2009/xmldsig11#'
export const NS_XMLNS = 'http://www.w3.org/2000/xmlns/'
export const NS_XML = 'http://www.w3.org/XML/1998/namespace'

export const MAX_XML_BYTES = 256 * 1024 * 1024
export const MAX_XML_DEPTH = 400

/** Thrown for inputs that cannot be read as XML; `refused` marks a policy refusal (DTD), not damage. */
export class XmlInputError extends Error {
  constructor(
    message: string,
    readonly refused = false,
  ) {
    super(message)
    this.name = 'XmlInputError'
  }
}

export interface LoadedXml {
  /** the bytes as read, never modified */
  bytes: Uint8Array
  encoding: string
  doc: Document
}

/** Parses XML bytes; throws XmlInputError (plain words) on anything not well-formed or refused. */
export function parseXmlBytes(bytes: Uint8Array): LoadedXml {
  if (bytes.byteLength > MAX_XML_BYTES) throw new XmlInputError(`XML file larger than ${MAX_XML_BYTES / 1024 / 1024} MB`)
  let parsed
  try {
    parsed = parseXml(bytes)
  } catch (e) {
    const message = (e as Error).message
    // A DTD is refused by policy: the file may be fine, we just do not process it.
    throw new XmlInputError(message, /DOCTYPE|DTD|entit/i.test(message))
  }
  // XML 1.0 forbids these characters even as text; xmldom lets them through, libxml2 (xmlsec1) does not.
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(parsed.text)
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
    throw new XmlInputError(`not well-formed XML: character U+${code} is not allowed in XML 1.0`)
  }
  checkDepth(parsed.root)
  return { bytes, encoding: parsed.encoding.encoding, doc: parsed.document }
}

function checkDepth(root: Element): void {
  const stack: Array<[Node, number]> = [[root, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (depth > MAX_XML_DEPTH) throw new XmlInputError(`XML nesting deeper than ${MAX_XML_DEPTH} levels`)
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push([c, depth + 1])
  }
}

export function isElement(n: Node | null | undefined): n is Element {
  return !!n && n.nodeType === 1
}

export function childElements(el: Node): Element[] {
  const out: Element[] = []
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element)
  return out
}

export function childrenNS(el: Node, ns: string, local: string): Element[] {
  return childElements(el).filter((c) => c.namespaceURI === ns && c.localName === local)
}

export function firstChildNS(el: Node, ns: string, local: string): Element | null {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).namespaceURI === ns && (c as Element).localName === local) return c as Element
  }
  return null
}

/** Descendant elements (document order) matching a namespace test and local name. */
export function descendantsNS(root: Node, nsTest: (ns: string | null) => boolean, local: string): Element[] {
  const out: Element[] = []
  const walk = (n: Node): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType !== 1) continue
      const e = c as Element
      if (e.localName === local && nsTest(e.namespaceURI)) out.push(e)
      walk(e)
    }
  }
  walk(root)
  return out
}

export function textOf(el: Element | null | undefined): string {
  return el?.textContent?.trim() ?? ''
}

export function base64Bytes(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'base64')
}

export function isAncestorOrSelf(ancestor: Node, node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) if (n === ancestor) return true
  return false
}

/** A short human label for an element: name plus its Id when it has one. */
export function describeElement(el: Element): string {
  const id = el.getAttribute('Id') || el.getAttribute('ID') || el.getAttribute('id')
  return id ? `${el.localName ?? el.tagName} "${id}"` : (el.localName ?? el.tagName)
}

export interface IdIndex {
  /** elements by Id/ID/id/xml:id value; more than one element means a duplicate */
  byId: Map<string, Element[]>
  duplicates: string[]
}

/** One pass over the document: every Id-like attribute value and the elements carrying it. */
export function indexIds(doc: Document): IdIndex {
  const byId = new Map<string, Element[]>()
  const stack: Node[] = doc.documentElement ? [doc.documentElement] : []
  while (stack.length > 0) {
    const el = stack.pop() as Element
    const attrs = el.attributes
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!
      const isId =
        (!a.namespaceURI && (a.localName === 'Id' || a.localName === 'ID' || a.localName === 'id')) ||
        (a.namespaceURI === NS_XML && a.localName === 'id')
      if (!isId) continue
      const list = byId.get(a.value)
      if (list) {
        if (!list.includes(el)) list.push(el)
      } else byId.set(a.value, [el])
    }
    for (let c = el.lastChild; c; c = c.previousSibling) if (c.nodeType === 1) stack.push(c)
  }
  const duplicates = [...byId.entries()].filter(([, l]) => l.length > 1).map(([k]) => k)
  return { byId, duplicates }
}
