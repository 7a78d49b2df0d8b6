// Every text the renderer asks for exists in French and in English: a key missing from a catalogue
// would show as its raw name ("verify.batch.show") on a screen.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

type Catalogue = { [key: string]: string | Catalogue }
const load = (lang: string): Catalogue => JSON.parse(readFileSync(`src/renderer/src/i18n/${lang}.json`, 'utf8')) as Catalogue
const fr = load('fr')
const en = load('en')

function leaves(c: Catalogue, prefix = ''): string[] {
  return Object.entries(c).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : leaves(v, `${prefix}${k}.`)))
}

function lookup(c: Catalogue, key: string): string | Catalogue | undefined {
  let node: string | Catalogue | undefined = c
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined
  return node
}

/** A key is there as a text, or as plural forms (key_one / key_other). */
function hasText(c: Catalogue, key: string): boolean {
  return typeof lookup(c, key) === 'string' || typeof lookup(c, `${key}_other`) === 'string'
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : []
  })
}

const code = sources('src/renderer/src').map((p) => ({ p, text: readFileSync(p, 'utf8') }))
// t('a.b'), t("a.b"), i18nKey="a.b"
const literalKeys = [...new Set(code.flatMap(({ text }) => [...text.matchAll(/\bt\(\s*['"]([\w.-]+)['"]/g), ...text.matchAll(/i18nKey=['"]([\w.-]+)['"]/g)].map((m) => m[1]!)))]
// t(`verify.sub.${x}`): the part before the placeholder must be a group of texts
const templatePrefixes = [...new Set(code.flatMap(({ text }) => [...text.matchAll(/\bt\(\s*`([\w.-]+)\.\$\{/g)].map((m) => m[1]!)))]

describe('renderer catalogues', () => {
  it('French and English have the same keys', () => {
    expect(leaves(fr).sort()).toEqual(leaves(en).sort())
  })

  it('every key the screens ask for has a French and an English text', () => {
    expect(literalKeys.length).toBeGreaterThan(200)
    expect(literalKeys.filter((k) => !hasText(fr, k) || !hasText(en, k))).toEqual([])
  })

  it('every key built at run time points at a group of texts in both languages', () => {
    expect(templatePrefixes.length).toBeGreaterThan(5)
    expect(templatePrefixes.filter((k) => typeof lookup(fr, k) !== 'object' || typeof lookup(en, k) !== 'object')).toEqual([])
  })

  it('no empty text, and placeholders match between the languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort()
    for (const key of leaves(fr)) {
      const f = lookup(fr, key) as string
      const e = lookup(en, key) as string
      expect(f.trim(), key).not.toBe('')
      expect(e.trim(), key).not.toBe('')
      expect(placeholders(f), key).toEqual(placeholders(e))
    }
  })
})
