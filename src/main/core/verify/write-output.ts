/** Atomic output for extracted content and exported reports: temp file beside the target, then link/rename. */
import { randomBytes } from 'node:crypto'
import { link, rename, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export class OutputExistsError extends Error {
  override name = 'OutputExistsError'
}

/** Writes `data` to `path` atomically; refuses to replace an existing file unless `overwrite`. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, overwrite = false): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  await writeFile(tmp, data, { flag: 'wx' })
  try {
    if (overwrite) await rename(tmp, path)
    else {
      // link() fails with EEXIST instead of replacing: no window where an existing file is overwritten
      try {
        await link(tmp, path)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputExistsError(`${path} already exists (not overwritten)`)
        throw err
      }
    }
  } finally {
    await unlink(tmp).catch(() => undefined)
  }
}
