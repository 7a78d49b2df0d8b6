/**
 * B-LT validation data: for each certificate of the signer's chain (trust anchor excepted), an OCSP
 * response from its AIA responder, or else a CRL from its distribution points; missing issuers are
 * fetched through caIssuers. Everything fetched is checked before it is embedded (responder
 * signature and authority, certificate status, CRL signature and freshness): embedding a stale or
 * foreign answer would make a B-LT file that fails later. Network goes through the HttpClient.
 */
import { randomBytes, verify as cryptoVerify, X509Certificate, constants as cryptoConstants } from 'node:crypto'
import * as asn1js from 'asn1js'
import { HttpError, type HttpClient } from '../../net/http'
import { ensurePkijsEngine, toArrayBuffer } from '../cms/pkijs-engine'
import { OID } from '../cms/oids'
import type { CollectedRevocation, RevocationCollector } from './types'

export interface RevocationCollectorOptions {
  http: HttpClient
  timeoutMs?: number
  /** clock for freshness checks (tests pin it) */
  now?: () => Date
  /** prefer CRLs over OCSP (default: OCSP first) */
  preferCrl?: boolean
}

type Pkijs = ReturnType<typeof ensurePkijsEngine>
type PkiCert = InstanceType<Pkijs['Certificate']>

const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9'

function der(c: PkiCert): Uint8Array {
  return new Uint8Array(c.toSchema().toBER())
}

function label(c: PkiCert): string {
  const cn = c.subject.typesAndValues.find((t) => t.type === '2.5.4.3')?.value.valueBlock.value
  return `"${cn ?? 'certificate'}" (serial ${Buffer.from(c.serialNumber.valueBlock.valueHexView).toString('hex')})`
}

function sameName(a: PkiCert['issuer'], b: PkiCert['subject']): boolean {
  return Buffer.from(a.toSchema().toBER()).equals(Buffer.from(b.toSchema().toBER()))
}

function isIssuedBy(cert: PkiCert, issuer: PkiCert): boolean {
  if (!sameName(cert.issuer, issuer.subject)) return false
  try {
    return new X509Certificate(Buffer.from(der(cert))).verify(new X509Certificate(Buffer.from(der(issuer))).publicKey)
  } catch {
    return false
  }
}

function accessUrls(cert: PkiCert, method: string): string[] {
  const aia = cert.extensions?.find((e) => e.extnID === OID.authorityInfoAccess)
  const descs = (aia?.parsedValue as { accessDescriptions?: { accessMethod: string; accessLocation: { type: number; value: string } }[] } | undefined)?.accessDescriptions ?? []
  return descs.filter((d) => d.accessMethod === method && d.accessLocation.type === 6).map((d) => d.accessLocation.value)
}

function crlUrls(cert: PkiCert): string[] {
  const ext = cert.extensions?.find((e) => e.extnID === OID.crlDistributionPoints)
  const points = (ext?.parsedValue as { distributionPoints?: { distributionPoint?: { type: number; value: string }[] }[] } | undefined)?.distributionPoints ?? []
  const out: string[] = []
  for (const p of points) for (const n of Array.isArray(p.distributionPoint) ? p.distributionPoint : []) if (n.type === 6) out.push(n.value)
  return out
}

function hashForSignatureOid(oid: string): string | undefined {
  return (
    {
      '1.2.840.113549.1.1.11': 'sha256',
      '1.2.840.113549.1.1.12': 'sha384',
      '1.2.840.113549.1.1.13': 'sha512',
      '1.2.840.113549.1.1.5': 'sha1',
      '1.2.840.10045.4.3.2': 'sha256',
      '1.2.840.10045.4.3.3': 'sha384',
      '1.2.840.10045.4.3.4': 'sha512',
    } as Record<string, string>
  )[oid]
}

function verifyRaw(tbs: Uint8Array, sigOid: string, signature: Uint8Array, signerDer: Uint8Array): boolean {
  const hash = hashForSignatureOid(sigOid)
  if (!hash) return false
  const key = new X509Certificate(Buffer.from(signerDer)).publicKey
  try {
    if (sigOid.startsWith('1.2.840.10045.')) return cryptoVerify(hash, tbs, { key, dsaEncoding: 'der' }, signature)
    return cryptoVerify(hash, tbs, { key, padding: cryptoConstants.RSA_PKCS1_PADDING }, signature)
  } catch {
    return false
  }
}

function parseCertificate(pkijs: Pkijs, bytes: Uint8Array): PkiCert {
  let data = bytes
  const text = Buffer.from(bytes.subarray(0, 40)).toString('latin1')
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    data = new Uint8Array(Buffer.from(Buffer.from(bytes).toString('latin1').replace(/-----[^-]+-----|\s+/g, ''), 'base64'))
  }
  return pkijs.Certificate.fromBER(toArrayBuffer(data))
}

export function createRevocationCollector(options: RevocationCollectorOptions): RevocationCollector {
  const timeoutMs = options.timeoutMs ?? 15_000
  const now = options.now ?? (() => new Date())

  return async (chainDer, signal) => {
    const pkijs = ensurePkijsEngine()
    const result: CollectedRevocation = { ocsp: [], crls: [], certificates: [], problems: [] }
    const pool: PkiCert[] = chainDer.map((d) => pkijs.Certificate.fromBER(toArrayBuffer(d)))
    const todo = [...pool]
    const seen = new Set<string>()

    const get = async (url: string) => {
      const r = await options.http.get(url, { timeoutMs, signal })
      if (r.status !== 200) throw new Error(`${url} answered HTTP ${r.status}`)
      return r.body
    }

    const findIssuer = async (cert: PkiCert): Promise<PkiCert | undefined> => {
      const known = pool.find((c) => c !== cert && isIssuedBy(cert, c))
      if (known) return known
      for (const url of accessUrls(cert, OID.adCaIssuers)) {
        try {
          const issuer = parseCertificate(pkijs, await get(url))
          if (isIssuedBy(cert, issuer)) {
            pool.push(issuer)
            todo.push(issuer)
            result.certificates.push(der(issuer))
            return issuer
          }
        } catch {
          // next URL
        }
      }
      return undefined
    }

    const tryOcsp = async (cert: PkiCert, issuer: PkiCert): Promise<string | true> => {
      const urls = accessUrls(cert, OID.adOcsp)
      if (!urls.length) return 'no OCSP responder in the certificate'
      let last = 'no answer'
      for (const url of urls) {
        try {
          const req = new pkijs.OCSPRequest()
          await req.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer })
          const nonce = randomBytes(16)
          req.tbsRequest.requestExtensions = [
            new pkijs.Extension({ extnID: OID.ocspNonce, extnValue: new asn1js.OctetString({ valueHex: toArrayBuffer(nonce) }).toBER() }),
          ]
          const reply = await options.http.post(url, new Uint8Array(req.toSchema(true).toBER()), 'application/ocsp-request', { timeoutMs, signal })
          if (reply.status !== 200) throw new Error(`HTTP ${reply.status}`)
          let resp: InstanceType<Pkijs['OCSPResponse']>
          try {
            resp = pkijs.OCSPResponse.fromBER(toArrayBuffer(reply.body))
          } catch {
            throw new Error('the answer is not an OCSP response')
          }
          const status = resp.responseStatus.valueBlock.valueDec
          if (status !== 0) throw new Error(`responder status ${status} (${['', 'malformed request', 'internal error', 'try later', '', 'signature required', 'unauthorized'][status] ?? 'error'})`)
          if (!resp.responseBytes || resp.responseBytes.responseType !== OID.ocspBasic) throw new Error('not a basic OCSP response')
          const basic = pkijs.BasicOCSPResponse.fromBER(resp.responseBytes.response.valueBlock.valueHexView.slice().buffer as ArrayBuffer)
          // the signer: the CA itself, or a responder certificate it issued with the OCSPSigning EKU
          const tbs = basic.tbsResponseData.tbsView
          const sig = new Uint8Array(basic.signature.valueBlock.valueHexView)
          const sigOid = basic.signatureAlgorithm.algorithmId
          let responder: PkiCert | undefined
          for (const candidate of [issuer, ...(basic.certs ?? [])]) {
            if (!verifyRaw(tbs, sigOid, sig, der(candidate))) continue
            if (candidate === issuer) responder = candidate
            else {
              const eku = candidate.extensions?.find((e) => e.extnID === OID.extKeyUsage)
              const purposes = (eku?.parsedValue as { keyPurposes?: string[] } | undefined)?.keyPurposes ?? []
              if (purposes.includes(OCSP_SIGNING) && isIssuedBy(candidate, issuer)) responder = candidate
            }
            if (responder) break
          }
          if (!responder) throw new Error('the OCSP response is not signed by the CA or by a responder it authorised')
          const echoed = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OID.ocspNonce)
          if (echoed) {
            const value = asn1js.fromBER(echoed.extnValue.valueBlock.valueHexView).result as asn1js.OctetString
            if (!Buffer.from(value.valueBlock.valueHexView).equals(nonce)) throw new Error('the OCSP response does not echo our nonce')
          }
          const single = await basic.getCertificateStatus(cert, issuer)
          if (!single.isForCertificate) throw new Error('the OCSP response is about another certificate')
          if (single.status === 1) return `revoked (OCSP ${url})`
          if (single.status !== 0) throw new Error('status unknown to the responder')
          const thisUpdate = basic.tbsResponseData.responses[0]?.thisUpdate
          if (thisUpdate && thisUpdate.getTime() > now().getTime() + 5 * 60_000) throw new Error('the OCSP response is dated in the future')
          result.ocsp.push(reply.body)
          if (responder !== issuer) result.certificates.push(der(responder))
          return true
        } catch (err) {
          last = err instanceof HttpError ? err.message : `${url}: ${(err as Error).message}`
        }
      }
      return last
    }

    const tryCrl = async (cert: PkiCert, issuer: PkiCert): Promise<string | true> => {
      const urls = crlUrls(cert)
      if (!urls.length) return 'no CRL distribution point in the certificate'
      let last = 'no CRL'
      for (const url of urls) {
        try {
          const body = await get(url)
          const crl = pkijs.CertificateRevocationList.fromBER(toArrayBuffer(body))
          if (!sameName(crl.issuer, issuer.subject)) throw new Error('the CRL is from another CA')
          if (!verifyRaw(crl.tbsView, crl.signatureAlgorithm.algorithmId, new Uint8Array(crl.signatureValue.valueBlock.valueHexView), der(issuer))) {
            throw new Error('the CRL signature is not valid')
          }
          if (crl.nextUpdate && crl.nextUpdate.value.getTime() < now().getTime()) throw new Error('the CRL is out of date')
          const serial = Buffer.from(cert.serialNumber.valueBlock.valueHexView)
          if ((crl.revokedCertificates ?? []).some((r) => Buffer.from(r.userCertificate.valueBlock.valueHexView).equals(serial))) return `revoked (CRL ${url})`
          result.crls.push(body)
          return true
        } catch (err) {
          last = `${url}: ${(err as Error).message}`
        }
      }
      return last
    }

    while (todo.length) {
      const cert = todo.shift()!
      const key = Buffer.from(der(cert)).toString('base64')
      if (seen.has(key)) continue
      seen.add(key)
      if (sameName(cert.issuer, cert.subject) && isIssuedBy(cert, cert)) continue // trust anchor
      const issuer = await findIssuer(cert)
      if (!issuer) {
        result.problems.push(`${label(cert)}: its issuer certificate cannot be found`)
        continue
      }
      const first = options.preferCrl ? tryCrl : tryOcsp
      const second = options.preferCrl ? tryOcsp : tryCrl
      const a = await first(cert, issuer)
      if (a === true) continue
      if (a.startsWith('revoked')) {
        result.problems.push(`${label(cert)} is ${a}`)
        continue
      }
      const b = await second(cert, issuer)
      if (b === true) continue
      result.problems.push(`${label(cert)}: ${b.startsWith('revoked') ? `is ${b}` : `${a}; ${b}`}`)
    }
    return result
  }
}
