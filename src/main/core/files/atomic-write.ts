/** Atomic output for reports, extracted content and settings: temp file beside the target, then link/rename. */
import { randomBytes } from 'node:crypto'
import { link, open, rename, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { ParapheError } from '../../../shared/errors'

/** The target exists and was not to be replaced: the person's I/O problem (IO_ERROR across IPC). */
export class OutputExistsError extends ParapheError {
  override name = 'OutputExistsError'
  constructor(message: string) {
    super('IO_ERROR', message)
  }
}

/** The source of a copy ended before the length asked (it changed since it was read). */
export class SourceShorterError extends Error {
  override name = 'SourceShorterError'
}

const COPY_CHUNK = 4 * 1024 * 1024

/** Writes a temp file beside `path` with `fill`, then puts it in place; the temp file never stays. */
async function publishAtomically(path: string, overwrite: boolean, fill: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await fill(tmp)
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

/** Writes `data` to `path` atomically; refuses to replace an existing file unless `overwrite`. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, overwrite = false): Promise<void> {
  await publishAtomically(path, overwrite, (tmp) => writeFile(tmp, data, { flag: 'wx' }))
}

/**
 * Copies bytes [0, length) of `src` to `dest` atomically (temp file mode 0600, synced), streaming:
 * the signed revision of a 100 MB PDF is never held in memory.
 */
export async function copyPrefixAtomic(src: string, length: number, dest: string, overwrite = false): Promise<void> {
  const input = await open(src, 'r')
  try {
    await publishAtomically(dest, overwrite, async (tmp) => {
      const output = await open(tmp, 'wx', 0o600)
      try {
        const buf = Buffer.allocUnsafe(Math.min(COPY_CHUNK, Math.max(length, 1)))
        for (let pos = 0; pos < length; ) {
          const { bytesRead } = await input.read(buf, 0, Math.min(buf.length, length - pos), pos)
          if (bytesRead === 0) throw new SourceShorterError('the file is shorter than the signed range')
          await output.write(buf, 0, bytesRead)
          pos += bytesRead
        }
        await output.sync()
      } finally {
        await output.close()
      }
    })
  } finally {
    await input.close()
  }
}
