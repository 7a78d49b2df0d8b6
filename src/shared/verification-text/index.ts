/**
 * Texts of the verification engine in French and English, looked up by stable code
 * (catalogue.ts). Pure: used by the engine (English fallback strings), the French report, the PDF
 * export and the renderer.
 */
import type { MessageParam, MessageParams, MessageRef } from '../model/validation'
import { VERIFICATION_TEXTS } from './catalogue'

export { VERIFICATION_TEXTS } from './catalogue'
export type VerificationLanguage = 'fr' | 'en'

/** 'fr', 'fr-FR' -> 'fr'; anything else -> 'en'. */
export function verificationLanguage(lang: string | null | undefined): VerificationLanguage {
  return lang && lang.toLowerCase().startsWith('fr') ? 'fr' : 'en'
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

export interface VerificationTextOptions {
  /** time zone of dates written in words (French); default: the machine's, like the rest of the UI */
  timeZone?: string
}

/** French readers get dates in words; English keeps the ISO form the engine wrote. */
function dateText(lang: VerificationLanguage, iso: string, options: VerificationTextOptions): string {
  if (lang !== 'fr') return iso
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString('fr-FR', { ...(options.timeZone ? { timeZone: options.timeZone } : {}), dateStyle: 'long', timeStyle: 'medium' })
}

function paramText(lang: VerificationLanguage, value: MessageParam, options: VerificationTextOptions): string {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return ISO_DATE_TIME.test(value) ? dateText(lang, value, options) : value
  if (Array.isArray(value)) return value.map((v) => refText(lang, v, options)).join(lang === 'fr' ? ' ; ' : '; ')
  return refText(lang, value, options)
}

function refText(lang: VerificationLanguage, ref: MessageRef, options: VerificationTextOptions): string {
  return verificationText(lang, ref.code, ref.params, ref.code, options)
}

/**
 * A count with its noun in the right number: French takes the singular for 0 and 1, English for 1.
 * `{count:page ajoutée|pages ajoutées}` with count 3 gives "3 pages ajoutées".
 */
function countText(lang: VerificationLanguage, n: number, one: string, other: string): string {
  const singular = lang === 'fr' ? Math.abs(n) < 2 : n === 1
  return `${n} ${singular ? one : other}`
}

/**
 * The text of `code` in `lang` with `{name}` placeholders replaced by `params` (`{name:one|other}`
 * for a count and its noun); `fallback` (the engine's English string) when the code is unknown or
 * absent. A placeholder without a parameter stays visible as `{name}` rather than vanishing.
 */
export function verificationText(
  lang: string,
  code: string | null | undefined,
  params: MessageParams | undefined,
  fallback: string,
  options: VerificationTextOptions = {},
): string {
  if (!code) return fallback
  const entry = Object.hasOwn(VERIFICATION_TEXTS, code) ? VERIFICATION_TEXTS[code] : undefined
  if (!entry) return fallback
  const l = verificationLanguage(lang)
  return entry[l].replace(/\{(\w+)(?::([^{}|]*)\|([^{}|]*))?\}/g, (whole, name: string, one?: string, other?: string) => {
    if (!params || !Object.hasOwn(params, name)) return whole
    const value = params[name]!
    if (one !== undefined && other !== undefined && typeof value === 'number') return countText(l, value, one, other)
    return paramText(l, value, options)
  })
}

/** Convenience for objects carrying `code`/`params` beside their English text. */
export function localized(lang: string, item: { code?: string; params?: MessageParams }, fallback: string, options: VerificationTextOptions = {}): string {
  return verificationText(lang, item.code, item.params, fallback, options)
}
