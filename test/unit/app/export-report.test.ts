// Exporting a verification report never replaces a file unless asked: an existing target is an
// IO_ERROR in plain words (PDF and JSON alike), the file left as it was; asked, it is replaced whole.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../../src/main/app/handlers'
import { createRouter } from '../../../src/main/app/router'
import type { ValidationReport } from '../../../src/shared/model/validation'

const dir = mkdtempSync(join(tmpdir(), 'paraphe-export-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const report: ValidationReport = { file: '/tmp/a.pdf', fileType: 'pdf', integrity: 'unsigned', trust: 'unknown', signatures: [], messages: [], validationTime: '2026-11-29T10:00:00Z' }
const router = createRouter(createHandlers({ emit: () => {}, settingsModules: () => [], version: 'test' }))

describe('exportReport', () => {
  for (const format of ['pdf', 'json'] as const) {
    it(`${format}: an existing file is refused unless overwrite is asked, and nothing is left behind`, async () => {
      const path = join(dir, `rapport.${format}`)
      writeFileSync(path, 'keep me')
      const refused = await router.invoke('verify:export-report', { report, format, path })
      expect(refused).toMatchObject({ ok: false, error: { code: 'IO_ERROR', message: expect.stringContaining('already exists') } })
      expect(readFileSync(path, 'utf8')).toBe('keep me')
      expect(await router.invoke('verify:export-report', { report, format, path, overwrite: true })).toEqual({ ok: true, value: { path } })
      expect(readFileSync(path, 'utf8')).not.toBe('keep me')
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
    })
  }
})
