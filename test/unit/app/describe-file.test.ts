// What the Sign and Home screens learn about a chosen file before anything is signed: kind, signed
// or not, SHA-256, PES summary, page count; bytes-read progress for large files; plain errors.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { describeFiles } from '../../../src/main/core/files/describe-file'
import type { DescribeProgress } from '../../../src/shared/model/app-ipc'

const dir = mkdtempSync(join(tmpdir(), 'paraphe-describe-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('describeFiles', () => {
  it('tells a signed PDF, an unsigned PES with its bordereaux and another file apart', async () => {
    const text = join(dir, 'note.txt')
    writeFileSync(text, 'Note de service\n')
    const [pdf, pes, other] = await describeFiles(['test/fixtures/pdf/dss-pdf-signed-original.pdf', 'test/fixtures/pes/unsigned/pastell__PESALR1_99988877766655_121211_11.xml', text])
    expect(pdf).toMatchObject({ kind: 'pdf', signed: true, suggestedFormat: 'pades' })
    expect(pdf!.pageCount).toBeGreaterThan(0)
    expect(pes).toMatchObject({ kind: 'pes', signed: false, suggestedFormat: 'pes' })
    expect(pes!.pes!.bordereaux).toHaveLength(6)
    expect(other).toMatchObject({ kind: 'other', signed: false, suggestedFormat: 'cades', size: 16, sha256: createHash('sha256').update('Note de service\n').digest('hex') })
  })

  it('reports the bytes read of a large file as it goes, ending at its size', async () => {
    const big = join(dir, 'archive.bin')
    const size = 40 * 1024 * 1024 + 123
    writeFileSync(big, Buffer.alloc(size, 7))
    const seen: DescribeProgress[] = []
    const [d] = await describeFiles([join(dir, 'note.txt'), big], (p) => seen.push(p))
    expect(d!.name).toBe('note.txt')
    // a 16-byte file says nothing; the 40 MB one reports at 16 MB steps then its end
    expect(seen.every((p) => p.path === big && p.index === 1 && p.files === 2 && p.bytes === size)).toBe(true)
    expect(seen.map((p) => p.bytesDone)).toEqual([...seen.map((p) => p.bytesDone)].sort((a, b) => a - b))
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen.at(-1)!.bytesDone).toBe(size)
    expect(readFileSync(big).length).toBe(size)
  })

  it('names a folder or a missing file in plain words', async () => {
    const folder = join(dir, 'dossier')
    mkdirSync(folder)
    await expect(describeFiles([folder])).rejects.toMatchObject({ code: 'IO_ERROR', message: 'dossier is not a file' })
    await expect(describeFiles([join(dir, 'absent.pdf')])).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('ENOENT') })
  })
})
