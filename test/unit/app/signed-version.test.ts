// "Voir la version signée" behind the IPC router: the real handlers (createHandlers + createRouter),
// corpus PDFs signed then changed, hostile requests, and the saved revision compared with what
// `paraphe verify --extract` writes.
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../../src/main/app/handlers'
import { createRouter, type RouterAnswer } from '../../../src/main/app/router'
import { runCli } from '../../../src/main/cli/index'
import { createVerificationContext, verifyFile } from '../../../src/main/core/verify/index'
import { listSignedRevisions, signedRevisionById } from '../../../src/main/core/verify/pdf/signed-version'
import type { SignedVersionAnswer } from '../../../src/shared/model/app-ipc'

const CORPUS = 'test/fixtures/corpus'
const CHANNEL = 'verify:extract-signed-version'
const dir = mkdtempSync(join(tmpdir(), 'paraphe-signed-version-'))
/** preview copies still on disk (the handler removes them when the process exits, not a test worker) */
const previews: string[] = []
afterAll(() => {
  for (const d of [dir, ...previews]) rmSync(d, { recursive: true, force: true })
})

function fixture(rel: string): string {
  const to = join(dir, `${Math.random().toString(36).slice(2, 8)}-${rel.split('/').pop()}`)
  copyFileSync(join(CORPUS, rel), to)
  return to
}
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')
/** end of the last /ByteRange range: the bytes the (only) signature covers */
function byteRangeEnd(pdf: string): number {
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(readFileSync(pdf).toString('latin1'))
  return Number(m![3]) + Number(m![4])
}

function router() {
  return createRouter(createHandlers({ emit: () => {}, settingsModules: () => [], version: 'test' }))
}
function value(a: RouterAnswer): SignedVersionAnswer {
  if (!a.ok) throw new Error(`${a.error.code}: ${a.error.message}`)
  return a.value as SignedVersionAnswer
}
function error(a: RouterAnswer): { code: string; message: string } {
  if (a.ok) throw new Error('expected an error answer')
  return a.error
}

describe('extractSignedVersion (IPC handler)', () => {
  it('previews the signed revision of a PDF changed after signing in a private temp file; the original is untouched', async () => {
    const pdf = fixture('dss/pades/pdf-signed-added-page.pdf')
    const before = sha256(pdf)
    const r = router()
    const a = value(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1' }))
    const end = byteRangeEnd(pdf)
    expect(a).toMatchObject({ signatureId: 'Signature1', fieldName: 'Signature1', signedBytes: end, fileSize: statSync(pdf).size, revision: 2, revisionCount: 3, exact: true, inFinal: true, previewRefused: null })
    expect(end).toBeLessThan(a.fileSize)
    const preview = a.path!
    expect(readFileSync(preview).equals(readFileSync(pdf).subarray(0, end))).toBe(true)
    expect(statSync(preview).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(preview)).mode & 0o777).toBe(0o700)
    expect(sha256(pdf)).toBe(before)

    // the preview is what readPdf serves (one trip of the bytes over IPC)
    const read = await r.invoke('files:read-pdf', { path: preview })
    expect(read.ok && Buffer.from((read.value as { base64: string }).base64, 'base64').length).toBe(end)

    // one preview at a time: the next one replaces the previous copy
    const b = value(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1' }))
    expect(b.path).not.toBe(preview)
    expect(existsSync(dirname(preview))).toBe(false)
    expect(existsSync(b.path!)).toBe(true)
    previews.push(dirname(b.path!))

    // the dialog closed: the copy goes at once; a second discard has nothing left to remove
    expect(await r.invoke('verify:discard-signed-version', undefined)).toEqual({ ok: true, value: { discarded: true } })
    expect(existsSync(dirname(b.path!))).toBe(false)
    expect(await r.invoke('verify:discard-signed-version', undefined)).toEqual({ ok: true, value: { discarded: false } })
  })

  it('saves exactly what `paraphe verify --extract` writes, never over an existing file unless asked, never over the verified file', async () => {
    const pdf = fixture('dss/pades/modified_after_signature.pdf')
    const before = sha256(pdf)
    const cliOut = join(dir, 'cli-extract.pdf')
    const io = { out: () => {}, err: () => {}, env: {}, isTty: false }
    await runCli(['verify', pdf, '--offline', '--extract', cliOut], io)
    const r = router()
    const target = join(dir, 'saved-version.pdf')
    const a = value(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1', saveTo: target }))
    expect(a.path).toBe(target)
    expect(readFileSync(target).equals(readFileSync(cliOut))).toBe(true)
    expect(readFileSync(target).length).toBe(byteRangeEnd(pdf))

    writeFileSync(target, 'keep me')
    expect(error(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1', saveTo: target })).message).toMatch(/already exists/)
    expect(readFileSync(target, 'utf8')).toBe('keep me')
    value(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1', saveTo: target, overwrite: true }))
    expect(readFileSync(target).equals(readFileSync(cliOut))).toBe(true)

    // even when the person confirmed replacing, the verified file itself is never the destination
    expect(error(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1', saveTo: pdf, overwrite: true })).message).toMatch(/file being verified/)
    expect(sha256(pdf)).toBe(before)
    expect(error(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1', saveTo: join(dir, 'no-such-folder', 'x.pdf') })).code).toBe('IO_ERROR')
  })

  it('refuses an unknown signature id, a file that is not a PDF, an unsigned PDF, relative paths and malformed requests, in plain words', async () => {
    const r = router()
    const pdf = fixture('dss/pades/pdf-signed-added-page.pdf')
    const unknown = error(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature9' }))
    expect(unknown).toMatchObject({ code: 'INVALID_REQUEST' })
    expect(unknown.message).toMatch(/no signature "Signature9"/)
    // a prefix of a real id is not that id
    expect(error(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature' })).code).toBe('INVALID_REQUEST')

    const text = join(dir, 'note.pdf')
    writeFileSync(text, 'not a pdf at all\n'.repeat(10))
    expect(error(await r.invoke(CHANNEL, { path: text, signatureId: 'Signature1' })).message).toMatch(/is not a PDF/)
    const empty = join(dir, 'empty.pdf')
    writeFileSync(empty, '')
    expect(error(await r.invoke(CHANNEL, { path: empty, signatureId: 'Signature1' })).code).toBe('INVALID_REQUEST')
    const unsigned = join(dir, 'unsigned.pdf')
    writeFileSync(unsigned, '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
    expect(error(await r.invoke(CHANNEL, { path: unsigned, signatureId: 'Signature1' })).message).toMatch(/no PDF signature/)
    expect(error(await r.invoke(CHANNEL, { path: join(dir, 'missing.pdf'), signatureId: 'Signature1' })).code).toBe('IO_ERROR')
    expect(error(await r.invoke(CHANNEL, { path: dir, signatureId: 'Signature1' })).code).toBe('IO_ERROR')

    expect(error(await r.invoke(CHANNEL, { path: 'relative.pdf', signatureId: 'Signature1' })).message).toMatch(/absolute/)
    expect(error(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1', saveTo: 'out.pdf' })).message).toMatch(/absolute/)
    expect(error(await r.invoke(CHANNEL, { path: pdf, signatureId: '' })).code).toBe('INVALID_REQUEST')
    expect(error(await r.invoke(CHANNEL, { path: `${pdf}\0x`, signatureId: 'Signature1' })).code).toBe('INVALID_REQUEST')
    expect(error(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1', extra: 1 })).code).toBe('INVALID_REQUEST')
  })

  it('a signature whose /ByteRange runs past the end of the file has no signed version to show', async () => {
    const r = router()
    const pdf = fixture('dss/pades/pdf-signed-out-of-byteRange.pdf')
    expect(error(await r.invoke(CHANNEL, { path: pdf, signatureId: 'Signature1' })).message).toMatch(/cannot be located/)
  })
})

describe('signature ids: the same signatures as the verification report', () => {
  // multi-signature, multi-signer, removed-signature and anomaly files of the corpus
  const files = [
    'dss/pades/pades-5-signatures-and-1-document-timestamp.pdf',
    'dss/pades/hello_signed_INCSAVE_signed_EDITED.pdf',
    'dss/pades/pdf-double-signer-info.pdf',
    'dss/pades/dss-2236__annotation-and-visible-change.pdf',
    'pyhanko/pdf/pades-lta-dss-indirect-arrs-test.pdf',
    'pyhanko/pdf/coverage-anomalies__tail-uncovered.pdf',
  ]
  it.each(files)('%s', async (rel) => {
    const pdf = join(CORPUS, rel)
    const report = await verifyFile(pdf, { ctx: createVerificationContext({ offline: true }) })
    const list = await listSignedRevisions(pdf)
    expect(report.signatures.length).toBeGreaterThan(0)
    // one listing for both: every listed signature is a report signature under the same id, in the same order
    const reportIds = report.signatures.map((s) => s.id)
    expect(list.map((l) => l.id)).toEqual(reportIds.filter((id) => list.some((l) => l.id === id)))
    expect(list.length).toBeGreaterThan(0)
    for (const s of report.signatures) {
      const found = signedRevisionById(list, s.id)
      expect(found, s.id).not.toBeNull()
      // the report's coverage says the same revision / byte count
      if (s.coverage.kind === 'whole') expect(found!.signedBytes).toBe(found!.fileSize)
      else if (found!.revision !== null) expect(s.coverage.description).toContain(`${found!.revision} of ${found!.revisionCount}`)
      else expect(s.coverage.description).toContain(`bytes 0 to ${found!.signedBytes} of`)
    }
  })
})
