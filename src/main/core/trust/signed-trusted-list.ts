/**
 * A trusted list (ETSI TS 119 612) is believed only when its own enveloped XML signature verifies
 * and was made by a certificate the user configured for that purpose, as EU DSS does: the signers
 * of the EU list of lists (LOTL) are configured (`--trusted-list-signer`), the signers of a national
 * list are the certificates a verified LOTL's pointer gives for its territory. The signature is
 * checked with the project's XML verifier (verify/xml), on the same DOM the list is then read from.
 */
import { X509Certificate } from 'node:crypto'
import type { Document, Element } from '@xmldom/xmldom'
import type { MessageParams } from '../../../shared/model/validation'
import { ref, text, type CodedText } from '../verify/texts'
import { digestName, signatureAlgorithm } from '../verify/xml/algorithms'
import { describeElement, descendantsNS, firstChildNS, indexIds, NS_DSIG, parseXmlBytes } from '../verify/xml/dom'
import { verifyXmlSignature } from '../verify/xml/verify-signature'
import { readTrustedList, type TrustedList } from './trusted-list'

export interface TrustedListFile {
  /** file path or label, for messages */
  origin: string
  bytes: Uint8Array
}

export interface ParsedTrustedListFile {
  origin: string
  doc: Document
  root: Element
  list: TrustedList
}

/** Parses a trusted list file (hostile input: size, depth, DOCTYPE refused). Throws with a plain message. */
export function parseTrustedListFile(file: TrustedListFile): ParsedTrustedListFile {
  let loaded
  try {
    loaded = parseXmlBytes(file.bytes)
  } catch (err) {
    throw new Error(`${file.origin}: not a readable XML trusted list (${(err as Error).message.split('\n')[0]})`)
  }
  const root = loaded.doc.documentElement
  if (!root) throw new Error(`${file.origin}: empty XML document`)
  return { origin: file.origin, doc: loaded.doc, root, list: readTrustedList(root, file.origin) }
}

export type TrustedListSignatureCheck =
  | { ok: true; signerDer: Uint8Array; signer: string }
  | { ok: false; reason: CodedText }

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b))
}

function subjectOf(der: Uint8Array): string {
  try {
    return new X509Certificate(der).subject.replace(/\n/g, ', ')
  } catch {
    return '(unreadable certificate)'
  }
}

const notUsed = (code: string, params?: MessageParams): { ok: false; reason: CodedText } => ({ ok: false, reason: text(code, params) })

/**
 * The list's signature: exactly one ds:Signature, a child of the TrustServiceStatusList root, that
 * the XML verifier finds intact (references, value, no unsigned content), whose reference covers the
 * whole document with the enveloped-signature transform (URI="" or the root's Id), without SHA-1,
 * made by the key of a KeyInfo certificate equal, byte for byte, to one of `allowedSigners`, valid
 * when the list says it was issued.
 */
export async function checkTrustedListSignature(parsed: ParsedTrustedListFile, allowedSigners: readonly Uint8Array[]): Promise<TrustedListSignatureCheck> {
  const { doc, root, origin } = parsed
  const file = origin
  const signatures = [...(root.namespaceURI === NS_DSIG && root.localName === 'Signature' ? [root] : []), ...descendantsNS(root, (ns) => ns === NS_DSIG, 'Signature')]
  if (signatures.length === 0) return notUsed('trustedList.notUsed.unsigned', { file })
  if (signatures.length > 1) return notUsed('trustedList.notUsed.severalSignatures', { file, count: signatures.length })
  const sig = signatures[0]!
  if (sig.parentNode !== root) return notUsed('trustedList.notUsed.signatureMisplaced', { file, element: sig.parentNode && sig.parentNode.nodeType === 1 ? describeElement(sig.parentNode as Element) : '?' })
  const result = await verifyXmlSignature(sig, {
    env: { doc, ids: indexIds(doc), resolveExternal: async () => ({ unavailable: text('xml.external.notFetched') }) },
  })
  if (result.integrity !== 'intact') {
    const failed = result.checks.find((c) => c.status === 'failed') ?? result.checks.find((c) => c.status === 'indeterminate')
    return notUsed('trustedList.notUsed.signatureInvalid', { file, detail: failed?.code ? ref(failed.code, failed.params) : ref('text', { text: result.integrity }) })
  }
  // What the reader of the list sees must be what was signed: the whole document, enveloped.
  const whole = result.references.some((r) => r.status === 'valid' && r.enveloped && (r.targetKind === 'document' || r.target === root))
  const elsewhere = result.signedElements.some((e) => e !== root) || result.externalTargets.length > 0
  if (!whole || elsewhere) return notUsed('trustedList.notUsed.notWholeDocument', { file })
  // SHA-1 (collisions are practical) is refused for a list signed today; current lists use SHA-256+.
  const signedInfo = firstChildNS(sig, NS_DSIG, 'SignedInfo')
  const methodUri = (signedInfo && firstChildNS(signedInfo, NS_DSIG, 'SignatureMethod')?.getAttribute('Algorithm')) ?? ''
  const weak = [
    ...(signatureAlgorithm(methodUri)?.hash === 'sha1' ? [methodUri] : []),
    ...result.references.map((r) => r.digestAlgorithm ?? '').filter((uri) => digestName(uri) === 'sha1'),
  ]
  if (weak.length > 0) return notUsed('trustedList.notUsed.weakAlgorithm', { file, alg: weak[0]! })
  if (!result.signerCertDer) return notUsed('trustedList.notUsed.noSignerCertificate', { file })
  const signerDer = result.signerCertDer
  const signer = subjectOf(signerDer)
  if (!allowedSigners.some((c) => sameBytes(c, signerDer))) return notUsed('trustedList.notUsed.unknownSigner', { file, signer })
  const issued = parsed.list.issueDate ? new Date(parsed.list.issueDate) : null
  if (issued && !Number.isNaN(issued.getTime())) {
    try {
      const cert = new X509Certificate(signerDer)
      if (issued < new Date(cert.validFrom) || issued > new Date(cert.validTo)) {
        return notUsed('trustedList.notUsed.signerNotValid', { file, signer, issued: issued.toISOString() })
      }
    } catch {
      return notUsed('trustedList.notUsed.noSignerCertificate', { file })
    }
  }
  return { ok: true, signerDer, signer }
}

/** NextUpdate in the past, absent or unreadable: the list is not current (a closed or stale list). */
export function trustedListFreshness(list: TrustedList, now: Date): CodedText | null {
  const file = list.origin
  if (!list.nextUpdate) return text('trustedList.notUsed.noNextUpdate', { file })
  const next = new Date(list.nextUpdate)
  if (Number.isNaN(next.getTime())) return text('trustedList.notUsed.noNextUpdate', { file })
  if (next.getTime() < now.getTime()) return text('trustedList.notUsed.expired', { file, nextUpdate: next.toISOString() })
  return null
}

export interface LoadTrustedListsOptions {
  /** certificates configured as signers of lists of lists (and of any list given directly) */
  signers: readonly Uint8Array[]
  now: Date
}

export interface TrustedListDecision {
  origin: string
  list: TrustedList
  /** null when the list may be used */
  refused: CodedText | null
  signer: string | null
}

/**
 * Decides which lists may be used. Lists of lists are checked first against the configured
 * signers; a national list is then accepted when signed by a configured signer or by a certificate
 * that a usable list of lists gives for the list's territory (OtherTSLPointer /
 * ServiceDigitalIdentities). Never throws for a list's content: a refused list carries its reason.
 */
export async function decideTrustedLists(files: readonly ParsedTrustedListFile[], opts: LoadTrustedListsOptions): Promise<TrustedListDecision[]> {
  const decisions = new Map<ParsedTrustedListFile, TrustedListDecision>()
  const judge = async (f: ParsedTrustedListFile, allowed: readonly Uint8Array[], noSignerCode: string, noSignerParams: MessageParams): Promise<TrustedListDecision> => {
    const base = { origin: f.origin, list: f.list }
    if (allowed.length === 0) {
      // Still tell an unsigned list apart from a signed one nobody vouches for.
      const unsigned = descendantsNS(f.root, (ns) => ns === NS_DSIG, 'Signature').length === 0
      return { ...base, refused: unsigned ? text('trustedList.notUsed.unsigned', { file: f.origin }) : text(noSignerCode, noSignerParams), signer: null }
    }
    const check = await checkTrustedListSignature(f, allowed)
    if (!check.ok) return { ...base, refused: check.reason, signer: null }
    return { ...base, refused: trustedListFreshness(f.list, opts.now), signer: check.signer }
  }
  const lotls = files.filter((f) => f.list.isListOfLists)
  for (const f of lotls) decisions.set(f, await judge(f, opts.signers, 'trustedList.notUsed.noSignerConfigured', { file: f.origin }))
  const pointers = lotls.filter((f) => decisions.get(f)!.refused === null).flatMap((f) => f.list.pointers)
  for (const f of files) {
    if (f.list.isListOfLists) continue
    const territory = f.list.territory
    const fromPointers = territory ? pointers.filter((p) => p.territory?.toUpperCase() === territory.toUpperCase()).flatMap((p) => p.signerCertificates) : []
    decisions.set(
      f,
      await judge(f, [...opts.signers, ...fromPointers], 'trustedList.notUsed.noSignerForTerritory', { file: f.origin, territory: territory ?? '?' }),
    )
  }
  return files.map((f) => decisions.get(f)!)
}
