/**
 * One ds:Signature: SignedInfo references (what each points at, not only whether digests match),
 * SignatureValue with the key bound to the signer, XAdES SigningCertificate(V2) binding, signed
 * properties, unsigned content smuggled into ds:Object. Certificate trust is assessed by the caller.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto'
import type { Element, Node } from '@xmldom/xmldom'
import type { CheckResult, IntegrityClass, SubIndication } from '../../../../shared/model/validation'
import { keyFromKeyValue, pssSaltLength, signatureAlgorithm, verifyHmac, verifyWithKey } from './algorithms'
import { c14nMethod, canonicalize } from './c14n'
import { NS_DSIG, base64Bytes, childElements, childrenNS, describeElement, descendantsNS, firstChildNS, isAncestorOrSelf, textOf } from './dom'
import { processReference, type ReferenceEnv, type ReferenceResult } from './references'
import { ref, text } from '../texts'
import type { MessageParams, MessageRef } from '../../../../shared/model/validation'

const XADES_NS_PREFIX = 'http://uri.etsi.org/01903'
const TYPE_OBJECT = 'http://www.w3.org/2000/09/xmldsig#Object'
const TYPE_MANIFEST = 'http://www.w3.org/2000/09/xmldsig#Manifest'
const TYPE_SIGNATURE_PROPERTIES = 'http://www.w3.org/2000/09/xmldsig#SignatureProperties'
const X509_RAW = 'http://www.w3.org/2000/09/xmldsig#rawX509Certificate'

const NS_DC = 'http://purl.org/dc/elements/1.1/'

/** dc:date as LibreOffice/OpenOffice write it: ISO 8601, sometimes with a comma before the fraction. */
function parseDcDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(text)
  if (!m) return null
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ? '.' + m[7].slice(0, 3).padEnd(3, '0') : ''}${m[8] ?? 'Z'}`
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}

/** Bound on references per SignedInfo or Manifest: each may canonicalize the whole document. */
const MAX_REFERENCES = 2000

/** HMAC outputs shorter than this are refused (CVE-2009-0217). */
const MIN_HMAC_BITS = 80

export function isXadesNs(ns: string | null): boolean {
  return !!ns && ns.startsWith(XADES_NS_PREFIX)
}

export interface EncapsulatedTimestamp {
  der: Uint8Array
  /** canonicalization applied to ds:SignatureValue before hashing (XAdES SignatureTimeStamp) */
  canonicalizationMethod: string
}

export interface XmlSignatureResult {
  element: Element
  id: string
  format: 'XAdES' | 'XMLDSig'
  level: string | null
  /** cryptographic and structural class of this signature alone */
  integrity: IntegrityClass
  /** why it is not intact, ETSI style (null when intact) */
  subIndication: SubIndication | null
  checks: CheckResult[]
  references: ReferenceResult[]
  /** same-document elements signed (outside this signature's own ds:Object content) */
  signedElements: Element[]
  signsWholeDocument: boolean
  externalTargets: string[]
  signerCertDer: Uint8Array | null
  otherCertsDer: Uint8Array[]
  /** the key that verified the SignatureValue came from a certificate bound to the signer */
  signerBound: boolean
  signingTime: string | null
  signatureTimestamps: EncapsulatedTimestamp[]
  /** canonical SignatureValue element per c14n algorithm, for timestamp imprints */
  canonicalSignatureValue: (algorithm: string) => Buffer | null
  embeddedOcspDer: Uint8Array[]
  embeddedCrlDer: Uint8Array[]
  /** a shared-secret MAC, not a signature by a person */
  isHmac: boolean
}

export interface VerifySignatureOptions {
  env: Omit<ReferenceEnv, 'signature'>
  /** HMAC key when the caller has one (tests, interop); absent: HMAC signatures are INDETERMINATE */
  hmacKey?: Uint8Array
}

const RANK: IntegrityClass[] = ['broken', 'modified', 'partial', 'indeterminate', 'intact']

class Verdict {
  integrity: IntegrityClass = 'intact'
  subIndication: SubIndication | null = null
  readonly checks: CheckResult[] = []
  add(id: string, status: CheckResult['status'], code: string, params?: MessageParams): void {
    this.checks.push({ id, status, ...text(code, params) })
  }
  degrade(to: IntegrityClass, sub: SubIndication | null): void {
    if (RANK.indexOf(to) < RANK.indexOf(this.integrity)) {
      this.integrity = to
      this.subIndication = sub
    } else if (to === this.integrity && !this.subIndication) this.subIndication = sub
  }
}

function certDigestMatches(der: Uint8Array, certDigest: Element): boolean {
  // XAdES 1.3.2+ uses ds:DigestMethod/ds:DigestValue; XAdES 1.1.1/1.2.2 (PES Helios) its own namespace.
  const child = (local: string): Element | null => childElements(certDigest).find((e) => e.localName === local && (e.namespaceURI === NS_DSIG || isXadesNs(e.namespaceURI))) ?? null
  const method = child('DigestMethod')?.getAttribute('Algorithm') ?? ''
  const value = base64Bytes(textOf(child('DigestValue')))
  const names: Record<string, string> = {
    'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
    'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
    'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
    'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
    'http://www.w3.org/2001/04/xmldsig-more#sha224': 'sha224',
  }
  const name = names[method]
  if (!name) return false
  return createHash(name).update(der).digest().equals(value)
}

/** Parsed public keys by certificate digest: a PES repeats one certificate on every bordereau. */
const keyCache = new Map<string, KeyObject | null>()
const KEY_CACHE_MAX = 256

function publicKeyOf(der: Uint8Array): KeyObject | null {
  const id = createHash('sha256').update(der).digest('hex')
  if (keyCache.has(id)) return keyCache.get(id)!
  let key: KeyObject | null
  try {
    key = new X509Certificate(der).publicKey
  } catch {
    key = null
  }
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!)
  keyCache.set(id, key)
  return key
}

function sameKey(a: KeyObject, b: KeyObject): boolean {
  try {
    return a.export({ format: 'der', type: 'spki' }).equals(b.export({ format: 'der', type: 'spki' }))
  } catch {
    return false
  }
}

/** elements of `root` (document order) with the given local name in a XAdES namespace */
function xadesDescendants(root: Node, local: string): Element[] {
  return descendantsNS(root, isXadesNs, local)
}

export async function verifyXmlSignature(sig: Element, opts: VerifySignatureOptions): Promise<XmlSignatureResult> {
  const v = new Verdict()
  const env: ReferenceEnv = { ...opts.env, signature: sig }
  const id = sig.getAttribute('Id') || ''
  const base = {
    element: sig,
    id: id || '(no Id)',
    references: [] as ReferenceResult[],
    signedElements: [] as Element[],
    signsWholeDocument: false,
    externalTargets: [] as string[],
    signerCertDer: null as Uint8Array | null,
    otherCertsDer: [] as Uint8Array[],
    signerBound: false,
    signingTime: null as string | null,
    signatureTimestamps: [] as EncapsulatedTimestamp[],
    embeddedOcspDer: [] as Uint8Array[],
    embeddedCrlDer: [] as Uint8Array[],
    isHmac: false,
  }
  const signatureValueEl = firstChildNS(sig, NS_DSIG, 'SignatureValue')
  const canonicalSignatureValue = (algorithm: string): Buffer | null => {
    const m = c14nMethod(algorithm)
    return m && signatureValueEl ? canonicalize({ apex: signatureValueEl, exclude: new Set(), commentsInSet: false }, m) : null
  }

  // XAdES qualifying properties bound to this signature.
  const objects = childrenNS(sig, NS_DSIG, 'Object')
  const qualifying = objects.flatMap((o) => childElements(o).filter((e) => isXadesNs(e.namespaceURI) && e.localName === 'QualifyingProperties'))
  const format: 'XAdES' | 'XMLDSig' = qualifying.length > 0 ? 'XAdES' : 'XMLDSig'
  const finish = (level: string | null): XmlSignatureResult => ({
    ...base,
    format,
    level,
    integrity: v.integrity,
    subIndication: v.subIndication,
    checks: v.checks,
    canonicalSignatureValue,
  })

  const signedInfo = childElements(sig)[0]
  if (!signedInfo || signedInfo.namespaceURI !== NS_DSIG || signedInfo.localName !== 'SignedInfo' || !signatureValueEl) {
    v.add('structure', 'failed', 'xml.structure.order')
    v.degrade('broken', 'FORMAT_FAILURE')
    return finish(null)
  }
  if (childrenNS(sig, NS_DSIG, 'SignedInfo').length !== 1 || childrenNS(sig, NS_DSIG, 'SignatureValue').length !== 1) {
    v.add('structure', 'failed', 'xml.structure.duplicateSignedInfo')
    v.degrade('broken', 'FORMAT_FAILURE')
    return finish(null)
  }
  if (qualifying.length > 1) {
    v.add('structure', 'failed', 'xml.structure.duplicateQualifyingProperties')
    v.degrade('broken', 'FORMAT_FAILURE')
  }
  const qp = qualifying[0] ?? null
  if (qp) {
    const target = (qp.getAttribute('Target') ?? '').replace(/^#/, '')
    if (!id || target !== id) {
      v.add('structure', 'failed', 'xml.structure.qualifyingPropertiesTarget', { target: qp.getAttribute('Target') ?? '', id })
      v.degrade('broken', 'FORMAT_FAILURE')
    }
  }

  // --- references -----------------------------------------------------------------------------
  const references = childrenNS(signedInfo, NS_DSIG, 'Reference')
  if (references.length > MAX_REFERENCES) {
    v.add('references', 'failed', 'xml.references.tooMany', { count: references.length, max: MAX_REFERENCES })
    v.degrade('broken', 'FORMAT_FAILURE')
    return finish(null)
  }
  if (references.length === 0) {
    v.add('references', 'failed', 'xml.references.none')
    v.degrade('broken', 'FORMAT_FAILURE')
  }
  const covered: Element[] = []
  const signedProperties = qp ? childElements(qp).filter((e) => isXadesNs(e.namespaceURI) && e.localName === 'SignedProperties') : []
  let signedPropertiesReferenced = 0
  const handleResult = (r: ReferenceResult, inManifest: boolean): void => {
    const code = inManifest ? 'xml.reference.inManifest' : r.code
    const params: MessageParams | undefined = inManifest ? { detail: ref(r.code, r.params) } : r.params
    base.references.push(r)
    if (r.target && r.targetKind === 'element') covered.push(r.target)
    switch (r.status) {
      case 'valid':
        v.add('reference', 'passed', code, params)
        break
      case 'mismatch':
        v.add('reference', 'failed', code, params)
        v.degrade('broken', 'HASH_FAILURE')
        break
      case 'structural':
        v.add('reference', 'failed', code, params)
        v.degrade('broken', 'FORMAT_FAILURE')
        break
      case 'unavailable':
        v.add('reference', 'indeterminate', code, params)
        v.degrade('indeterminate', 'SIGNED_DATA_NOT_FOUND')
        break
      case 'refused':
        v.add('reference', 'indeterminate', code, params)
        v.degrade('indeterminate', 'POLICY_PROCESSING_ERROR')
        break
    }
  }
  for (const ref of references) {
    const r = await processReference(ref, env)
    handleResult(r, false)
    const type = r.type
    const t = r.target
    // What the reference points at must match what it says it is.
    if (t && r.targetKind === 'element') {
      const isDs = (local: string): boolean => t.namespaceURI === NS_DSIG && t.localName === local
      if (type === TYPE_OBJECT && !isDs('Object')) {
        v.add('reference-target', 'failed', 'xml.referenceTarget.notObject', { element: describeElement(t) })
        v.degrade('broken', 'FORMAT_FAILURE')
      }
      if (type === TYPE_MANIFEST) {
        if (!isDs('Manifest')) {
          v.add('reference-target', 'failed', 'xml.referenceTarget.notManifest', { element: describeElement(t) })
          v.degrade('broken', 'FORMAT_FAILURE')
        } else if (r.status === 'valid') {
          const manifestRefs = childrenNS(t, NS_DSIG, 'Reference')
          if (manifestRefs.length > MAX_REFERENCES) {
            v.add('reference', 'indeterminate', 'xml.reference.manifestTooLarge', { count: manifestRefs.length, max: MAX_REFERENCES })
            v.degrade('indeterminate', 'POLICY_PROCESSING_ERROR')
          } else for (const mref of manifestRefs) handleResult(await processReference(mref, env), true)
        }
      }
      if (type === TYPE_SIGNATURE_PROPERTIES && !isDs('SignatureProperties')) {
        v.add('reference-target', 'failed', 'xml.referenceTarget.notSignatureProperties', { element: describeElement(t) })
        v.degrade('broken', 'FORMAT_FAILURE')
      }
      const isSignedProps = isXadesNs(t.namespaceURI) && t.localName === 'SignedProperties'
      if (type && type.startsWith(XADES_NS_PREFIX) && type.endsWith('#SignedProperties') && !isSignedProps) {
        v.add('reference-target', 'failed', 'xml.referenceTarget.notSignedProperties', { element: describeElement(t) })
        v.degrade('broken', 'FORMAT_FAILURE')
      }
      if (isSignedProps) {
        if (signedProperties.includes(t)) signedPropertiesReferenced++
        else {
          v.add('reference-target', 'failed', 'xml.referenceTarget.foreignSignedProperties')
          v.degrade('broken', 'FORMAT_FAILURE')
        }
      }
      if (isAncestorOrSelf(sig, t)) {
        // Signature-internal data: SignedProperties, KeyInfo, Objects of an enveloping signature.
      } else {
        base.signedElements.push(t)
        if (r.targetKind === 'element' && t === t.ownerDocument?.documentElement) base.signsWholeDocument = true
      }
    } else if (r.targetKind === 'document') {
      base.signsWholeDocument = true
      if (r.target) base.signedElements.push(r.target)
    } else if (r.targetKind === 'external' && r.externalLabel) {
      base.externalTargets.push(r.externalLabel)
    }
  }
  if (qp) {
    if (signedProperties.length !== 1) {
      v.add('signed-properties', 'failed', 'xml.signedProperties.count', { count: signedProperties.length })
      v.degrade('broken', 'FORMAT_FAILURE')
    } else if (signedPropertiesReferenced !== 1) {
      v.add(
        'signed-properties',
        'failed',
        signedPropertiesReferenced === 0 ? 'xml.signedProperties.notCovered' : 'xml.signedProperties.referencedTwice',
      )
      v.degrade('broken', 'FORMAT_FAILURE')
    } else v.add('signed-properties', 'passed', 'xml.signedProperties.ok')
  }

  // Unsigned content placed inside this signature's ds:Object elements (e.g. a displayed date).
  const unsigned: MessageRef[] = []
  const walkObject = (n: Element): void => {
    if (covered.some((c) => isAncestorOrSelf(c, n))) return
    if (isXadesNs(n.namespaceURI) && n.localName === 'UnsignedProperties') return
    if (n.namespaceURI === NS_DSIG && n.localName === 'Signature') return
    const holdsCovered = covered.some((c) => isAncestorOrSelf(n, c))
    if (!holdsCovered) {
      if (n.namespaceURI === NS_DSIG && n.localName === 'Object' && childElements(n).length === 0 && !textOf(n)) return
      unsigned.push(ref('text', { text: describeElement(n) }))
      return
    }
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) walkObject(c as Element)
      else if ((c.nodeType === 3 || c.nodeType === 4) && (c as unknown as { data: string }).data.trim()) unsigned.push(ref('xml.unsignedContent.textIn', { element: describeElement(n) }))
    }
  }
  for (const o of objects) walkObject(o)
  if (unsigned.length > 0) {
    v.add('unsigned-content', 'failed', unsigned.length > 5 ? 'xml.unsignedContent.more' : 'xml.unsignedContent', { items: unsigned.slice(0, 5) })
    v.degrade('partial', null)
  }

  // Plain XMLDSig (OpenDocument): a dc:date counts as claimed signing time only inside a
  // SignatureProperty a valid reference covers; an injected unsigned one is never shown.
  if (!qp) {
    for (const r of base.references) {
      if (r.status !== 'valid' || !r.target || !isAncestorOrSelf(sig, r.target)) continue
      const date = descendantsNS(r.target, (ns) => ns === NS_DC, 'date')[0]
      const when = date ? parseDcDate(textOf(date)) : null
      if (when) {
        base.signingTime = when.toISOString()
        v.add('signing-time', 'info', 'xml.signingTime.dcDate', { time: base.signingTime })
        break
      }
    }
  }

  // --- XAdES signed properties ----------------------------------------------------------------
  const sp = signedProperties[0] ?? null
  let signingCertificateRefs: Element[] = []
  let hasSigningCertificate = false
  if (sp) {
    const st = xadesDescendants(sp, 'SigningTime')[0]
    if (st) {
      const when = new Date(textOf(st))
      if (Number.isNaN(when.getTime())) v.add('signing-time', 'warning', 'xml.signingTime.unreadable', { value: textOf(st).slice(0, 40) })
      else {
        base.signingTime = when.toISOString()
        v.add('signing-time', 'info', 'xml.signingTime.claimed', { time: base.signingTime })
      }
    }
    const scs = [...xadesDescendants(sp, 'SigningCertificateV2'), ...xadesDescendants(sp, 'SigningCertificate')]
    hasSigningCertificate = scs.length > 0
    signingCertificateRefs = scs.flatMap((sc) => xadesDescendants(sc, 'CertDigest'))
  }
  if (qp) {
    for (const ts of xadesDescendants(qp, 'SignatureTimeStamp')) {
      const enc = xadesDescendants(ts, 'EncapsulatedTimeStamp')[0]
      if (!enc) continue
      base.signatureTimestamps.push({
        der: base64Bytes(enc.textContent ?? ''),
        canonicalizationMethod: firstChildNS(ts, NS_DSIG, 'CanonicalizationMethod')?.getAttribute('Algorithm') ?? 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
      })
    }
    for (const e of xadesDescendants(qp, 'EncapsulatedOCSPValue')) base.embeddedOcspDer.push(base64Bytes(e.textContent ?? ''))
    for (const e of xadesDescendants(qp, 'EncapsulatedCRLValue')) base.embeddedCrlDer.push(base64Bytes(e.textContent ?? ''))
  }

  // --- keys and certificates --------------------------------------------------------------------
  const keyInfo = firstChildNS(sig, NS_DSIG, 'KeyInfo')
  const keyInfoCerts: Uint8Array[] = []
  let keyValueKey: KeyObject | null = null
  let keyNamed = false
  if (keyInfo) {
    for (const c of descendantsNS(keyInfo, (ns) => ns === NS_DSIG, 'X509Certificate')) keyInfoCerts.push(base64Bytes(c.textContent ?? ''))
    const kv = firstChildNS(keyInfo, NS_DSIG, 'KeyValue')
    if (kv) keyValueKey = keyFromKeyValue(kv)
    for (const rm of childrenNS(keyInfo, NS_DSIG, 'RetrievalMethod')) {
      const uri = rm.getAttribute('URI') ?? ''
      if (rm.getAttribute('Type') === X509_RAW && uri && !uri.startsWith('#')) {
        const ext = await env.resolveExternal(uri)
        if ('bytes' in ext) keyInfoCerts.push(ext.bytes)
        else v.add('key-info', 'indeterminate', 'xml.keyInfo.retrievalUnavailable', { uri, detail: ref(ext.unavailable.code, ext.unavailable.params) })
      }
    }
    keyNamed = !!firstChildNS(keyInfo, NS_DSIG, 'KeyName') || childElements(keyInfo).some((e) => e.localName === 'X509IssuerSerial' || e.localName === 'X509SKI')
  }
  const certificateValues = qp ? xadesDescendants(qp, 'EncapsulatedX509Certificate').map((e) => base64Bytes(e.textContent ?? '')) : []
  const allCerts = [...keyInfoCerts, ...certificateValues]

  let signerByReference: Uint8Array | null = null
  if (hasSigningCertificate) {
    signerByReference = allCerts.find((der) => signingCertificateRefs.some((d) => certDigestMatches(der, d))) ?? null
    if (signerByReference) v.add('signing-certificate', 'passed', 'xml.signingCertificate.ok')
    else if (signingCertificateRefs.length === 0) v.add('signing-certificate', 'failed', 'xml.signingCertificate.noDigest')
    else v.add('signing-certificate', 'indeterminate', 'xml.signingCertificate.notInFile')
  }

  // --- SignatureValue -----------------------------------------------------------------------------
  const methodEl = firstChildNS(signedInfo, NS_DSIG, 'SignatureMethod')
  const methodUri = methodEl?.getAttribute('Algorithm') ?? ''
  const alg = signatureAlgorithm(methodUri)
  const c14nUri = firstChildNS(signedInfo, NS_DSIG, 'CanonicalizationMethod')?.getAttribute('Algorithm') ?? ''
  const c14n = c14nMethod(c14nUri)
  const sigBytes = base64Bytes(signatureValueEl.textContent ?? '')
  const level = format === 'XAdES' ? (base.signatureTimestamps.length > 0 ? 'B-T' : 'B-B') : null
  if (!alg || !methodEl) {
    v.add('signature-value', 'indeterminate', 'xml.signatureValue.algorithmUnsupported', { alg: methodUri || '(none)' })
    v.degrade('indeterminate', 'CRYPTO_CONSTRAINTS_FAILURE')
    return finish(level)
  }
  if (!c14n) {
    v.add('signature-value', 'indeterminate', 'xml.signatureValue.c14nUnsupported', { method: c14nUri || '(none)' })
    v.degrade('indeterminate', 'FORMAT_FAILURE')
    return finish(level)
  }
  const prefixes = c14n.exclusive
    ? (firstChildNS(firstChildNS(signedInfo, NS_DSIG, 'CanonicalizationMethod')!, 'http://www.w3.org/2001/10/xml-exc-c14n#', 'InclusiveNamespaces')?.getAttribute('PrefixList') ?? '')
        .split(/\s+/)
        .filter(Boolean)
    : []
  const signedInfoBytes = canonicalize({ apex: signedInfo, exclude: new Set(), commentsInSet: true }, c14n, prefixes)

  if (alg.kind === 'hmac') {
    base.isHmac = true
    const lenText = textOf(firstChildNS(methodEl, NS_DSIG, 'HMACOutputLength'))
    const bits = lenText ? Number(lenText) : null
    if (bits !== null && (!Number.isInteger(bits) || bits < MIN_HMAC_BITS)) {
      v.add('signature-value', 'failed', 'xml.hmac.truncated', { bits: lenText, min: MIN_HMAC_BITS })
      v.degrade('broken', 'CRYPTO_CONSTRAINTS_FAILURE')
      return finish(level)
    }
    if (!opts.hmacKey) {
      v.add('signature-value', 'indeterminate', 'xml.hmac.noKey')
      v.degrade('indeterminate', 'NO_SIGNING_CERTIFICATE_FOUND')
      return finish(level)
    }
    if (verifyHmac(alg, opts.hmacKey, signedInfoBytes, sigBytes, bits)) {
      v.add('signature-value', 'passed', 'xml.hmac.ok')
      v.degrade('indeterminate', 'NO_SIGNING_CERTIFICATE_FOUND')
    } else {
      v.add('signature-value', 'failed', 'xml.hmac.mismatch')
      v.degrade('broken', 'SIG_CRYPTO_FAILURE')
    }
    return finish(level)
  }

  const salt = alg.kind === 'rsa-pss' ? pssSaltLength(methodEl, alg) : undefined
  const verifies = (key: KeyObject | null): boolean => !!key && verifyWithKey(alg, key, signedInfoBytes, sigBytes, salt)
  if (signerByReference) {
    if (verifies(publicKeyOf(signerByReference))) {
      base.signerCertDer = signerByReference
      base.signerBound = true
      v.add('signature-value', 'passed', 'xml.signatureValue.okNamedCertificate')
    } else {
      v.add('signature-value', 'failed', 'xml.signatureValue.mismatchNamedCertificate')
      v.degrade('broken', 'SIG_CRYPTO_FAILURE')
    }
  } else if (keyInfoCerts.length > 0 || (!keyValueKey && certificateValues.length > 0)) {
    // Without a signed certificate reference, the certificate whose key verifies is the signer; a bare
    // KeyValue beside KeyInfo certificates is never used (direct key material attack).
    const found = (keyInfoCerts.length > 0 ? keyInfoCerts : certificateValues).find((der) => verifies(publicKeyOf(der)))
    if (found) {
      base.signerCertDer = found
      base.signerBound = !hasSigningCertificate
      v.add('signature-value', 'passed', 'xml.signatureValue.okCertificate')
    } else {
      v.add('signature-value', 'failed', 'xml.signatureValue.mismatchCertificate')
      v.degrade('broken', 'SIG_CRYPTO_FAILURE')
    }
  } else if (keyValueKey) {
    if (verifies(keyValueKey)) {
      v.add('signature-value', 'passed', 'xml.signatureValue.okBareKey')
    } else {
      v.add('signature-value', 'failed', 'xml.signatureValue.mismatchBareKey')
      v.degrade('broken', 'SIG_CRYPTO_FAILURE')
    }
  } else {
    v.add(
      'signature-value',
      'indeterminate',
      keyNamed ? 'xml.signatureValue.keyNamedNotCarried' : 'xml.signatureValue.noKey',
    )
    v.degrade('indeterminate', 'NO_SIGNING_CERTIFICATE_FOUND')
  }
  if (hasSigningCertificate && !signerByReference && v.integrity !== 'broken') {
    v.degrade('indeterminate', 'NO_SIGNING_CERTIFICATE_FOUND')
  }
  if (base.signerCertDer && keyValueKey) {
    const certKey = publicKeyOf(base.signerCertDer)
    if (certKey && !sameKey(certKey, keyValueKey)) v.add('key-info', 'warning', 'xml.keyInfo.extraKey')
  }
  base.otherCertsDer = allCerts.filter((c) => c !== base.signerCertDer)
  return finish(level)
}
