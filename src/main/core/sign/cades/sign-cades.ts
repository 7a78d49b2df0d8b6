/**
 * CAdES (ETSI EN 319 122) files: detached `.p7s` (DER or PEM), attached `.p7m` written as BER
 * indefinite-length in ONE pass over the input (content chunks are hashed and copied to the output,
 * the SignerInfo is appended once the digest is known: constant memory for any size), and
 * co-signatures that add a SignerInfo without touching the existing ones.
 */
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import type { DigestAlgorithm, Signer } from '../signer'
import type { TimestampRequester } from '../timestamp/tsa-client'
import type { RevocationCollector, CollectedRevocation } from '../revocation/types'
import { digestAlgorithmIdentifier } from '../cms/algorithms'
import { digestFromOid, nodeHashName, OID } from '../cms/oids'
import { parseSignedData, type ParsedSignedData } from '../cms/parse'
import { readTlv, tlvContent } from '../cms/der'
import {
  buildSignerInfo,
  contentChunkHeader,
  encodeRevocationChoices,
  encodeSignedData,
  encodeSignedDataClosing,
  encodeSignedDataOpening,
  encodeStreamingHead,
  encodeStreamingTail,
  signerCertificates,
  type SignedDataParts,
} from '../cms/signed-data'
import { cmsBytesFromFile, createAtomicWriter, pkcs7Pem, writeFileAtomic, type AtomicWriter } from '../output'
import { hashFile, READ_CHUNK } from './hash-file'
import { pemStream } from './pem-stream'
import { FileCursor, readSignedDataFromFile } from './cosign-stream'

export type CadesLevel = 'B-B' | 'B-T' | 'B-LT'

export interface CadesSignOptions {
  signer: Signer
  level: CadesLevel
  /** required for B-T and B-LT */
  timestamp?: TimestampRequester
  /** required for B-LT */
  revocation?: RevocationCollector
  /** PEM armour (`-----BEGIN PKCS7-----`) instead of DER */
  pem?: boolean
  force?: boolean
  digestAlgorithm?: DigestAlgorithm
  signingTime?: Date
  signal?: AbortSignal
}

export interface CadesSignResult {
  outputPath: string
  level: CadesLevel
  /** digest of the signed content, with `digestAlgorithm` */
  contentDigest: Uint8Array
  digestAlgorithm: DigestAlgorithm
  /** number of SignerInfos in the output (more than 1 after a co-signature) */
  signerCount: number
}

/** PEM signatures above this size are not co-signed (they are decoded in memory). */
export const MAX_COSIGN_ATTACHED_BYTES = 512 * 1024 * 1024

function checkLevel(opts: CadesSignOptions): void {
  if ((opts.level === 'B-T' || opts.level === 'B-LT') && !opts.timestamp) throw new Error(`level ${opts.level} needs a timestamp server (--tsa URL)`)
  if (opts.level === 'B-LT' && !opts.revocation) throw new Error('level B-LT needs revocation data access')
}

async function collectFor(opts: CadesSignOptions, chain: readonly Uint8Array[], what: string): Promise<CollectedRevocation> {
  const collected = await opts.revocation!(chain, opts.signal)
  if (collected.problems.length) {
    throw new Error(`B-LT needs the revocation status of every certificate (${what}); not obtained: ${collected.problems.join('; ')}`)
  }
  return collected
}

/** B-LT: validation data of the signer's chain. */
async function collectRevocation(opts: CadesSignOptions): Promise<CollectedRevocation | undefined> {
  if (opts.level !== 'B-LT') return undefined
  return collectFor(opts, [opts.signer.certificate, ...opts.signer.chain], "signer's chain")
}

/** B-LT: validation data of the timestamp authority (the certificates carried by its token). */
async function collectTimestampRevocation(opts: CadesSignOptions, token: Uint8Array | undefined): Promise<CollectedRevocation | undefined> {
  if (opts.level !== 'B-LT' || !token) return undefined
  const certs = parseSignedData(token).certificates
  if (certs.length === 0) return undefined
  return collectFor(opts, certs, 'timestamp authority')
}

function mergeRevocation(...parts: (CollectedRevocation | undefined)[]): CollectedRevocation | undefined {
  const present = parts.filter((p): p is CollectedRevocation => p !== undefined)
  if (present.length === 0) return undefined
  return {
    ocsp: present.flatMap((p) => p.ocsp),
    crls: present.flatMap((p) => p.crls),
    certificates: present.flatMap((p) => p.certificates),
    problems: present.flatMap((p) => p.problems),
  }
}

function throwIfAborted(signal?: AbortSignal) {
  if (signal?.aborted) throw Object.assign(new Error('signing cancelled'), { name: 'AbortError' })
}

/** Detached CAdES: the input is streamed through the hash once; the output is only the signature. */
export async function signCadesDetached(input: string, output: string, opts: CadesSignOptions): Promise<CadesSignResult> {
  checkLevel(opts)
  const digestAlgorithm = opts.digestAlgorithm ?? 'SHA-256'
  const [contentDigest, revocation] = await Promise.all([
    hashFile(input, [digestAlgorithm], opts.signal).then((m) => m.get(digestAlgorithm)!),
    collectRevocation(opts),
  ])
  throwIfAborted(opts.signal)
  const { signerInfo, timestampToken } = await buildSignerInfo({
    signer: opts.signer,
    contentDigest,
    digestAlgorithm,
    profile: 'cades',
    signingTime: opts.signingTime,
    timestamp: opts.level === 'B-B' ? undefined : opts.timestamp,
  })
  const all = mergeRevocation(revocation, await collectTimestampRevocation(opts, timestampToken))
  const der = encodeSignedData({
    digestAlgorithms: [digestAlgorithmIdentifier(digestAlgorithm)],
    eContentType: OID.data,
    certificates: signerCertificates(opts.signer, all?.certificates),
    revocationChoices: encodeRevocationChoices(all),
    signerInfos: [signerInfo],
  })
  const data = opts.pem ? Buffer.from(pkcs7Pem(der)) : der
  const outputPath = await writeFileAtomic(output, data, { force: opts.force ?? false, inputs: [input] })
  return { outputPath, level: opts.level, contentDigest, digestAlgorithm, signerCount: 1 }
}

interface ByteSink {
  write(chunk: Uint8Array): Promise<void>
  end(): Promise<void>
}

function sinkFor(writer: AtomicWriter, pem: boolean): ByteSink {
  return pem ? pemStream(writer, 'PKCS7') : { write: (c) => writer.write(c), end: async () => {} }
}

/**
 * Write an attached SignedData: head, content chunks (from `content`), tail built by `finish`
 * once every chunk went through `onChunk`.
 */
async function writeAttached(
  writer: AtomicWriter,
  pem: boolean,
  headParts: Pick<SignedDataParts, 'digestAlgorithms' | 'eContentType' | 'revocationChoices' | 'version'>,
  content: AsyncIterable<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
  finish: () => Promise<SignedDataParts>,
  signal?: AbortSignal,
): Promise<void> {
  const sink = sinkFor(writer, pem)
  await sink.write(encodeStreamingHead(headParts))
  for await (const chunk of content) {
    throwIfAborted(signal)
    if (chunk.byteLength === 0) continue
    onChunk(chunk)
    await sink.write(contentChunkHeader(chunk.byteLength))
    await sink.write(chunk)
  }
  await sink.write(encodeStreamingTail(await finish()))
  await sink.end()
}

/** Attached CAdES (.p7m), one pass, constant memory. */
export async function signCadesAttached(input: string, output: string, opts: CadesSignOptions): Promise<CadesSignResult> {
  checkLevel(opts)
  const digestAlgorithm = opts.digestAlgorithm ?? 'SHA-256'
  const revocation = await collectRevocation(opts)
  const digestAlgorithms = [digestAlgorithmIdentifier(digestAlgorithm)]
  // The version goes in the head, before the content; at B-LT the TSA's validation data is known
  // only after signing: announce version 5 (OCSP responses present) when revocation data is due.
  const headParts = {
    digestAlgorithms,
    eContentType: OID.data,
    revocationChoices: encodeRevocationChoices(revocation),
    version: opts.level === 'B-LT' ? 5 : undefined,
  }
  const hash = createHash(nodeHashName(digestAlgorithm))
  let contentDigest = new Uint8Array(0)
  const writer = await createAtomicWriter(output, { force: opts.force ?? false, inputs: [input] })
  try {
    await writeAttached(
      writer,
      opts.pem ?? false,
      headParts,
      createReadStream(input, { highWaterMark: READ_CHUNK, signal: opts.signal }),
      (chunk) => hash.update(chunk),
      async () => {
        contentDigest = new Uint8Array(hash.digest())
        const { signerInfo, timestampToken } = await buildSignerInfo({
          signer: opts.signer,
          contentDigest,
          digestAlgorithm,
          profile: 'cades',
          signingTime: opts.signingTime,
          timestamp: opts.level === 'B-B' ? undefined : opts.timestamp,
        })
        const all = mergeRevocation(revocation, await collectTimestampRevocation(opts, timestampToken))
        return {
          digestAlgorithms,
          eContentType: OID.data,
          certificates: signerCertificates(opts.signer, all?.certificates),
          revocationChoices: encodeRevocationChoices(all),
          signerInfos: [signerInfo],
        }
      },
      opts.signal,
    )
    const outputPath = await writer.commit()
    return { outputPath, level: opts.level, contentDigest, digestAlgorithm, signerCount: 1 }
  } catch (err) {
    await writer.abort()
    throw err
  }
}

export interface CosignOptions extends CadesSignOptions {
  /** the signed content, for a detached signature */
  contentPath?: string
}

/** Does this file look like a CMS signature (DER/BER SignedData, or PKCS7/CMS PEM)? */
export function looksLikeCms(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1')
  if (/-----BEGIN (PKCS7|CMS)-----/.test(text)) return true
  // 30 xx .. 06 09 2A 86 48 86 F7 0D 01 07 02 (id-signedData) within the first bytes
  const sig = Buffer.from('06092a864886f70d010702', 'hex')
  return head[0] === 0x30 && Buffer.from(head.subarray(0, 16)).includes(sig)
}

function messageDigestOf(si: ParsedSignedData['signerInfos'][number]): Uint8Array | undefined {
  const md = si.signedAttributes.find((a) => a.type === OID.messageDigest)?.values[0]
  return md ? tlvContent(md, readTlv(md, 0)) : undefined
}

/**
 * Add a SignerInfo to an existing CAdES signature. The existing SignerInfos, certificates and
 * revocation values are copied byte for byte; the content must match the existing signatures.
 * Binary files (DER/BER) are walked on disk and never loaded whole, whatever their size; PEM files
 * are decoded in memory (up to MAX_COSIGN_ATTACHED_BYTES).
 */
export async function cosignCades(signaturePath: string, output: string, opts: CosignOptions): Promise<CadesSignResult & { attached: boolean }> {
  checkLevel(opts)
  const cursor = await FileCursor.open(signaturePath)
  try {
    const first = await cursor.read(0, Math.min(cursor.size, 64))
    if (first[0] === 0x30) return await cosignBinary(cursor, signaturePath, output, opts)
  } finally {
    await cursor.close()
  }
  return cosignInMemory(signaturePath, output, opts)
}

interface CosignPlan {
  existing: Pick<ParsedSignedData, 'digestAlgorithms' | 'eContentType' | 'certificates' | 'revocationChoices' | 'signerInfos'>
  digests: Map<DigestAlgorithm, Uint8Array>
}

/** Check the content against every existing signature, then build our SignerInfo and the parts. */
async function planCosignature(plan: CosignPlan, opts: CosignOptions): Promise<{ parts: SignedDataParts; contentDigest: Uint8Array; digestAlgorithm: DigestAlgorithm }> {
  const { existing, digests } = plan
  if (existing.signerInfos.length === 0) throw new Error('the existing signature has no signer')
  for (const si of existing.signerInfos) {
    const alg = digestFromOid(si.digestAlgorithmOid)
    const md = messageDigestOf(si)
    if (alg && md && digests.has(alg) && !Buffer.from(md).equals(Buffer.from(digests.get(alg)!))) {
      throw new Error('the content does not match the existing signature (wrong file, or the file was modified since it was signed)')
    }
  }
  const digestAlgorithm = opts.digestAlgorithm ?? 'SHA-256'
  const signerRevocation = await collectRevocation(opts)
  const contentDigest = digests.get(digestAlgorithm)!
  const { signerInfo, timestampToken } = await buildSignerInfo({
    signer: opts.signer,
    contentDigest,
    digestAlgorithm,
    profile: 'cades',
    signingTime: opts.signingTime,
    contentTypeOid: existing.eContentType,
    timestamp: opts.level === 'B-B' ? undefined : opts.timestamp,
  })
  const revocation = mergeRevocation(signerRevocation, await collectTimestampRevocation(opts, timestampToken))
  const parts: SignedDataParts = {
    digestAlgorithms: [...existing.digestAlgorithms, digestAlgorithmIdentifier(digestAlgorithm)],
    eContentType: existing.eContentType,
    certificates: [...existing.certificates, ...signerCertificates(opts.signer, revocation?.certificates)],
    revocationChoices: [...existing.revocationChoices, ...encodeRevocationChoices(revocation)],
    signerInfos: [...existing.signerInfos.map((s) => s.der), signerInfo],
    // a SignerInfo with a SubjectKeyIdentifier sid (version 3) makes SignedData version 3 at least
    version: Math.max(...existing.signerInfos.map((s) => (s.version === 3 ? 3 : 1))),
  }
  return { parts, contentDigest, digestAlgorithm }
}

function neededDigests(signerInfos: readonly { digestAlgorithmOid: string }[], ours: DigestAlgorithm): DigestAlgorithm[] {
  const needed = new Set<DigestAlgorithm>([ours])
  for (const si of signerInfos) {
    const alg = digestFromOid(si.digestAlgorithmOid)
    if (alg) needed.add(alg)
  }
  return [...needed]
}

async function cosignBinary(cursor: FileCursor, signaturePath: string, output: string, opts: CosignOptions): Promise<CadesSignResult & { attached: boolean }> {
  const ours = opts.digestAlgorithm ?? 'SHA-256'
  const streamed = await readSignedDataFromFile(cursor, [ours])
  let digests = streamed.digests
  if (!streamed.attached) {
    if (!opts.contentPath) throw new Error('this signature is detached: the signed file is needed to co-sign it')
    digests = await hashFile(opts.contentPath, neededDigests(streamed.signerInfos, ours), opts.signal)
  }
  const { parts, contentDigest, digestAlgorithm } = await planCosignature({ existing: streamed, digests }, opts)
  const force = opts.force ?? false
  const inputs = [signaturePath, ...(opts.contentPath ? [opts.contentPath] : [])]
  const pem = opts.pem ?? false
  let outputPath: string
  if (!streamed.attached) {
    const der = encodeSignedData(parts)
    outputPath = await writeFileAtomic(output, pem ? Buffer.from(pkcs7Pem(der)) : der, { force, inputs })
  } else {
    const writer = await createAtomicWriter(output, { force, inputs })
    try {
      const sink = sinkFor(writer, pem)
      await sink.write(encodeSignedDataOpening(parts))
      // the original EncapsulatedContentInfo, byte for byte
      await cursor.stream(streamed.encap.start, streamed.encap.end, (chunk) => {
        throwIfAborted(opts.signal)
        return sink.write(chunk)
      })
      await sink.write(encodeSignedDataClosing(parts))
      await sink.end()
      outputPath = await writer.commit()
    } catch (err) {
      await writer.abort()
      throw err
    }
  }
  return { outputPath, level: opts.level, contentDigest, digestAlgorithm, signerCount: parts.signerInfos.length, attached: streamed.attached }
}

async function cosignInMemory(signaturePath: string, output: string, opts: CosignOptions): Promise<CadesSignResult & { attached: boolean }> {
  const size = (await stat(signaturePath)).size
  if (size > MAX_COSIGN_ATTACHED_BYTES) throw new Error(`${signaturePath} is too large to co-sign in PEM form (${size} bytes, limit ${MAX_COSIGN_ATTACHED_BYTES}); convert it to DER first`)
  const existing = parseSignedData(cmsBytesFromFile(new Uint8Array(await readFile(signaturePath))))
  const attached = existing.eContent !== undefined
  if (!attached && !opts.contentPath) throw new Error('this signature is detached: the signed file is needed to co-sign it')
  const ours = opts.digestAlgorithm ?? 'SHA-256'
  const needed = neededDigests(existing.signerInfos, ours)
  const digests = attached
    ? new Map(needed.map((a) => [a, new Uint8Array(createHash(nodeHashName(a)).update(existing.eContent!).digest())] as const))
    : await hashFile(opts.contentPath!, needed, opts.signal)
  const { parts, contentDigest, digestAlgorithm } = await planCosignature({ existing, digests }, opts)
  const pem = opts.pem ?? true // the input was PEM: keep the armour unless told otherwise
  const force = opts.force ?? false
  const inputs = [signaturePath, ...(opts.contentPath ? [opts.contentPath] : [])]
  let outputPath: string
  if (!attached) {
    const der = encodeSignedData(parts)
    outputPath = await writeFileAtomic(output, pem ? Buffer.from(pkcs7Pem(der)) : der, { force, inputs })
  } else {
    const content = existing.eContent!
    const writer = await createAtomicWriter(output, { force, inputs })
    try {
      async function* chunks() {
        for (let off = 0; off < content.length; off += READ_CHUNK) yield content.subarray(off, Math.min(content.length, off + READ_CHUNK))
      }
      await writeAttached(writer, pem, parts, chunks(), () => {}, async () => parts, opts.signal)
      outputPath = await writer.commit()
    } catch (err) {
      await writer.abort()
      throw err
    }
  }
  return { outputPath, level: opts.level, contentDigest, digestAlgorithm, signerCount: parts.signerInfos.length, attached }
}
