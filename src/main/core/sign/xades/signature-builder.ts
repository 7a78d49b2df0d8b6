/**
 * Builds a ds:Signature with XAdES qualifying properties AS TEXT. Every digest is taken over the
 * exclusive canonical form of the element as it will appear in the output: exclusive c14n renders
 * only the namespaces an element visibly uses, so an element parsed on its own canonicalizes to the
 * same bytes as in its final place. Signed data digests are computed by the caller.
 */
import { createHash, randomBytes } from 'node:crypto'
import { canonicalize } from '../../xml/c14n'
import { ALG, NS } from '../../xml/namespaces'
import { parseXmlLite } from '../../xml/lite-dom'
import { escapeXmlAttr, escapeXmlText } from '../../xml/text'
import { type DigestAlgorithm, type SignatureAlgorithm, defaultSignatureAlgorithm, type Signer } from '../signer'
import { signingCertificateFacts } from './certificate'
import {
  type ProductionPlace,
  type SignaturePolicy,
  TimestampFailedError,
  type TimestampRequester,
  XadesSignError,
} from './types'

/** 1.1.1: the namespace of the PES V2 / Helios profile; 1.3.2: EN 319 132 (XAdES baseline). */
export type XadesVersion = '1.1.1' | '1.3.2'

export interface SignedReference {
  /** Id of the ds:Reference (needed by DataObjectFormat) */
  id?: string
  uri: string
  transforms: readonly string[]
  /** SHA-256 of the data after the transforms */
  digest: Uint8Array
  /** MIME type of the signed data object (DataObjectFormat, 1.3.2 only) */
  mimeType?: string
}

export interface BuildSignatureInput {
  signer: Signer
  version: XadesVersion
  signatureId: string
  references: readonly SignedReference[]
  signingTime: Date
  policy?: SignaturePolicy
  roles?: readonly string[]
  place?: ProductionPlace
  /** text of extra ds:Object elements (enveloping), written with the `ds` prefix */
  objects?: string
  timestamp?: TimestampRequester
  prefixes?: { ds: string; xades: string }
}

const DIGEST_URI: Record<DigestAlgorithm, string> = { 'SHA-256': ALG.sha256, 'SHA-384': ALG.sha384, 'SHA-512': ALG.sha512 }
const NODE_HASH: Record<DigestAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' }

function signatureMethodUri(alg: SignatureAlgorithm): string {
  if (alg.scheme === 'RSASSA-PKCS1-v1_5') return { 'SHA-256': ALG.rsaSha256, 'SHA-384': ALG.rsaSha384, 'SHA-512': ALG.rsaSha512 }[alg.hash]
  if (alg.scheme === 'ECDSA') return { 'SHA-256': ALG.ecdsaSha256, 'SHA-384': ALG.ecdsaSha384, 'SHA-512': ALG.ecdsaSha512 }[alg.hash]
  throw new XadesSignError('RSA-PSS signatures are not produced for XML')
}

/** A fresh XML Id (an NCName) with a readable stem. */
export function newXmlId(stem: string): string {
  const safeStem = stem.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z_]/, 'id-$&')
  return `${safeStem}-${randomBytes(6).toString('hex')}`
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

function text(s: string, what: string): string {
  try {
    return escapeXmlText(s)
  } catch {
    throw new XadesSignError(`the ${what} contains characters that XML cannot carry`)
  }
}

function digestOfWrapped(wrapped: string, hash: DigestAlgorithm): Buffer {
  const { root } = parseXmlLite(wrapped)
  const el = root.firstChild
  if (!el || el.nodeType !== 1) throw new XadesSignError('internal error: fragment is not an element')
  return createHash(NODE_HASH[hash]).update(canonicalize(el, { method: 'exc-c14n' }), 'utf8').digest()
}

function fragmentDigest(fragment: string, ds: string, xades: string, xadesUri: string, hash: DigestAlgorithm = 'SHA-256'): Buffer {
  return digestOfWrapped(`<w xmlns:${ds}="${NS.ds}" xmlns:${xades}="${xadesUri}">${fragment}</w>`, hash)
}

/** Returns the ds:Signature element as text, namespaces declared on it. */
export async function buildXadesSignature(input: BuildSignatureInput): Promise<string> {
  const { signer, version, signatureId } = input
  const ds = input.prefixes?.ds ?? 'ds'
  const xa = input.prefixes?.xades ?? (version === '1.1.1' ? 'xad' : 'xades')
  const xadesUri = version === '1.1.1' ? NS.xades111 : NS.xades132
  const hash: DigestAlgorithm = 'SHA-256'
  const algorithm = defaultSignatureAlgorithm(signer, hash)
  if (!signer.supports(algorithm)) throw new XadesSignError(`this key cannot make ${algorithm.scheme} signatures with ${hash}`)
  const cert = signingCertificateFacts(signer.certificate)
  const spId = `${signatureId}-SP`
  const svId = `${signatureId}-SV`

  // XAdES 1.1.1 declares DigestMethod/DigestValue locally (xades namespace); 1.3.2 uses ds:'s.
  const dm = version === '1.1.1' ? xa : ds
  const digestAlgAndValue = (value: string, alg: DigestAlgorithm = hash) =>
    `<${dm}:DigestMethod Algorithm="${DIGEST_URI[alg]}"/><${dm}:DigestValue>${value}</${dm}:DigestValue>`

  const signingTime = input.signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z')
  let ssp = `<${xa}:SigningTime>${signingTime}</${xa}:SigningTime>`
  if (version === '1.1.1') {
    ssp +=
      `<${xa}:SigningCertificate><${xa}:Cert><${xa}:CertDigest>${digestAlgAndValue(b64(cert.sha256))}</${xa}:CertDigest>` +
      `<${xa}:IssuerSerial><${ds}:X509IssuerName>${text(cert.issuerName, 'certificate issuer')}</${ds}:X509IssuerName>` +
      `<${ds}:X509SerialNumber>${cert.serialDecimal}</${ds}:X509SerialNumber></${xa}:IssuerSerial></${xa}:Cert></${xa}:SigningCertificate>`
  } else {
    ssp += `<${xa}:SigningCertificateV2><${xa}:Cert><${xa}:CertDigest>${digestAlgAndValue(b64(cert.sha256))}</${xa}:CertDigest></${xa}:Cert></${xa}:SigningCertificateV2>`
  }
  if (input.policy) {
    const p = input.policy
    const qualifier = version === '1.3.2' && /^urn:oid:/i.test(p.identifier) ? ' Qualifier="OIDAsURN"' : ''
    ssp +=
      `<${xa}:SignaturePolicyIdentifier><${xa}:SignaturePolicyId><${xa}:SigPolicyId>` +
      `<${xa}:Identifier${qualifier}>${text(p.identifier, 'policy identifier')}</${xa}:Identifier>` +
      (p.description ? `<${xa}:Description>${text(p.description, 'policy description')}</${xa}:Description>` : '') +
      `</${xa}:SigPolicyId><${xa}:SigPolicyHash>${digestAlgAndValue(text(p.hash.value, 'policy hash'), p.hash.algorithm)}</${xa}:SigPolicyHash>` +
      (p.uri
        ? `<${xa}:SigPolicyQualifiers><${xa}:SigPolicyQualifier><${xa}:SPURI>${text(p.uri, 'policy URI')}</${xa}:SPURI></${xa}:SigPolicyQualifier></${xa}:SigPolicyQualifiers>`
        : '') +
      `</${xa}:SignaturePolicyId></${xa}:SignaturePolicyIdentifier>`
  }
  const place = input.place
  if (place && (place.city || place.postalCode || place.countryName || place.stateOrProvince || place.streetAddress)) {
    const el = (name: string, v: string | undefined) => (v ? `<${xa}:${name}>${text(v, 'production place')}</${xa}:${name}>` : '')
    const tag = version === '1.1.1' ? 'SignatureProductionPlace' : 'SignatureProductionPlaceV2'
    ssp +=
      `<${xa}:${tag}>${el('City', place.city)}` +
      (version === '1.3.2' ? el('StreetAddress', place.streetAddress) : '') +
      `${el('StateOrProvince', place.stateOrProvince)}${el('PostalCode', place.postalCode)}${el('CountryName', place.countryName)}</${xa}:${tag}>`
  }
  const roles = (input.roles ?? []).map((r) => r.trim()).filter((r) => r.length > 0)
  if (roles.length > 0) {
    const tag = version === '1.1.1' ? 'SignerRole' : 'SignerRoleV2'
    ssp += `<${xa}:${tag}><${xa}:ClaimedRoles>${roles.map((r) => `<${xa}:ClaimedRole>${text(r, 'signer role')}</${xa}:ClaimedRole>`).join('')}</${xa}:ClaimedRoles></${xa}:${tag}>`
  }
  let sdop = ''
  if (version === '1.3.2') {
    const formats = input.references
      .filter((r) => r.id && r.mimeType)
      .map((r) => `<${xa}:DataObjectFormat ObjectReference="#${escapeXmlAttr(r.id as string)}"><${xa}:MimeType>${text(r.mimeType as string, 'MIME type')}</${xa}:MimeType></${xa}:DataObjectFormat>`)
    if (formats.length > 0) sdop = `<${xa}:SignedDataObjectProperties>${formats.join('')}</${xa}:SignedDataObjectProperties>`
  }
  const signedProperties = `<${xa}:SignedProperties Id="${spId}"><${xa}:SignedSignatureProperties>${ssp}</${xa}:SignedSignatureProperties>${sdop}</${xa}:SignedProperties>`
  const spDigest = fragmentDigest(signedProperties, ds, xa, xadesUri, hash)

  const transformsXml = (ts: readonly string[]) =>
    ts.length === 0 ? '' : `<${ds}:Transforms>${ts.map((t) => `<${ds}:Transform Algorithm="${escapeXmlAttr(t)}"/>`).join('')}</${ds}:Transforms>`
  const referenceXml = (r: { id?: string; uri: string; type?: string; transforms: readonly string[]; digest: Uint8Array }) =>
    `<${ds}:Reference${r.id ? ` Id="${escapeXmlAttr(r.id)}"` : ''}${r.type ? ` Type="${r.type}"` : ''} URI="${escapeXmlAttr(r.uri)}">` +
    `${transformsXml(r.transforms)}<${ds}:DigestMethod Algorithm="${DIGEST_URI[hash]}"/><${ds}:DigestValue>${b64(r.digest)}</${ds}:DigestValue></${ds}:Reference>`
  const spType = version === '1.1.1' ? 'http://uri.etsi.org/01903/v1.1.1#SignedProperties' : 'http://uri.etsi.org/01903#SignedProperties'
  const signedInfo =
    `<${ds}:SignedInfo><${ds}:CanonicalizationMethod Algorithm="${ALG.excC14n}"/><${ds}:SignatureMethod Algorithm="${signatureMethodUri(algorithm)}"/>` +
    input.references.map(referenceXml).join('') +
    referenceXml({ uri: `#${spId}`, type: spType, transforms: [ALG.excC14n], digest: spDigest }) +
    `</${ds}:SignedInfo>`
  const signedInfoDigest = fragmentDigest(signedInfo, ds, xa, xadesUri, hash)
  const signatureValue = await signer.signDigest(signedInfoDigest, algorithm)
  const signatureValueXml = `<${ds}:SignatureValue Id="${svId}">${b64(signatureValue)}</${ds}:SignatureValue>`

  let unsigned = ''
  if (input.timestamp) {
    // SignatureTimeStamp: over the exclusive c14n of ds:SignatureValue (EN 319 132-1 §5.3)
    const imprint = fragmentDigest(signatureValueXml, ds, xa, xadesUri, hash)
    let token: Uint8Array
    try {
      token = await input.timestamp(imprint, hash)
    } catch (e) {
      throw new TimestampFailedError(e)
    }
    const tsId = `${signatureId}-TS`
    const stamp =
      version === '1.1.1'
        ? `<${xa}:SignatureTimeStamp Id="${tsId}"><${xa}:HashDataInfo uri="#${svId}"><${xa}:Transforms><${ds}:Transform Algorithm="${ALG.excC14n}"/></${xa}:Transforms></${xa}:HashDataInfo><${xa}:EncapsulatedTimeStamp>${b64(token)}</${xa}:EncapsulatedTimeStamp></${xa}:SignatureTimeStamp>`
        : `<${xa}:SignatureTimeStamp Id="${tsId}"><${ds}:CanonicalizationMethod Algorithm="${ALG.excC14n}"/><${xa}:EncapsulatedTimeStamp>${b64(token)}</${xa}:EncapsulatedTimeStamp></${xa}:SignatureTimeStamp>`
    unsigned = `<${xa}:UnsignedProperties><${xa}:UnsignedSignatureProperties>${stamp}</${xa}:UnsignedSignatureProperties></${xa}:UnsignedProperties>`
  }

  const certs = [signer.certificate, ...signer.chain].map((c) => `<${ds}:X509Certificate>${b64(c)}</${ds}:X509Certificate>`).join('')
  return (
    `<${ds}:Signature xmlns:${ds}="${NS.ds}" xmlns:${xa}="${xadesUri}" Id="${signatureId}">` +
    signedInfo +
    signatureValueXml +
    `<${ds}:KeyInfo><${ds}:X509Data>${certs}</${ds}:X509Data></${ds}:KeyInfo>` +
    (input.objects ?? '') +
    `<${ds}:Object><${xa}:QualifyingProperties Target="#${signatureId}">${signedProperties}${unsigned}</${xa}:QualifyingProperties></${ds}:Object>` +
    `</${ds}:Signature>`
  )
}
