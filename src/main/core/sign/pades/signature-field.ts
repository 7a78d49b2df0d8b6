/**
 * Adding a signature field to a document in an incremental update: the signature dictionary, a
 * field merged with its widget annotation, the page's /Annots, the AcroForm's /Fields and /SigFlags.
 * Existing objects are rewritten only when they hold what changes (an indirect /Annots or /Fields
 * array is rewritten instead of its page or form).
 */
import type { IncrementalUpdate } from './incremental-update'
import type { SourcePdf } from './source-pdf'
import type { DocumentInfo, PageInfo } from './pdf-structure'
import { PdfDict, PdfRef, PdfStream, PdfString, name } from '../../pdf'

export interface AddFieldOptions {
  fieldName: string
  signatureDict: PdfDict
  page: PageInfo
  /** widget rectangle in page space; [0,0,0,0] for an invisible signature */
  rect: [number, number, number, number]
  /** normal appearance; when absent an empty one is written for visible widgets */
  appearance?: PdfStream
  /** the catalog as it will be written (a caller may already have changed it) */
  catalog: PdfDict
}

/** Returns whether the catalog dictionary passed in was changed (the caller then writes it). */
export async function addSignatureField(file: SourcePdf, doc: DocumentInfo, update: IncrementalUpdate, opts: AddFieldOptions): Promise<{ signatureRef: PdfRef; fieldRef: PdfRef; catalogChanged: boolean }> {
  const signatureRef = update.add(opts.signatureDict)
  const widget = new PdfDict([
    ['Type', name('Annot')],
    ['Subtype', name('Widget')],
    ['FT', name('Sig')],
    ['T', PdfString.fromText(opts.fieldName)],
    ['V', signatureRef],
    ['F', 132], // Print + Locked
    ['Rect', opts.rect],
    ['P', opts.page.ref],
  ])
  const visible = opts.rect[2] - opts.rect[0] > 0 && opts.rect[3] - opts.rect[1] > 0
  if (opts.appearance || visible) {
    const w = opts.rect[2] - opts.rect[0]
    const h = opts.rect[3] - opts.rect[1]
    const ap =
      opts.appearance ??
      PdfStream.fromData(new PdfDict([['Type', name('XObject')], ['Subtype', name('Form')], ['BBox', [0, 0, w, h]]]), new Uint8Array())
    widget.set('AP', new PdfDict([['N', update.add(ap)]]))
  }
  const fieldRef = update.add(widget)

  // page /Annots
  const annots = opts.page.dict.get('Annots')
  if (annots instanceof PdfRef) {
    const arr = await file.resolve(annots)
    update.set(annots, [...(Array.isArray(arr) ? arr : []), fieldRef])
  } else {
    const page = opts.page.dict.clone()
    page.set('Annots', [...(Array.isArray(annots) ? annots : []), fieldRef])
    update.set(opts.page.ref, page)
  }

  // AcroForm /Fields and /SigFlags (1: signatures exist, 2: append only)
  let catalogChanged = false
  const form = doc.acroForm ? doc.acroForm.clone() : new PdfDict()
  const fields = form.get('Fields')
  if (fields instanceof PdfRef) {
    const arr = await file.resolve(fields)
    update.set(fields, [...(Array.isArray(arr) ? arr : []), fieldRef])
  } else form.set('Fields', [...(Array.isArray(fields) ? fields : []), fieldRef])
  const flags = await file.resolve(form.get('SigFlags'))
  form.set('SigFlags', (typeof flags === 'number' ? flags : 0) | 3)
  if (doc.acroFormRef) update.set(doc.acroFormRef, form)
  else {
    opts.catalog.set('AcroForm', update.add(form))
    catalogChanged = true
  }
  // the field now exists: later fields in the same session must not reuse the name
  doc.fields.push({ name: opts.fieldName, ref: fieldRef, isSignature: true, signed: true })
  return { signatureRef, fieldRef, catalogChanged }
}

/** Signature1, Signature2... the first name no existing field uses (compared case-sensitively, as PDF does). */
export function uniqueFieldName(doc: DocumentInfo, base = 'Signature'): string {
  const taken = new Set(doc.fields.map((f) => f.name))
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`
}

export function pdfDate(d: Date): string {
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0')
  const off = -d.getTimezoneOffset()
  const sign = off >= 0 ? '+' : '-'
  return (
    `D:${pad(d.getFullYear(), 4)}${pad(d.getMonth() + 1)}${pad(d.getDate())}${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}` +
    `${sign}${pad(Math.trunc(off / 60))}'${pad(off % 60)}'`
  )
}
