/**
 * What each object of one document state is for: catalog, page tree, pages, annotations and
 * their appearance streams, form fields, signature dictionaries, DSS, metadata, and who refers to
 * whom. Modification analysis compares two such maps (the signed revision and the final file).
 */
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, dictOf, type PdfObject } from '../../pdf/objects'
import type { PdfView } from '../../pdf/reader'

export interface Referrer {
  /** object number holding the reference, or -1 for the trailer */
  from: number
  /** key path inside the holder, e.g. 'AP/N', 'Annots[]', 'Resources/XObject/Im1' */
  path: string
}

export interface FieldInfo {
  num: number
  /** fully qualified name (parent names joined with '.') */
  name: string
  /** field type, inherited from parents */
  type: string | undefined
}

export interface DocumentMap {
  view: PdfView
  catalogNum: number | null
  infoNum: number | null
  pageTree: Set<number>
  /** page object number -> 1-based page number */
  pages: Map<number, number>
  /** annotation object -> page object (and indirect Annots arrays -> page) */
  annotations: Map<number, number>
  annotsArrays: Map<number, number>
  /** appearance streams (and indirect appearance dictionaries) -> annotation */
  appearance: Map<number, number>
  acroFormNum: number | null
  fieldsArrays: Set<number>
  fields: Map<number, FieldInfo>
  /** signature value dictionaries (field /V of signature fields, /Perms entries) */
  signatureDicts: Set<number>
  dss: Set<number>
  metadata: Set<number>
  perms: Set<number>
  /** every object reachable from the trailer, with its referrers */
  referrers: Map<number, Referrer[]>
  /** the walk stopped at its object budget: reachability is incomplete */
  truncated: boolean
}

const MAX_OBJECTS = 500_000
const MAX_DEPTH = 64

export async function mapDocument(view: PdfView): Promise<DocumentMap> {
  const rootRef = view.trailer.get('Root')
  const infoRef = view.trailer.get('Info')
  const map: DocumentMap = {
    view,
    catalogNum: rootRef instanceof PdfRef ? rootRef.num : null,
    infoNum: infoRef instanceof PdfRef ? infoRef.num : null,
    pageTree: new Set(),
    pages: new Map(),
    annotations: new Map(),
    annotsArrays: new Map(),
    appearance: new Map(),
    acroFormNum: null,
    fieldsArrays: new Set(),
    fields: new Map(),
    signatureDicts: new Set(),
    dss: new Set(),
    metadata: new Set(),
    perms: new Set(),
    referrers: new Map(),
    truncated: false,
  }
  await walkReferences(view, map)
  const catalog = await view.catalog()
  if (!catalog) return map
  await mapPages(view, map, catalog.get('Pages'))
  const acro = catalog.get('AcroForm')
  if (acro instanceof PdfRef) map.acroFormNum = acro.num
  const acroDict = await view.dict(acro)
  const fieldsRef = acroDict?.get('Fields')
  if (fieldsRef instanceof PdfRef) map.fieldsArrays.add(fieldsRef.num)
  const fields = await view.array(fieldsRef)
  if (fields) for (const f of fields) await mapField(view, map, f, '', undefined, 0, new Set())
  const dss = catalog.get('DSS')
  if (dss) await collectReachable(view, dss, map.dss)
  const md = catalog.get('Metadata')
  if (md instanceof PdfRef) map.metadata.add(md.num)
  const perms = catalog.get('Perms')
  if (perms instanceof PdfRef) map.perms.add(perms.num)
  const permsDict = await view.dict(perms)
  for (const k of ['DocMDP', 'UR3', 'UR']) {
    const s = permsDict?.get(k)
    if (s instanceof PdfRef) map.signatureDicts.add(s.num)
  }
  return map
}

async function walkReferences(view: PdfView, map: DocumentMap): Promise<void> {
  const queue: number[] = []
  const add = (num: number, r: Referrer): void => {
    const list = map.referrers.get(num)
    if (list) {
      if (list.length < 64) list.push(r)
      return
    }
    if (map.referrers.size >= MAX_OBJECTS) {
      map.truncated = true
      return
    }
    map.referrers.set(num, [r])
    queue.push(num)
  }
  const visit = (v: PdfObject | undefined, from: number, path: string, depth: number): void => {
    if (depth > MAX_DEPTH || v === undefined || v === null) return
    if (v instanceof PdfRef) add(v.num, { from, path })
    else if (Array.isArray(v)) for (const x of v) visit(x, from, path + '[]', depth + 1)
    else if (v instanceof PdfDict) for (const [k, x] of v.entries) visit(x, from, path ? `${path}/${k}` : k, depth + 1)
    else if (v instanceof PdfStream) visit(v.dict, from, path, depth + 1)
  }
  for (const [k, x] of view.trailer.entries) if (k === 'Root' || k === 'Info' || k === 'Encrypt') visit(x, -1, k, 0)
  while (queue.length) {
    const num = queue.pop()!
    const o = await view.get(num)
    if (o) visit(o.value, num, '', 0)
  }
}

async function mapPages(view: PdfView, map: DocumentMap, node: PdfObject | undefined): Promise<void> {
  const stack: { ref: PdfObject | undefined; depth: number }[] = [{ ref: node, depth: 0 }]
  const order: number[] = []
  // depth-first in document order
  const visitNode = async (ref: PdfObject | undefined, depth: number): Promise<void> => {
    if (!(ref instanceof PdfRef) || depth > MAX_DEPTH || map.pageTree.has(ref.num) || map.pages.has(ref.num)) return
    const d = await view.dict(ref)
    if (!d) return
    const kids = await view.array(d.get('Kids'))
    if (d.name('Type') === 'Pages' || (kids && d.name('Type') !== 'Page')) {
      map.pageTree.add(ref.num)
      const kidsRef = d.get('Kids')
      if (kidsRef instanceof PdfRef) map.pageTree.add(kidsRef.num)
      for (const k of kids ?? []) await visitNode(k, depth + 1)
      return
    }
    order.push(ref.num)
    map.pages.set(ref.num, order.length)
    const annotsRef = d.get('Annots')
    if (annotsRef instanceof PdfRef) map.annotsArrays.set(annotsRef.num, ref.num)
    for (const a of (await view.array(annotsRef)) ?? []) {
      if (!(a instanceof PdfRef)) continue
      map.annotations.set(a.num, ref.num)
      const ad = await view.dict(a)
      const ap = ad?.get('AP')
      if (ap instanceof PdfRef) map.appearance.set(ap.num, a.num)
      const apd = await view.dict(ap)
      for (const k of ['N', 'D', 'R']) {
        const e = apd?.get(k)
        if (e instanceof PdfRef) {
          map.appearance.set(e.num, a.num)
          const ed = await view.resolve(e)
          if (ed instanceof PdfDict) for (const s of ed.entries.values()) if (s instanceof PdfRef) map.appearance.set(s.num, a.num)
        } else if (e instanceof PdfDict) for (const s of e.entries.values()) if (s instanceof PdfRef) map.appearance.set(s.num, a.num)
      }
    }
  }
  for (const s of stack) await visitNode(s.ref, s.depth)
}

async function mapField(
  view: PdfView,
  map: DocumentMap,
  ref: PdfObject,
  prefix: string,
  inheritedType: string | undefined,
  depth: number,
  seen: Set<number>,
): Promise<void> {
  if (!(ref instanceof PdfRef) || depth > MAX_DEPTH || seen.has(ref.num)) return
  seen.add(ref.num)
  const d = await view.dict(ref)
  if (!d) return
  const t = d.get('T')
  const partial = t instanceof PdfString ? t.text() : ''
  const name = partial ? (prefix ? `${prefix}.${partial}` : partial) : prefix
  const type = d.name('FT') ?? inheritedType
  map.fields.set(ref.num, { num: ref.num, name, type })
  if (type === 'Sig') {
    const v = d.get('V')
    if (v instanceof PdfRef) map.signatureDicts.add(v.num)
  }
  const kidsRef = d.get('Kids')
  if (kidsRef instanceof PdfRef) map.fieldsArrays.add(kidsRef.num)
  for (const k of (await view.array(kidsRef)) ?? []) await mapField(view, map, k, name, type, depth + 1, seen)
}

async function collectReachable(view: PdfView, start: PdfObject, into: Set<number>): Promise<void> {
  const stack: PdfObject[] = [start]
  let budget = 200_000
  while (stack.length && budget-- > 0) {
    const v = stack.pop()!
    if (v instanceof PdfRef) {
      if (into.has(v.num)) continue
      into.add(v.num)
      const o = await view.get(v.num)
      if (o) stack.push(o.value)
    } else if (Array.isArray(v)) stack.push(...v)
    else if (v instanceof PdfDict) stack.push(...v.entries.values())
    else if (v instanceof PdfStream) stack.push(v.dict)
  }
}

/** A short description of an object for messages: its /Type and /Subtype. */
export function describeObject(v: PdfObject | undefined): string {
  const d = dictOf(v)
  if (!d) return Array.isArray(v) ? 'array' : v instanceof PdfString ? 'string' : typeof v === 'number' ? 'number' : 'object'
  const type = d.get('Type')
  const sub = d.get('Subtype')
  const parts = [type instanceof PdfName ? type.name : null, sub instanceof PdfName ? sub.name : null].filter(Boolean)
  if (parts.length) return parts.join('/')
  return v instanceof PdfStream ? 'stream' : 'dictionary'
}
