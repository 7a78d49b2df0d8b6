/** Atomic output: a temporary file next to the target, then rename (or link, to never overwrite). */
import { randomBytes } from 'node:crypto'
import { link, rename, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { XadesSignError } from './types'

export async function writeOutputAtomically(path: string, data: Uint8Array, overwrite: boolean): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  await writeFile(tmp, data, { flag: 'wx' })
  try {
    if (overwrite) await rename(tmp, path)
    else {
      try {
        await link(tmp, path) // fails when the target exists: never overwrite unless asked
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new XadesSignError(`${path} already exists (not overwritten)`)
        throw e
      }
      await unlink(tmp)
    }
  } catch (e) {
    await unlink(tmp).catch(() => undefined)
    throw e
  }
}
