import { describe, expect, it } from 'vitest'
import { PdfReader } from '../../../../src/main/core/pdf/reader'
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString } from '../../../../src/main/core/pdf/objects'
import { Parser } from '../../../../src/main/core/pdf/parser'
import { appendRevision, simpleDocument } from './pdf-builder'

describe('PDF parser', () => {
  it('parses names, strings, arrays, dictionaries and references with their positions', () => {
    const src = Buffer.from('<</A /N#20x /S (a\\(b\\)\\101) /H <414 2> /R 12 0 R /Arr [1 -2.5 .5 true null] /D <</X 1>>>>', 'latin1')
    const v = new Parser(src, 1000, true).parseObject()
    expect(v).toBeInstanceOf(PdfDict)
    const d = v as PdfDict
    expect(d.name('A')).toBe('N x')
    expect((d.get('S') as PdfString).bytes.toString('latin1')).toBe('a(b)A')
    const h = d.get('H') as PdfString
    expect(h.bytes).toEqual(Buffer.from([0x41, 0x42]))
    expect(h.start).toBe(1000 + src.indexOf('<414'))
    expect(h.end).toBe(1000 + src.indexOf('2>') + 2)
    expect(d.get('R')).toEqual(new PdfRef(12, 0))
    expect(d.get('Arr')).toEqual([1, -2.5, 0.5, true, null])
    expect((d.get('D') as PdfDict).number('X')).toBe(1)
  })

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const src = Buffer.from('['.repeat(100000) + ']'.repeat(100000))
    expect(() => new Parser(src, 0, true).parseObject()).toThrow(/nested too deeply/)
  })
})

describe('PdfReader', () => {
  for (const xref of ['table', 'stream'] as const) {
    it(`reads a document with an xref ${xref} and an incremental update`, async () => {
      const base = simpleDocument(xref)
      const updated = appendRevision(base, {
        root: 1,
        xref,
        objects: [{ num: 4, stream: { dict: '<<>>', data: 'BT /F1 12 Tf 20 100 Td (Changed) Tj ET' } }],
      })
      const r = PdfReader.fromBuffer(updated)
      const revs = await r.revisions()
      expect(revs.map((x) => x.end)).toEqual([base.length, updated.length])
      const first = await r.view(base.length)
      const last = await r.view()
      expect(last.repaired).toBe(false)
      const c1 = (await first.get(4))!.value as PdfStream
      const c2 = (await last.get(4))!.value as PdfStream
      expect((await first.streamBytes(c1, true)).toString()).toContain('(Hello)')
      expect((await last.streamBytes(c2, true)).toString()).toContain('(Changed)')
      expect((await last.catalog())?.name('Type')).toBe('Catalog')
    })
  }

  it('reads objects from object streams', async () => {
    const doc = appendRevision(Buffer.alloc(0), {
      root: 1,
      xref: 'stream',
      objects: [{ num: 3, body: '<</Type /Page /Parent 2 0 R>>' }],
      compressed: [
        { num: 1, body: '<</Type /Catalog /Pages 2 0 R>>' },
        { num: 2, body: '<</Type /Pages /Kids [3 0 R] /Count 1>>' },
      ],
    })
    const v = await PdfReader.fromBuffer(doc).view()
    const pages = await v.dict((await v.catalog())?.get('Pages'))
    expect(pages?.number('Count')).toBe(1)
    expect(v.locate(2)?.type).toBe('compressed')
  })

  it('repairs a file whose xref offsets are wrong by scanning for objects', async () => {
    const doc = simpleDocument('table')
    const text = doc.toString('latin1').replace(/startxref\s+\d+/, 'startxref\n999999')
    const v = await PdfReader.fromBuffer(Buffer.from(text, 'latin1')).view()
    expect(v.repaired).toBe(true)
    expect((await v.catalog())?.get('Pages')).toEqual(new PdfRef(2, 0))
  })

  it('stops on an xref chain that loops', async () => {
    const doc = simpleDocument('table')
    const s = doc.toString('latin1')
    const xrefAt = s.lastIndexOf('\nxref\n') + 1
    const looped = Buffer.from(s.replace('/Root 1 0 R', `/Root 1 0 R /Prev ${xrefAt}`), 'latin1')
    const v = await PdfReader.fromBuffer(looped).view()
    expect(v.problems.join(' ')).toMatch(/loops/)
    expect((await v.catalog())?.name('Type')).toBe('Catalog')
  })

  it('finds a stream whose /Length is wrong', async () => {
    const doc = simpleDocument('table')
    const broken = Buffer.from(doc.toString('latin1').replace(/\/Length \d+/, '/Length 3'), 'latin1')
    const v = await PdfReader.fromBuffer(broken).view()
    const s = (await v.get(4))!.value as PdfStream
    expect((await v.streamBytes(s, false)).toString()).toBe('BT /F1 12 Tf 20 100 Td (Hello) Tj ET')
    expect(new PdfName('x').toString()).toBe('/x')
  })
})
