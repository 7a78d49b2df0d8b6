/** Random-access byte sources: a file read with positioned reads (never loaded whole), or a buffer. */
import { open, type FileHandle } from 'node:fs/promises'

export interface ByteSource {
  readonly size: number
  /** Reads up to `length` bytes at `offset` (fewer at the end of the data). */
  read(offset: number, length: number): Promise<Buffer>
  close(): Promise<void>
}

export class FileByteSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileByteSource> {
    const handle = await open(path, 'r')
    try {
      const st = await handle.stat()
      if (!st.isFile()) throw new Error('not a regular file')
      return new FileByteSource(handle, st.size)
    } catch (err) {
      await handle.close()
      throw err
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const start = Math.max(0, offset)
    const len = Math.max(0, Math.min(length, this.size - start))
    if (len === 0) return Buffer.alloc(0)
    const buf = Buffer.allocUnsafe(len)
    let got = 0
    while (got < len) {
      const { bytesRead } = await this.handle.read(buf, got, len - got, start + got)
      if (bytesRead === 0) break
      got += bytesRead
    }
    return got === len ? buf : buf.subarray(0, got)
  }

  /** Reads into a caller-owned buffer (streaming hashes reuse one buffer). */
  async readInto(target: Buffer, offset: number, length: number): Promise<number> {
    const len = Math.max(0, Math.min(length, target.length, this.size - offset))
    let got = 0
    while (got < len) {
      const { bytesRead } = await this.handle.read(target, got, len - got, offset + got)
      if (bytesRead === 0) break
      got += bytesRead
    }
    return got
  }

  async close(): Promise<void> {
    await this.handle.close()
  }
}

export class BufferByteSource implements ByteSource {
  constructor(private readonly data: Buffer) {}
  get size(): number {
    return this.data.length
  }
  async read(offset: number, length: number): Promise<Buffer> {
    const start = Math.max(0, offset)
    return this.data.subarray(start, Math.min(this.data.length, start + Math.max(0, length)))
  }
  async close(): Promise<void> {}
}
