/**
 * Tokens often hold only the signer's certificate. Signatures should carry the intermediate CAs so
 * that verifiers can build the path: fetch missing issuers through the caIssuers URLs of the AIA
 * extension (best effort: a failure leaves the chain as it is; B-LT later reports what is missing).
 */
import { X509Certificate } from 'node:crypto'
import type { HttpClient } from '../../net/http'
import { ensurePkijsEngine, toArrayBuffer } from '../cms/pkijs-engine'
import { OID } from '../cms/oids'
import type { Signer } from '../signer'

function caIssuersUrls(der: Uint8Array): string[] {
  const pkijs = ensurePkijsEngine()
  try {
    const cert = pkijs.Certificate.fromBER(toArrayBuffer(der))
    const aia = cert.extensions?.find((e) => e.extnID === OID.authorityInfoAccess)
    const descs = (aia?.parsedValue as { accessDescriptions?: { accessMethod: string; accessLocation: { type: number; value: string } }[] } | undefined)?.accessDescriptions ?? []
    return descs.filter((d) => d.accessMethod === OID.adCaIssuers && d.accessLocation.type === 6).map((d) => d.accessLocation.value)
  } catch {
    return []
  }
}

function issuedBy(child: Uint8Array, parent: Uint8Array): boolean {
  try {
    const c = new X509Certificate(Buffer.from(child))
    const p = new X509Certificate(Buffer.from(parent))
    return c.checkIssued(p) && c.verify(p.publicKey)
  } catch {
    return false
  }
}

const selfSigned = (der: Uint8Array) => issuedBy(der, der)

/** Intermediates (and the root, when published) of `certificate`, known ones first, DER. */
export async function completeChain(certificate: Uint8Array, known: readonly Uint8Array[], http: HttpClient, opts: { timeoutMs?: number; maxDepth?: number } = {}): Promise<Uint8Array[]> {
  const chain = [...known]
  let current = certificate
  for (let depth = 0; depth < (opts.maxDepth ?? 5) && !selfSigned(current); depth++) {
    let parent = chain.find((c) => issuedBy(current, c))
    if (!parent) {
      for (const url of caIssuersUrls(current)) {
        try {
          const r = await http.get(url, { timeoutMs: opts.timeoutMs ?? 5000 })
          if (r.status !== 200) continue
          let body = r.body
          const text = Buffer.from(body.subarray(0, 40)).toString('latin1')
          if (text.includes('-----BEGIN CERTIFICATE-----')) body = new Uint8Array(Buffer.from(Buffer.from(r.body).toString('latin1').replace(/-----[^-]+-----|\s+/g, ''), 'base64'))
          if (issuedBy(current, body)) {
            parent = body
            chain.push(body)
            break
          }
        } catch {
          // best effort: next URL
        }
      }
    }
    if (!parent) break
    current = parent
  }
  return chain
}

/** The same signer, embedding another chain. */
export function signerWithChain(signer: Signer, chain: readonly Uint8Array[]): Signer {
  return {
    certificate: signer.certificate,
    chain,
    keyType: signer.keyType,
    namedCurve: signer.namedCurve,
    pinPerSignature: signer.pinPerSignature,
    supports: (alg) => signer.supports(alg),
    signDigest: (digest, alg) => signer.signDigest(digest, alg),
  }
}
