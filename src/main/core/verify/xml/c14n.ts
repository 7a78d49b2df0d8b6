/**
 * XML canonicalization (C14N 1.0, C14N 1.1, Exclusive C14N, with or without comments) over the node
 * sets XML signatures actually use: a whole document or an element subtree, minus excluded subtrees
 * (the enveloped signature). Works on the parsed DOM in one pass, so a PES with hundreds of bordereaux
 * is parsed once and each bordereau canonicalized on its own.
 */
import type { Attr, CharacterData, Comment, Document, Element, Node, ProcessingInstruction } from '@xmldom/xmldom'
import { NS_XML, NS_XMLNS } from './dom'

export const C14N10 = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'
export const C14N10_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments'
export const C14N11 = 'http://www.w3.org/2006/12/xml-c14n11'
export const C14N11_COMMENTS = 'http://www.w3.org/2006/12/xml-c14n11#WithComments'
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'
export const EXC_C14N_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments'

export interface C14nMethod {
  exclusive: boolean
  withComments: boolean
  version11: boolean
}

export function c14nMethod(algorithm: string): C14nMethod | null {
  switch (algorithm) {
    case C14N10:
      return { exclusive: false, withComments: false, version11: false }
    case C14N10_COMMENTS:
      return { exclusive: false, withComments: true, version11: false }
    case C14N11:
      return { exclusive: false, withComments: false, version11: true }
    case C14N11_COMMENTS:
      return { exclusive: false, withComments: true, version11: true }
    case EXC_C14N:
      return { exclusive: true, withComments: false, version11: false }
    case EXC_C14N_COMMENTS:
      return { exclusive: true, withComments: true, version11: false }
    default:
      return null
  }
}

/** The node set to canonicalize: a document or an element subtree, minus some subtrees. */
export interface NodeSubset {
  apex: Document | Element
  exclude: ReadonlySet<Node>
  /** false when the dereferenced URI already dropped comments (URI="" and "#id") */
  commentsInSet: boolean
}

type NsMap = Map<string, string>

function escapeText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'))
}

function escapeAttr(s: string): string {
  return s.replace(/[&<"\t\n\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '"' ? '&quot;' : c === '\t' ? '&#x9;' : c === '\n' ? '&#xA;' : '&#xD;',
  )
}

function isNsDecl(a: Attr): boolean {
  return a.namespaceURI === NS_XMLNS || a.name === 'xmlns' || a.name.startsWith('xmlns:')
}

function declaredPrefix(a: Attr): string {
  return a.name === 'xmlns' ? '' : a.name.slice(6)
}

/** Namespace declarations in scope at `el` (nearest wins), '' for the default namespace. */
function inScopeNamespaces(el: Element | null): NsMap {
  const chain: Element[] = []
  for (let n: Node | null = el; n && n.nodeType === 1; n = n.parentNode) chain.push(n as Element)
  const map: NsMap = new Map()
  for (let i = chain.length - 1; i >= 0; i--) applyDecls(chain[i]!, map)
  return map
}

function applyDecls(el: Element, map: NsMap): void {
  const attrs = el.attributes
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i)!
    if (isNsDecl(a)) map.set(declaredPrefix(a), a.value)
  }
}

function hasNsDecls(el: Element): boolean {
  const attrs = el.attributes
  for (let i = 0; i < attrs.length; i++) if (isNsDecl(attrs.item(i)!)) return true
  return false
}

function prefixOf(qname: string): string {
  const i = qname.indexOf(':')
  return i < 0 ? '' : qname.slice(0, i)
}

export function canonicalize(set: NodeSubset, method: C14nMethod, inclusivePrefixes: readonly string[] = []): Buffer {
  const out: string[] = []
  const keepComments = method.withComments && set.commentsInSet
  const inclusive = new Set(inclusivePrefixes.map((p) => (p === '#default' ? '' : p)))

  const renderChildren = (parent: Node, inScope: NsMap, rendered: NsMap): void => {
    for (let c = parent.firstChild; c; c = c.nextSibling) {
      if (set.exclude.has(c)) continue
      switch (c.nodeType) {
        case 1:
          renderElement(c as Element, inScope, rendered, false)
          break
        case 3:
        case 4:
          out.push(escapeText((c as CharacterData).data))
          break
        case 7: {
          const pi = c as ProcessingInstruction
          out.push(pi.data ? `<?${pi.target} ${pi.data}?>` : `<?${pi.target}?>`)
          break
        }
        case 8:
          if (keepComments) out.push(`<!--${(c as Comment).data}-->`)
          break
        default:
          break
      }
    }
  }

  const renderElement = (el: Element, parentInScope: NsMap, rendered: NsMap, isApex: boolean): void => {
    let inScope = parentInScope
    if (hasNsDecls(el)) {
      inScope = new Map(parentInScope)
      applyDecls(el, inScope)
    }
    // Namespace declarations to output on this element.
    const nsOut: Array<[string, string]> = []
    if (method.exclusive) {
      const used = new Set<string>([prefixOf(el.tagName)])
      const attrs = el.attributes
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs.item(i)!
        if (isNsDecl(a)) continue
        const p = prefixOf(a.name)
        if (p && p !== 'xml') used.add(p)
      }
      for (const p of inclusive) if (inScope.has(p)) used.add(p)
      for (const p of used) {
        const uri = inScope.get(p) ?? ''
        if (p === '') {
          if ((rendered.get('') ?? '') !== uri) nsOut.push(['', uri])
        } else if (uri !== '' && rendered.get(p) !== uri) nsOut.push([p, uri])
      }
    } else {
      for (const [p, uri] of inScope) {
        if (p === 'xml') continue
        if (p === '') {
          if ((rendered.get('') ?? '') !== uri) nsOut.push(['', uri])
        } else if (uri !== '' && rendered.get(p) !== uri) nsOut.push([p, uri])
      }
    }
    let childRendered = rendered
    if (nsOut.length > 0) {
      childRendered = new Map(rendered)
      for (const [p, uri] of nsOut) childRendered.set(p, uri)
      nsOut.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    }

    // Ordinary attributes, plus inherited xml:* attributes when the parent is outside the node set.
    const attrList: Array<{ ns: string; local: string; name: string; value: string }> = []
    const attrs = el.attributes
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!
      if (isNsDecl(a)) continue
      attrList.push({ ns: a.namespaceURI ?? '', local: a.localName ?? a.name, name: a.name, value: a.value })
    }
    if (isApex && !method.exclusive) {
      const have = new Set(attrList.filter((a) => a.ns === NS_XML).map((a) => a.local))
      const inheritable = method.version11 ? new Set(['lang', 'space']) : null
      for (let n: Node | null = el.parentNode; n && n.nodeType === 1; n = n.parentNode) {
        const pa = (n as Element).attributes
        for (let i = 0; i < pa.length; i++) {
          const a = pa.item(i)!
          if (a.namespaceURI !== NS_XML) continue
          const local = a.localName ?? a.name.slice(4)
          if (have.has(local) || (inheritable && !inheritable.has(local))) continue
          have.add(local)
          attrList.push({ ns: NS_XML, local, name: `xml:${local}`, value: a.value })
        }
      }
    }
    attrList.sort((a, b) => (a.ns !== b.ns ? (a.ns < b.ns ? -1 : 1) : a.local < b.local ? -1 : a.local > b.local ? 1 : 0))

    let open = `<${el.tagName}`
    for (const [p, uri] of nsOut) open += p === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${p}="${escapeAttr(uri)}"`
    for (const a of attrList) open += ` ${a.name}="${escapeAttr(a.value)}"`
    out.push(open + '>')
    renderChildren(el, inScope, childRendered)
    out.push(`</${el.tagName}>`)
  }

  if (set.apex.nodeType === 9) {
    const doc = set.apex as Document
    let seenRoot = false
    for (let c = doc.firstChild; c; c = c.nextSibling) {
      if (set.exclude.has(c)) continue
      // xmldom keeps the XML declaration as a processing instruction; it is not part of the data model.
      if (c.nodeType === 7 && (c as ProcessingInstruction).target.toLowerCase() === 'xml') continue
      if (c.nodeType === 1) {
        renderElement(c as Element, new Map(), new Map(), true)
        seenRoot = true
      } else if (c.nodeType === 7 || (c.nodeType === 8 && keepComments)) {
        const text =
          c.nodeType === 7
            ? (c as ProcessingInstruction).data
              ? `<?${(c as ProcessingInstruction).target} ${(c as ProcessingInstruction).data}?>`
              : `<?${(c as ProcessingInstruction).target}?>`
            : `<!--${(c as Comment).data}-->`
        out.push(seenRoot ? '\n' + text : text + '\n')
      }
    }
  } else {
    const el = set.apex as Element
    const parent = el.parentNode && el.parentNode.nodeType === 1 ? (el.parentNode as Element) : null
    renderElement(el, inScopeNamespaces(parent), new Map(), true)
  }
  return Buffer.from(out.join(''), 'utf8')
}
