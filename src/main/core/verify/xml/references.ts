/**
 * ds:Reference processing: dereference the URI (same-document Id, whole document, local file or
 * package part; never the network), apply the transforms allowed by policy, digest, compare, and
 * report WHAT the reference points at so the caller can check it is the element a reader sees.
 */
import type { CharacterData, Document, Element, Node } from '@xmldom/xmldom'
import { C14N10, c14nMethod, canonicalize, type NodeSubset } from './c14n'
import { NS_DSIG, base64Bytes, childrenNS, describeElement, descendantsNS, firstChildNS, isAncestorOrSelf, parseXmlBytes, XmlInputError, type IdIndex } from './dom'
import { digest, digestName } from './algorithms'
import { ref as messageRef, text as codedText, type CodedText } from '../texts'
import type { MessageParams, MessageRef } from '../../../../shared/model/validation'

export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature'
export const BASE64 = 'http://www.w3.org/2000/09/xmldsig#base64'
export const XPATH = 'http://www.w3.org/TR/1999/REC-xpath-19991116'
export const XSLT = 'http://www.w3.org/TR/1999/REC-xslt-19991116'
export const XPATH_FILTER2 = 'http://www.w3.org/2002/06/xmldsig-filter2'

/** What an external (non same-document) URI resolved to; `unavailable` explains why not. */
export type ExternalData = { bytes: Uint8Array; label: string } | { unavailable: CodedText }

export interface ReferenceEnv {
  doc: Document
  ids: IdIndex
  /** the ds:Signature holding the reference (what "enveloped" removes) */
  signature: Element
  resolveExternal: (uri: string) => Promise<ExternalData>
}

export type TargetKind = 'document' | 'element' | 'external' | 'none'

export interface ReferenceResult {
  uri: string | null
  type: string | null
  /** 'valid' | 'mismatch' (HASH_FAILURE) | 'structural' (FORMAT_FAILURE) | 'unavailable' | 'refused' (policy) */
  status: 'valid' | 'mismatch' | 'structural' | 'unavailable' | 'refused'
  message: string
  code: string
  params?: MessageParams
  targetKind: TargetKind
  /** the same-document element the reference signs (document element for URI="") */
  target: Element | null
  /** label of the external data (file name, package part) */
  externalLabel: string | null
  enveloped: boolean
  digestAlgorithm: string | null
}

type Data = { kind: 'nodes'; set: NodeSubset } | { kind: 'octets'; bytes: Buffer }

function normalizeXPath(expr: string): string {
  return expr.replace(/\s+/g, '')
}

/** XPath transforms we understand: the two spellings of "drop the enveloped signature(s)". */
function xpathAsEnveloped(transform: Element): 'own' | 'all' | null {
  const xp = firstChildNS(transform, NS_DSIG, 'XPath')
  if (!xp) return null
  const expr = normalizeXPath(xp.textContent ?? '')
  const prefix = [...expr.matchAll(/ancestor-or-self::([A-Za-z_][\w.-]*):Signature/g)].map((m) => m[1])
  if (prefix.length === 0) return null
  const p = prefix[0]!
  if (xp.lookupNamespaceURI(p) !== NS_DSIG) return null
  if (expr === `not(ancestor-or-self::${p}:Signature)`) return 'all'
  if (expr === `count(ancestor-or-self::${p}:Signature|here()/ancestor::${p}:Signature[1])>count(ancestor-or-self::${p}:Signature)`) return 'own'
  return null
}

function textOfSubset(set: NodeSubset): string {
  const parts: string[] = []
  const walk = (n: Node): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (set.exclude.has(c)) continue
      if (c.nodeType === 3 || c.nodeType === 4) parts.push((c as CharacterData).data)
      else if (c.nodeType === 1) walk(c)
    }
  }
  walk(set.apex)
  return parts.join('')
}

function fail(base: Omit<ReferenceResult, 'status' | 'message' | 'code' | 'params'>, status: ReferenceResult['status'], t: CodedText): ReferenceResult {
  return { ...base, status, ...t }
}

export async function processReference(ref: Element, env: ReferenceEnv): Promise<ReferenceResult> {
  const uri = ref.hasAttribute('URI') ? ref.getAttribute('URI') : null
  const type = ref.getAttribute('Type') || null
  const digestMethod = firstChildNS(ref, NS_DSIG, 'DigestMethod')?.getAttribute('Algorithm') ?? null
  const base: Omit<ReferenceResult, 'status' | 'message' | 'code' | 'params'> = {
    uri,
    type,
    targetKind: 'none',
    target: null,
    externalLabel: null,
    enveloped: false,
    digestAlgorithm: digestMethod,
  }
  const label: MessageRef = uri === null ? messageRef('xml.ref.label.noUri') : uri === '' ? messageRef('xml.ref.label.document') : messageRef('xml.ref.label.uri', { uri: uri.length > 80 ? uri.slice(0, 80) + '…' : uri })


  // Dereference.
  let data: Data
  if (uri === null) {
    return fail(base, 'unavailable', codedText('xml.ref.noUri'))
  } else if (uri === '' || uri === '#xpointer(/)') {
    base.targetKind = 'document'
    base.target = env.doc.documentElement
    data = { kind: 'nodes', set: { apex: env.doc, exclude: new Set(), commentsInSet: uri !== '' } }
  } else if (uri.startsWith('#')) {
    const frag = uri.slice(1)
    const xp = /^xpointer\(id\(['"]([^'"]+)['"]\)\)$/.exec(frag)
    const id = xp ? xp[1]! : frag
    if (!xp && frag.startsWith('xpointer(')) return fail(base, 'refused', codedText('xml.ref.xpointerUnsupported', { label }))
    const found = env.ids.byId.get(id) ?? []
    if (found.length > 1) {
      return fail(base, 'structural', codedText('xml.ref.duplicateId', { label, count: found.length, id }))
    }
    const el = found[0]
    if (!el) return fail(base, 'structural', codedText('xml.ref.idNotFound', { label, id }))
    base.targetKind = 'element'
    base.target = el
    data = { kind: 'nodes', set: { apex: el, exclude: new Set(), commentsInSet: !!xp } }
  } else {
    const ext = await env.resolveExternal(uri)
    if ('unavailable' in ext) {
      base.targetKind = 'external'
      base.externalLabel = uri
      return fail(base, 'unavailable', codedText('xml.ref.detail', { label, detail: messageRef(ext.unavailable.code, ext.unavailable.params) }))
    }
    base.targetKind = 'external'
    base.externalLabel = ext.label
    data = { kind: 'octets', bytes: Buffer.from(ext.bytes) }
  }

  if (!digestMethod || !digestName(digestMethod)) {
    return fail(base, 'refused', codedText('xml.ref.digestUnsupported', { label, alg: digestMethod ?? '(none)' }))
  }
  const digestValueEl = firstChildNS(ref, NS_DSIG, 'DigestValue')
  if (!digestValueEl) return fail(base, 'structural', codedText('xml.ref.noDigestValue', { label }))
  const expected = base64Bytes(digestValueEl.textContent ?? '')

  // Transforms.
  const transformsEl = firstChildNS(ref, NS_DSIG, 'Transforms')
  const transforms = transformsEl ? childrenNS(transformsEl, NS_DSIG, 'Transform') : []
  for (const t of transforms) {
    const alg = t.getAttribute('Algorithm') ?? ''
    const method = c14nMethod(alg)
    if (alg === ENVELOPED || (alg === XPATH && xpathAsEnveloped(t))) {
      if (data.kind !== 'nodes') return fail(base, 'structural', codedText('xml.ref.envelopedOnBinary', { label }))
      const apex = data.set.apex
      const containsSignature = apex.nodeType === 9 || isAncestorOrSelf(apex, env.signature)
      if (!containsSignature || apex === env.signature) {
        return fail(
          base,
          'structural',
          codedText('xml.ref.envelopedNotContaining', { label, element: base.target ? describeElement(base.target) : '' }),
        )
      }
      const exclude = new Set(data.set.exclude)
      if (alg === XPATH && xpathAsEnveloped(t) === 'all') {
        for (const s of descendantsNS(apex, (ns) => ns === NS_DSIG, 'Signature')) exclude.add(s)
      } else exclude.add(env.signature)
      base.enveloped = true
      data = { kind: 'nodes', set: { ...data.set, exclude } }
    } else if (method) {
      if (data.kind === 'octets') {
        try {
          const parsed = parseXmlBytes(data.bytes)
          data = { kind: 'nodes', set: { apex: parsed.doc, exclude: new Set(), commentsInSet: true } }
        } catch (e) {
          const refused = e instanceof XmlInputError && e.refused
          return fail(base, refused ? 'refused' : 'structural', codedText('xml.ref.detail', { label, detail: messageRef('text', { text: (e as Error).message }) }))
        }
      }
      const prefixes = method.exclusive
        ? (firstChildNS(t, 'http://www.w3.org/2001/10/xml-exc-c14n#', 'InclusiveNamespaces')?.getAttribute('PrefixList') ?? '')
            .split(/\s+/)
            .filter(Boolean)
        : []
      data = { kind: 'octets', bytes: canonicalize(data.set, method, prefixes) }
    } else if (alg === BASE64) {
      const text = data.kind === 'nodes' ? textOfSubset(data.set) : data.bytes.toString('latin1')
      data = { kind: 'octets', bytes: base64Bytes(text) }
    } else if (alg === XSLT) {
      return fail(base, 'refused', codedText('xml.ref.xsltRefused', { label }))
    } else if (alg === XPATH || alg === XPATH_FILTER2) {
      return fail(base, 'refused', codedText('xml.ref.xpathUnsupported', { label }))
    } else {
      return fail(base, 'refused', codedText('xml.ref.transformUnsupported', { label, alg: alg || '(none)' }))
    }
  }
  const octets = data.kind === 'octets' ? data.bytes : canonicalize(data.set, c14nMethod(C14N10)!)
  const actual = digest(digestMethod, octets)!
  if (!actual.equals(expected)) return fail(base, 'mismatch', codedText('xml.ref.digestMismatch', { label }))
  return { ...base, status: 'valid', ...codedText('xml.ref.digestOk', { label }) }
}

