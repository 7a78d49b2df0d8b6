// Local PKI services on 127.0.0.1 (random port): OCSP responder, CRLs, CA certificates (caIssuers),
// RFC 3161 TSA, plus deliberately failing variants under /fail/... for error-handling tests.
// Responses are built in-process with pkijs (no `openssl ocsp -port`, see PITFALLS).
import * as asn1js from 'asn1js';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as pkijs from 'pkijs';
import type { PkiCertName, TestCert, TestPki } from './pki';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

export type TsaMode = 'ok' | 'http500' | 'rejection' | 'garbage' | 'wrongNonce' | 'wrongImprint' | 'slow';
export type OcspMode = 'ok' | 'http500' | 'tryLater' | 'unauthorized' | 'internalError' | 'garbage' | 'noNonce' | 'slow';

export interface PkiServiceUrls {
  baseUrl: string;
  ocspUrl: string;
  tsaUrl: string;
  /** CRL of the intermediate CA (lists signerRevoked). */
  crlUrl: string;
  /** CRL of the root CA (empty). */
  rootCrlUrl: string;
  rootCertUrl: string;
  intermediateCertUrl: string;
  /** Always-failing variants (fixed per URL, so parallel tests do not interfere). */
  fail: {
    tsaHttp500: string;
    /** HTTP 200, TimeStampResp status = rejection (2), failInfo systemFailure. */
    tsaRejection: string;
    /** HTTP 200 application/timestamp-reply with random bytes. */
    tsaGarbage: string;
    /** Valid signed reply whose nonce differs from the request's. */
    tsaWrongNonce: string;
    /** Valid signed reply whose messageImprint differs from the request's. */
    tsaWrongImprint: string;
    /** Answers after `?ms=` milliseconds (default 30000): for client timeouts. */
    tsaSlow: string;
    ocspHttp500: string;
    /** OCSPResponse status tryLater (3). */
    ocspTryLater: string;
    /** OCSPResponse status unauthorized (6). */
    ocspUnauthorized: string;
    ocspGarbage: string;
    /** Valid response without the nonce extension. */
    ocspNoNonce: string;
    ocspSlow: string;
  };
}

export interface PkiServices extends PkiServiceUrls {
  pki: TestPki;
  /** Mode of the main /tsa endpoint (default 'ok'). Use the fail URLs from other processes. */
  setTsaMode(mode: TsaMode): void;
  setOcspMode(mode: OcspMode): void;
  /** Clock of OCSP producedAt/thisUpdate and TSA genTime (default: real time). `undefined` resets. */
  setClock(now?: () => Date): void;
  /** Requests served so far (method, path, status), newest last (last 1000). */
  log: { method: string; path: string; status: number; at: string }[];
  close(): Promise<void>;
}

export const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  ctTstInfo: '1.2.840.113549.1.9.16.1.4',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

const HASHES: Record<string, { node: string; len: number }> = {
  [OID.sha1]: { node: 'sha1', len: 20 },
  [OID.sha256]: { node: 'sha256', len: 32 },
  [OID.sha384]: { node: 'sha384', len: 48 },
  [OID.sha512]: { node: 'sha512', len: 64 },
};
/** Imprint algorithms the TSA accepts (SHA-1 is refused with badAlg). */
const TSA_HASHES = new Set<string>([OID.sha256, OID.sha384, OID.sha512]);

const ab = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
const hash = (alg: string, data: Uint8Array) => createHash(alg).update(data).digest();
const hexOf = (u: Uint8Array) => Buffer.from(u).toString('hex').replace(/^(00)+(?=.)/, '');
const seconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

function parsePkijsCert(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(ab(der));
}

interface IssuerInfo {
  name: PkiCertName;
  cert: pkijs.Certificate;
  subjectDer: Uint8Array;
  keyBits: Uint8Array;
  /** who signs OCSP responses for certificates of this issuer */
  responder: TestCert;
  responderCert: pkijs.Certificate;
  /** serial hex -> cert name, for certificates this issuer issued */
  issued: Map<string, PkiCertName>;
}

class Responders {
  readonly issuers: IssuerInfo[];
  readonly revoked: Map<string, { at: Date; reason: number }>;
  readonly tsaCert: pkijs.Certificate;
  constructor(readonly pki: TestPki) {
    const c = pki.certs;
    const info = (name: 'root' | 'intermediate', responder: TestCert): IssuerInfo => {
      const cert = parsePkijsCert(c[name].certDer);
      const issued = new Map<string, PkiCertName>();
      for (const [n, tc] of Object.entries(c) as [PkiCertName, TestCert][]) {
        if (n !== 'root' && tc.issuer === c[name].subject) issued.set(tc.serialNumber.replace(/^(00)+/, ''), n);
      }
      return {
        name,
        cert,
        subjectDer: new Uint8Array(cert.subject.toSchema().toBER(false)),
        keyBits: cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView,
        responder,
        responderCert: parsePkijsCert(responder.certDer),
        issued,
      };
    };
    // Certificates of the intermediate: delegated responder (id-kp-OCSPSigning). Of the root: the root itself.
    this.issuers = [info('intermediate', c.ocspResponder), info('root', c.root)];
    this.revoked = new Map(pki.revoked.map((r) => [r.serialNumber.replace(/^(00)+/, ''), { at: new Date(r.revokedAt), reason: r.reason }]));
    this.tsaCert = parsePkijsCert(c.tsa.certDer);
  }
}

// ---------------------------------------------------------------- OCSP
function ocspStatusOnly(status: number): Buffer {
  return Buffer.from(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) }).toSchema().toBER(false));
}

export async function buildOcspResponse(r: Responders, reqDer: Uint8Array, opts: { echoNonce?: boolean; now?: Date } = {}): Promise<Buffer> {
  let req: pkijs.OCSPRequest;
  try {
    req = pkijs.OCSPRequest.fromBER(ab(reqDer));
  } catch {
    return ocspStatusOnly(1); // malformedRequest
  }
  const list = req.tbsRequest.requestList;
  if (!list.length) return ocspStatusOnly(1);
  const now = seconds(opts.now ?? new Date());
  let signer: IssuerInfo | undefined;
  const singles: pkijs.SingleResponse[] = [];
  for (const one of list) {
    const id = one.reqCert;
    const h = HASHES[id.hashAlgorithm.algorithmId];
    if (!h) return ocspStatusOnly(1);
    const issuer = r.issuers.find(
      (i) =>
        hash(h.node, i.subjectDer).equals(Buffer.from(id.issuerNameHash.valueBlock.valueHexView)) &&
        hash(h.node, i.keyBits).equals(Buffer.from(id.issuerKeyHash.valueBlock.valueHexView)),
    );
    if (!issuer) return ocspStatusOnly(6); // unauthorized: not one of our CAs
    signer ??= issuer;
    const serial = hexOf(id.serialNumber.valueBlock.valueHexView);
    const rev = r.revoked.get(serial);
    let certStatus: asn1js.BaseBlock;
    if (!issuer.issued.has(serial)) {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } }); // unknown
    } else if (rev) {
      certStatus = new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [
          new asn1js.GeneralizedTime({ valueDate: seconds(rev.at) }),
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: rev.reason })] }),
        ],
      });
    } else {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } }); // good
    }
    singles.push(new pkijs.SingleResponse({ certID: id, certStatus, thisUpdate: now, nextUpdate: new Date(now.getTime() + 86_400_000) }));
  }
  const s = signer!;
  const nonce = req.tbsRequest.requestExtensions?.find((e) => e.extnID === OID.ocspNonce);
  const rdParams: pkijs.ResponseDataParameters = {
    responderID: new asn1js.OctetString({ valueHex: ab(hash('sha1', s.responderCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)) }),
    producedAt: now,
    responses: singles,
  };
  if (nonce && opts.echoNonce !== false) {
    rdParams.responseExtensions = [new pkijs.Extension({ extnID: OID.ocspNonce, critical: false, extnValue: ab(nonce.extnValue.valueBlock.valueHexView) })];
  }
  const basic = new pkijs.BasicOCSPResponse({ tbsResponseData: new pkijs.ResponseData(rdParams) });
  if (s.responder.name !== s.name) basic.certs = [s.responderCert];
  await basic.sign(s.responder.privateKey, 'SHA-256');
  const resp = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: OID.ocspBasic,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
    }),
  });
  return Buffer.from(resp.toSchema().toBER(false));
}

// ---------------------------------------------------------------- TSA
/** DER named BIT STRING with a single bit set (PKIFailureInfo). */
function failInfo(bit: number): asn1js.BitString {
  const bytes = new Uint8Array(Math.floor(bit / 8) + 1);
  bytes[bytes.length - 1] = 0x80 >> bit % 8;
  return new asn1js.BitString({ valueHex: ab(bytes), unusedBits: 7 - (bit % 8) });
}
export const TSA_FAIL = { badAlg: 0, badRequest: 2, badDataFormat: 5, timeNotAvailable: 14, unacceptedPolicy: 15, unacceptedExtension: 16, systemFailure: 25 } as const;

function tsaReject(bit: number, text: string): Buffer {
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({ status: 2, statusStrings: [new asn1js.Utf8String({ value: text })], failInfo: failInfo(bit) }),
  });
  return Buffer.from(resp.toSchema().toBER(false));
}

/** DER SET OF ordering: sort the encodings (pkijs does not, PITFALLS). */
function sortAttributes(attrs: pkijs.Attribute[]): pkijs.Attribute[] {
  const enc = attrs.map((a) => ({ a, d: Buffer.from(a.toSchema().toBER(false)) }));
  enc.sort((x, y) => Buffer.compare(x.d, y.d));
  return enc.map((e) => e.a);
}

export async function buildTimeStampResponse(
  r: Responders,
  reqDer: Uint8Array,
  opts: { now?: Date; wrongNonce?: boolean; wrongImprint?: boolean } = {},
): Promise<Buffer> {
  let req: pkijs.TimeStampReq;
  try {
    req = pkijs.TimeStampReq.fromBER(ab(reqDer));
  } catch {
    return tsaReject(TSA_FAIL.badDataFormat, 'malformed TimeStampReq');
  }
  const algo = req.messageImprint.hashAlgorithm.algorithmId;
  if (!TSA_HASHES.has(algo)) return tsaReject(TSA_FAIL.badAlg, `unsupported imprint algorithm ${algo}`);
  if (req.messageImprint.hashedMessage.valueBlock.valueHexView.byteLength !== HASHES[algo]?.len)
    return tsaReject(TSA_FAIL.badDataFormat, 'imprint length does not match its algorithm');
  if (req.reqPolicy && req.reqPolicy !== r.pki.tsaPolicyOid) return tsaReject(TSA_FAIL.unacceptedPolicy, `policy ${req.reqPolicy} not offered`);
  if (req.extensions?.length) return tsaReject(TSA_FAIL.unacceptedExtension, 'extensions not supported');

  const genTime = seconds(opts.now ?? new Date());
  const tsa = r.pki.certs.tsa;
  let imprint = req.messageImprint;
  if (opts.wrongImprint) {
    const other = Buffer.from(imprint.hashedMessage.valueBlock.valueHexView);
    other[0] = other[0]! ^ 0xff;
    imprint = new pkijs.MessageImprint({ hashAlgorithm: imprint.hashAlgorithm, hashedMessage: new asn1js.OctetString({ valueHex: ab(other) }) });
  }
  const serial = randomBytes(12);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const tstParams: pkijs.TSTInfoParameters = {
    version: 1,
    policy: r.pki.tsaPolicyOid,
    messageImprint: imprint,
    serialNumber: new asn1js.Integer({ valueHex: ab(serial) }),
    genTime,
    accuracy: new pkijs.Accuracy({ seconds: 1 }),
    tsa: new pkijs.GeneralName({ type: 4, value: r.tsaCert.subject }),
  };
  if (req.nonce) {
    tstParams.nonce = opts.wrongNonce ? new asn1js.Integer({ value: Math.floor(Math.random() * 1e9) + 1 }) : req.nonce;
  }
  const tstDer = new Uint8Array(new pkijs.TSTInfo(tstParams).toSchema().toBER(false));

  // ESS signing-certificate-v2: ESSCertIDv2 { certHash (SHA-256 default: algorithm omitted), issuerSerial }
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: ab(hash('sha256', tsa.certDer)) }),
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [r.tsaCert.issuer.toSchema()] })] }),
          new asn1js.Integer({ valueHex: ab(r.tsaCert.serialNumber.valueBlock.valueHexView) }),
        ],
      }),
    ],
  });
  const attrs = sortAttributes([
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.ctTstInfo })] }),
    new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: genTime })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(hash('sha256', tstDer)) })] }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })] }),
  ]);
  const signedData = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.ctTstInfo, eContent: new asn1js.OctetString({ valueHex: ab(tstDer) }) }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: r.tsaCert.issuer, serialNumber: r.tsaCert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
      }),
    ],
  });
  if (req.certReq) signedData.certificates = [r.tsaCert];
  await signedData.sign(tsa.privateKey, 0, 'SHA-256');
  const token = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  const resp = new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: 0 }), timeStampToken: token });
  return Buffer.from(resp.toSchema().toBER(false));
}

// ---------------------------------------------------------------- HTTP server
function readBody(req: http.IncomingMessage, limit = 1 << 20): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > limit) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Start the services. Pass either a ready TestPki (its URLs must already point at a server you run)
 * or, normally, a factory that receives the base URL of the freshly bound server and creates the PKI:
 *   const svc = await startPkiServices((baseUrl) => createTestPki(dir, { baseUrl }));
 */
export async function startPkiServices(pkiOrFactory: TestPki | ((baseUrl: string) => Promise<TestPki>)): Promise<PkiServices> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let responders: Responders | undefined;
  let tsaMode: TsaMode = 'ok';
  let ocspMode: OcspMode = 'ok';
  const log: PkiServices['log'] = [];
  let clock: () => Date = () => new Date();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e?.stack ?? e));
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const send = (res: http.ServerResponse, status: number, type: string, body: Buffer | string) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body);
  };
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    res.on('finish', () => {
      log.push({ method: req.method ?? '', path, status: res.statusCode, at: new Date().toISOString() });
      if (log.length > 1000) log.splice(0, log.length - 1000);
    });
    if (!responders) return send(res, 503, 'text/plain', 'PKI not ready');
    const r = responders;
    const pki = r.pki;

    if (req.method === 'GET') {
      const files: Record<string, [string, Buffer | string]> = {
        '/crl/intermediate.crl': ['application/pkix-crl', pki.crlDer.intermediate],
        '/crl/root.crl': ['application/pkix-crl', pki.crlDer.root],
        '/ca/intermediate.cer': ['application/pkix-cert', pki.certs.intermediate.certDer],
        '/ca/root.cer': ['application/pkix-cert', pki.certs.root.certDer],
        '/ca/chain.pem': ['application/x-pem-file', pki.certs.intermediate.certPem + pki.certs.root.certPem],
      };
      if (files[path]) return send(res, 200, files[path][0], files[path][1]);
      if (path === '/health') return send(res, 200, 'text/plain', 'ok');
      // RFC 6960 A.1 GET: /ocsp/{url-encoding of base-64 encoding of the DER request}
      const m = /^\/(ocsp|fail\/ocsp\/[a-zA-Z0-9]+)\/(.+)$/.exec(path);
      if (m) return ocsp(m[1] === 'ocsp' ? ocspMode : failOcspMode(m[1]!), Buffer.from(decodeURIComponent(m[2]!), 'base64'), res, url);
      return send(res, 404, 'text/plain', 'not found');
    }
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed');
    const body = await readBody(req);
    if (path === '/ocsp') return ocsp(ocspMode, body, res, url);
    if (path.startsWith('/fail/ocsp/')) return ocsp(failOcspMode(path), body, res, url);
    if (path === '/tsa') return tsaHandle(tsaMode, body, req, res, url);
    if (path.startsWith('/fail/tsa/')) return tsaHandle(failTsaMode(path), body, req, res, url);
    return send(res, 404, 'text/plain', 'not found');
  }

  function failOcspMode(p: string): OcspMode {
    const k = p.replace(/^\/?fail\/ocsp\//, '').split('/')[0] ?? '';
    return ({ http500: 'http500', trylater: 'tryLater', unauthorized: 'unauthorized', garbage: 'garbage', nononce: 'noNonce', slow: 'slow' } as const)[k.toLowerCase() as 'http500'] ?? 'http500';
  }
  function failTsaMode(p: string): TsaMode {
    const k = p.replace(/^\/?fail\/tsa\//, '').split('/')[0] ?? '';
    return ({ http500: 'http500', rejection: 'rejection', garbage: 'garbage', wrongnonce: 'wrongNonce', wrongimprint: 'wrongImprint', slow: 'slow' } as const)[k.toLowerCase() as 'http500'] ?? 'http500';
  }

  async function ocsp(mode: OcspMode, body: Buffer, res: http.ServerResponse, url: URL) {
    const T = 'application/ocsp-response';
    switch (mode) {
      case 'http500':
        return send(res, 500, 'text/plain', 'OCSP responder failure (test)');
      case 'tryLater':
        return send(res, 200, T, ocspStatusOnly(3));
      case 'unauthorized':
        return send(res, 200, T, ocspStatusOnly(6));
      case 'internalError':
        return send(res, 200, T, ocspStatusOnly(2));
      case 'garbage':
        return send(res, 200, T, randomBytes(64));
      case 'slow':
        await delay(Number(url.searchParams.get('ms') ?? 30_000));
        break;
    }
    return send(res, 200, T, await buildOcspResponse(responders!, body, { echoNonce: mode !== 'noNonce', now: clock() }));
  }

  async function tsaHandle(mode: TsaMode, body: Buffer, req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const T = 'application/timestamp-reply';
    const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (ct !== 'application/timestamp-query') return send(res, 415, 'text/plain', 'expected application/timestamp-query');
    switch (mode) {
      case 'http500':
        return send(res, 500, 'text/plain', 'TSA failure (test)');
      case 'rejection':
        return send(res, 200, T, tsaReject(TSA_FAIL.systemFailure, 'TSA unavailable (test)'));
      case 'garbage':
        return send(res, 200, T, randomBytes(80));
      case 'slow':
        await delay(Number(url.searchParams.get('ms') ?? 30_000));
        break;
    }
    return send(res, 200, T, await buildTimeStampResponse(responders!, body, { wrongNonce: mode === 'wrongNonce', wrongImprint: mode === 'wrongImprint', now: clock() }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const close = async () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  };

  let pki: TestPki;
  try {
    pki = typeof pkiOrFactory === 'function' ? await pkiOrFactory(baseUrl) : pkiOrFactory;
    responders = new Responders(pki);
  } catch (e) {
    await close();
    throw e;
  }
  const f = (p: string) => `${baseUrl}/fail/${p}`;
  return {
    pki,
    baseUrl,
    ocspUrl: `${baseUrl}/ocsp`,
    tsaUrl: `${baseUrl}/tsa`,
    crlUrl: `${baseUrl}/crl/intermediate.crl`,
    rootCrlUrl: `${baseUrl}/crl/root.crl`,
    rootCertUrl: `${baseUrl}/ca/root.cer`,
    intermediateCertUrl: `${baseUrl}/ca/intermediate.cer`,
    fail: {
      tsaHttp500: f('tsa/http500'),
      tsaRejection: f('tsa/rejection'),
      tsaGarbage: f('tsa/garbage'),
      tsaWrongNonce: f('tsa/wrongnonce'),
      tsaWrongImprint: f('tsa/wrongimprint'),
      tsaSlow: f('tsa/slow'),
      ocspHttp500: f('ocsp/http500'),
      ocspTryLater: f('ocsp/trylater'),
      ocspUnauthorized: f('ocsp/unauthorized'),
      ocspGarbage: f('ocsp/garbage'),
      ocspNoNonce: f('ocsp/nononce'),
      ocspSlow: f('ocsp/slow'),
    },
    setTsaMode: (m) => void (tsaMode = m),
    setOcspMode: (m) => void (ocspMode = m),
    setClock: (now) => void (clock = now ?? (() => new Date())),
    log,
    close,
  };
}
