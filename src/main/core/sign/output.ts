/**
 * Where signed outputs go and how they are written. Naming convention (docs/formats.md):
 * - detached signatures and CAdES append an extension: `contrat.pdf` -> `contrat.pdf.p7s` (CAdES
 *   detached), `contrat.pdf.p7m` (CAdES attached), `contrat.pdf.xades.xml` (XAdES detached);
 * - signed documents get the suffix `-signe` before the extension: `contrat.pdf` ->
 *   `contrat-signe.pdf` (PAdES), `flux.xml` -> `flux-signe.xml` (XAdES enveloped, PES);
 * - a CAdES co-signature of `x.p7s` / `x.p7m` gets the suffix too: `x-signe.p7s`.
 * Outputs go next to the input or into `outDir`; an existing file is never replaced unless `force`;
 * the input is never written; writes go to a temporary file in the target directory, then a rename
 * (or, without `force`, a hard link, which fails atomically if the name was taken meanwhile).
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import { link, open, realpath, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'

export type SignFormat = 'pades' | 'cades' | 'cades-attached' | 'xades' | 'xades-detached' | 'pes'
export const SIGN_FORMATS: readonly SignFormat[] = ['pades', 'cades', 'cades-attached', 'xades', 'xades-detached', 'pes']

export const SIGNED_SUFFIX = '-signe'

export class OutputError extends Error {
  override name = 'OutputError'
  constructor(
    message: string,
    readonly code: 'exists' | 'same-as-input' | 'io',
    readonly path: string,
  ) {
    super(message)
  }
}

function withSuffix(name: string, suffix: string): string {
  const ext = extname(name)
  if (!ext || ext === name) return name + suffix
  return name.slice(0, -ext.length) + suffix + ext
}

/** The output file name for `input` signed in `format` (see the convention above). */
export function outputNameFor(input: string, format: SignFormat, opts: { cosignature?: boolean } = {}): string {
  const name = basename(input)
  if (opts.cosignature) return withSuffix(name, SIGNED_SUFFIX)
  switch (format) {
    case 'cades':
      return `${name}.p7s`
    case 'cades-attached':
      return `${name}.p7m`
    case 'xades-detached':
      return `${name}.xades.xml`
    case 'pades':
    case 'xades':
    case 'pes':
      return withSuffix(name, SIGNED_SUFFIX)
  }
}

export function outputPathFor(input: string, format: SignFormat, opts: { outDir?: string; cosignature?: boolean } = {}): string {
  return resolve(opts.outDir ?? dirname(resolve(input)), outputNameFor(input, format, opts))
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path)
  } catch {
    return resolve(path)
  }
}

/** Refuse before any work: output = an input, or an existing file without `force`. */
export async function checkOutputTarget(output: string, inputs: readonly string[], force: boolean): Promise<void> {
  const out = await canonical(output)
  for (const input of inputs) {
    if ((await canonical(input)) === out) throw new OutputError(`the output ${output} would replace the input; choose another --out`, 'same-as-input', output)
  }
  if (!force && (await exists(output))) throw new OutputError(`${output} already exists (use --force to replace it)`, 'exists', output)
}

export interface AtomicWriter {
  readonly tempPath: string
  readonly stream: WriteStream
  /** write and wait for the stream buffer (back-pressure) */
  write(chunk: Uint8Array): Promise<void>
  /** flush, fsync and move into place; returns the final path */
  commit(): Promise<string>
  /** remove the temporary file (safe to call after a failure, idempotent) */
  abort(): Promise<void>
}

export async function createAtomicWriter(output: string, opts: { force: boolean; inputs?: readonly string[] }): Promise<AtomicWriter> {
  await checkOutputTarget(output, opts.inputs ?? [], opts.force)
  const tempPath = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`)
  const stream = createWriteStream(tempPath, { flags: 'wx', mode: 0o644 })
  let failure: Error | undefined
  stream.on('error', (err) => {
    failure = err
  })
  await new Promise<void>((res, rej) => {
    stream.once('open', () => res())
    stream.once('error', (err) => rej(new OutputError(`cannot write in ${dirname(output)}: ${err.message}`, 'io', output)))
  })
  let done = false
  const abort = async () => {
    done = true
    if (!stream.destroyed) stream.destroy()
    await rm(tempPath, { force: true })
  }
  return {
    tempPath,
    stream,
    async write(chunk) {
      if (failure) throw new OutputError(`writing ${output} failed: ${failure.message}`, 'io', output)
      if (!stream.write(chunk)) {
        await new Promise<void>((res, rej) => {
          const onDrain = () => {
            stream.off('error', onError)
            res()
          }
          const onError = (err: Error) => {
            stream.off('drain', onDrain)
            rej(new OutputError(`writing ${output} failed: ${err.message}`, 'io', output))
          }
          stream.once('drain', onDrain)
          stream.once('error', onError)
        })
      }
    },
    async commit() {
      if (done) throw new Error('writer already finished')
      done = true
      try {
        await new Promise<void>((res, rej) => {
          stream.end((err?: Error | null) => (err ? rej(err) : res()))
        })
        if (failure) throw failure
        const fh = await open(tempPath, 'r+')
        try {
          await fh.sync()
        } finally {
          await fh.close()
        }
        if (opts.force) await rename(tempPath, output)
        else {
          // link() fails with EEXIST if the name appeared since the check: never overwrite
          await link(tempPath, output)
          await rm(tempPath, { force: true })
        }
        return output
      } catch (err) {
        await rm(tempPath, { force: true })
        const e = err as NodeJS.ErrnoException
        if (e.code === 'EEXIST') throw new OutputError(`${output} already exists (use --force to replace it)`, 'exists', output)
        throw new OutputError(`writing ${output} failed: ${e.message}`, 'io', output)
      }
    },
    abort,
  }
}

/** Write a whole buffer atomically. */
export async function writeFileAtomic(output: string, data: Uint8Array, opts: { force: boolean; inputs?: readonly string[] }): Promise<string> {
  const w = await createAtomicWriter(output, opts)
  try {
    await w.write(data)
    return await w.commit()
  } catch (err) {
    await w.abort()
    throw err
  }
}

/** PEM armour for CMS (`-----BEGIN PKCS7-----`, what the ACTES tele-procedure expects). */
export function pkcs7Pem(der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64')
  const lines = b64.match(/.{1,64}/g) ?? []
  return `-----BEGIN PKCS7-----\n${lines.join('\n')}\n-----END PKCS7-----\n`
}

/** DER from PEM (PKCS7 or CMS armour) or the bytes themselves when already binary. */
export function cmsBytesFromFile(data: Uint8Array): Uint8Array {
  const head = Buffer.from(data.subarray(0, 64)).toString('latin1')
  const m = /-----BEGIN (PKCS7|CMS)-----/.exec(head)
  if (!m) return data
  const text = Buffer.from(data).toString('latin1')
  const body = text.split(`-----BEGIN ${m[1]}-----`)[1]?.split(`-----END ${m[1]}-----`)[0]
  if (body === undefined) throw new Error('the PEM signature has no END line')
  return new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64'))
}
