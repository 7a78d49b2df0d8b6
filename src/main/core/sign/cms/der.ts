/**
 * Minimal DER writer/reader for the CMS structures we assemble ourselves. We build SignedData from
 * DER pieces (instead of pkijs objects) so that the same code serves small in-memory signatures and
 * the streaming attached writer, and so that nothing ASN.1-object-shaped crosses library borders.
 */

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0
  for (const p of parts) size += p.byteLength
  const out = new Uint8Array(size)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.byteLength
  }
  return out
}

export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length)
  const bytes: number[] = []
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff)
  return Uint8Array.of(0x80 | bytes.length, ...bytes)
}

/** One TLV with a single-byte tag (all tags used here are low-number). */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = contents.length === 1 ? contents[0]! : concatBytes(contents)
  return concatBytes([Uint8Array.of(tag), encodeLength(body.byteLength), body])
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
  /** [n] constructed (EXPLICIT, or IMPLICIT over a constructed type) */
  context: (n: number) => 0xa0 | n,
} as const

export const sequence = (...items: Uint8Array[]) => tlv(TAG.sequence, ...items)

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/** DER SET OF: elements sorted by their encodings (X.690 11.6). */
export function sortedSetContent(items: readonly Uint8Array[]): Uint8Array {
  return concatBytes([...items].sort(compareBytes))
}
export const setOf = (items: readonly Uint8Array[]) => tlv(TAG.set, sortedSetContent(items))

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((s) => {
    if (!/^\d+$/.test(s)) throw new Error(`invalid OID ${dotted}`)
    return BigInt(s)
  })
  if (arcs.length < 2) throw new Error(`invalid OID ${dotted}`)
  const first = arcs[0]! * 40n + arcs[1]!
  const bytes: number[] = []
  for (const arc of [first, ...arcs.slice(2)]) {
    const group: number[] = [Number(arc & 0x7fn)]
    for (let v = arc >> 7n; v > 0n; v >>= 7n) group.unshift(Number(v & 0x7fn) | 0x80)
    bytes.push(...group)
  }
  return tlv(TAG.oid, Uint8Array.from(bytes))
}

export function decodeOid(content: Uint8Array): string {
  const arcs: bigint[] = []
  let value = 0n
  for (const b of content) {
    value = (value << 7n) | BigInt(b & 0x7f)
    if ((b & 0x80) === 0) {
      arcs.push(value)
      value = 0n
    }
  }
  if (arcs.length === 0) throw new Error('empty OID')
  const first = arcs[0]!
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n]
  return [...head, ...arcs.slice(1)].join('.')
}

/** INTEGER from unsigned big-endian magnitude bytes (minimal, with a 0x00 when the top bit is set). */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++
  let body = magnitude.subarray(i)
  if (body.length === 0) body = Uint8Array.of(0)
  if (body[0]! & 0x80) body = concatBytes([Uint8Array.of(0), body])
  return tlv(TAG.integer, body)
}
export const smallInteger = (n: number) => unsignedInteger(Uint8Array.of(n))
export const octetString = (bytes: Uint8Array) => tlv(TAG.octetString, bytes)
export const derNull = () => Uint8Array.of(0x05, 0x00)
export const explicit = (n: number, inner: Uint8Array) => tlv(TAG.context(n), inner)

/** UTCTime for 1950-2049, GeneralizedTime otherwise (RFC 5652 11.3). Seconds precision, Zulu. */
export function cmsTime(date: Date): Uint8Array {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const y = date.getUTCFullYear()
  const rest = `${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`
  if (y >= 1950 && y < 2050) return tlv(TAG.utcTime, new TextEncoder().encode(`${p(y % 100)}${rest}`))
  return tlv(TAG.generalizedTime, new TextEncoder().encode(`${p(y, 4)}${rest}`))
}

// ---------------------------------------------------------------------------------------------
// Reader (DER, and BER definite lengths; indefinite lengths are handled by the callers that need them)

export interface Tlv {
  tag: number
  /** offset of the tag byte */
  start: number
  /** offset of the first content byte */
  contentStart: number
  /** offset just past the content; for indefinite lengths, the caller finds the end */
  end: number
  indefinite: boolean
}

export class DerError extends Error {
  override name = 'DerError'
}

export function readTlv(buf: Uint8Array, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated ASN.1 data')
  const tag = buf[offset]!
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported here')
  let pos = offset + 1
  const first = buf[pos++]!
  if (first === 0x80) {
    if ((tag & 0x20) === 0) throw new DerError('indefinite length on a primitive value')
    return { tag, start: offset, contentStart: pos, end: -1, indefinite: true }
  }
  let length = first
  if (first & 0x80) {
    const count = first & 0x7f
    if (count > 6 || pos + count > limit) throw new DerError('invalid ASN.1 length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos++]!
  }
  const end = pos + length
  if (end > limit) throw new DerError('ASN.1 value runs past the end of its container')
  return { tag, start: offset, contentStart: pos, end, indefinite: false }
}

const MAX_DEPTH = 64

/** Resolve the end of a value; for BER indefinite lengths, walk to the end-of-contents octets. */
export function resolveEnd(buf: Uint8Array, t: Tlv, limit = buf.length, depth = 0): number {
  if (!t.indefinite) return t.end
  if (t.end >= 0) return t.end
  if (depth > MAX_DEPTH) throw new DerError('ASN.1 nesting too deep')
  let pos = t.contentStart
  for (;;) {
    if (pos + 2 > limit) throw new DerError('indefinite-length value is not terminated')
    if (buf[pos] === 0 && buf[pos + 1] === 0) {
      t.end = pos + 2
      return t.end
    }
    const child = readTlv(buf, pos, limit)
    pos = resolveEnd(buf, child, limit, depth + 1)
  }
}

/** Children of a constructed value (DER, or BER with indefinite lengths). */
export function readChildren(buf: Uint8Array, parent: Tlv): Tlv[] {
  const end = resolveEnd(buf, parent)
  const contentEnd = parent.indefinite ? end - 2 : end
  const out: Tlv[] = []
  for (let pos = parent.contentStart; pos < contentEnd; ) {
    const child = readTlv(buf, pos, contentEnd)
    resolveEnd(buf, child, contentEnd)
    out.push(child)
    pos = child.end
  }
  return out
}

export const tlvBytes = (buf: Uint8Array, t: Tlv) => buf.subarray(t.start, t.end)
export const tlvContent = (buf: Uint8Array, t: Tlv) => buf.subarray(t.contentStart, t.indefinite ? t.end - 2 : t.end)
