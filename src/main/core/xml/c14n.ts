/**
 * Canonical XML 1.0 (inclusive) and Exclusive XML Canonicalization 1.0, with or without comments,
 * over an @xmldom/xmldom node: a whole document, or an element subtree (the document subset of a
 * same-document reference `#id`), optionally leaving some nodes out (the enveloped-signature
 * transform). Written for speed over large PES files and checked against xmlsec1 (libxml2).
 */
import { ALG, NS } from './namespaces'

/** The node properties canonicalization reads: satisfied by @xmldom/xmldom nodes and by lite-dom's. */
export interface Node {
  readonly nodeType: number
  readonly parentNode: Node | null
  readonly firstChild: Node | null
  readonly nextSibling: Node | null
}
interface Attr {
  readonly name: string
  readonly value: string
  readonly prefix: string | null
  readonly localName: string | null
  readonly namespaceURI: string | null
}
interface Element extends Node {
  readonly tagName: string
  readonly prefix: string | null
  readonly namespaceURI: string | null
  readonly attributes: ArrayLike<Attr>
  lookupNamespaceURI(prefix: string | null): string | null
}

export type C14nMethod = 'c14n' | 'exc-c14n'

export interface C14nOptions {
  method: C14nMethod
  withComments?: boolean
  /** exclusive only: InclusiveNamespaces PrefixList ('#default' for the default namespace) */
  inclusiveNamespacePrefixes?: readonly string[]
  /** nodes left out together with their descendants (e.g. the enveloped ds:Signature) */
  exclude?: (node: Node) => boolean
}

export class C14nError extends Error {
  override readonly name = 'C14nError'
}

const ELEMENT = 1
const TEXT = 3
const CDATA = 4
const ENTITY_REFERENCE = 5
const PROCESSING_INSTRUCTION = 7
const COMMENT = 8
const DOCUMENT = 9

/** The canonicalization a URI names, or null when it is not one of the four we implement. */
export function c14nFromAlgorithmUri(uri: string): { method: C14nMethod; withComments: boolean } | null {
  switch (uri) {
    case ALG.c14n:
      return { method: 'c14n', withComments: false }
    case ALG.c14nWithComments:
      return { method: 'c14n', withComments: true }
    case ALG.excC14n:
      return { method: 'exc-c14n', withComments: false }
    case ALG.excC14nWithComments:
      return { method: 'exc-c14n', withComments: true }
    default:
      return null
  }
}

const escapeText = (s: string): string =>
  /[&<>\r]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;') : s

const escapeAttr = (s: string): string =>
  /[&<"\t\n\r]/.test(s)
    ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;')
    : s

/** namespace prefix -> URI ('' = default namespace, '' URI = no default namespace) */
type NsMap = ReadonlyMap<string, string>

const isNsDecl = (a: Attr): boolean => a.namespaceURI === NS.xmlns || a.name === 'xmlns' || a.name.startsWith('xmlns:')
const declPrefix = (a: Attr): string => (a.name === 'xmlns' ? '' : a.name.slice(6))

function inScopeNamespaces(el: Element): Map<string, string> {
  const chain: Element[] = []
  for (let n: Node | null = el; n && n.nodeType === ELEMENT; n = n.parentNode) chain.push(n as Element)
  const map = new Map<string, string>([['', '']])
  for (let i = chain.length - 1; i >= 0; i--) {
    const attrs = (chain[i] as Element).attributes
    for (let j = 0; j < attrs.length; j++) {
      const a = attrs[j] as Attr
      if (isNsDecl(a)) map.set(declPrefix(a), a.value)
    }
  }
  return map
}

/** c14n 1.0 carries xml:* attributes of ancestors onto the apex element of a subtree. */
function inheritedXmlAttributes(el: Element): Attr[] {
  const found = new Map<string, Attr>()
  for (let n: Node | null = el.parentNode; n && n.nodeType === ELEMENT; n = n.parentNode) {
    const attrs = (n as Element).attributes
    for (let j = 0; j < attrs.length; j++) {
      const a = attrs[j] as Attr
      if (a.namespaceURI === NS.xml && !found.has(a.localName as string)) found.set(a.localName as string, a)
    }
  }
  return [...found.values()]
}

const compareAttrs = (a: Attr, b: Attr): number => {
  const na = a.namespaceURI ?? ''
  const nb = b.namespaceURI ?? ''
  if (na !== nb) return na < nb ? -1 : 1
  const la = (a.localName ?? a.name) as string
  const lb = (b.localName ?? b.name) as string
  return la < lb ? -1 : la > lb ? 1 : 0
}

class Canonicalizer {
  private readonly out: string[] = []
  private readonly inclusivePrefixes: ReadonlySet<string>

  constructor(private readonly o: C14nOptions) {
    this.inclusivePrefixes = new Set((o.inclusiveNamespacePrefixes ?? []).map((p) => (p === '#default' ? '' : p)))
  }

  run(node: Node): string {
    if (node.nodeType === DOCUMENT) this.document(node)
    else if (node.nodeType === ELEMENT) {
      const el = node as Element
      const rendered: NsMap = new Map([['', '']])
      this.element(el, rendered, this.o.method === 'c14n' ? inScopeNamespaces(el.parentNode?.nodeType === ELEMENT ? (el.parentNode as Element) : el) : null, true)
    } else throw new C14nError('canonicalization applies to a document or an element')
    return this.out.join('')
  }

  private document(doc: Node): void {
    let seenRoot = false
    const rendered: NsMap = new Map([['', '']])
    for (let c = doc.firstChild; c; c = c.nextSibling) {
      if (this.o.exclude?.(c)) continue
      if (c.nodeType === ELEMENT) {
        this.element(c as Element, rendered, this.o.method === 'c14n' ? new Map([['', '']]) : null, false)
        seenRoot = true
      } else if (
        // xmldom keeps the XML declaration as a PI named "xml": it is not part of the data model
        (c.nodeType === PROCESSING_INSTRUCTION && (c as unknown as { target: string }).target !== 'xml') ||
        (c.nodeType === COMMENT && this.o.withComments)
      ) {
        if (seenRoot) this.out.push('\n')
        this.leaf(c)
        if (!seenRoot) this.out.push('\n')
      }
    }
  }

  private leaf(c: Node): void {
    if (c.nodeType === PROCESSING_INSTRUCTION) {
      const data = (c as unknown as { data: string }).data
      this.out.push(`<?${(c as unknown as { target: string }).target}${data ? ' ' + data : ''}?>`)
    } else if (c.nodeType === COMMENT) {
      this.out.push(`<!--${(c as unknown as { data: string }).data}-->`)
    }
  }

  /**
   * @param rendered namespaces rendered by the output ancestors
   * @param parentScope c14n 1.0 only: namespaces in scope at the parent (for the apex: its own scope's parent)
   */
  private element(el: Element, rendered: NsMap, parentScope: Map<string, string> | null, apex: boolean): void {
    const attrs = el.attributes
    const plain: Attr[] = []
    const ownDecls: Attr[] = []
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i] as Attr
      if (isNsDecl(a)) ownDecls.push(a)
      else plain.push(a)
    }
    let nsOut: Array<[string, string]> = []
    let nextRendered: NsMap = rendered
    let scope: Map<string, string> | null = null
    if (this.o.method === 'c14n') {
      // apex: its scope is the full in-scope set of the element itself
      scope = apex ? inScopeNamespaces(el) : new Map(parentScope as Map<string, string>)
      if (!apex) for (const d of ownDecls) scope.set(declPrefix(d), d.value)
      for (const [p, uri] of scope) if (rendered.get(p) !== uri && !(p === '' && uri === '' && !rendered.has(''))) nsOut.push([p, uri])
      if (apex) for (const a of inheritedXmlAttributes(el)) if (!plain.some((x) => x.namespaceURI === NS.xml && x.localName === a.localName)) plain.push(a)
    } else {
      const utilized = new Map<string, string>()
      utilized.set(el.prefix ?? '', el.namespaceURI ?? '')
      for (const a of plain) if (a.prefix && a.prefix !== 'xml') utilized.set(a.prefix, a.namespaceURI ?? '')
      for (const p of this.inclusivePrefixes) {
        if (utilized.has(p)) continue
        const uri = p === '' ? (el.lookupNamespaceURI(null) ?? '') : el.lookupNamespaceURI(p)
        if (uri !== null && (p !== '' || uri !== '')) utilized.set(p, uri)
      }
      for (const [p, uri] of utilized) if ((rendered.get(p) ?? '') !== uri || (p !== '' && !rendered.has(p))) nsOut.push([p, uri])
    }
    if (nsOut.length > 0) {
      nsOut.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      const m = new Map(rendered)
      for (const [p, uri] of nsOut) m.set(p, uri)
      nextRendered = m
    }
    const out = this.out
    out.push('<', el.tagName)
    for (const [p, uri] of nsOut) out.push(p === '' ? ' xmlns="' : ` xmlns:${p}="`, escapeAttr(uri), '"')
    if (plain.length > 1) plain.sort(compareAttrs)
    for (const a of plain) out.push(' ', a.name, '="', escapeAttr(a.value), '"')
    out.push('>')
    for (let c = el.firstChild; c; c = c.nextSibling) this.child(c, nextRendered, scope)
    out.push('</', el.tagName, '>')
  }

  private child(c: Node, rendered: NsMap, scope: Map<string, string> | null): void {
    if (this.o.exclude?.(c)) return
    switch (c.nodeType) {
      case ELEMENT:
        this.element(c as Element, rendered, scope, false)
        break
      case TEXT:
      case CDATA:
        this.out.push(escapeText((c as unknown as { data: string }).data))
        break
      case PROCESSING_INSTRUCTION:
        this.leaf(c)
        break
      case COMMENT:
        if (this.o.withComments) this.leaf(c)
        break
      case ENTITY_REFERENCE:
        for (let g = c.firstChild; g; g = g.nextSibling) this.child(g, rendered, scope)
        break
      default:
        break
    }
  }
}

/** Canonical form (a string; hash its UTF-8 bytes) of a document or of an element and its descendants. */
export function canonicalize(node: Node, options: C14nOptions): string {
  return new Canonicalizer(options).run(node)
}

/** UTF-8 bytes of the canonical form. */
export function canonicalizeToBytes(node: Node, options: C14nOptions): Buffer {
  return Buffer.from(canonicalize(node, options), 'utf8')
}
