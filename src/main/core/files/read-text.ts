/**
 * Raw text of a small XML file for the "voir le XML" preview (PES): bounded, decoded as UTF-8
 * (ISO-8859-1 when the prolog says so, as many PES files do), never executed or parsed here.
 */
import { open } from 'node:fs/promises'
import { ParapheError } from '../../../shared/errors'

export const TEXT_PREVIEW_MAX_BYTES = 2 * 1024 * 1024

export async function readTextPreview(path: string, maxBytes = TEXT_PREVIEW_MAX_BYTES): Promise<{ text: string; truncated: boolean }> {
  const handle = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new ParapheError('IO_ERROR', `cannot open the file (${e.code ?? e.message})`)
  })
  try {
    const size = (await handle.stat()).size
    const length = Math.min(size, maxBytes)
    const buf = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buf, 0, length, 0)
    const bytes = buf.subarray(0, bytesRead)
    if (bytes.subarray(0, 8192).includes(0)) throw new ParapheError('INVALID_REQUEST', 'this file is not text')
    const prolog = bytes.subarray(0, 200).toString('latin1')
    const latin1 = /encoding\s*=\s*["'](?:iso-8859-1|iso-8859-15|latin-?1|windows-1252)["']/i.test(prolog)
    return { text: new TextDecoder(latin1 ? 'windows-1252' : 'utf-8').decode(bytes), truncated: size > length }
  } finally {
    await handle.close()
  }
}
