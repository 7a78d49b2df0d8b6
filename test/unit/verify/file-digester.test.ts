import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fileDigester } from '../../../src/main/core/verify/cms/cms-format'

const dir = mkdtempSync(join(tmpdir(), 'paraphe-digester-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('fileDigester (streamed detached content)', () => {
  it('gives the same digests as hashing the whole buffer, across chunk boundaries and for several algorithms', async () => {
    for (const size of [0, 1, (4 << 20) - 1, (4 << 20) + 1, (9 << 20) + 12345]) {
      const data = randomBytes(size)
      const path = join(dir, `f${size}`)
      writeFileSync(path, data)
      const d = fileDigester(path, ['SHA-256', 'SHA-512'])
      expect(Buffer.from(await d('SHA-256')).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'))
      expect(Buffer.from(await d('SHA-512')).toString('hex')).toBe(createHash('sha512').update(data).digest('hex'))
      expect(Buffer.from(await d('SHA3-256')).toString('hex')).toBe(createHash('sha3-256').update(data).digest('hex'))
    }
  })

  it('rejects with a plain message when the file cannot be read', async () => {
    await expect(fileDigester(join(dir, 'missing'))('SHA-256')).rejects.toThrow(/cannot read .*missing: ENOENT/)
  })
})
