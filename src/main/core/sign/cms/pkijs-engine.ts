import { webcrypto } from 'node:crypto'
import * as pkijs from 'pkijs'

let installed = false

/** pkijs needs a WebCrypto engine for verification; Node's is the only one we use. Idempotent. */
export function ensurePkijsEngine(): typeof pkijs {
  if (!installed) {
    pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] }))
    installed = true
  }
  return pkijs
}

export function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer
}
