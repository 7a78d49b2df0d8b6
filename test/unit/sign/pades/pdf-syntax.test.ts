import { describe, expect, it } from 'vitest'
import { NeedMoreData, Parser, PdfDict, PdfName, PdfRef, PdfStream, PdfString, PdfSyntaxError, serialize } from '../../../../src/main/core/pdf'

// The signer reads through the shared parser (src/main/core/pdf) and writes with its serializer:
// what it writes must read back as the same objects.
const parse = (s: string) => new Parser(Buffer.from(s, 'latin1'), 0, true).parseObject()

/** Structural copy without file positions (parsed strings carry offsets, written ones do not). */
const plain = (v: unknown): unknown =>
  v instanceof PdfString ? { s: v.bytes.toString('hex'), hex: v.hex } : v instanceof PdfDict ? Object.fromEntries([...v.entries].map(([k, x]) => [k, plain(x)])) : Array.isArray(v) ? v.map(plain) : v

describe('PDF object syntax (shared parser, signer serializer)', () => {
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
    expect(s.bytes.toString('latin1')).toBe('a(b)c (nested) A\n\\ dend')
    const h = parse('<48 65 6c6C 6>') as PdfString
    expect(h.bytes.toString('latin1')).toBe('Hell`')
    expect(h.hex).toBe(true)
    expect((parse('<FEFF00E9>') as PdfString).text()).toBe('é')
  })

  it('serializes what it parses to an equivalent object', () => {
    const src = '<< /Annots [4 0 R] /Name (Ann\\(e\\)) /H <00ff> /Weird#2FName 1 /R 0.25 /Small 0.0000001 >>'
    const once = parse(src)
    const twice = parse(serialize(once))
    expect(plain(twice)).toEqual(plain(once))
    expect(serialize(new PdfName('A B/C'))).toBe('/A#20B#2fC')
    expect(serialize(1e-7)).toBe('0.0000001')
    expect(serialize(PdfString.fromText('Évry'))).toBe('<feff00c9007600720079>')
  })

  it('writes text strings as PDFDocEncoding when ASCII and UTF-16BE otherwise', () => {
    expect(serialize(PdfString.fromText('Le Maire'))).toBe('(Le Maire)')
    expect(PdfString.fromText("L'adjoint délégué").text()).toBe("L'adjoint délégué")
    expect(PdfString.fromText('é').bytes.toString('hex')).toBe('feff00e9')
  })

  it('refuses to write what has no PDF form (NaN, a stream inside a value)', () => {
    expect(() => serialize(Number.NaN)).toThrow(/cannot write number/)
    expect(() => serialize([PdfStream.fromData(new PdfDict(), Buffer.from('x'))])).toThrow(/indirect object/)
  })

  it('asks for more bytes when a window ends inside an object, and fails clearly at the end of the file', () => {
    const text = Buffer.from('<< /Type /Page /Kids [1 0 R')
    expect(() => new Parser(text, 0, false).parseObject()).toThrow(NeedMoreData)
    expect(() => new Parser(text, 0, true).parseObject()).toThrow(PdfSyntaxError)
    expect(() => parse('<< /A endobj >>')).toThrow(PdfSyntaxError)
  })

  it('recovers from non-name keys as viewers do, keeping the named entries', () => {
    const d = parse('<< 1 2 /Type /Page >>') as PdfDict
    expect(d.keys()).toEqual(['Type'])
    expect(d.name('Type')).toBe('Page')
  })

  it('parses an indirect object and finds where its stream data starts', () => {
    const buf = Buffer.from('12 0 obj\n<< /Length 3 >>\nstream\r\nabc\nendstream\nendobj\n', 'latin1')
    const p = new Parser(buf, 0, true)
    const h = p.parseIndirectHeader()!
    expect(h).toEqual({ num: 12, gen: 0 })
    const s = p.parseObject() as PdfStream
    expect(s).toBeInstanceOf(PdfStream)
    expect(buf.subarray(s.dataOffset, s.dataOffset + 3).toString()).toBe('abc')
  })

  it('limits nesting depth (hostile files)', () => {
    expect(() => parse('['.repeat(500) + ']'.repeat(500))).toThrow(/nested too deeply/)
    expect(() => parse('<<'.repeat(500))).toThrow(/nested too deeply/)
  })
})
