import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BYTE_RANGE_PLACEHOLDER, ContentsPlaceholder, IncrementalUpdate } from '../../../../src/main/core/sign/pades/incremental-update'
import { SourcePdf, PdfStructureError } from '../../../../src/main/core/sign/pades/source-pdf'
import { findPage, readDocumentInfo } from '../../../../src/main/core/sign/pades/pdf-structure'
import { PdfDict, PdfName, PdfRef, PdfStream, name } from '../../../../src/main/core/pdf'

let dir: string
let classic: string
let xrefStream: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-pades-unit-'))
  const doc = await PDFDocument.create()
  doc.addPage([595, 842])
  doc.addPage([300, 200])
  doc.addPage([400, 400])
  classic = join(dir, 'classic.pdf')
  writeFileSync(classic, await doc.save({ useObjectStreams: false }))
  // pdf-lib's default output: objects in object streams, cross-reference stream
  xrefStream = join(dir, 'xref-stream.pdf')
  writeFileSync(xrefStream, await doc.save({ useObjectStreams: true }))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Append an update that adds one dictionary and rewrites the catalog with a key pointing at it. */
async function appendMarker(path: string, out: string, marker: string) {
  const file = await SourcePdf.open(path)
  try {
    const info = await readDocumentInfo(file)
    const update = new IncrementalUpdate(file)
    const ref = update.add(new PdfDict([['Marker', name(marker)]]))
    update.set(info.catalogRef, info.catalog.clone().set('Marker', ref))
    const built = update.build()
    writeFileSync(out, Buffer.concat([readFileSync(path), built.bytes]))
    return { ref, before: file.nextObjectNumber, built, wasStream: file.lastSectionIsStream }
  } finally {
    await file.close()
  }
}

async function readMarker(path: string) {
  // read by offset (what big files get), not preloaded
  const file = await SourcePdf.open(path, { preloadBytes: 0 })
  try {
    const info = await readDocumentInfo(file)
    const m = await file.resolveDict(info.catalog.get('Marker'))
    return { marker: (m?.get('Marker') as PdfName | undefined)?.name, pages: info.pageCount, file: { streams: file.lastSectionIsStream } }
  } finally {
    await file.close()
  }
}

describe('reading a PDF without loading it', () => {
  it('reads the classic xref chain, the catalog and pages by number', async () => {
    const file = await SourcePdf.open(classic)
    try {
      expect(file.lastSectionIsStream).toBe(false)
      const info = await readDocumentInfo(file)
      expect(info.pageCount).toBe(3)
      const p2 = await findPage(file, info.catalog, 2)
      expect(p2.box).toEqual([0, 0, 300, 200])
      await expect(findPage(file, info.catalog, 4)).rejects.toThrow(/page 4 does not exist/)
    } finally {
      await file.close()
    }
  })

  it('reads xref streams and objects inside object streams', async () => {
    const file = await SourcePdf.open(xrefStream)
    try {
      expect(file.lastSectionIsStream).toBe(true)
      const info = await readDocumentInfo(file)
      expect(info.pageCount).toBe(3)
      expect((await findPage(file, info.catalog, 3)).box).toEqual([0, 0, 400, 400])
      // the catalog lives in an object stream here
      expect(file.view.locate(info.catalogRef.num)?.type).toBe('compressed')
    } finally {
      await file.close()
    }
  })

  it('refuses what is not a PDF, and encrypted files, with plain messages', async () => {
    const junk = join(dir, 'junk.pdf')
    writeFileSync(junk, 'just text')
    await expect(SourcePdf.open(junk)).rejects.toThrow(/not a PDF/)
    const noXref = join(dir, 'noxref.pdf')
    writeFileSync(noXref, '%PDF-1.4\n1 0 obj << >> endobj\n')
    await expect(SourcePdf.open(noXref)).rejects.toThrow(/startxref/)
    const enc = join(dir, 'enc.pdf')
    writeFileSync(enc, readFileSync(classic).toString('latin1').replace('/Root', '/Encrypt 99 0 R /Root'), 'latin1')
    await expect(SourcePdf.open(enc)).rejects.toThrow(/encrypted/)
  })
})

/**
 * A hybrid-reference file (as Word writes them): classic table + /XRefStm for objects in an object
 * stream. The table leaves the compressed object out, or (`hiddenAsFree`) lists it as free so that
 * PDF 1.4 readers skip it: the /XRefStm entry must then win.
 */
function hybridPdf(hiddenAsFree = false): Buffer {
  const parts: string[] = []
  let pos = 0
  const offsets: Record<number, number> = {}
  const add = (t: string) => {
    parts.push(t)
    pos += Buffer.byteLength(t, 'latin1')
  }
  add('%PDF-1.5\n')
  offsets[1] = pos
  add('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n')
  offsets[2] = pos
  add('2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n')
  const body = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>'
  const header = '3 0 '
  offsets[4] = pos
  add(`4 0 obj\n<< /Type /ObjStm /N 1 /First ${header.length} /Length ${header.length + body.length} >>\nstream\n${header}${body}\nendstream\nendobj\n`)
  const row = String.fromCharCode(2, 0, 4, 0) // object 3: in stream 4, index 0
  offsets[5] = pos
  add(`5 0 obj\n<< /Type /XRef /W [1 2 1] /Index [3 1] /Size 6 /Length 4 >>\nstream\n${row}\nendstream\nendobj\n`)
  const xref = pos
  const e = (n: number) => `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`
  const table = hiddenAsFree ? `0 6\n0000000000 65535 f\r\n${e(1)}${e(2)}0000000000 00001 f\r\n${e(4)}${e(5)}` : `0 3\n0000000000 65535 f\r\n${e(1)}${e(2)}4 2\n${e(4)}${e(5)}`
  add(`xref\n${table}trailer\n<< /Size 6 /Root 1 0 R /XRefStm ${offsets[5]} >>\nstartxref\n${xref}\n%%EOF\n`)
  return Buffer.from(parts.join(''), 'latin1')
}

describe('incremental updates', () => {
  it.each([
    ['leaves the compressed object out', false],
    ['marks the compressed object free', true],
  ])('reads a hybrid-reference file whose table %s, and updates it with a classic section', async (_, hiddenAsFree) => {
    const hybrid = join(dir, `hybrid-${hiddenAsFree}.pdf`)
    writeFileSync(hybrid, hybridPdf(hiddenAsFree))
    const file = await SourcePdf.open(hybrid, { preloadBytes: 0 })
    try {
      expect(file.lastSectionIsStream).toBe(false)
      const info = await readDocumentInfo(file)
      expect((await findPage(file, info.catalog, 1)).box).toEqual([0, 0, 200, 100])
    } finally {
      await file.close()
    }
    const out = join(dir, `hybrid-upd-${hiddenAsFree}.pdf`)
    const { built } = await appendMarker(hybrid, out, 'Hybrid')
    expect(built.bytes.toString('latin1')).toMatch(/^xref$/m)
    expect(await readMarker(out)).toMatchObject({ marker: 'Hybrid', pages: 1 })
  })

  it('appends to a classic file: classic section, /Prev to the old one, new numbers past /Size', async () => {
    const out = join(dir, 'classic-upd.pdf')
    const { ref, before, built, wasStream } = await appendMarker(classic, out, 'One')
    expect(wasStream).toBe(false)
    expect(ref.num).toBeGreaterThanOrEqual(before)
    const tail = built.bytes.toString('latin1')
    expect(tail).toMatch(/^xref$/m)
    expect(tail).toMatch(/\/Prev \d+/)
    expect(await readMarker(out)).toMatchObject({ marker: 'One', pages: 3 })
    // a second update on top keeps everything reachable
    const out2 = join(dir, 'classic-upd2.pdf')
    await appendMarker(out, out2, 'Two')
    expect(await readMarker(out2)).toMatchObject({ marker: 'Two', pages: 3 })
    // the original bytes are untouched
    expect(readFileSync(out2).subarray(0, readFileSync(classic).length).equals(readFileSync(classic))).toBe(true)
  })

  it('appends an xref stream when the last section is one, numbered past the old /Size', async () => {
    const file = await SourcePdf.open(xrefStream)
    const size = file.trailer.get('Size') as number
    await file.close()
    const out = join(dir, 'xs-upd.pdf')
    const { ref, built } = await appendMarker(xrefStream, out, 'Streamed')
    expect(ref.num).toBeGreaterThanOrEqual(size)
    const tail = built.bytes.toString('latin1')
    expect(tail).toMatch(/\/Type \/XRef/)
    expect(tail).not.toMatch(/^xref$/m)
    expect(await readMarker(out)).toMatchObject({ marker: 'Streamed', pages: 3, file: { streams: true } })
  })

  it('fills /ByteRange around the /Contents hole exactly', async () => {
    const file = await SourcePdf.open(classic)
    const update = new IncrementalUpdate(file)
    update.add(new PdfDict([['Type', name('Sig')], ['ByteRange', BYTE_RANGE_PLACEHOLDER], ['Contents', new ContentsPlaceholder(100)]]))
    update.add(PdfStream.fromData(new PdfDict(), Buffer.from('stream data')))
    const built = update.build()
    await file.close()
    const whole = Buffer.concat([readFileSync(classic), built.bytes])
    const [a, b, c, d] = built.byteRange!
    expect(a).toBe(0)
    expect(whole[b]).toBe(0x3c)
    expect(whole[c - 1]).toBe(0x3e)
    expect(c - b).toBe(202)
    expect(c + d).toBe(whole.length)
    const m = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+) *\]/.exec(whole.toString('latin1'))!
    expect(m.slice(1).map(Number)).toEqual([a, b, c, d])
  })

  it('repairs a broken /Prev by scanning for objects (seen in files from real tools)', async () => {
    const out = join(dir, 'broken-prev.pdf')
    await appendMarker(classic, out, 'Kept')
    // point the last trailer's /Prev at offset 0
    const text = readFileSync(out).toString('latin1')
    const broken = text.replace(/\/Prev \d+/, (m) => '/Prev 0'.padEnd(m.length, ' '))
    writeFileSync(out, broken, 'latin1')
    expect(await readMarker(out)).toMatchObject({ marker: 'Kept', pages: 3 })
  })

  it('finds the objects of a lost older section by scanning when no earlier revision remains to bridge to', async () => {
    const out = join(dir, 'broken-prev-no-bridge.pdf')
    await appendMarker(classic, out, 'Scanned')
    const text = readFileSync(out).toString('latin1')
    // /Prev points nowhere and the original revision's startxref is gone: only a scan finds pages
    const broken = text.replace(/\/Prev \d+/, (m) => '/Prev 0'.padEnd(m.length, ' ')).replace('startxref', 'startxrez')
    writeFileSync(out, broken, 'latin1')
    expect(await readMarker(out)).toMatchObject({ marker: 'Scanned', pages: 3 })
    const twice = join(dir, 'broken-prev-no-bridge-2.pdf')
    const { before } = await appendMarker(out, twice, 'Again')
    expect(before).toBeGreaterThan(1)
    expect(await readMarker(twice)).toMatchObject({ marker: 'Again', pages: 3 })
  })

  it('does not take a truncated or damaged table for a valid one', async () => {
    const out = join(dir, 'damaged.pdf')
    const text = readFileSync(classic).toString('latin1')
    writeFileSync(out, text.replace(/startxref\s+\d+/, 'startxref\n5'), 'latin1')
    await expect(SourcePdf.open(out)).rejects.toBeInstanceOf(PdfStructureError)
  })
})

describe('form fields and certification', () => {
  it('lists field names and reads DocMDP permissions', async () => {
    const doc = await PDFDocument.create()
    doc.addPage()
    const form = doc.getForm()
    form.createTextField('Signature1')
    form.createTextField('parent.child')
    // certification signature dictionary with P=1
    const sig = doc.context.obj({ Type: 'Sig', Reference: [{ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: 1, V: '1.2' } }] })
    doc.catalog.set(doc.context.obj('Perms') as never, doc.context.obj({ DocMDP: doc.context.register(sig) }))
    const path = join(dir, 'fields.pdf')
    writeFileSync(path, await doc.save({ useObjectStreams: false }))
    const file = await SourcePdf.open(path)
    try {
      const info = await readDocumentInfo(file)
      expect(info.fields.map((f) => f.name).sort()).toEqual(['Signature1', 'parent', 'parent.child'])
      expect(info.docMdp?.permissions).toBe(1)
      expect(info.docMdp?.signatureRef).toBeInstanceOf(PdfRef)
    } finally {
      await file.close()
    }
  })
})
