/**
 * Read-only ZIP package access for signature verification (yauzl: random access on the file, entry
 * names validated, sizes checked against the central directory). Bounded against zip bombs; entry
 * bytes are read on demand, as stored after inflation: what a reference digest covers.
 */
import yauzl from 'yauzl'

export const MAX_ENTRIES = 20_000
export const MAX_ENTRY_BYTES = 512 * 1024 * 1024
export const MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024

export class ZipInputError extends Error {
  override readonly name = 'ZipInputError'
}

export interface ZipPackage {
  /** file entries (directories left out), in central directory order */
  names: string[]
  has(name: string): boolean
  read(name: string): Promise<Buffer>
  close(): void
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) reject(new ZipInputError(`not a readable ZIP package: ${err?.message ?? 'unknown error'}`))
      else resolve(zip)
    })
  })
}

export async function openZipPackage(path: string): Promise<ZipPackage> {
  const zip = await openZip(path)
  const entries = new Map<string, yauzl.Entry>()
  try {
    await new Promise<void>((resolve, reject) => {
      let total = 0
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entries.size >= MAX_ENTRIES) return reject(new ZipInputError(`more than ${MAX_ENTRIES} entries in the package`))
        if (!entry.fileName.endsWith('/')) {
          if (entries.has(entry.fileName)) return reject(new ZipInputError(`the package holds two entries named "${entry.fileName}" (ambiguous content)`))
          if (entry.uncompressedSize > MAX_ENTRY_BYTES) return reject(new ZipInputError(`entry "${entry.fileName}" is larger than ${MAX_ENTRY_BYTES / 1024 / 1024} MB`))
          total += entry.uncompressedSize
          if (total > MAX_TOTAL_BYTES) return reject(new ZipInputError('the package expands to more than 2 GB'))
          entries.set(entry.fileName, entry)
        }
        zip.readEntry()
      })
      zip.on('end', () => resolve())
      zip.on('error', (e: Error) => reject(new ZipInputError(`damaged ZIP package: ${e.message}`)))
      zip.readEntry()
    })
  } catch (e) {
    zip.close()
    throw e
  }
  return {
    names: [...entries.keys()],
    has: (name) => entries.has(name),
    read: (name) =>
      new Promise((resolve, reject) => {
        const entry = entries.get(name)
        if (!entry) return reject(new ZipInputError(`no entry "${name}" in the package`))
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(new ZipInputError(`cannot read "${name}": ${err?.message ?? 'unknown error'}`))
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => resolve(Buffer.concat(chunks)))
          stream.on('error', (e: Error) => reject(new ZipInputError(`cannot read "${name}": ${e.message}`)))
        })
      }),
    close: () => zip.close(),
  }
}
