/** What XAdES says about the signing certificate: digest, issuer name (RFC 2253), decimal serial. */
import { createHash } from 'node:crypto'
import * as asn1js from 'asn1js'
import { XadesSignError } from './types'

// RFC 2253 §2.3 short names; other attribute types are written as OID=#hex(DER)
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
}

const STRING_TYPES = [
  asn1js.Utf8String,
  asn1js.PrintableString,
  asn1js.TeletexString,
  asn1js.IA5String,
  asn1js.BmpString,
  asn1js.UniversalString,
  asn1js.VisibleString,
  asn1js.NumericString,
]

function escapeRfc2253(v: string): string {
  let s = v.replace(/[,+"\\<>;]/g, (c) => '\\' + c)
  if (s.startsWith('#') || s.startsWith(' ')) s = '\\' + s
  if (s.endsWith(' ')) s = s.slice(0, -1) + '\\ '
  return s
}

function nameToRfc2253(name: asn1js.Sequence): string {
  const rdns = name.valueBlock.value.map((set) =>
    (set as asn1js.Set).valueBlock.value
      .map((atv) => {
        const [oid, value] = (atv as asn1js.Sequence).valueBlock.value
        const type = (oid as asn1js.ObjectIdentifier).getValue()
        const short = SHORT_NAMES[type]
        if (short && value && STRING_TYPES.some((T) => value instanceof T)) {
          return `${short}=${escapeRfc2253((value as asn1js.Utf8String).getValue())}`
        }
        return `${type}=#${Buffer.from((value as asn1js.BaseBlock).toBER()).toString('hex')}`
      })
      .join('+'),
  )
  return rdns.reverse().join(',')
}

export interface SigningCertificateFacts {
  der: Uint8Array
  sha256: Buffer
  /** RFC 2253 string of the issuer, most specific RDN first (what X509IssuerName carries) */
  issuerName: string
  /** serial number in decimal, as XMLDSig's X509SerialNumber (an integer) requires */
  serialDecimal: string
}

// a batch signs hundreds of times with one certificate: parse it once
const factsCache = new WeakMap<Uint8Array, SigningCertificateFacts>()

export function signingCertificateFacts(der: Uint8Array): SigningCertificateFacts {
  let facts = factsCache.get(der)
  if (!facts) {
    facts = readSigningCertificateFacts(der)
    factsCache.set(der, facts)
  }
  return facts
}

function readSigningCertificateFacts(der: Uint8Array): SigningCertificateFacts {
  const parsed = asn1js.fromBER(Uint8Array.from(der))
  const tbs = parsed.offset === -1 ? undefined : (parsed.result as asn1js.Sequence).valueBlock?.value?.[0]
  const fields = (tbs as asn1js.Sequence | undefined)?.valueBlock?.value
  if (!fields) throw new XadesSignError('the signing certificate cannot be read')
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, ...
  const offset = fields[0]?.idBlock.tagClass === 3 ? 1 : 0
  const serial = fields[offset]
  const issuer = fields[offset + 2]
  if (!(serial instanceof asn1js.Integer) || !(issuer instanceof asn1js.Sequence)) {
    throw new XadesSignError('the signing certificate cannot be read')
  }
  const serialBytes = Buffer.from(serial.valueBlock.valueHexView)
  const serialDecimal = BigInt('0x' + (serialBytes.toString('hex') || '0')).toString(10)
  return {
    der,
    sha256: createHash('sha256').update(der).digest(),
    issuerName: nameToRfc2253(issuer),
    serialDecimal,
  }
}
