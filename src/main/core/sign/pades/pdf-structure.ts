/**
 * What the signer needs to know about an existing document: its catalog, one page, the form fields
 * (names, signature fields) and the certification (DocMDP) permissions. Only these objects are read.
 */
import { SourcePdf, PdfStructureError } from './source-pdf'
import { PdfDict, PdfRef, PdfString, isName, type PdfObject } from '../../pdf'

export interface PageInfo {
  ref: PdfRef
  dict: PdfDict
  /** visible area (CropBox, else MediaBox) [llx, lly, urx, ury] */
  box: [number, number, number, number]
  rotate: number
}

export interface FieldInfo {
  /** fully qualified name (partial names joined with '.') */
  name: string
  ref?: PdfRef
  isSignature: boolean
  signed: boolean
}

export interface DocMdpInfo {
  /** 1: no changes; 2: form filling and signing; 3: also annotations */
  permissions: 1 | 2 | 3
  signatureRef?: PdfRef
}

export interface DocumentInfo {
  catalogRef: PdfRef
  catalog: PdfDict
  pageCount: number
  /** the AcroForm dictionary, and its reference when it is an indirect object */
  acroForm?: PdfDict
  acroFormRef?: PdfRef
  fields: FieldInfo[]
  docMdp?: DocMdpInfo
}

const MAX_FIELDS = 100_000

export async function readDocumentInfo(file: SourcePdf): Promise<DocumentInfo> {
  const catalogRef = file.trailer.get('Root') as PdfRef
  const catalog = await file.resolveDict(catalogRef)
  if (!catalog) throw new PdfStructureError('the PDF catalog (/Root) is missing or is not a dictionary')
  const pagesRoot = await file.resolveDict(catalog.get('Pages'))
  if (!pagesRoot) throw new PdfStructureError('the PDF has no page tree')
  const count = await file.resolve(pagesRoot.get('Count'))
  const pageCount = typeof count === 'number' ? count : 0

  const acroFormObj = catalog.get('AcroForm')
  const acroForm = await file.resolveDict(acroFormObj)
  const acroFormRef = acroFormObj instanceof PdfRef && acroForm ? acroFormObj : undefined
  const fields = acroForm ? await collectFields(file, acroForm) : []
  const docMdp = await readDocMdp(file, catalog)
  return { catalogRef, catalog, pageCount, acroForm, acroFormRef, fields, docMdp }
}

async function collectFields(file: SourcePdf, acroForm: PdfDict): Promise<FieldInfo[]> {
  const out: FieldInfo[] = []
  const seen = new Set<string>()
  const top = await file.resolve(acroForm.get('Fields'))
  if (!Array.isArray(top)) return out
  const walk = async (items: PdfObject[], prefix: string, inheritedFt: PdfObject | undefined, depth: number) => {
    if (depth > 32) return
    for (const item of items) {
      if (out.length > MAX_FIELDS) throw new PdfStructureError('the PDF has too many form fields')
      if (item instanceof PdfRef) {
        if (seen.has(item.key)) continue
        seen.add(item.key)
      }
      const d = await file.resolveDict(item)
      if (!d) continue
      const t = await file.resolve(d.get('T'))
      const partial = t instanceof PdfString ? t.text() : undefined
      const fullName = partial === undefined ? prefix : prefix ? `${prefix}.${partial}` : partial
      const ft = d.get('FT') ?? inheritedFt
      const kids = await file.resolve(d.get('Kids'))
      const kidFields = Array.isArray(kids) ? kids : []
      if (partial !== undefined) {
        out.push({
          name: fullName,
          ref: item instanceof PdfRef ? item : undefined,
          isSignature: isName(ft, 'Sig'),
          signed: isName(ft, 'Sig') && d.get('V') !== undefined && d.get('V') !== null,
        })
      }
      if (kidFields.length) await walk(kidFields, fullName, ft, depth + 1)
    }
  }
  await walk(top, '', undefined, 0)
  return out
}

async function readDocMdp(file: SourcePdf, catalog: PdfDict): Promise<DocMdpInfo | undefined> {
  const perms = await file.resolveDict(catalog.get('Perms'))
  if (!perms) return undefined
  const sigObj = perms.get('DocMDP')
  const sig = await file.resolveDict(sigObj)
  if (!sig) return undefined
  let permissions: 1 | 2 | 3 = 2
  const refs = await file.resolve(sig.get('Reference'))
  if (Array.isArray(refs)) {
    for (const r of refs) {
      const sr = await file.resolveDict(r)
      if (!sr || !isName(await file.resolve(sr.get('TransformMethod')), 'DocMDP')) continue
      const params = await file.resolveDict(sr.get('TransformParams'))
      const p = params ? await file.resolve(params.get('P')) : undefined
      if (p === 1 || p === 2 || p === 3) permissions = p
    }
  }
  return { permissions, signatureRef: sigObj instanceof PdfRef ? sigObj : undefined }
}

/** Find page `pageNumber` (1-based) by walking the page tree with /Count, reading only one branch. */
export async function findPage(file: SourcePdf, catalog: PdfDict, pageNumber: number): Promise<PageInfo> {
  const rootObj = catalog.get('Pages')
  let node = await file.resolveDict(rootObj)
  let nodeRef = rootObj instanceof PdfRef ? rootObj : undefined
  if (!node) throw new PdfStructureError('the PDF has no page tree')
  let remaining = pageNumber - 1
  const inherited: { MediaBox?: PdfObject; CropBox?: PdfObject; Rotate?: PdfObject } = {}
  const visited = new Set<string>()
  for (let depth = 0; depth < 64; depth++) {
    for (const k of ['MediaBox', 'CropBox', 'Rotate'] as const) {
      const v = node.get(k)
      if (v !== undefined) inherited[k] = v
    }
    if (isName(node.get('Type'), 'Page') || !node.has('Kids')) {
      if (remaining !== 0 || !nodeRef) break
      const box = (await readBox(file, inherited.CropBox)) ?? (await readBox(file, inherited.MediaBox)) ?? [0, 0, 612, 792]
      const rot = await file.resolve(inherited.Rotate)
      return { ref: nodeRef, dict: node, box, rotate: typeof rot === 'number' ? ((rot % 360) + 360) % 360 : 0 }
    }
    const kids = await file.resolve(node.get('Kids'))
    if (!Array.isArray(kids)) break
    let next: { dict: PdfDict; ref: PdfRef } | undefined
    for (const kid of kids) {
      if (!(kid instanceof PdfRef) || visited.has(kid.key)) continue
      const kd = await file.resolveDict(kid)
      if (!kd) continue
      const isLeaf = isName(kd.get('Type'), 'Page') || !kd.has('Kids')
      const c = isLeaf ? 1 : await file.resolve(kd.get('Count'))
      const n = typeof c === 'number' ? c : 0
      if (remaining < n) {
        visited.add(kid.key)
        next = { dict: kd, ref: kid }
        break
      }
      remaining -= n
    }
    if (!next) break
    node = next.dict
    nodeRef = next.ref
  }
  throw new PdfStructureError(`page ${pageNumber} does not exist in this PDF`)
}

async function readBox(file: SourcePdf, obj: PdfObject | undefined): Promise<[number, number, number, number] | undefined> {
  const arr = await file.resolve(obj)
  if (!Array.isArray(arr) || arr.length !== 4) return undefined
  const nums: number[] = []
  for (const x of arr) {
    const v = await file.resolve(x)
    if (typeof v !== 'number') return undefined
    nums.push(v)
  }
  const [a, b, c, d] = nums as [number, number, number, number]
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)]
}
