/**
 * `.p7s` / `.p7m` / `.pkcs7` files (PEM, DER or bare base64): CAdES or plain CMS, attached or
 * detached. Detached content comes from `--content`, else the sibling file named like the
 * signature without its extension (`x.pdf.p7s` -> `x.pdf`).
 */
import { existsSync, statSync } from 'node:fs'
import { open, readFile } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { Hash } from 'node:crypto'
import { createDigest, digestFromOid, type DigestAlgorithm } from '../algorithms'
import type { VerificationContext } from '../context'
import { registerFormatVerifier, type FormatVerification, type FormatVerifyOptions } from '../registry'
import { pemBlocks } from '../../trust/pem'
import { writeFileAtomic } from '../../files/atomic-write'
import { VerifyInputError } from '../errors'
import { parseSignedData, verifyCmsSignatures, type CmsContent } from './verify-cms'
import { CodedError, coverage as coverageText, FileMessages, text } from '../texts'
import type { SignatureReport } from '../../../../shared/model/validation'

const SIGNED_DATA_OID_DER = Buffer.from('06092a864886f70d010702', 'hex')
const CMS_EXTENSIONS = new Set(['.p7s', '.p7m', '.pkcs7', '.p7', '.sig', '.cms'])

function looksLikeDerCms(head: Buffer): boolean {
  return head[0] === 0x30 && head.subarray(0, 24).includes(SIGNED_DATA_OID_DER)
}

function base64Body(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '')
  if (compact.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null
  return Buffer.from(compact, 'base64')
}

export function detectCms(head: Buffer, path: string): boolean {
  if (looksLikeDerCms(head)) return true
  const text = head.subarray(0, 4096).toString('latin1')
  if (/-----BEGIN (PKCS7|CMS)-----/.test(text)) return true
  if (CMS_EXTENSIONS.has(extname(path).toLowerCase())) {
    const b = base64Body(text.slice(0, 4096 - (text.length % 4)))
    return b !== null && looksLikeDerCms(b)
  }
  return false
}

/** DER bytes of the CMS in a file of any of the accepted encodings. */
export function cmsDerFromFile(bytes: Buffer): Buffer {
  if (looksLikeDerCms(bytes)) return bytes
  const text = bytes.toString('latin1')
  if (text.includes('-----BEGIN')) {
    const block = pemBlocks(text, ['PKCS7', 'CMS'])[0]
    if (!block) throw new Error('PEM file without a PKCS7 or CMS block')
    return Buffer.from(block.der)
  }
  const b = base64Body(text)
  if (b && looksLikeDerCms(b)) return b
  throw new Error('not a CMS signature (DER, PEM or base64)')
}

/** The file a detached signature most likely signs: `x.pdf.p7s` -> `x.pdf`. */
export function siblingContentPath(signaturePath: string): string | null {
  const ext = extname(signaturePath)
  if (!CMS_EXTENSIONS.has(ext.toLowerCase())) return null
  const candidate = signaturePath.slice(0, -ext.length)
  return candidate && existsSync(candidate) && statSync(candidate).isFile() ? candidate : null
}

const HASH_CHUNK = 4 << 20

/** Hashes a whole file with every Hash given, reading the next chunk while the current one is hashed. */
async function hashFile(path: string, hashes: readonly Hash[]): Promise<void> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  try {
    const bufs = [Buffer.allocUnsafe(HASH_CHUNK), Buffer.allocUnsafe(HASH_CHUNK)]
    let i = 0
    let pending = handle.read(bufs[0]!, 0, HASH_CHUNK, null)
    for (;;) {
      const { bytesRead } = await pending
      if (bytesRead === 0) break
      const current = bufs[i]!
      i ^= 1
      pending = handle.read(bufs[i]!, 0, HASH_CHUNK, null)
      const chunk = current.subarray(0, bytesRead)
      for (const h of hashes) h.update(chunk)
    }
  } finally {
    await handle.close()
  }
}

/**
 * Digest provider over a file, streamed (4 MiB chunks, read ahead) and computing every algorithm
 * named up front in one pass; results are cached.
 */
export function fileDigester(path: string, expected: readonly DigestAlgorithm[] = []): (alg: DigestAlgorithm) => Promise<Uint8Array> {
  const cache = new Map<DigestAlgorithm, Promise<Uint8Array>>()
  const hashAll = (algs: DigestAlgorithm[]) => {
    const hashes = algs.map((a) => [a, createDigest(a)] as const)
    const done = hashFile(path, hashes.map(([, h]) => h)).then(() => new Map(hashes.map(([a, h]) => [a, new Uint8Array(h.digest())])))
    for (const a of algs) cache.set(a, done.then((m) => m.get(a)!))
  }
  return (alg) => {
    if (!cache.has(alg)) hashAll([...new Set([alg, ...expected.filter((a) => !cache.has(a))])])
    return cache.get(alg)!
  }
}

export async function verifyCmsFile(path: string, opts: FormatVerifyOptions, ctx: VerificationContext): Promise<FormatVerification> {
  const raw = await readFile(path)
  const messages = new FileMessages()
  let der: Buffer
  try {
    der = cmsDerFromFile(raw)
  } catch (err) {
    return {
      fileType: 'cms',
      signatures: [],
      ...FileMessages.of('file.error', { file: basename(path), error: (err as Error).message }).fields(),
      integrity: 'broken',
    }
  }
  let eContent: Uint8Array | null = null
  let digestAlgs: DigestAlgorithm[] = []
  try {
    const parsed = parseSignedData(der)
    eContent = parsed.eContent
    digestAlgs = parsed.signedData.signerInfos.map((s) => digestFromOid(s.digestAlgorithm.algorithmId)).filter((a): a is DigestAlgorithm => a !== null)
  } catch {
    // verifyCmsSignatures reports the structural failure in its own words
  }
  let content: CmsContent
  let coverage: SignatureReport['coverage']
  let extracted: string | undefined
  if (eContent) {
    content = { encapsulated: true }
    coverage = coverageText('whole', 'cms.coverage.enclosed', { bytes: eContent.length })
    if (opts.content) messages.add('cms.file.contentIgnored', { path: opts.content })
  } else {
    const contentPath = opts.content ?? siblingContentPath(path)
    if (contentPath) {
      if (!existsSync(contentPath)) throw new VerifyInputError(`signed content file not found: ${contentPath}`)
      content = { digest: fileDigester(contentPath, digestAlgs) }
      coverage = coverageText('whole', 'cms.coverage.wholeFile', { file: basename(contentPath) })
      messages.add(opts.content ? 'cms.file.detachedCheckedAgainst' : 'cms.file.detachedCheckedAgainstSibling', { path: contentPath })
    } else {
      content = {
        digest: async () => {
          throw new CodedError(text('cms.content.notGiven'))
        },
      }
      coverage = coverageText('unknown', 'cms.coverage.missingFile')
      messages.add('cms.file.detachedNotFound')
    }
    if (opts.extractTo) messages.add('cms.file.nothingToExtract')
  }
  const signatures = await verifyCmsSignatures(der, content, ctx, { profile: 'cades', coverage })
  if (eContent && opts.extractTo) {
    // Written after verification, whatever the verdict: the report says whether to trust it.
    await writeFileAtomic(opts.extractTo, eContent, opts.overwrite === true)
    extracted = opts.extractTo
    messages.add('cms.file.extracted', { path: opts.extractTo })
  }
  return { fileType: 'cms', signatures, ...messages.fields(), ...(extracted ? { extracted } : {}) }
}

registerFormatVerifier({ id: 'cms', detect: detectCms, verify: verifyCmsFile })
