/** Reading CMS attributes (signed and unsigned) from pkijs structures, keeping original bytes. */
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'

export const OID_CMS = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  counterSignature: '1.2.840.113549.1.9.6',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signaturePolicy: '1.2.840.113549.1.9.16.2.15',
  contentTimestamp: '1.2.840.113549.1.9.16.2.20',
  signatureTimestamp: '1.2.840.113549.1.9.16.2.14',
  completeCertificateRefs: '1.2.840.113549.1.9.16.2.21',
  completeRevocationRefs: '1.2.840.113549.1.9.16.2.22',
  certValues: '1.2.840.113549.1.9.16.2.23',
  revocationValues: '1.2.840.113549.1.9.16.2.24',
  escTimestamp: '1.2.840.113549.1.9.16.2.25',
  archiveTimestampV1: '1.2.840.113549.1.9.16.2.27',
  archiveTimestampV2: '1.2.840.113549.1.9.16.2.48',
  archiveTimestampV3: '0.4.0.1733.2.4',
  atsHashIndexV3: '0.4.0.19122.1.5',
  atsHashIndex: '0.4.0.1733.2.5',
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
  ocspRevInfoFormat: '1.3.6.1.5.5.7.16.2',
} as const

export const ARCHIVE_TIMESTAMP_OIDS: readonly string[] = [OID_CMS.archiveTimestampV1, OID_CMS.archiveTimestampV2, OID_CMS.archiveTimestampV3]

export function attributeValues(attrs: pkijs.SignedAndUnsignedAttributes | undefined, oid: string): asn1js.AsnType[] {
  if (!attrs) return []
  return attrs.attributes.filter((a) => a.type === oid).flatMap((a) => a.values as asn1js.AsnType[])
}

export function attributeCount(attrs: pkijs.SignedAndUnsignedAttributes | undefined, oid: string): number {
  return attrs ? attrs.attributes.filter((a) => a.type === oid).length : 0
}

/** The DER bytes an attribute value was decoded from. */
export function encodedBytes(v: asn1js.AsnType): Uint8Array {
  const view = (v as asn1js.BaseBlock).valueBeforeDecodeView
  return view && view.byteLength > 0 ? new Uint8Array(view) : new Uint8Array((v as asn1js.BaseBlock).toBER(false))
}

/** Bytes of an OCTET STRING, primitive or constructed (BER). */
export function octets(v: asn1js.AsnType | undefined): Uint8Array | null {
  if (!(v instanceof asn1js.OctetString)) return null
  if (!v.valueBlock.isConstructed) return new Uint8Array(v.valueBlock.valueHexView)
  const parts: Uint8Array[] = []
  for (const sub of v.valueBlock.value) {
    const o = octets(sub)
    if (!o) return null
    parts.push(o)
  }
  return new Uint8Array(Buffer.concat(parts))
}

export function timeValue(v: asn1js.AsnType | undefined): Date | null {
  if (v instanceof asn1js.UTCTime || v instanceof asn1js.GeneralizedTime) return v.toDate()
  return null
}

/** Signed attributes as they were signed: the [0] IMPLICIT bytes re-tagged as a SET (0x31). */
export function signedAttributesDer(attrs: pkijs.SignedAndUnsignedAttributes): Uint8Array {
  const der = new Uint8Array(attrs.encodedValue.slice(0))
  der[0] = 0x31
  return der
}
