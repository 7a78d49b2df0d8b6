/**
 * Modification analysis: what changed between the revision a signature covers and the final
 * file, object by object, and whether each change is one the format allows after signing
 * (later signatures and their fields, DSS/VRI, document timestamps, metadata, form filling and
 * annotations as DocMDP/FieldMDP permit) or not (page content, resources, fonts, pages added or
 * removed, catalog changes, overwritten shared appearance streams, altered signatures).
 */
import { PdfDict, PdfRef, PdfStream, sameObject, dictOf, type PdfObject } from '../../pdf/objects'
import type { PdfReader, PdfRevision } from '../../pdf/reader'
import { describeObject, type DocumentMap } from './document-map'
import { text, type CodedText } from '../texts'
import type { MessageParams } from '../../../../shared/model/validation'

export interface FieldLock {
  /** 'All' locks every field, 'Include' the listed ones, 'Exclude' all but the listed ones */
  action: 'All' | 'Include' | 'Exclude'
  fields: string[]
}

export interface ModificationPolicy {
  /** DocMDP permission of the certification signature, null when the document is not certified */
  docMdp: 1 | 2 | 3 | null
  locks: FieldLock[]
}

export interface DetectedChange {
  kind: string
  allowed: boolean
  description: string
  revision: number | null
  code?: string
  params?: MessageParams
  /** 'unexplained': bytes or objects that cannot be attributed (maps to partial, not modified) */
  severity?: 'unexplained'
}

/** Annotation types that only add an icon or a link, never content drawn over the page. */
const BENIGN_ANNOTATIONS = new Set(['Link', 'Popup', 'Text', 'Highlight', 'Underline', 'StrikeOut', 'Squiggly'])
/** Annotation flags that may be added after signing: Print, ReadOnly, Locked, LockedContents. */
const HARMLESS_FLAGS = 4 | 64 | 128 | 512

export async function analyseChanges(
  reader: PdfReader,
  signed: DocumentMap,
  final: DocumentMap,
  revisions: PdfRevision[],
  policy: ModificationPolicy,
): Promise<DetectedChange[]> {
  const a = new ChangeAnalysis(reader, signed, final, revisions, policy)
  return a.run()
}

class ChangeAnalysis {
  private readonly out: DetectedChange[] = []
  constructor(
    private readonly reader: PdfReader,
    private readonly S: DocumentMap,
    private readonly F: DocumentMap,
    private readonly revisions: PdfRevision[],
    private readonly policy: ModificationPolicy,
  ) {}

  private get P(): 1 | 2 | 3 | null {
    return this.policy.docMdp
  }

  private push(kind: string, allowed: boolean, t: CodedText, num: number | null, severity?: 'unexplained'): void {
    this.out.push({ kind, allowed, description: t.message, code: t.code, ...(t.params ? { params: t.params } : {}), revision: num === null ? null : this.revisionOf(num), ...(severity ? { severity } : {}) })
  }

  private revisionOf(num: number): number | null {
    const e = this.F.view.locate(num)
    let offset: number | null = null
    if (e?.type === 'offset') offset = e.offset
    else if (e?.type === 'compressed') {
      const s = this.F.view.locate(e.streamNum)
      if (s?.type === 'offset') offset = s.offset
    }
    if (offset === null) return null
    const r = this.revisions.find((x) => offset! < x.end)
    return r ? r.index : this.revisions.length + 1
  }

  async run(): Promise<DetectedChange[]> {
    const S = this.S.view
    const F = this.F.view
    // trailer-level changes
    const rootS = S.trailer.get('Root')
    const rootF = F.trailer.get('Root')
    if (!(rootS instanceof PdfRef) || !(rootF instanceof PdfRef) || rootS.num !== rootF.num) {
      this.push('catalog-replaced', false, text('pdf.change.catalogReplaced'), null)
    }
    if (!sameObject(S.trailer.get('Encrypt'), F.trailer.get('Encrypt')))
      this.push('encryption-changed', false, text('pdf.change.encryptionChanged'), null)
    if (F.repaired && !S.repaired)
      this.push('structure-damaged', false, text('pdf.change.structureDamaged'), null, 'unexplained')

    const nums = new Set<number>([...S.entries.keys(), ...F.entries.keys()])
    for (const num of nums) {
      if (this.sameLocation(num)) continue
      await F.get(num) // loading marks entries that point to the wrong place
      if (F.misplaced.has(num) && !S.misplaced.has(num)) {
        this.push('xref-tampered', false, text('pdf.change.xrefTampered', { num }), num)
        continue
      }
      const oa = await S.get(num)
      const ob = await F.get(num)
      if (!oa && !ob) continue
      if (oa && ob && (await this.sameContent(oa.value, ob.value))) continue
      if (!oa) {
        await this.classifyAdded(num, ob!.value)
        continue
      }
      if (!ob) {
        this.classifyDeleted(num, oa.value)
        continue
      }
      await this.classifyModified(num, oa.value, ob.value)
    }
    return this.out
  }

  private sameLocation(num: number): boolean {
    const a = this.S.view.locate(num)
    const b = this.F.view.locate(num)
    if (!a || !b) return false
    if (a.type === 'offset' && b.type === 'offset') return a.offset === b.offset
    if (a.type === 'compressed' && b.type === 'compressed') {
      if (a.streamNum !== b.streamNum || a.index !== b.index) return false
      const sa = this.S.view.locate(a.streamNum)
      const sb = this.F.view.locate(b.streamNum)
      return sa?.type === 'offset' && sb?.type === 'offset' && sa.offset === sb.offset
    }
    return a.type === 'free' && b.type === 'free'
  }

  private async sameContent(x: PdfObject, y: PdfObject): Promise<boolean> {
    if (!sameObject(x, y)) return false
    if (x instanceof PdfStream && y instanceof PdfStream) {
      if (x.dataOffset === y.dataOffset) return true
      const [dx, dy] = await Promise.all([this.reader.rawStreamData(x), this.reader.rawStreamData(y)])
      return dx.equals(dy)
    }
    return true
  }

  private signingAllowed(isDocTimestamp: boolean): boolean {
    return this.P !== 1 || isDocTimestamp
  }

  private fieldLocked(name: string): boolean {
    return this.policy.locks.some((l) =>
      l.action === 'All' ? true : l.action === 'Include' ? l.fields.includes(name) : !l.fields.includes(name),
    )
  }

  private async isDocTimestampValue(map: DocumentMap, v: PdfObject | undefined): Promise<boolean> {
    const d = await map.view.dict(v)
    return d?.name('Type') === 'DocTimeStamp' || d?.name('SubFilter') === 'ETSI.RFC3161'
  }

  private async classifyAdded(num: number, value: PdfObject): Promise<void> {
    const d = dictOf(value)
    const type = d?.name('Type')
    if (value instanceof PdfStream && (type === 'XRef' || type === 'ObjStm')) return
    // Additions matter only through the objects that refer to them (classified as modifications);
    // DSS content is reported here because the DSS dictionary itself may be new.
    if (this.F.dss.has(num) && d?.name('Type') === 'DSS') this.push('dss-added', true, text('pdf.change.dssAdded'), num)
    if (!this.F.referrers.has(num) && this.F.truncated)
      this.push('unknown', false, text('pdf.change.objectAddedUnchecked', { num, type: describeObject(value) }), num)
  }

  private classifyDeleted(num: number, old: PdfObject): void {
    if (!this.S.referrers.has(num) && !this.S.truncated) return
    if (this.S.dss.has(num)) {
      this.push('dss-updated', true, text('pdf.change.dssUpdated'), null)
      return
    }
    this.push('object-deleted', false, text('pdf.change.objectDeleted', { num, type: describeObject(old) }), null)
  }

  private async classifyModified(num: number, a: PdfObject, b: PdfObject): Promise<void> {
    const S = this.S
    const desc = describeObject(a)
    if (num === S.catalogNum) return this.diffCatalog(num, a, b)
    if (S.pageTree.has(num)) {
      const ca = dictOf(a)?.number('Count')
      const cb = dictOf(b)?.number('Count')
      const what = ca !== undefined && cb !== undefined && ca !== cb ? (cb > ca ? text('pdf.change.pagesAdded', { count: cb - ca }) : text('pdf.change.pagesRemoved', { count: ca - cb })) : text('pdf.change.pageTreeChanged')
      return this.push(cb !== undefined && ca !== undefined && cb > ca ? 'page-added' : ca !== undefined && cb !== undefined && cb < ca ? 'page-removed' : 'pages-changed', false, what, num)
    }
    if (S.pages.has(num)) return this.diffPage(num, a, b)
    if (S.annotsArrays.has(num)) return this.diffAnnotList(num, S.annotsArrays.get(num)!, a, b)
    if (num === S.acroFormNum) return this.diffAcroForm(num, a, b)
    if (S.fieldsArrays.has(num)) return this.diffFieldList(num, a, b)
    if (S.signatureDicts.has(num)) return this.push('signature-altered', false, text('pdf.change.signatureRewritten'), num)
    if (S.fields.has(num) || S.annotations.has(num)) return this.diffFieldOrAnnot(num, a, b)
    if (S.dss.has(num)) return this.push('dss-updated', true, text('pdf.change.dssUpdated'), num)
    if (num === S.infoNum || S.metadata.has(num)) return this.push('metadata-updated', true, text('pdf.change.metadataUpdated'), num)
    if (S.appearance.has(num)) return this.appearanceChanged(num, a)
    if (this.onlyFormResources(num)) return this.push('form-resources-updated', this.P !== 1, text('pdf.change.formResourceUpdated', { num, type: desc }), num)
    if (S.perms.has(num)) return this.push('permissions-changed', false, text('pdf.change.permsChanged'), num)
    if (!S.referrers.has(num) && !S.truncated) {
      if (!this.F.referrers.has(num) && !this.F.truncated) return // unused before and after: no effect
      return this.push('object-reused', false, text('pdf.change.objectReused', { num, type: desc }), num)
    }
    const paths = (S.referrers.get(num) ?? []).map((r) => r.path).join(' ')
    const kind = /(^|\/)Contents/.test(paths)
      ? 'page-content-changed'
      : /Font|FontFile|DescendantFonts|FontDescriptor/.test(paths) || /^Font/.test(desc)
        ? 'font-changed'
        : /XObject/.test(paths) || /XObject/.test(desc)
          ? 'xobject-changed'
          : /Resources/.test(paths)
            ? 'resources-changed'
            : 'object-modified'
    this.push(kind, false, text('pdf.change.objectChanged', { num, type: desc }), num)
  }

  private keysChanged(a: PdfDict | undefined, b: PdfDict | undefined): string[] {
    const keys = new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])])
    return [...keys].filter((k) => !sameObject(a?.get(k), b?.get(k)))
  }

  private async diffCatalog(num: number, a: PdfObject, b: PdfObject): Promise<void> {
    const da = dictOf(a)
    const db = dictOf(b)
    for (const k of this.keysChanged(da, db)) {
      const va = da?.get(k)
      const vb = db?.get(k)
      switch (k) {
        case 'AcroForm':
          if (va === undefined) this.push('form-created', this.signingAllowed(false), text('pdf.change.formCreated'), num)
          else if (va instanceof PdfDict && vb instanceof PdfDict) await this.diffAcroForm(num, va, vb)
          else if (va instanceof PdfRef && vb instanceof PdfRef) this.push('form-replaced', false, text('pdf.change.formReplaced'), num)
          else this.push('form-replaced', false, text('pdf.change.formReplacedOrRemoved'), num)
          break
        case 'DSS':
          this.push('dss-updated', true, text('pdf.change.dssAddedOrUpdated'), num)
          break
        case 'Extensions':
        case 'Version':
        case 'Metadata':
        case 'PieceInfo':
          this.push('metadata-updated', true, text('pdf.change.catalogEntryUpdated', { key: k }), num)
          break
        case 'Perms':
          this.push('permissions-changed', false, text('pdf.change.permsAddedOrChanged'), num)
          break
        case 'Pages':
          this.push('pages-changed', false, text('pdf.change.pageTreeReplaced'), num)
          break
        default:
          this.push('catalog-changed', false, text(`pdf.change.catalogEntry${va === undefined ? 'Added' : vb === undefined ? 'Removed' : 'Changed'}${k === 'OpenAction' || k === 'AA' || k === 'Names' ? 'Active' : ''}`, { key: k }), num)
      }
    }
  }

  private async diffPage(num: number, a: PdfObject, b: PdfObject): Promise<void> {
    const da = dictOf(a)
    const db = dictOf(b)
    const page = this.S.pages.get(num)
    for (const k of this.keysChanged(da, db)) {
      if (k === 'Annots') {
        const oldArr = await this.S.view.array(da?.get(k))
        const newArr = await this.F.view.array(db?.get(k))
        await this.diffAnnotListValues(num, num, oldArr ?? [], newArr ?? [])
        continue
      }
      const kind = k === 'Contents' ? 'page-content-changed' : k === 'Resources' ? 'resources-changed' : ['MediaBox', 'CropBox', 'Rotate', 'UserUnit'].includes(k) ? 'page-geometry-changed' : 'page-modified'
      this.push(kind, false, text('pdf.change.pageEntryChanged', { page: page ?? '?', key: k }), num)
    }
  }

  private async diffAnnotList(num: number, pageNum: number, a: PdfObject, b: PdfObject): Promise<void> {
    await this.diffAnnotListValues(num, pageNum, Array.isArray(a) ? a : [], Array.isArray(b) ? b : [])
  }

  private async diffAnnotListValues(num: number, pageNum: number, oldArr: PdfObject[], newArr: PdfObject[]): Promise<void> {
    const page = this.S.pages.get(pageNum) ?? this.F.pages.get(pageNum)
    const refNums = (arr: PdfObject[]): Set<number> => new Set(arr.filter((x): x is PdfRef => x instanceof PdfRef).map((x) => x.num))
    const before = refNums(oldArr)
    const after = refNums(newArr)
    for (const n of after) {
      if (before.has(n)) continue
      const d = await this.F.view.dict(new PdfRef(n, 0))
      const sub = d?.name('Subtype')
      const field = this.F.fields.get(n) ?? (d?.get('Parent') instanceof PdfRef ? this.F.fields.get((d.get('Parent') as PdfRef).num) : undefined)
      if (sub === 'Widget' && field?.type === 'Sig') {
        const fieldDict = await this.F.view.dict(new PdfRef(field.num, 0))
        const ts = await this.isDocTimestampValue(this.F, fieldDict?.get('V'))
        this.push(ts ? 'doc-timestamp-added' : 'signature-added', this.signingAllowed(ts), text(ts ? 'pdf.change.docTimestampFieldAddedOnPage' : 'pdf.change.signatureFieldAddedOnPage', { name: field.name, page: page ?? '?' }), num)
      } else if (sub === 'Widget') {
        this.push('form-field-added', this.P === null, text('pdf.change.formFieldAddedOnPage', { name: field?.name ?? '?', page: page ?? '?' }), num)
      } else if (sub && BENIGN_ANNOTATIONS.has(sub)) {
        this.push('annotation-added', this.P === 3 || this.P === null, text('pdf.change.annotationAdded', { subtype: sub, page: page ?? '?' }), num)
      } else {
        this.push('annotation-added', this.P === 3, text('pdf.change.annotationAddedOver', { subtype: sub ?? '?', page: page ?? '?' }), num)
      }
    }
    for (const n of before) {
      if (after.has(n)) continue
      const field = this.S.fields.get(n)
      const d = await this.S.view.dict(new PdfRef(n, 0))
      const parent = d?.get('Parent')
      const sigField = field?.type === 'Sig' || (parent instanceof PdfRef && this.S.fields.get(parent.num)?.type === 'Sig')
      if (sigField) this.push('signature-removed', false, text('pdf.change.signatureWidgetRemoved', { page: page ?? '?' }), num)
      else this.push('annotation-removed', this.P === 3, text('pdf.change.annotationRemoved', { subtype: d?.name('Subtype') ?? '?', page: page ?? '?' }), num)
    }
  }

  private async diffAcroForm(num: number, a: PdfObject, b: PdfObject): Promise<void> {
    const da = dictOf(a)
    const db = dictOf(b)
    for (const k of this.keysChanged(da, db)) {
      const va = da?.get(k)
      const vb = db?.get(k)
      if (k === 'Fields') {
        if (Array.isArray(va) && Array.isArray(vb)) await this.diffFieldListValues(num, va, vb)
        else if (va instanceof PdfRef || vb instanceof PdfRef) {
          const oldArr = (await this.S.view.array(va)) ?? []
          const newArr = (await this.F.view.array(vb)) ?? []
          await this.diffFieldListValues(num, oldArr, newArr)
        } else this.push('form-changed', false, text('pdf.change.fieldListReplaced'), num)
      } else if (k === 'SigFlags' || k === 'NeedAppearances') this.push('form-settings-updated', true, text('pdf.change.formSettingUpdated', { key: k }), num)
      else if (k === 'DR' || k === 'DA') this.push('form-resources-updated', this.P !== 1, text('pdf.change.formDefaultResourcesUpdated', { key: k }), num)
      else this.push('form-changed', false, text(k === 'XFA' ? 'pdf.change.formXfaChanged' : 'pdf.change.formEntryChanged', { key: k }), num)
    }
  }

  private async diffFieldList(num: number, a: PdfObject, b: PdfObject): Promise<void> {
    await this.diffFieldListValues(num, Array.isArray(a) ? a : [], Array.isArray(b) ? b : [])
  }

  private async diffFieldListValues(num: number, oldArr: PdfObject[], newArr: PdfObject[]): Promise<void> {
    const refNums = (arr: PdfObject[]): Set<number> => new Set(arr.filter((x): x is PdfRef => x instanceof PdfRef).map((x) => x.num))
    const before = refNums(oldArr)
    const after = refNums(newArr)
    for (const n of after) {
      if (before.has(n)) continue
      const f = this.F.fields.get(n)
      const d = await this.F.view.dict(new PdfRef(n, 0))
      if (f?.type === 'Sig') {
        const ts = await this.isDocTimestampValue(this.F, d?.get('V'))
        const signedNow = d?.get('V') !== undefined
        this.push(ts ? 'doc-timestamp-added' : signedNow ? 'signature-added' : 'signature-field-added', this.signingAllowed(ts), text(ts ? 'pdf.change.docTimestampFieldAdded' : 'pdf.change.signatureFieldAdded', { name: f.name }), num)
      } else this.push('form-field-added', this.P === null, text('pdf.change.formFieldAdded', { name: f?.name ?? '?' }), num)
    }
    for (const n of before) {
      if (after.has(n)) continue
      const f = this.S.fields.get(n)
      this.push(f?.type === 'Sig' ? 'signature-removed' : 'field-removed', false, text(f?.type === 'Sig' ? 'pdf.change.signatureFieldRemoved' : 'pdf.change.formFieldRemoved', { name: f?.name ?? '?' }), num)
    }
  }

  private async diffFieldOrAnnot(num: number, a: PdfObject, b: PdfObject): Promise<void> {
    const da = dictOf(a)
    const db = dictOf(b)
    const field = this.S.fields.get(num)
    const isAnnotOnly = !field
    const isSig = field?.type === 'Sig'
    const name = field?.name ?? ''
    const changed = this.keysChanged(da, db)
    const vChanged = changed.includes('V')
    const page = this.S.pages.get(this.S.annotations.get(num) ?? -1)
    for (const k of changed) {
      const va = da?.get(k)
      const vb = db?.get(k)
      switch (k) {
        case 'V':
          if (isSig) {
            if (va === undefined && vb !== undefined) {
              const ts = await this.isDocTimestampValue(this.F, vb)
              this.push(ts ? 'doc-timestamp-added' : 'signature-added', this.signingAllowed(ts) && !this.fieldLocked(name), text(ts ? 'pdf.change.docTimestampAdded' : 'pdf.change.signatureAdded', { name }), num)
            } else this.push('signature-altered', false, text(vb === undefined ? 'pdf.change.signatureValueRemoved' : 'pdf.change.signatureValueReplaced', { name }), num)
          } else {
            const locked = this.fieldLocked(name)
            this.push('form-filled', this.P !== 1 && !locked, text(locked ? 'pdf.change.formFilledLocked' : 'pdf.change.formFilled', { name }), num)
          }
          break
        case 'AP':
        case 'AS':
        case 'MK':
        case 'DA':
          if (k === 'AP') {
            // an indirect appearance dictionary also used elsewhere must not be swapped out (pyHanko's rule)
            const shared = va instanceof PdfRef && this.sharedAppearance(va.num, num) ? [va.num] : []
            if (shared.length) {
              this.push('shared-appearance-overwritten', false, text(isAnnotOnly ? 'pdf.change.sharedAppearanceAnnotation' : 'pdf.change.sharedAppearanceField', { name, objects: shared.join(', ') }), num)
              break
            }
          }
          if (vChanged || (isAnnotOnly && this.P === 3)) break // appearance of the filled value
          this.push('appearance-changed', false, text(isAnnotOnly ? 'pdf.change.annotationAppearanceChanged' : 'pdf.change.fieldAppearanceChanged', { name, page: page ?? '?' }), num)
          break
        case 'F': {
          const fa = typeof va === 'number' ? va : 0
          const fb = typeof vb === 'number' ? vb : 0
          const added = fb & ~fa
          const removed = fa & ~fb
          if ((added & ~HARMLESS_FLAGS) === 0 && (removed & 4) === 0 && (removed & ~HARMLESS_FLAGS) === 0) break
          this.push('annotation-visibility-changed', false, text(isAnnotOnly ? 'pdf.change.annotationFlagsChanged' : 'pdf.change.fieldDisplayFlagsChanged', { name, page: page ?? '?' }), num)
          break
        }
        case 'Ff': {
          const fa = typeof va === 'number' ? va : 0
          const fb = typeof vb === 'number' ? vb : 0
          if ((fb | 1) === (fa | 1) && (fb & 1) >= (fa & 1)) break // read-only set: locking after signing
          this.push('field-modified', false, text('pdf.change.fieldFlagsChanged', { name }), num)
          break
        }
        case 'Lock':
        case 'SV':
          if (isSig) break
          this.push('field-modified', false, text('pdf.change.fieldEntryChanged', { name, key: k }), num)
          break
        case 'M':
          break
        default:
          if (isAnnotOnly) this.push('annotation-modified', this.P === 3, text('pdf.change.annotationEntryChanged', { page: page ?? '?', key: k }), num)
          else this.push('field-modified', false, text('pdf.change.fieldEntryChanged', { name, key: k }), num)
      }
    }
  }

  /** True when the object is referenced only from the form's default resources (/AcroForm /DR). */
  private onlyFormResources(num: number, depth = 0, seen = new Set<number>()): boolean {
    if (depth > 8 || seen.has(num)) return false
    seen.add(num)
    const refs = this.S.referrers.get(num) ?? []
    if (refs.length === 0) return false
    return refs.every((r) =>
      (r.from === this.S.acroFormNum && /^DR(\/|$)/.test(r.path)) ||
      (r.from === this.S.catalogNum && /^AcroForm\/DR(\/|$)/.test(r.path)) ||
      (r.from !== -1 && r.from !== this.S.catalogNum && !this.S.pages.has(r.from) && this.onlyFormResources(r.from, depth + 1, seen)),
    )
  }

  /**
   * True when an appearance object (stream or indirect appearance dictionary) of annotation
   * `owner` is also reachable from somewhere else than that annotation's appearance.
   */
  private sharedAppearance(num: number, owner: number, depth = 0, seen = new Set<number>()): boolean {
    if (depth > 8 || seen.has(num)) return false
    seen.add(num)
    for (const r of this.S.referrers.get(num) ?? []) {
      if (r.from === owner) {
        if (!/^AP(\/|$)/.test(r.path)) return true
        continue
      }
      if (this.S.appearance.get(r.from) === owner) {
        if (this.sharedAppearance(r.from, owner, depth + 1, seen)) return true
        continue
      }
      return true
    }
    return false
  }

  private appearanceChanged(num: number, old: PdfObject): void {
    const owner = this.S.appearance.get(num)!
    const shared = this.sharedAppearance(num, owner)
    const field = this.S.fields.get(owner) ?? this.S.fields.get(this.parentOf(owner) ?? -1)
    if (shared) {
      this.push('shared-appearance-overwritten', false, text('pdf.change.sharedAppearanceStream', { num }), num)
      return
    }
    if (field) {
      const allowed = field.type === 'Sig' ? this.signingAllowed(false) : this.P !== 1 && !this.fieldLocked(field.name)
      this.push('appearance-updated', allowed, text('pdf.change.fieldAppearanceUpdated', { name: field.name }), num)
    } else this.push('annotation-modified', this.P === 3, text('pdf.change.annotationAppearanceRewritten', { num, type: describeObject(old) }), num)
  }

  private parentOf(num: number): number | null {
    for (const r of this.S.referrers.get(num) ?? []) if (r.path === 'Kids[]') return r.from
    return null
  }
}

/** DocMDP permission from a signature dictionary's /Reference (certification signature), or null. */
export function docMdpOf(sigDict: PdfDict, resolved: (v: PdfObject | undefined) => PdfDict | undefined): 1 | 2 | 3 | null {
  const refs = sigDict.get('Reference')
  if (!Array.isArray(refs)) return null
  for (const r of refs) {
    const d = resolved(r)
    if (d?.name('TransformMethod') !== 'DocMDP') continue
    const p = resolved(d.get('TransformParams'))?.number('P') ?? 2
    return p === 1 || p === 3 ? p : 2
  }
  return null
}

