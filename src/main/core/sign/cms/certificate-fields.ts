import { DerError, readChildren, readTlv, tlvBytes, TAG } from './der'

export interface CertificateIdentity {
  /** DER of the issuer Name, byte for byte as in the certificate */
  issuerDer: Uint8Array
  /** DER of the serialNumber INTEGER, byte for byte as in the certificate */
  serialDer: Uint8Array
}

/** Issuer and serial taken from the certificate bytes (never re-encoded: CMS matching is bytewise). */
export function certificateIdentity(certDer: Uint8Array): CertificateIdentity {
  try {
    const cert = readTlv(certDer, 0)
    if (cert.tag !== TAG.sequence || cert.end !== certDer.length) throw new DerError('not a certificate')
    const [tbs] = readChildren(certDer, cert)
    if (!tbs || tbs.tag !== TAG.sequence) throw new DerError('not a certificate')
    const fields = readChildren(certDer, tbs)
    const hasVersion = fields[0]?.tag === TAG.context(0)
    const serial = fields[hasVersion ? 1 : 0]
    const issuer = fields[hasVersion ? 3 : 2]
    if (!serial || serial.tag !== TAG.integer || !issuer || issuer.tag !== TAG.sequence) throw new DerError('not a certificate')
    return { issuerDer: tlvBytes(certDer, issuer).slice(), serialDer: tlvBytes(certDer, serial).slice() }
  } catch (err) {
    throw new Error(`the signing certificate cannot be read: ${(err as Error).message}`)
  }
}
