/**
 * The change kinds behind the verdicts on published attack files: pyHanko's "sneaky" form updates
 * (an appearance shared with another object overwritten or swapped), EU DSS's page added after
 * signing and reused signature dictionary, and the RUB-NDS shadow attacks (read from
 * ../shared/corpus, which carries no licence: skipped with a message when absent).
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createVerificationContext } from '../../../../src/main/core/verify/index'
import { verifyPdf } from '../../../../src/main/core/verify/pdf/verify-pdf'

const CORPUS = join(__dirname, '..', '..', '..', 'fixtures', 'corpus')
const SHARED = resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'corpus')
const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-01T00:00:00Z') })
const kinds = async (path: string) => {
  const r = await verifyPdf(path, ctx)
  return { r, notAllowed: new Set(r.signatures.flatMap((s) => s.changesAfter.filter((c) => !c.allowed).map((c) => c.kind))) }
}

describe('pyHanko form updates', () => {
  const dir = join(CORPUS, 'pyhanko', 'pdf')
  for (const name of ['form-update-override-appearance-stream', 'form-update-override-appearance-stream-ap-indirect', 'form-update-no-override-appearance-stream-ap-indirect']) {
    it(`${name}: signing the second field is an allowed change`, async () => {
      const { r, notAllowed } = await kinds(join(dir, `${name}.pdf`))
      expect(r.integrity).toBe('intact')
      expect(notAllowed.size).toBe(0)
      expect(r.signatures[0]!.changesAfter.map((c) => c.kind)).toContain('signature-added')
    })
    it(`${name}-sneaky: the shared appearance is reported`, async () => {
      const { r, notAllowed } = await kinds(join(dir, `${name}-sneaky.pdf`))
      expect(r.integrity).toBe('modified')
      expect(notAllowed.has('shared-appearance-overwritten')).toBe(true)
    })
  }
})

describe('EU DSS files', () => {
  const dir = join(CORPUS, 'dss', 'pades')
  it('pdf-signed-added-page: page added after signing', async () => {
    const { r, notAllowed } = await kinds(join(dir, 'pdf-signed-added-page.pdf'))
    expect(r.integrity).toBe('modified')
    expect([...notAllowed].some((k) => k === 'page-added' || k === 'pages-changed')).toBe(true)
  })
  it('hello_signed_INCSAVE_signed_EDITED: a signature dictionary outside the revision it claims to sign', async () => {
    const { r } = await kinds(join(dir, 'hello_signed_INCSAVE_signed_EDITED.pdf'))
    expect(r.integrity).toBe('broken')
    expect(r.signatures.some((s) => s.checks.some((c) => c.id === 'signature-dictionary' && c.status === 'failed'))).toBe(true)
  })
  it('pades-ltv: DSS and document timestamps after the signature are allowed', async () => {
    const { r, notAllowed } = await kinds(join(dir, 'pades-ltv.pdf'))
    expect(r.integrity).toBe('intact')
    expect(notAllowed.size).toBe(0)
    expect(r.signatures[0]!.changesAfter.map((c) => c.kind)).toEqual(expect.arrayContaining(['dss-updated', 'doc-timestamp-added']))
  })
})

describe('RUB-NDS shadow attacks (../shared/corpus)', () => {
  const dir = join(SHARED, 'pdf-attacks', 'shadow')
  const present = existsSync(dir)
  it('are available or skipped with a message', () => {
    if (!present) console.log(`skipped: ${dir} not found (the RUB-NDS files carry no licence and are not copied into the repository)`)
    expect(typeof present).toBe('boolean')
  })
  const cases: [string, string][] = [
    ['hide__variant-1_hide-via-referenced-object__4_original-document-shadowed-signed-manipulated_v1.pdf', 'xref-tampered'],
    ['replace__variant-1_replace-via-overlay__4_original-document-shadowed-signed-manipulated.pdf', ''],
    ['hide-and-replace__variant-1_change_object_references__4_original-document-shadowed-signed-manipulated.pdf', ''],
  ]
  for (const [name, kind] of cases) {
    it.skipIf(!present)(`${name.split('__')[0]} ${name.split('__')[1]}: modified`, async () => {
      const { r, notAllowed } = await kinds(join(dir, name))
      expect(r.integrity).toBe('modified')
      expect(notAllowed.size).toBeGreaterThan(0)
      if (kind) expect(notAllowed.has(kind)).toBe(true)
    })
  }
  it.skipIf(!present)('the signed, not manipulated, shadow documents are intact', async () => {
    const { r } = await kinds(join(dir, 'hide__variant-1_hide-via-referenced-object__3_original-document-shadowed-signed.pdf'))
    expect(r.integrity).toBe('intact')
  })
})
