// "Voir la version signée": the PDF revision a signature covers, for the preview (a fresh private
// temp copy the renderer reads with readPdf, so the bytes cross IPC once) or saved where the person
// chose. The original file is only read. No electron import (the e2e harness runs this).
import { existsSync, rmSync } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'
import type { InvokeInput, InvokeValue } from '../../shared/contract'
import { ParapheError } from '../../shared/errors'
import { PDF_PREVIEW_MAX_BYTES } from '../core/files/describe-file'
import { copySignedBytes, findSignedRevision, SignedVersionError } from '../core/verify/pdf/signed-version'

export type SignedVersionHandlers = {
  extractSignedVersion: (input: InvokeInput<'extractSignedVersion'>) => Promise<InvokeValue<'extractSignedVersion'>>
  discardSignedVersion: (input: InvokeInput<'discardSignedVersion'>) => Promise<InvokeValue<'discardSignedVersion'>>
}

/** Preview copies still on disk (all handler sets of this process), removed when the process exits. */
const previewDirs = new Set<string>()
let exitHookInstalled = false
function trackPreviewDir(dir: string): void {
  previewDirs.add(dir)
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const d of previewDirs) rmSync(d, { recursive: true, force: true })
  })
}
async function dropPreviewDir(dir: string): Promise<void> {
  previewDirs.delete(dir)
  await rm(dir, { recursive: true, force: true })
}

/** true when `a` and `b` name the same file (same inode: also catches hard links and symlinks) */
async function sameFile(a: string, b: string): Promise<boolean> {
  if (!existsSync(b)) return false
  const [sa, sb] = await Promise.all([stat(a), stat(b)])
  return sa.dev === sb.dev && sa.ino === sb.ino
}

function plain(err: unknown): never {
  if (err instanceof SignedVersionError) throw new ParapheError('INVALID_REQUEST', err.message)
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') throw new ParapheError('IO_ERROR', `file not found: ${(err as NodeJS.ErrnoException).path ?? ''}`)
  if (code === 'EACCES' || code === 'EPERM') throw new ParapheError('IO_ERROR', `permission denied: ${(err as NodeJS.ErrnoException).path ?? ''}`)
  throw err
}

export function createSignedVersionHandlers(): SignedVersionHandlers {
  // one preview at a time per window: the previous copy goes when a new one is made
  let currentPreview: string | null = null
  const discardPreview = async (): Promise<boolean> => {
    if (!currentPreview) return false
    const old = currentPreview
    currentPreview = null
    await dropPreviewDir(old)
    return true
  }

  return {
    discardSignedVersion: async () => ({ discarded: await discardPreview() }),
    extractSignedVersion: async (input) => {
      if (!isAbsolute(input.path)) throw new ParapheError('INVALID_REQUEST', 'the file path must be absolute')
      if (input.saveTo !== undefined && !isAbsolute(input.saveTo)) throw new ParapheError('INVALID_REQUEST', 'the destination path must be absolute')
      try {
        if (!(await stat(input.path)).isFile()) throw new ParapheError('IO_ERROR', `not a file: ${input.path}`)
        const s = await findSignedRevision(input.path, input.signatureId)
        const answer = {
          signatureId: input.signatureId,
          fieldName: s.fieldName,
          signedBytes: s.signedBytes,
          fileSize: s.fileSize,
          revision: s.revision,
          revisionCount: s.revisionCount,
          exact: s.exact,
          inFinal: s.inFinal,
        }
        if (input.saveTo !== undefined) {
          // replacing the verified file by its own signed revision would destroy the evidence
          if (await sameFile(input.path, input.saveTo)) throw new ParapheError('INVALID_REQUEST', 'choose another file name: this is the file being verified')
          if (!existsSync(dirname(input.saveTo))) throw new ParapheError('IO_ERROR', `folder not found: ${dirname(input.saveTo)}`)
          await copySignedBytes(input.path, s.signedBytes, input.saveTo, input.overwrite === true)
          return { ...answer, path: input.saveTo, previewRefused: null }
        }
        await discardPreview()
        if (s.signedBytes > PDF_PREVIEW_MAX_BYTES) {
          return { ...answer, path: null, previewRefused: `the signed version is too large to preview (${Math.round(s.signedBytes / 1e6)} MB); it can still be saved` }
        }
        // mkdtemp: a new directory only this user can enter (0700); the copy itself is 0600
        const dir = await mkdtemp(join(tmpdir(), 'paraphe-signed-'))
        trackPreviewDir(dir)
        currentPreview = dir
        const out = join(dir, 'version-signee.pdf')
        await copySignedBytes(input.path, s.signedBytes, out, false)
        return { ...answer, path: out, previewRefused: null }
      } catch (err) {
        if (err instanceof ParapheError) throw err
        plain(err)
      }
    },
  }
}
