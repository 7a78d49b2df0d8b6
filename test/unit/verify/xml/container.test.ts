/**
 * Signed ZIP packages (OpenDocument, ASiC): the real signed ODF sample from the corpus, then copies
 * re-packed with one part changed, a part added, the signature removed. The RUB-NDS files have no
 * licence: read from ../shared/corpus, skipped with a message when absent.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createVerificationContext } from '../../../../src/main/core/verify/context'
import { verifyContainer } from '../../../../src/main/core/verify/container/verify-container'
import { openZipPackage } from '../../../../src/main/core/verify/container/zip'
import { writeZip } from './zip-writer'

const SAMPLE = resolve(__dirname, '../../../../../shared/corpus/odf-xades-attacks/aa_sample_documents__ODF_document_signature_valid_but_untrusted.odt')
const present = existsSync(SAMPLE)
if (!present) console.warn(`skipped the signed OpenDocument tests: ${SAMPLE} not found (RUB-NDS corpus, not redistributable)`)

const dir = mkdtempSync(join(tmpdir(), 'paraphe-zip-verify-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-29T12:00:00Z') })

async function entriesOf(path: string): Promise<Array<[string, Buffer]>> {
  const pkg = await openZipPackage(path)
  try {
    const out: Array<[string, Buffer]> = []
    for (const name of pkg.names) out.push([name, await pkg.read(name)])
    return out
  } finally {
    pkg.close()
  }
}

describe.skipIf(!present)('signed OpenDocument packages', () => {
  it('verifies every part of the signed sample', async () => {
    const report = await verifyContainer(SAMPLE, ctx)
    expect(report.fileType).toBe('odf')
    expect(report.integrity).toBe('intact')
    expect(report.signatures[0]?.coverage.kind).toBe('whole')
    expect(report.signatures[0]?.coverage.description).toMatch(/^all \d+ parts of the package$/)
  })

  it('re-packed unchanged, still intact (the digests cover part bytes, not the ZIP layout)', async () => {
    const copy = join(dir, 'same.odt')
    writeZip(copy, await entriesOf(SAMPLE))
    expect((await verifyContainer(copy, ctx)).integrity).toBe('intact')
  })

  it('breaks when a signed part changes', async () => {
    const entries = await entriesOf(SAMPLE)
    const content = entries.find(([n]) => n === 'content.xml')!
    content[1] = Buffer.from(content[1].toString('utf8').replace(/<\/office:text>/, '<text:p>ajout</text:p></office:text>'), 'utf8')
    const copy = join(dir, 'changed.odt')
    writeZip(copy, entries)
    const report = await verifyContainer(copy, ctx)
    expect(report.integrity).toBe('broken')
    expect(report.signatures[0]?.subIndication).toBe('HASH_FAILURE')
  })

  it('reports a part added after signing as not covered', async () => {
    const copy = join(dir, 'added.odt')
    writeZip(copy, [...(await entriesOf(SAMPLE)), ['Pictures/added.png', Buffer.from('not signed')]])
    const report = await verifyContainer(copy, ctx)
    expect(report.integrity).toBe('partial')
    expect(report.messages.join(' ')).toContain('Pictures/added.png')
  })

  it('says unsigned when the signature file is gone', async () => {
    const copy = join(dir, 'unsigned.odt')
    writeZip(copy, (await entriesOf(SAMPLE)).filter(([n]) => n !== 'META-INF/documentsignatures.xml'))
    expect((await verifyContainer(copy, ctx)).integrity).toBe('unsigned')
  })
})

const OO = resolve(__dirname, '../../../../../shared/corpus/odf-xades-attacks/OpenOffice__05_signature_wrapping_attack_timestamp__')
describe.skipIf(!present)('OpenDocument timestamp wrapping (USENIX Security 2022)', () => {
  it('shows only the signed dc:date and flags the injected unsigned one', async () => {
    const original = await verifyContainer(`${OO}01_doc_signed_by_trusted_person.odt`, ctx)
    expect(original.integrity).toBe('intact')
    expect(original.signatures[0]?.signingTime).toBe('2022-02-10T17:42:36.200Z')
    const attacked = await verifyContainer(`${OO}02_doc_signed_by_trusted_person_manipulated.odt`, ctx)
    expect(attacked.integrity).toBe('partial')
    expect(attacked.signatures[0]?.signingTime).toBe('2022-02-10T17:42:36.200Z')
    expect(attacked.signatures[0]?.checks.some((c) => c.id === 'unsigned-content' && c.status === 'failed')).toBe(true)
  })
})

describe('damaged ZIP input', () => {
  it('never crashes on a truncated package', async () => {
    const bad = join(dir, 'truncated.odt')
    writeFileSync(bad, Buffer.from('PK\u0003\u0004 truncated', 'latin1'))
    const report = await verifyContainer(bad, ctx)
    expect(report.integrity).toBe('broken')
    expect(report.messages[0]).toMatch(/ZIP/)
  })
})
