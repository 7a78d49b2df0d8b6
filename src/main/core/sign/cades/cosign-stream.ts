/**
 * Co-signing a large attached CAdES file (DER or BER, binary) without loading it: the structure is
 * walked on disk (TLV headers only), the eContent segments are hashed by streaming reads, and the
 * output copies the original encapContentInfo bytes unchanged between a new SignedData opening
 * (merged digestAlgorithms, version) and the new trailing fields (old SignerInfos byte for byte,
 * then ours). Memory stays flat whatever the content size.
 */
import { createHash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import type { DigestAlgorithm } from '../signer'
import { decodeOid, readChildren, readTlv, tlvBytes, tlvContent, TAG } from '../cms/der'
import { digestFromOid, nodeHashName, OID } from '../cms/oids'
import { parseSignerInfoSet, type ParsedSignedData } from '../cms/parse'

const MAX_DEPTH = 32
/** Fields other than the content (certificates, CRLs, SignerInfos) are read into memory: cap them. */
const MAX_FIELD_BYTES = 64 * 1024 * 1024

interface Header {
  tag: number
  start: number
  contentStart: number
  /** -1 for indefinite lengths */
  length: number
}

class CmsFileError extends Error {
  override name = 'CmsFileError'
}

export class FileCursor {
  private constructor(
    readonly fh: FileHandle,
    readonly size: number,
  ) {}
  static async open(path: string): Promise<FileCursor> {
    const fh = await open(path, 'r')
    return new FileCursor(fh, (await fh.stat()).size)
  }
  async read(pos: number, length: number): Promise<Buffer> {
    if (pos < 0 || pos + length > this.size) throw new CmsFileError('the signature file is truncated')
    const buf = Buffer.alloc(length)
    let done = 0
    while (done < length) {
      const { bytesRead } = await this.fh.read(buf, done, length - done, pos + done)
      if (bytesRead === 0) throw new CmsFileError('the signature file is truncated')
      done += bytesRead
    }
    return buf
  }
  /** Feed [pos, end) to `sink` in 1 MiB pieces. */
  async stream(pos: number, end: number, sink: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    const piece = Buffer.alloc(Math.min(1 << 20, Math.max(1, end - pos)))
    for (let at = pos; at < end; ) {
      const n = Math.min(piece.length, end - at)
      const { bytesRead } = await this.fh.read(piece, 0, n, at)
      if (bytesRead === 0) throw new CmsFileError('the signature file is truncated')
      await sink(bytesRead === piece.length ? Buffer.from(piece) : Buffer.from(piece.subarray(0, bytesRead)))
      at += bytesRead
    }
  }
  close(): Promise<void> {
    return this.fh.close()
  }
}

async function header(c: FileCursor, pos: number): Promise<Header> {
  const head = await c.read(pos, Math.min(10, c.size - pos))
  if (head.length < 2) throw new CmsFileError('the signature file is truncated')
  const tag = head[0]!
  if ((tag & 0x1f) === 0x1f) throw new CmsFileError('unsupported ASN.1 tag')
  const first = head[1]!
  if (first === 0x80) {
    if ((tag & 0x20) === 0) throw new CmsFileError('indefinite length on a primitive value')
    return { tag, start: pos, contentStart: pos + 2, length: -1 }
  }
  if (first < 0x80) return { tag, start: pos, contentStart: pos + 2, length: first }
  const count = first & 0x7f
  if (count > 6 || head.length < 2 + count) throw new CmsFileError('invalid ASN.1 length')
  let length = 0
  for (let i = 0; i < count; i++) length = length * 256 + head[2 + i]!
  if (pos + 2 + count + length > c.size) throw new CmsFileError('an ASN.1 value runs past the end of the file')
  return { tag, start: pos, contentStart: pos + 2 + count, length }
}

const isEoc = async (c: FileCursor, pos: number) => {
  const b = await c.read(pos, 2)
  return b[0] === 0 && b[1] === 0
}

/** End offset (just past the value, EOC included for indefinite lengths). */
async function endOf(c: FileCursor, h: Header, depth = 0): Promise<number> {
  if (h.length >= 0) return h.contentStart + h.length
  if (depth > MAX_DEPTH) throw new CmsFileError('ASN.1 nesting too deep')
  let pos = h.contentStart
  while (!(await isEoc(c, pos))) pos = await endOf(c, await header(c, pos), depth + 1)
  return pos + 2
}

/** Children of a constructed value, with each child's end offset. */
async function children(c: FileCursor, h: Header): Promise<(Header & { end: number })[]> {
  const out: (Header & { end: number })[] = []
  const limit = h.length >= 0 ? h.contentStart + h.length : Infinity
  let pos = h.contentStart
  for (;;) {
    if (h.length >= 0 ? pos >= limit : await isEoc(c, pos)) break
    const child = await header(c, pos)
    const end = await endOf(c, child)
    if (end > limit) throw new CmsFileError('an ASN.1 value runs past its container')
    out.push({ ...child, end })
    pos = end
  }
  return out
}

async function readValue(c: FileCursor, h: Header & { end: number }): Promise<Uint8Array> {
  if (h.end - h.start > MAX_FIELD_BYTES) throw new CmsFileError('a certificate or signer field is unreasonably large')
  return new Uint8Array(await c.read(h.start, h.end - h.start))
}

export interface StreamedSignedData extends Omit<ParsedSignedData, 'eContent'> {
  /** byte range of the whole EncapsulatedContentInfo TLV in the file */
  encap: { start: number; end: number }
  /** content present (attached) */
  attached: boolean
  /** digests of the content for the requested algorithms (streamed) */
  digests: Map<DigestAlgorithm, Uint8Array>
}

/** Walk a binary CMS file on disk; hash its eContent with `algorithms` plus the signers' ones. */
export async function readSignedDataFromFile(c: FileCursor, algorithms: readonly DigestAlgorithm[]): Promise<StreamedSignedData> {
  try {
    const ci = await header(c, 0)
    if (ci.tag !== TAG.sequence || (await endOf(c, ci)) !== c.size) throw new CmsFileError('not a CMS file (or extra bytes after it)')
    const [ct, wrapped] = await children(c, ci)
    if (!ct || ct.tag !== TAG.oid || !wrapped || wrapped.tag !== TAG.context(0)) throw new CmsFileError('not a CMS SignedData')
    const ctBytes = await readValue(c, ct)
    if (decodeOid(tlvContent(ctBytes, readTlv(ctBytes, 0))) !== OID.signedData) throw new CmsFileError('not a CMS SignedData')
    const [sd] = await children(c, wrapped)
    if (!sd || sd.tag !== TAG.sequence) throw new CmsFileError('SignedData missing')
    const fields = await children(c, sd)
    const [versionH, digestAlgsH, encapH, ...rest] = fields
    if (!versionH || versionH.tag !== TAG.integer || !digestAlgsH || digestAlgsH.tag !== TAG.set || !encapH || encapH.tag !== TAG.sequence) {
      throw new CmsFileError('SignedData is truncated')
    }
    const versionBytes = await readValue(c, versionH)
    const version = tlvContent(versionBytes, readTlv(versionBytes, 0)).reduce((v, b) => v * 256 + b, 0)
    const digestAlgsBytes = await readValue(c, digestAlgsH)
    const digestAlgorithms = readChildren(digestAlgsBytes, readTlv(digestAlgsBytes, 0)).map((t) => tlvBytes(digestAlgsBytes, t))

    let certificates: Uint8Array[] = []
    let revocationChoices: Uint8Array[] = []
    let signerInfosDer: Uint8Array | undefined
    for (const f of rest) {
      const bytes = await readValue(c, f)
      const t = readTlv(bytes, 0)
      if (f.tag === TAG.context(0)) certificates = readChildren(bytes, t).map((x) => tlvBytes(bytes, x))
      else if (f.tag === TAG.context(1)) revocationChoices = readChildren(bytes, t).map((x) => tlvBytes(bytes, x))
      else if (f.tag === TAG.set) signerInfosDer = bytes
    }
    if (!signerInfosDer) throw new CmsFileError('SignedData has no signerInfos')
    const signerInfos = parseSignerInfoSet(signerInfosDer)

    const [eTypeH, eWrapped] = await children(c, encapH)
    if (!eTypeH || eTypeH.tag !== TAG.oid) throw new CmsFileError('encapContentInfo has no content type')
    const eTypeBytes = await readValue(c, eTypeH)
    const eContentType = decodeOid(tlvContent(eTypeBytes, readTlv(eTypeBytes, 0)))

    const wanted = new Set<DigestAlgorithm>(algorithms)
    for (const si of signerInfos) {
      const a = digestFromOid(si.digestAlgorithmOid)
      if (a) wanted.add(a)
    }
    const hashes = [...wanted].map((a) => [a, createHash(nodeHashName(a))] as const)
    const feed = (chunk: Buffer) => {
      for (const [, h] of hashes) h.update(chunk)
    }
    // eContent: [0] { OCTET STRING, primitive or constructed (segments, possibly nested) }
    const hashOctets = async (h: Header & { end: number }, depth: number): Promise<void> => {
      if (depth > 8) throw new CmsFileError('OCTET STRING nesting too deep')
      if (h.tag === TAG.octetString) await c.stream(h.contentStart, h.contentStart + h.length, feed)
      else if (h.tag === 0x24) for (const seg of await children(c, h)) await hashOctets(seg, depth + 1)
      else throw new CmsFileError('eContent is not an OCTET STRING')
    }
    if (eWrapped) {
      const [os] = await children(c, eWrapped)
      if (!os) throw new CmsFileError('empty eContent')
      await hashOctets(os, 0)
    }
    return {
      version,
      digestAlgorithms,
      eContentType,
      certificates,
      revocationChoices,
      signerInfos,
      encap: { start: encapH.start, end: encapH.end },
      attached: eWrapped !== undefined,
      digests: new Map(hashes.map(([a, h]) => [a, new Uint8Array(h.digest())])),
    }
  } catch (err) {
    if (err instanceof CmsFileError || (err as Error).name === 'DerError') throw new Error(`not a valid CMS signature: ${(err as Error).message}`)
    throw err
  }
}
