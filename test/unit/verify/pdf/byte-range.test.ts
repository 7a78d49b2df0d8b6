import { describe, expect, it } from 'vitest'
import { PdfDict, PdfString } from '../../../../src/main/core/pdf/objects'
import type { PdfRevision } from '../../../../src/main/core/pdf/reader'
import { checkByteRange } from '../../../../src/main/core/verify/pdf/signatures'

const contents = (start: number, end: number, hex = true) => new PdfString(Buffer.alloc(4), hex, start, end)
const dict = (br: unknown[], c: PdfString) => new PdfDict(new Map<string, never>([['ByteRange', br as never], ['Contents', c as never]]))
const rev = (end: number, index = 1): PdfRevision => ({ index, start: 0, eofOffset: end - 6, end, startxref: 10 })

describe('checkByteRange', () => {
  it('accepts two ranges around exactly /Contents up to the end of the file', () => {
    const r = checkByteRange(dict([0, 100, 200, 50], contents(100, 200)), 250, [rev(250)])
    expect(r.verdict).toBe('ok')
    expect(r.ranges).toEqual([[0, 100], [200, 50]])
    expect(r.problems).toEqual([])
  })

  it('accepts coverage ending at an earlier revision end and names it', () => {
    const r = checkByteRange(dict([0, 100, 200, 50], contents(100, 200)), 400, [rev(250, 1), rev(400, 2)])
    expect(r.verdict).toBe('ok')
    expect(r.revision?.index).toBe(1)
  })

  it('calls coverage that stops inside a revision partial', () => {
    const r = checkByteRange(dict([0, 100, 200, 40], contents(100, 200)), 400, [rev(250, 1), rev(400, 2)])
    expect(r.verdict).toBe('partial')
    expect(r.problems.map((p) => p.message).join(' ')).toMatch(/not the end of a revision/)
  })

  it('calls a gap larger than /Contents partial (signature wrapping)', () => {
    const r = checkByteRange(dict([0, 90, 200, 50], contents(100, 200)), 250, [rev(250)])
    expect(r.verdict).toBe('partial')
    expect(r.problems.map((p) => p.message).join(' ')).toMatch(/larger than the \/Contents/)
  })

  it('calls a gap that does not hold this /Contents broken', () => {
    const r = checkByteRange(dict([0, 100, 200, 50], contents(20, 60)), 250, [rev(250)])
    expect(r.verdict).toBe('broken')
  })

  it('rejects ranges past the end of the file, overlapping ranges and malformed arrays', () => {
    expect(checkByteRange(dict([0, 100, 200, 60], contents(100, 200)), 250, [rev(250)]).verdict).toBe('broken')
    expect(checkByteRange(dict([0, 100, 200, 60], contents(100, 200)), 250, [rev(250)]).ranges).toBeNull()
    expect(checkByteRange(dict([0, 210, 200, 50], contents(100, 200)), 250, [rev(250)]).verdict).toBe('broken')
    expect(checkByteRange(dict([0, -1, 200, 50], contents(100, 200)), 250, [rev(250)]).verdict).toBe('broken')
    expect(checkByteRange(dict(['a'], contents(100, 200)), 250, [rev(250)]).verdict).toBe('broken')
  })

  it('calls a single range or a range not starting at 0 partial', () => {
    expect(checkByteRange(dict([0, 100], contents(100, 200)), 250, [rev(250)]).verdict).toBe('partial')
    expect(checkByteRange(dict([1, 99, 200, 50], contents(100, 200)), 250, [rev(250)]).verdict).toBe('partial')
  })

  it('never accepts an empty ByteRange (universal signature forgery)', () => {
    const r = checkByteRange(dict([0, 0, 0, 0], contents(100, 200)), 250, [rev(250)])
    expect(r.verdict).not.toBe('ok')
    expect(checkByteRange(new PdfDict(new Map([['Contents', contents(100, 200) as never]])), 250, [rev(250)]).verdict).toBe('broken')
    expect(checkByteRange(new PdfDict(new Map([['ByteRange', [0, 100, 200, 50] as never]])), 250, [rev(250)]).verdict).toBe('broken')
  })

  it('refuses a /Contents that cannot be excluded (compressed signature dictionary)', () => {
    expect(checkByteRange(dict([0, 100, 200, 50], contents(-1, -1)), 250, [rev(250)]).verdict).toBe('broken')
  })
})
