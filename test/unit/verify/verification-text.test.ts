/**
 * The verification texts catalogue: every code the engine emits has a French and an English text
 * (checked two ways: the codes written in the engine's sources, and the codes of real reports over
 * every fixture file), the English text is the engine's own fallback string, and placeholders are
 * filled as documented.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createVerificationContext } from '../../../src/main/core/verify/context'
import { verifyFile } from '../../../src/main/core/verify/index'
import { reportTextFr } from '../../../src/main/core/verify/report-fr'
import type { MessageParams, MessageRef, ValidationReport } from '../../../src/shared/model/validation'
import { ValidationReportSchema } from '../../../src/shared/model/validation'
import { VERIFICATION_TEXTS, verificationLanguage, verificationText } from '../../../src/shared/verification-text'
import { reportText } from '../../../src/shared/verification-text/report-text'

const ROOT = resolve(__dirname, '../../..')
const ENGINE = join(ROOT, 'src/main/core/verify')
const FIXTURES = join(ROOT, 'test/fixtures')

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, keep))
    else if (keep(p)) out.push(p)
  }
  return out.sort()
}

const namespaces = new Set(Object.keys(VERIFICATION_TEXTS).map((c) => c.split('.')[0]!))
const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)(?::[^{}|]*\|[^{}|]*)?\}/g)].map((m) => m[1]!).sort()

/** Codes written as string literals in the engine (any 'ns.x.y' whose namespace the catalogue uses). */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of filesUnder(ENGINE, (p) => p.endsWith('.ts'))) {
    const src = readFileSync(file, 'utf8')
    for (const m of src.matchAll(/'([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)'/g)) {
      const code = m[1]!
      if (namespaces.has(code.split('.')[0]!) && !/\.(ts|json|pdf|xml)$/.test(code)) found.set(code, file.slice(ROOT.length + 1))
    }
    // any literal given to the engine's text helpers, whatever its namespace
    const helperCalls = [
      /\b(?:text|codedText|ref|messageRef|FileMessages\.of|messages\.add)\(\s*'([^']+)'/g,
      /\bcoverageText\(\s*'[^']*',\s*'([^']+)'/g,
      /\bverdict\(\s*(?:true|false),\s*'([^']+)'/g,
      /\bcheck\([^,()]+,\s*[^,()]+(?:\([^()]*\))?[^,()]*,\s*'([^']+)'/g,
      /\bv\.add\(\s*'[^']*',\s*'[^']*',\s*'([^']+)'/g,
    ]
    for (const re of helperCalls) for (const m of src.matchAll(re)) found.set(m[1]!, file.slice(ROOT.length + 1))
  }
  return found
}

/** Every code of a report, parameters included, with the English text the engine wrote beside it. */
function codesOfReport(r: ValidationReport): Array<{ code: string; params?: MessageParams; english?: string }> {
  const out: Array<{ code: string; params?: MessageParams; english?: string }> = []
  const walk = (ref: MessageRef, english?: string): void => {
    out.push({ code: ref.code, ...(ref.params ? { params: ref.params } : {}), ...(english !== undefined ? { english } : {}) })
    for (const v of Object.values(ref.params ?? {})) {
      if (Array.isArray(v)) v.forEach((x) => walk(x))
      else if (typeof v === 'object') walk(v)
    }
  }
  r.messageRefs?.forEach((m, i) => m && walk(m, r.messages[i]))
  for (const s of r.signatures) {
    if (s.coverage.code) walk({ code: s.coverage.code, ...(s.coverage.params ? { params: s.coverage.params } : {}) }, s.coverage.description)
    for (const c of s.changesAfter) if (c.code) walk({ code: c.code, ...(c.params ? { params: c.params } : {}) }, c.description)
    for (const c of s.checks) if (c.code) walk({ code: c.code, ...(c.params ? { params: c.params } : {}) }, c.message)
    if (s.timestamp?.code) walk({ code: s.timestamp.code, ...(s.timestamp.params ? { params: s.timestamp.params } : {}) }, s.timestamp.message ?? undefined)
  }
  return out
}

describe('verification texts catalogue', () => {
  it('has a French and an English text for every entry, with the same placeholders and French apostrophes', () => {
    const codes = Object.keys(VERIFICATION_TEXTS)
    expect(codes.length).toBeGreaterThan(250)
    for (const code of codes) {
      const { fr, en } = VERIFICATION_TEXTS[code]!
      expect(fr.trim(), code).not.toBe('')
      expect(en.trim(), code).not.toBe('')
      expect(placeholders(fr), code).toEqual(placeholders(en))
      expect(fr, `${code}: typographic apostrophe in French`).not.toMatch(/[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]/)
    }
  })

  it('knows every code written in the engine sources', () => {
    const found = codesInSources()
    expect(found.size).toBeGreaterThan(200)
    const missing = [...found].filter(([code]) => !Object.hasOwn(VERIFICATION_TEXTS, code)).map(([code, file]) => `${code} (${file})`)
    expect(missing).toEqual([])
    // codes assembled at run time (template strings) in the engine
    const dynamic = [
      ...['Added', 'Removed', 'Changed'].flatMap((k) => [`pdf.change.catalogEntry${k}`, `pdf.change.catalogEntry${k}Active`]),
      ...['plain', 'content', 'signature', 'archive', 'document'].flatMap((k) => [`timestamp.label.${k}`, `timestamp.label.${k}N`]),
    ]
    expect(dynamic.filter((c) => !Object.hasOwn(VERIFICATION_TEXTS, c))).toEqual([])
  })

  it('knows every code of the reports over all fixture files, and its English is the engine message', async () => {
    const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-29T12:00:00Z') })
    const files = filesUnder(FIXTURES, (p) => !/\/licenses\/|\.(md|json|yml|txt)$/.test(p))
    expect(files.length).toBeGreaterThan(150)
    const seen = new Set<string>()
    const unknown: string[] = []
    const mismatched: string[] = []
    let withoutCode = 0
    for (const file of files) {
      let report: ValidationReport
      try {
        report = await verifyFile(file, { ctx })
      } catch {
        continue // a caller input error (e.g. a detached signature's content given wrong) is not a report
      }
      expect(ValidationReportSchema.safeParse(report).success, file).toBe(true)
      expect(report.messageRefs ?? [], file).toHaveLength(report.messages.length)
      for (const s of report.signatures) withoutCode += s.checks.filter((c) => !c.code).length + (s.coverage.code ? 0 : 1) + s.changesAfter.filter((c) => !c.code).length
      for (const { code, params, english } of codesOfReport(report)) {
        seen.add(code)
        if (!Object.hasOwn(VERIFICATION_TEXTS, code)) unknown.push(`${code} (${file})`)
        else if (english !== undefined && verificationText('en', code, params, '') !== english) mismatched.push(`${code}: ${english}`)
      }
      // the French report shows no English sentence from the engine where a code exists
      const fr = reportTextFr(report)
      expect(fr, file).not.toMatch(/\b(the signed|signature covers|revision \d+ of)\b/)
      // and the English report no French one
      expect(reportText(report, 'en'), file).not.toMatch(/\b(la signature|la révision \d+ sur|non révoqué|aucune donnée de révocation)\b|heure de Paris/)
    }
    expect(unknown).toEqual([])
    expect(mismatched).toEqual([])
    expect(withoutCode).toBe(0)
    expect(seen.size).toBeGreaterThan(60)
  }, 120_000)
})

describe('verificationText', () => {
  it('writes a count with its noun in the right number (French: singular for 0 and 1; English: for 1)', () => {
    const pages = (lang: string, count: number) => verificationText(lang, 'pdf.change.pagesAdded', { count }, 'x')
    expect([0, 1, 2].map((n) => pages('fr', n))).toEqual(['0 page ajoutée', '1 page ajoutée', '2 pages ajoutées'])
    expect([0, 1, 2].map((n) => pages('en', n))).toEqual(['0 pages added', '1 page added', '2 pages added'])
    expect(verificationText('fr', 'pdf.change.listMore', { changes: 'a', more: 4 }, 'x')).toBe('a ; et 4 autres')
    // no '(s)' left in the catalogue
    expect(Object.entries(VERIFICATION_TEXTS).filter(([, t]) => /\((s|es)\)/.test(t.fr + t.en)).map(([code]) => code)).toEqual([])
  })

  it('fills placeholders in the language asked, French for fr-FR, English otherwise', () => {
    expect(verificationText('fr', 'pdf.coverage.revision', { revision: 2, of: 3 }, 'x')).toBe('la révision 2 sur 3')
    expect(verificationText('fr-FR', 'pdf.coverage.revision', { revision: 2, of: 3 }, 'x')).toBe('la révision 2 sur 3')
    expect(verificationText('en', 'pdf.coverage.revision', { revision: 2, of: 3 }, 'x')).toBe('revision 2 of 3')
    expect(verificationText('de', 'pdf.coverage.revision', { revision: 2, of: 3 }, 'x')).toBe('revision 2 of 3')
    expect(verificationLanguage('FR')).toBe('fr')
    expect(verificationLanguage(undefined)).toBe('en')
  })

  it('renders nested coded parameters and lists of them', () => {
    const reason = { code: 'policy.digest.expired', params: { name: 'SHA-1', until: '2016-01-01', at: '2020-05-04' } }
    expect(verificationText('fr', 'crypto.signatureDigest', { reason }, 'x')).toBe('empreinte de la signature : SHA-1 n’est plus accepté après le 2016-01-01 (heure de signature : 2020-05-04)')
    const changes: MessageRef[] = [{ code: 'pdf.change.pagesAdded', params: { count: 1 } }, { code: 'pdf.change.formFilled', params: { name: 'Nom' } }]
    expect(verificationText('fr', 'pdf.changesAfter.notAllowed', { changes }, 'x')).toBe('changements faits après la signature et non autorisés : 1 page ajoutée ; champ de formulaire « Nom » rempli')
    expect(verificationText('en', 'pdf.changesAfter.notAllowed', { changes }, 'x')).toBe('changes made after signing that are not allowed: 1 page added; form field "Nom" filled in')
  })

  it('writes ISO dates in words for French readers and keeps them for English ones', () => {
    expect(verificationText('fr', 'validity.ok', { at: '2026-11-29T11:00:00.000Z' }, 'x', { timeZone: 'Europe/Paris' })).toBe('certificats valides le 29 novembre 2026 à 12:00:00')
    expect(verificationText('fr', 'validity.ok', { at: '2026-11-29T11:00:00.000Z' }, 'x', { timeZone: 'UTC' })).toBe('certificats valides le 29 novembre 2026 à 11:00:00')
    expect(verificationText('en', 'validity.ok', { at: '2026-11-29T11:00:00.000Z' }, 'x')).toBe('certificates valid at 2026-11-29T11:00:00.000Z')
  })

  it('falls back to the given text for an unknown or absent code, and leaves a missing parameter visible', () => {
    expect(verificationText('fr', 'no.such.code', {}, 'the fallback')).toBe('the fallback')
    expect(verificationText('fr', undefined, undefined, 'the fallback')).toBe('the fallback')
    expect(verificationText('fr', '__proto__', undefined, 'the fallback')).toBe('the fallback')
    expect(verificationText('fr', 'pdf.coverage.revision', { revision: 2 }, 'x')).toBe('la révision 2 sur {of}')
  })
})
