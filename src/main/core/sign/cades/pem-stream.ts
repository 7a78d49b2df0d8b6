import type { AtomicWriter } from '../output'

/** Streams bytes as PEM (64-character base64 lines) into an atomic writer, constant memory. */
export function pemStream(writer: AtomicWriter, label: string) {
  let carry = Buffer.alloc(0)
  let started = false
  const LINE_BYTES = 48 // 64 base64 characters
  const start = async () => {
    if (!started) {
      started = true
      await writer.write(Buffer.from(`-----BEGIN ${label}-----\n`))
    }
  }
  return {
    async write(chunk: Uint8Array): Promise<void> {
      await start()
      const data = carry.length ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      const whole = data.length - (data.length % LINE_BYTES)
      if (whole > 0) {
        const b64 = data.subarray(0, whole).toString('base64')
        await writer.write(Buffer.from(b64.replace(/(.{64})/g, '$1\n')))
      }
      carry = Buffer.from(data.subarray(whole))
    },
    async end(): Promise<void> {
      await start()
      if (carry.length) await writer.write(Buffer.from(carry.toString('base64') + '\n'))
      await writer.write(Buffer.from(`-----END ${label}-----\n`))
    },
  }
}
