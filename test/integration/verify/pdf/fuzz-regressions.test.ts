/**
 * Inputs saved by `npm run fuzz` (test/fixtures/fuzz-failures/): each must now get a verdict from
 * verifyFile without throwing. Inputs derived from unlicensed corpus parts are not saved (only
 * their recipe, *.json without a file); this test then has nothing to run for them.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createVerificationContext, verifyFile } from '../../../../src/main/core/verify/index'

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'fuzz-failures')
const inputs = existsSync(DIR) ? readdirSync(DIR).filter((f) => /\.(pdf|xml)$/.test(f)).sort() : []
const VERDICTS = ['intact', 'partial', 'modified', 'broken', 'unsigned', 'indeterminate']

describe('fuzz regressions', () => {
  it('has the saved inputs or says there are none', () => {
    if (inputs.length === 0) console.log('no saved fuzz input in test/fixtures/fuzz-failures')
    expect(Array.isArray(inputs)).toBe(true)
  })
  for (const name of inputs) {
    it(`gives a verdict on ${name}`, async () => {
      const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-01T00:00:00Z') })
      const r = await verifyFile(join(DIR, name), { ctx })
      expect(VERDICTS).toContain(r.integrity)
      expect(r.file).toBe(join(DIR, name))
    }, 120_000)
  }
})
