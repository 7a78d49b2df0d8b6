import { describe, expect, it } from 'vitest'
import { parsePdfDate } from '../../../../src/main/core/verify/pdf/pdf-date'
import { pdfDate } from '../../../../src/main/core/sign/pades/signature-field'

describe('parsePdfDate (signature dictionary /M)', () => {
  it('reads the full form with an offset, Z, and the shorter forms the PDF standard allows', () => {
    expect(parsePdfDate("D:20261120101530+01'00'")?.toISOString()).toBe('2026-11-20T09:15:30.000Z')
    expect(parsePdfDate("D:20261120101530-05'30'")?.toISOString()).toBe('2026-11-20T15:45:30.000Z')
    expect(parsePdfDate("D:20261120101530+01'00")?.toISOString()).toBe('2026-11-20T09:15:30.000Z')
    expect(parsePdfDate('D:20261120101530Z')?.toISOString()).toBe('2026-11-20T10:15:30.000Z')
    expect(parsePdfDate("D:20261120101530Z00'00'")?.toISOString()).toBe('2026-11-20T10:15:30.000Z')
    expect(parsePdfDate('D:202611201015')?.toISOString()).toBe('2026-11-20T10:15:00.000Z')
    expect(parsePdfDate('D:2026')?.toISOString()).toBe('2026-01-01T00:00:00.000Z')
    expect(parsePdfDate('20261120101530Z')?.toISOString()).toBe('2026-11-20T10:15:30.000Z')
  })

  it('reads what the project signer writes, to the second', () => {
    const when = new Date('2026-03-29T01:30:07Z')
    expect(parsePdfDate(pdfDate(when))?.toISOString()).toBe(when.toISOString())
  })

  it('refuses hostile or impossible values with null, never an exception', () => {
    for (const bad of [
      '',
      'D:',
      'garbage',
      'D:2026AB20101530Z',
      'D:20261320101530Z', // month 13
      'D:20260230101530Z', // 30 February
      'D:20261120251530Z', // hour 25
      'D:20261120106030Z', // minute 60
      "D:20261120101530+24'00'",
      'D:20261120101530+01:00',
      'D:0000',
      'D:20261120101530Z trailing',
      `D:2026${'1'.repeat(5000)}`,
      '\u0000\u00ff\u00fe',
    ]) {
      expect(() => parsePdfDate(bad)).not.toThrow()
      expect(parsePdfDate(bad), JSON.stringify(bad.slice(0, 30))).toBeNull()
    }
  })
})
