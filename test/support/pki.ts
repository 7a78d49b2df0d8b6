// Test PKI: root CA -> intermediate CA -> signers, OCSP responder, TSA. Generated in-process with
// @peculiar/x509 + Node WebCrypto (~0.3-1 s, RSA key generation dominates), written to `dir` as PEM + DER.
// The certificates point (AIA / CRL DP) at `baseUrl`, the URL of the local PKI services
// (services.ts starts the HTTP server first, then calls createTestPki with its URL).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomSerialHex, toPem } from './util';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

/** RGS-like test policy OID carried by the signer certificates (certificatePolicies). */
export const TEST_SIGNER_POLICY_OID = '1.2.250.1.999.1';
/** Policy OID of the test TSA (TSTInfo.policy). */
export const TEST_TSA_POLICY_OID = '1.2.250.1.999.2.1';
export const OID_ANY_POLICY = '2.5.29.32.0';
export const OID_OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';

/** Names of the certificates of the test PKI. */
export const PKI_CERT_NAMES = [
  'root',
  'intermediate',
  'signerRsa',
  'signerEc',
  'signerRevoked',
  'signerExpired',
  'ocspResponder',
  'tsa',
  'cardRsa',
  'cardEc',
] as const;
export type PkiCertName = (typeof PKI_CERT_NAMES)[number];
export type KeyKind = 'rsa' | 'ec';

/** Plain-JSON description of one certificate (what goes in the test-env JSON). */
export interface PkiCertDescription {
  name: PkiCertName;
  kind: KeyKind;
  subject: string; // RFC 4514 string, as printed by @peculiar/x509
  issuer: string;
  serialNumber: string; // lower-case hex, no leading 00
  notBefore: string; // ISO
  notAfter: string; // ISO
  /** PEM certificate, DER certificate, PKCS#8 PEM key, PKCS#8 DER key. */
  certPemPath: string;
  certDerPath: string;
  keyPemPath: string;
  keyDerPath: string;
}

export interface TestCert extends PkiCertDescription {
  certPem: string;
  certDer: Buffer;
  keyPem: string;
  keyPkcs8Der: Buffer;
  /** WebCrypto keys (RSASSA-PKCS1-v1_5/SHA-256 or ECDSA P-256), extractable. */
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  x509: x509.X509Certificate;
}

export interface RevocationEntry {
  name: PkiCertName;
  serialNumber: string;
  revokedAt: string; // ISO
  reason: x509.X509CrlReason;
}

export interface PkiUrls {
  baseUrl: string;
  ocsp: string;
  tsa: string;
  /** CRL of the intermediate CA (signers, OCSP, TSA certificates). */
  crl: string;
  /** CRL (ARL) of the root CA (the intermediate certificate). */
  rootCrl: string;
  /** caIssuers of certificates issued by the intermediate (DER certificate). */
  intermediateCert: string;
  /** caIssuers of the intermediate (DER certificate). */
  rootCert: string;
}

export interface PkiDescription {
  dir: string;
  urls: PkiUrls;
  signerPolicyOid: string;
  tsaPolicyOid: string;
  certs: Record<PkiCertName, PkiCertDescription>;
  revoked: RevocationEntry[];
  /** intermediate + root, PEM (for -CAfile / -untrusted / trust stores). */
  chainPemPath: string;
  /** root only, PEM (trust anchor). */
  rootPemPath: string;
  crls: { intermediate: { derPath: string; pemPath: string }; root: { derPath: string; pemPath: string } };
}

export interface TestPki extends Omit<PkiDescription, 'certs'> {
  certs: Record<PkiCertName, TestCert>;
  crlDer: { intermediate: Buffer; root: Buffer };
  /** JSON-safe view (no keys / buffers, paths only). */
  describe(): PkiDescription;
}

export interface CreateTestPkiOptions {
  /** Base URL of the PKI services, e.g. http://127.0.0.1:41234 (no trailing slash). Required for AIA/CRL DP. */
  baseUrl: string;
  /** Clock used for validity periods and CRL dates (default: new Date()). */
  now?: Date;
  /** Revocation date of signerRevoked (default: now - 1 day). */
  revokedAt?: Date;
  /** Signer policy OID (default TEST_SIGNER_POLICY_OID). */
  signerPolicyOid?: string;
  /**
   * Directory where generated key pairs are kept and reused by later runs (certificates are always
   * new). RSA-2048 generation costs 0.1-0.6 s a key on a busy 2-core machine; 8 are needed.
   * Default: $PARAPHE_TEST_KEY_CACHE, else <os.tmpdir()>/paraphe-test-keys-v1. `false` (or
   * PARAPHE_TEST_KEY_CACHE=off) generates fresh keys every time.
   */
  keyCache?: string | false;
}

export function defaultKeyCache(): string | false {
  const env = process.env.PARAPHE_TEST_KEY_CACHE;
  if (env !== undefined && /^(0|off|false|no)?$/i.test(env)) return false;
  return env || join(tmpdir(), 'paraphe-test-keys-v1');
}

const DAY = 86_400_000;

const RSA_ALG: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const EC_ALG: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

/** Subject names in DER order (C first). */
type NameSpec = x509.JsonName;
const orgName = (o: string, cn: string, extra: NameSpec = []): NameSpec => [{ C: ['FR'] }, { O: [o] }, ...extra, { CN: [cn] }];
const PKI_ORG = 'Paraphe Test PKI';
const SIGNER_ORG = 'Commune de Testville';

interface CertPlan {
  name: PkiCertName;
  kind: KeyKind;
  subject: NameSpec;
  issuer: 'self' | 'root' | 'intermediate';
  notBefore: Date;
  notAfter: Date;
  profile: 'root' | 'ca' | 'signer' | 'ocsp' | 'tsa';
}

function plans(now: Date): CertPlan[] {
  const t = now.getTime();
  const d = (days: number) => new Date(t + days * DAY);
  return [
    { name: 'root', kind: 'rsa', subject: orgName(PKI_ORG, 'Paraphe Test Root CA'), issuer: 'self', notBefore: d(-5 * 365), notAfter: d(15 * 365), profile: 'root' },
    { name: 'intermediate', kind: 'rsa', subject: orgName(PKI_ORG, 'Paraphe Test Signing CA'), issuer: 'root', notBefore: d(-3 * 365), notAfter: d(10 * 365), profile: 'ca' },
    { name: 'signerRsa', kind: 'rsa', subject: orgName(SIGNER_ORG, 'Jeanne Martin'), issuer: 'intermediate', notBefore: d(-30), notAfter: d(2 * 365), profile: 'signer' },
    { name: 'signerEc', kind: 'ec', subject: orgName(SIGNER_ORG, 'Éloïse Lefèvre'), issuer: 'intermediate', notBefore: d(-30), notAfter: d(2 * 365), profile: 'signer' },
    { name: 'signerRevoked', kind: 'rsa', subject: orgName(SIGNER_ORG, 'Marc Dubois'), issuer: 'intermediate', notBefore: d(-30), notAfter: d(2 * 365), profile: 'signer' },
    { name: 'signerExpired', kind: 'rsa', subject: orgName(SIGNER_ORG, 'Pierre Durand'), issuer: 'intermediate', notBefore: d(-400), notAfter: d(-35), profile: 'signer' },
    { name: 'ocspResponder', kind: 'rsa', subject: orgName(PKI_ORG, 'Paraphe Test OCSP Responder'), issuer: 'intermediate', notBefore: d(-30), notAfter: d(365), profile: 'ocsp' },
    { name: 'tsa', kind: 'rsa', subject: orgName(PKI_ORG, 'Paraphe Test TSA'), issuer: 'intermediate', notBefore: d(-30), notAfter: d(3 * 365), profile: 'tsa' },
    { name: 'cardRsa', kind: 'rsa', subject: orgName(SIGNER_ORG, 'Sophie Bernard', [{ OU: ['Carte PIV 9A'] }]), issuer: 'intermediate', notBefore: d(-30), notAfter: d(2 * 365), profile: 'signer' },
    { name: 'cardEc', kind: 'ec', subject: orgName(SIGNER_ORG, 'Sophie Bernard', [{ OU: ['Carte PIV 9C'] }]), issuer: 'intermediate', notBefore: d(-30), notAfter: d(2 * 365), profile: 'signer' },
  ];
}

const importAlg = (kind: KeyKind) => (kind === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' });

async function generateKey(kind: KeyKind, name: string, cache: string | false): Promise<CryptoKeyPair> {
  const file = cache ? join(cache, `${name}-${kind}.pk8`) : undefined;
  if (file && existsSync(file)) {
    try {
      const pk8 = readFileSync(file);
      const spki = createPublicKey(createPrivateKey({ key: pk8, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
      return {
        privateKey: await crypto.subtle.importKey('pkcs8', pk8, importAlg(kind), true, ['sign']),
        publicKey: await crypto.subtle.importKey('spki', spki, importAlg(kind), true, ['verify']),
      };
    } catch {
      /* unreadable cache entry: regenerate */
    }
  }
  const kp = (await crypto.subtle.generateKey(kind === 'rsa' ? RSA_ALG : EC_ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  if (file) {
    mkdirSync(cache as string, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, Buffer.from(await crypto.subtle.exportKey('pkcs8', kp.privateKey)), { mode: 0o600 });
    renameSync(tmp, file); // atomic: parallel runs never read half a key
  }
  return kp;
}

function signingAlgorithm(issuerKind: KeyKind): Algorithm | EcdsaParams {
  return issuerKind === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm : ({ name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams);
}

/** certificatePolicies with explicit OIDs (no qualifiers). */
function policies(oids: string[]): x509.Extension {
  return new x509.CertificatePolicyExtension(oids, false);
}

function strip(u: string) {
  return u.replace(/\/+$/, '');
}

export function pkiUrls(baseUrl: string): PkiUrls {
  const b = strip(baseUrl);
  return {
    baseUrl: b,
    ocsp: `${b}/ocsp`,
    tsa: `${b}/tsa`,
    crl: `${b}/crl/intermediate.crl`,
    rootCrl: `${b}/crl/root.crl`,
    intermediateCert: `${b}/ca/intermediate.cer`,
    rootCert: `${b}/ca/root.cer`,
  };
}

/**
 * Create the test PKI in `dir` (created if needed). All certificates are RSA-2048 / SHA-256 except
 * signerEc and cardEc (P-256). Files: `<name>.crt` (PEM), `<name>.der`, `<name>.key` (PKCS#8 PEM),
 * `<name>.key.der`, `chain.pem` (intermediate + root), `root.crt`, `intermediate.crl(.pem)`, `root.crl(.pem)`.
 */
export async function createTestPki(dir: string, opts: CreateTestPkiOptions): Promise<TestPki> {
  if (!opts?.baseUrl) throw new Error('createTestPki: opts.baseUrl (URL of the PKI services) is required');
  mkdirSync(dir, { recursive: true });
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000);
  const urls = pkiUrls(opts.baseUrl);
  const signerPolicyOid = opts.signerPolicyOid ?? TEST_SIGNER_POLICY_OID;
  const revokedAt = opts.revokedAt ?? new Date(now.getTime() - DAY);
  const plan = plans(now);

  // All key pairs in parallel (WebCrypto RSA generation runs on the libuv thread pool).
  const cache = opts.keyCache === undefined ? defaultKeyCache() : opts.keyCache;
  const keyList = await Promise.all(plan.map((p) => generateKey(p.kind, p.name, cache)));
  const keys = new Map(plan.map((p, i) => [p.name, keyList[i]]));
  const made = new Map<PkiCertName, x509.X509Certificate>();

  const issue = async (p: CertPlan): Promise<x509.X509Certificate> => {
    const kp = keys.get(p.name)!;
    const issuerName = p.issuer === 'self' ? p.name : p.issuer;
    const issuerKp = keys.get(issuerName)!;
    const issuerPlan = plan.find((q) => q.name === issuerName)!;
    const issuerCert = p.issuer === 'self' ? undefined : made.get(p.issuer)!;
    const ext: x509.Extension[] = [];
    const ski = await x509.SubjectKeyIdentifierExtension.create(kp.publicKey);
    switch (p.profile) {
      case 'root':
        ext.push(new x509.BasicConstraintsExtension(true, undefined, true));
        ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
        break;
      case 'ca':
        ext.push(new x509.BasicConstraintsExtension(true, 0, true));
        ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
        ext.push(policies([OID_ANY_POLICY]));
        ext.push(new x509.CRLDistributionPointsExtension([urls.rootCrl]));
        ext.push(new x509.AuthorityInfoAccessExtension({ caIssuers: urls.rootCert }));
        break;
      case 'signer':
        ext.push(new x509.BasicConstraintsExtension(false, undefined, true));
        ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.nonRepudiation | x509.KeyUsageFlags.digitalSignature, true));
        ext.push(policies([signerPolicyOid]));
        ext.push(new x509.AuthorityInfoAccessExtension({ ocsp: urls.ocsp, caIssuers: urls.intermediateCert }));
        ext.push(new x509.CRLDistributionPointsExtension([urls.crl]));
        break;
      case 'ocsp':
        ext.push(new x509.BasicConstraintsExtension(false, undefined, true));
        ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
        ext.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning], false));
        ext.push(new x509.Extension(OID_OCSP_NOCHECK, false, new Uint8Array([0x05, 0x00])));
        ext.push(new x509.AuthorityInfoAccessExtension({ caIssuers: urls.intermediateCert }));
        break;
      case 'tsa':
        ext.push(new x509.BasicConstraintsExtension(false, undefined, true));
        ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true));
        ext.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true));
        ext.push(new x509.AuthorityInfoAccessExtension({ ocsp: urls.ocsp, caIssuers: urls.intermediateCert }));
        ext.push(new x509.CRLDistributionPointsExtension([urls.crl]));
        break;
    }
    ext.push(ski);
    if (issuerCert) ext.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKp.publicKey));
    const common = {
      serialNumber: randomSerialHex(),
      notBefore: p.notBefore,
      notAfter: p.notAfter,
      extensions: ext,
      signingAlgorithm: signingAlgorithm(issuerPlan.kind),
    };
    if (p.issuer === 'self') {
      return x509.X509CertificateGenerator.createSelfSigned({ ...common, name: p.subject, keys: kp });
    }
    return x509.X509CertificateGenerator.create({
      ...common,
      subject: p.subject,
      issuer: issuerCert!.subjectName,
      publicKey: kp.publicKey,
      signingKey: issuerKp.privateKey,
    });
  };

  const [rootPlan, interPlan, ...rest] = plan;
  made.set('root', await issue(rootPlan!));
  made.set('intermediate', await issue(interPlan!));
  const leaf = await Promise.all(rest.map((p) => issue(p)));
  rest.forEach((p, i) => made.set(p.name, leaf[i]!));

  const certs = {} as Record<PkiCertName, TestCert>;
  await Promise.all(
    plan.map(async (p) => {
      const cert = made.get(p.name)!;
      const kp = keys.get(p.name)!;
      const certDer = Buffer.from(cert.rawData);
      const keyPkcs8Der = Buffer.from(await crypto.subtle.exportKey('pkcs8', kp.privateKey));
      const certPem = toPem(certDer, 'CERTIFICATE');
      const keyPem = toPem(keyPkcs8Der, 'PRIVATE KEY');
      const base = join(dir, p.name);
      const c: TestCert = {
        name: p.name,
        kind: p.kind,
        subject: cert.subject,
        issuer: cert.issuer,
        serialNumber: cert.serialNumber.toLowerCase(),
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        certPemPath: `${base}.crt`,
        certDerPath: `${base}.der`,
        keyPemPath: `${base}.key`,
        keyDerPath: `${base}.key.der`,
        certPem,
        certDer,
        keyPem,
        keyPkcs8Der,
        privateKey: kp.privateKey,
        publicKey: kp.publicKey,
        x509: cert,
      };
      writeFileSync(c.certPemPath, certPem);
      writeFileSync(c.certDerPath, certDer);
      writeFileSync(c.keyPemPath, keyPem, { mode: 0o600 });
      writeFileSync(c.keyDerPath, keyPkcs8Der, { mode: 0o600 });
      certs[p.name] = c;
    }),
  );

  const chainPemPath = join(dir, 'chain.pem');
  const rootPemPath = join(dir, 'root.crt');
  writeFileSync(chainPemPath, certs.intermediate.certPem + certs.root.certPem);

  const revoked: RevocationEntry[] = [
    { name: 'signerRevoked', serialNumber: certs.signerRevoked.serialNumber, revokedAt: revokedAt.toISOString(), reason: x509.X509CrlReason.keyCompromise },
  ];

  const crlFor = async (issuer: 'root' | 'intermediate', entries: RevocationEntry[]) => {
    const crl = await x509.X509CrlGenerator.create({
      issuer: certs[issuer].x509.subjectName,
      thisUpdate: new Date(now.getTime() - 3_600_000),
      nextUpdate: new Date(now.getTime() + 7 * DAY),
      signingAlgorithm: signingAlgorithm('rsa'),
      signingKey: keys.get(issuer)!.privateKey,
      entries: entries.map((e) => ({ serialNumber: e.serialNumber, revocationDate: new Date(e.revokedAt), reason: e.reason })),
      extensions: [
        await x509.AuthorityKeyIdentifierExtension.create(keys.get(issuer)!.publicKey),
        new x509.Extension('2.5.29.20', false, derInteger(1)), // cRLNumber
      ],
    });
    return Buffer.from(crl.rawData);
  };
  const crlDer = { intermediate: await crlFor('intermediate', revoked), root: await crlFor('root', []) };
  const crls = {
    intermediate: { derPath: join(dir, 'intermediate.crl'), pemPath: join(dir, 'intermediate.crl.pem') },
    root: { derPath: join(dir, 'root.crl'), pemPath: join(dir, 'root.crl.pem') },
  };
  for (const k of ['intermediate', 'root'] as const) {
    writeFileSync(crls[k].derPath, crlDer[k]);
    // OpenSSL wants "X509 CRL" (@peculiar/x509's own PEM says "CRL").
    writeFileSync(crls[k].pemPath, toPem(crlDer[k], 'X509 CRL'));
  }

  const pki: TestPki = {
    dir,
    urls,
    signerPolicyOid,
    tsaPolicyOid: TEST_TSA_POLICY_OID,
    certs,
    crlDer,
    revoked,
    chainPemPath,
    rootPemPath,
    crls,
    describe(): PkiDescription {
      const d = {} as Record<PkiCertName, PkiCertDescription>;
      for (const n of PKI_CERT_NAMES) {
        const { name, kind, subject, issuer, serialNumber, notBefore, notAfter, certPemPath, certDerPath, keyPemPath, keyDerPath } = certs[n];
        d[n] = { name, kind, subject, issuer, serialNumber, notBefore, notAfter, certPemPath, certDerPath, keyPemPath, keyDerPath };
      }
      return { dir, urls, signerPolicyOid, tsaPolicyOid: TEST_TSA_POLICY_OID, certs: d, revoked, chainPemPath, rootPemPath, crls };
    },
  };
  writeFileSync(join(dir, 'pki.json'), JSON.stringify(pki.describe(), null, 2));
  return pki;
}

/** Minimal DER INTEGER for small non-negative numbers. */
function derInteger(n: number): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v >>= 8;
  } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return new Uint8Array([0x02, bytes.length, ...bytes]);
}

/**
 * Rebuild a TestPki from its JSON description (e.g. in a vitest worker): reads the files back and
 * imports the keys into WebCrypto (RSASSA-PKCS1-v1_5/SHA-256, ECDSA P-256).
 */
export async function loadTestPki(desc: PkiDescription): Promise<TestPki> {
  const certs = {} as Record<PkiCertName, TestCert>;
  await Promise.all(
    PKI_CERT_NAMES.map(async (n) => {
      const d = desc.certs[n];
      const certDer = readFileSync(d.certDerPath);
      const keyPkcs8Der = readFileSync(d.keyDerPath);
      const alg = importAlg(d.kind);
      const privateKey = await crypto.subtle.importKey('pkcs8', keyPkcs8Der, alg, true, ['sign']);
      const cert = new x509.X509Certificate(certDer);
      const publicKey = await cert.publicKey.export(alg, ['verify'], crypto);
      certs[n] = {
        ...d,
        certPem: readFileSync(d.certPemPath, 'utf8'),
        certDer,
        keyPem: readFileSync(d.keyPemPath, 'utf8'),
        keyPkcs8Der,
        privateKey,
        publicKey,
        x509: cert,
      };
    }),
  );
  return {
    ...desc,
    certs,
    crlDer: { intermediate: readFileSync(desc.crls.intermediate.derPath), root: readFileSync(desc.crls.root.derPath) },
    describe: () => desc,
  };
}
