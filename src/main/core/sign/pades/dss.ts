/**
 * PAdES B-LT validation data (ETSI EN 319 142-1 §5.4): a Document Security Store in the catalog
 * with the certificates, OCSP responses and CRLs needed to validate the signature later. An existing
 * DSS is extended, never replaced.
 */
import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { ensurePkijsEngine, toArrayBuffer } from '../cms/pkijs-engine'
import type { IncrementalUpdate } from './incremental-update'
import type { SourcePdf } from './source-pdf'
import { PdfDict, PdfRef, PdfStream, name, type PdfObject } from '../../pdf'

export interface ValidationData {
  certificates: Uint8Array[]
  ocspResponses: Uint8Array[]
  crls: Uint8Array[]
}

export interface DssCounts {
  certs: number
  ocsps: number
  crls: number
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2'
const OID_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14'

/** Certificates embedded in a CMS SignedData and in the timestamp tokens of its signers. */
export function certificatesInCms(cmsDer: Uint8Array): Uint8Array[] {
  const pkijs = ensurePkijsEngine()
  const out: Uint8Array[] = []
  const visit = (der: Uint8Array, depth: number) => {
    const ci = pkijs.ContentInfo.fromBER(toArrayBuffer(der))
    if (ci.contentType !== OID_SIGNED_DATA) return
    const sd = new pkijs.SignedData({ schema: ci.content })
    for (const c of sd.certificates ?? []) {
      if (c instanceof pkijs.Certificate) out.push(new Uint8Array(c.toSchema().toBER(false)))
    }
    if (depth > 0) return
    for (const si of sd.signerInfos) {
      for (const attr of si.unsignedAttrs?.attributes ?? []) {
        if (attr.type !== OID_TIMESTAMP_TOKEN) continue
        for (const v of attr.values) visit(new Uint8Array(v.toBER(false)), depth + 1)
      }
    }
  }
  visit(cmsDer, 0)
  return out
}

const dedupe = (items: Uint8Array[]) => {
  const seen = new Set<string>()
  return items.filter((b) => {
    const h = createHash('sha256').update(b).digest('hex')
    if (seen.has(h)) return false
    seen.add(h)
    return true
  })
}

/**
 * Add the validation data to the DSS (created if absent). Returns the catalog dictionary to write
 * (with /DSS set) and what was added.
 */
export async function addDss(file: SourcePdf, update: IncrementalUpdate, catalog: PdfDict, data: ValidationData): Promise<DssCounts> {
  const existingObj = catalog.get('DSS')
  const existing = await file.resolveDict(existingObj)
  const dss = existing ? existing.clone() : new PdfDict([['Type', name('DSS')]])
  const stream = (bytes: Uint8Array) => update.add(PdfStream.fromData(new PdfDict([['Filter', name('FlateDecode')]]), deflateSync(bytes)))
  const counts: DssCounts = { certs: 0, ocsps: 0, crls: 0 }
  const extend = async (key: 'Certs' | 'OCSPs' | 'CRLs', items: Uint8Array[]) => {
    const unique = dedupe(items)
    if (!unique.length) return 0
    const refs = unique.map(stream)
    const cur = dss.get(key)
    if (cur instanceof PdfRef) {
      const arr = await file.resolve(cur)
      update.set(cur, [...(Array.isArray(arr) ? arr : []), ...refs])
    } else dss.set(key, [...(Array.isArray(cur) ? (cur as PdfObject[]) : []), ...refs])
    return refs.length
  }
  counts.certs = await extend('Certs', data.certificates)
  counts.ocsps = await extend('OCSPs', data.ocspResponses)
  counts.crls = await extend('CRLs', data.crls)
  if (existingObj instanceof PdfRef && existing) update.set(existingObj, dss)
  else catalog.set('DSS', update.add(dss))
  return counts
}
