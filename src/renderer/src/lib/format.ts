import i18next from 'i18next'

const DAY_MS = 86_400_000

export function daysLeft(notAfter: string, now = Date.now()): number {
  return Math.floor((Date.parse(notAfter) - now) / DAY_MS)
}

function locale(): string {
  return i18next.language === 'en' ? 'en-GB' : 'fr-FR'
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(locale(), { dateStyle: 'long' })
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale(), { dateStyle: 'long', timeStyle: 'medium' })
}

export function formatSize(bytes: number): string {
  const units = i18next.language === 'en' ? ['bytes', 'KB', 'MB', 'GB'] : ['octets', 'ko', 'Mo', 'Go']
  let v = bytes
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toLocaleString(locale(), { maximumFractionDigits: 1 })} ${units[i]}`
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1] || path
}

export function dirName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return i > 0 ? path.slice(0, i) : path
}

/** A PES amount ("75724.75") in the reader's format (75 724,75 €); anything else as written. */
export function formatAmount(amount: string | null): string {
  if (amount === null || amount === '') return '—'
  if (!/^-?\d+(\.\d+)?$/.test(amount)) return amount
  return Number(amount).toLocaleString(locale(), { style: 'currency', currency: 'EUR' })
}
