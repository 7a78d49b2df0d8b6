/**
 * PDF date strings (ISO 32000-1 §7.9.4): `D:YYYYMMDDHHmmSSOHH'mm'`. Every part after the year is
 * optional; O is `+`, `-` or `Z`. The value comes from the file, so it is parsed strictly: anything
 * else, impossible calendar values or an oversized string give null, never an exception.
 */
const PDF_DATE = /^(?:D:)?(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2}))?)?)?)?)?(?:([+\-Z])(?:(\d{2})(?:'(\d{2})'?)?)?)?$/

export function parsePdfDate(raw: string): Date | null {
  if (raw.length > 40) return null
  const m = PDF_DATE.exec(raw.trim())
  if (!m) return null
  const num = (s: string | undefined, dflt: number): number => (s === undefined ? dflt : Number(s))
  const year = num(m[1], 0)
  const month = num(m[2], 1)
  const day = num(m[3], 1)
  const hour = num(m[4], 0)
  const minute = num(m[5], 0)
  const second = num(m[6], 0)
  const sign = m[7]
  const offH = num(m[8], 0)
  const offM = num(m[9], 0)
  if (year < 1000 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return null
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day < 1 || day > daysInMonth) return null
  // no offset: the time zone is unknown; UTC is the documented reading
  const offsetMinutes = sign === '+' ? offH * 60 + offM : sign === '-' ? -(offH * 60 + offM) : 0
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000
  const d = new Date(utc)
  return Number.isNaN(d.getTime()) ? null : d
}
