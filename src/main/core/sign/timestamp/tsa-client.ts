/**
 * RFC 3161 Time-Stamp Protocol client. The reply is hostile until checked: PKIStatus granted, nonce
 * echoed, imprint and hash algorithm equal to ours, token signature valid, TSA certificate with the
 * (critical) timeStamping extended key usage. Any failure is a TimestampError in plain words; the
 * caller then must not write the signature as B-T.
 */
import { randomBytes } from 'node:crypto'
import * as asn1js from 'asn1js'
import type { DigestAlgorithm } from '../signer'
import { createNodeHttpClient, HttpError, type HttpClient } from '../../net/http'
import { derNull, oid, octetString, sequence, smallInteger, tlv, unsignedInteger, TAG } from '../cms/der'
import { digestFromOid, digestLength, digestOid, OID } from '../cms/oids'
import { ensurePkijsEngine, toArrayBuffer } from '../cms/pkijs-engine'
import { parseSignedData, type ParsedSignedData } from '../cms/parse'
import { verifySignerInfo } from '../cms/verify-signer-info'

/** Returns a TimeStampToken (DER ContentInfo) over `imprint`, a digest made with `hash`. */
export type TimestampRequester = (imprint: Uint8Array, hash: DigestAlgorithm) => Promise<Uint8Array>

export type TimestampErrorKind = 'timeout' | 'network' | 'http-status' | 'bad-reply' | 'rejected' | 'mismatch' | 'bad-token'

export class TimestampError extends Error {
  override name = 'TimestampError'
  constructor(
    message: string,
    readonly kind: TimestampErrorKind,
    readonly url: string,
  ) {
    super(message)
  }
}

export interface TsaClientOptions {
  url: string
  /** default 15 s */
  timeoutMs?: number
  http?: HttpClient
  /** request this TSA policy (reqPolicy); the reply must use it */
  policyOid?: string
  /** ask the TSA to include its certificate (default true: needed to check the token here) */
  certReq?: boolean
}

export interface TimestampInfo {
  genTime: Date
  serialNumber: string
  policyOid: string
  hash: DigestAlgorithm
  imprint: Uint8Array
  nonce?: bigint
  /** DER of the TSA certificate that signed the token */
  tsaCertificate?: Uint8Array
}

const PKI_FAILURES: Record<number, string> = {
  0: 'unrecognized or unsupported algorithm',
  2: 'bad request',
  5: 'bad data format',
  14: 'time source not available',
  15: 'policy not accepted',
  16: 'extension not accepted',
  17: 'additional information not available',
  25: 'system failure',
}

function encodeTimeStampReq(imprint: Uint8Array, hash: DigestAlgorithm, nonce: Uint8Array, policyOid: string | undefined, certReq: boolean): Uint8Array {
  const fields = [smallInteger(1), sequence(sequence(oid(digestOid(hash)), derNull()), octetString(imprint))]
  if (policyOid) fields.push(oid(policyOid))
  fields.push(unsignedInteger(nonce))
  if (certReq) fields.push(tlv(TAG.boolean, Uint8Array.of(0xff)))
  return sequence(...fields)
}

function bigintOf(bytes: Uint8Array): bigint {
  let v = 0n
  for (const b of bytes) v = (v << 8n) | BigInt(b)
  return v
}

/**
 * Parse and check a TimeStampToken: signature by a certificate inside the token with the
 * timeStamping EKU. Exposed for verification and for checking document timestamps (PAdES B-LTA).
 */
export async function inspectTimestampToken(tokenDer: Uint8Array, url = ''): Promise<TimestampInfo> {
  const pkijs = ensurePkijsEngine()
  let parsed: ParsedSignedData
  let tst: InstanceType<typeof pkijs.TSTInfo>
  try {
    parsed = parseSignedData(tokenDer)
    if (parsed.eContentType !== OID.tstInfo) throw new Error('the content is not a TSTInfo')
    if (!parsed.eContent) throw new Error('no TSTInfo')
    tst = pkijs.TSTInfo.fromBER(toArrayBuffer(parsed.eContent))
  } catch (err) {
    throw new TimestampError(`the timestamp token cannot be read: ${(err as Error).message}`, 'bad-token', url)
  }
  const hash = digestFromOid(tst.messageImprint.hashAlgorithm.algorithmId)
  if (!hash) throw new TimestampError(`the timestamp uses an unsupported hash (${tst.messageImprint.hashAlgorithm.algorithmId})`, 'bad-token', url)
  if (parsed.signerInfos.length !== 1) throw new TimestampError('the timestamp token must have exactly one signer', 'bad-token', url)

  const check = verifySignerInfo(parsed.signerInfos[0]!, parsed.eContent, parsed.eContentType, parsed.certificates)
  if (!check.certificate) throw new TimestampError('the timestamp token does not contain the TSA certificate', 'bad-token', url)
  if (!check.ok) throw new TimestampError(`the timestamp token signature is not valid: ${check.reason}`, 'bad-token', url)

  let ekuCritical = false
  let purposes: string[] = []
  try {
    const cert = pkijs.Certificate.fromBER(toArrayBuffer(check.certificate))
    const eku = cert.extensions?.find((e) => e.extnID === OID.extKeyUsage)
    ekuCritical = eku?.critical === true
    purposes = (eku?.parsedValue as { keyPurposes?: string[] } | undefined)?.keyPurposes ?? []
  } catch {
    throw new TimestampError('the TSA certificate cannot be read', 'bad-token', url)
  }
  if (!purposes.includes(OID.ekuTimeStamping)) {
    throw new TimestampError('the timestamp was signed by a certificate that is not a timestamping authority (no timeStamping key usage)', 'bad-token', url)
  }
  if (!ekuCritical) throw new TimestampError('the TSA certificate timeStamping key usage is not critical (RFC 3161 2.3)', 'bad-token', url)

  return {
    genTime: tst.genTime,
    serialNumber: Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString('hex'),
    policyOid: tst.policy,
    hash,
    imprint: new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
    nonce: tst.nonce ? bigintOf(new Uint8Array(tst.nonce.valueBlock.valueHexView)) : undefined,
    tsaCertificate: check.certificate,
  }
}

export function createTsaClient(options: TsaClientOptions): TimestampRequester {
  const http = options.http ?? createNodeHttpClient()
  const url = options.url
  const timeoutMs = options.timeoutMs ?? 15_000
  const certReq = options.certReq ?? true

  return async (imprint, hash) => {
    if (imprint.length !== digestLength(hash)) throw new TimestampError(`imprint length ${imprint.length} does not fit ${hash}`, 'bad-reply', url)
    const nonceBytes = randomBytes(8)
    nonceBytes[0] = (nonceBytes[0]! & 0x7f) | 0x01 // positive, 8 significant bytes
    const nonce = bigintOf(nonceBytes)
    const request = encodeTimeStampReq(imprint, hash, nonceBytes, options.policyOid, certReq)

    let reply
    try {
      reply = await http.post(url, request, 'application/timestamp-query', { timeoutMs })
    } catch (err) {
      if (err instanceof HttpError) {
        throw new TimestampError(
          err.kind === 'timeout' ? `the timestamp server ${url} did not answer within ${timeoutMs} ms` : `the timestamp server cannot be reached: ${err.message}`,
          err.kind === 'timeout' ? 'timeout' : 'network',
          url,
        )
      }
      throw err
    }
    if (reply.status !== 200) throw new TimestampError(`the timestamp server ${url} answered HTTP ${reply.status}`, 'http-status', url)

    const pkijs = ensurePkijsEngine()
    let status: number
    let failInfo: number | undefined
    let statusText = ''
    let tokenDer: Uint8Array | undefined
    try {
      const asn = asn1js.fromBER(toArrayBuffer(reply.body))
      if (asn.offset === -1 || asn.offset !== reply.body.length) throw new Error('not DER')
      const resp = new pkijs.TimeStampResp({ schema: asn.result })
      status = resp.status.status
      statusText = (resp.status.statusStrings ?? []).map((s) => s.valueBlock.value).join('; ')
      if (resp.status.failInfo) {
        const bits = new Uint8Array(resp.status.failInfo.valueBlock.valueHexView)
        const unused = resp.status.failInfo.valueBlock.unusedBits
        const total = bits.length * 8 - unused
        for (let i = 0; i < total; i++) if (bits[i >> 3]! & (0x80 >> (i & 7))) failInfo = i
      }
      if (resp.timeStampToken) tokenDer = new Uint8Array(resp.timeStampToken.toSchema().toBER())
    } catch {
      throw new TimestampError(`the timestamp server ${url} sent an answer that is not a timestamp reply`, 'bad-reply', url)
    }
    if (status !== 0 && status !== 1) {
      const reason = failInfo !== undefined ? (PKI_FAILURES[failInfo] ?? `failure ${failInfo}`) : 'no reason given'
      throw new TimestampError(`the timestamp server refused the request (status ${status}: ${reason}${statusText ? `, "${statusText}"` : ''})`, 'rejected', url)
    }
    if (!tokenDer) throw new TimestampError('the timestamp server granted the request but sent no token', 'bad-reply', url)

    const info = await inspectTimestampToken(tokenDer, url)
    if (info.nonce !== nonce) throw new TimestampError('the timestamp reply does not echo our nonce (replayed or foreign answer)', 'mismatch', url)
    if (info.hash !== hash) throw new TimestampError(`the timestamp covers a ${info.hash} digest, ${hash} was requested`, 'mismatch', url)
    if (!Buffer.from(info.imprint).equals(Buffer.from(imprint))) throw new TimestampError('the timestamp covers other data than the signature (imprint mismatch)', 'mismatch', url)
    if (options.policyOid && info.policyOid !== options.policyOid) {
      throw new TimestampError(`the timestamp uses policy ${info.policyOid}, ${options.policyOid} was requested`, 'mismatch', url)
    }
    return tokenDer
  }
}
