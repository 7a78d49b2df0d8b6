import { describe, expect, it } from 'vitest'
import { PdfDict, PdfName, PdfParser, PdfRef, PdfString, PdfSyntaxError, PdfTruncatedError, parseObjectFrom, serialize } from '../../../../src/main/core/sign/pades/pdf-syntax'

const parse = (s: string) => parseObjectFrom(Buffer.from(s, 'latin1'))

describe('PDF object syntax', () => {
  it('parses dictionaries, arrays, references, numbers, names and booleans', () => {
    const d = parse('<< /Type /Catalog /Pages 2 0 R /Kids [1 0 R 2 5 R 3 4] /N -1.5 /X .5 /B true /Z null /A#20B 7 >>') as PdfDict
    expect(d).toBeInstanceOf(PdfDict)
    expect((d.get('Type') as PdfName).name).toBe('Catalog')
    expect(d.get('Pages')).toEqual(new PdfRef(2, 0))
    expect(d.get('Kids')).toEqual([new PdfRef(1, 0), new PdfRef(2, 5), 3, 4])
    expect(d.get('N')).toBe(-1.5)
    expect(d.get('X')).toBe(0.5)
    expect(d.get('B')).toBe(true)
    expect(d.get('Z')).toBe(null)
    expect(d.get('A B')).toBe(7)
  })

  it('decodes literal strings (escapes, octal, nested parentheses, line continuation) and hex strings', () => {
    const s = parse('(a\\(b\\)c (nested) \\101\\n\\\\ d\\\nend)') as PdfString
    expect(Buffer.from(s.bytes).toString('latin1')).toBe('a(b)c (nested) A\n\\ dend')
    const h = parse('<48 65 6c6C 6>') as PdfString
    expect(Buffer.from(h.bytes).toString('latin1')).toBe('Hell`')
    expect(h.hex).toBe(true)
    expect((parse('<FEFF00E9>') as PdfString).toText()).toBe('é')
  })

  it('serializes what it parses to an equivalent object', () => {
    const src = '<< /Annots [4 0 R] /Name (Ann\\(e\\)) /H <00ff> /Weird#2FName 1 /R 0.25 /Small 0.0000001 >>'
    const once = parse(src)
    const twice = parse(serialize(once))
    expect(twice).toEqual(once)
    expect(serialize(new PdfName('A B/C'))).toBe('/A#20B#2fC')
    expect(serialize(1e-7)).toBe('0.0000001')
    expect(serialize(PdfString.text('Évry'))).toBe('<feff00c9007600720079>')
  })

  it('writes text strings as PDFDocEncoding when ASCII and UTF-16BE otherwise', () => {
    expect(serialize(PdfString.text('Le Maire'))).toBe('(Le Maire)')
    expect(PdfString.text("L'adjoint délégué").toText()).toBe("L'adjoint délégué")
    expect(Buffer.from(PdfString.text('é').bytes).toString('hex')).toBe('feff00e9')
  })

  it('asks for more bytes when a window ends inside an object, and fails clearly at the end of the file', () => {
    const text = Buffer.from('<< /Type /Page /Kids [1 0 R')
    expect(() => new PdfParser(text, 0, false).parseObject()).toThrow(PdfTruncatedError)
    expect(() => new PdfParser(text, 0, true).parseObject()).toThrow(PdfSyntaxError)
    expect(() => parse('<< 1 2 >>')).toThrow(PdfSyntaxError)
  })

  it('parses an indirect object and finds where its stream data starts', () => {
    const buf = Buffer.from('12 0 obj\n<< /Length 3 >>\nstream\r\nabc\nendstream\nendobj\n', 'latin1')
    const r = new PdfParser(buf, 0, true).parseIndirectObject()
    expect(r.num).toBe(12)
    expect(r.gen).toBe(0)
    expect(buf.subarray(r.streamStart!, r.streamStart! + 3).toString()).toBe('abc')
  })

  it('limits nesting depth (hostile files)', () => {
    expect(() => parse('['.repeat(500) + ']'.repeat(500))).toThrow(/nested too deeply/)
  })
})
