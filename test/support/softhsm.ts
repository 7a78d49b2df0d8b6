// SoftHSM2 token for tests: a private SOFTHSM2_CONF + token directory under `dir`, one token
// initialised with softhsm2-util, test keys + certificates imported with pkcs11-tool (OpenSC 0.23).
// Select the token by LABEL (or serial): SoftHSM gives it a new random slot id at every init.
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkcs11js from 'pkcs11js';
import * as pkijs from 'pkijs';
import type { KeyKind, PkiCertName, TestCert, TestPki } from './pki';
import { firstExisting, run } from './util';

export const SOFTHSM_MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/lib64/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
  '/usr/local/opt/softhsm/lib/softhsm/libsofthsm2.so',
];

/** Path of libsofthsm2.so ($PARAPHE_SOFTHSM_MODULE first), or throws. */
export function findSoftHsmModule(): string {
  const p = firstExisting([process.env.PARAPHE_SOFTHSM_MODULE ?? '', ...SOFTHSM_MODULE_CANDIDATES].filter(Boolean));
  if (!p) throw new Error(`libsofthsm2.so not found (apt-get install softhsm2); looked in ${SOFTHSM_MODULE_CANDIDATES.join(', ')}`);
  return p;
}

export interface SoftHsmKey {
  /** CKA_ID as lower-case hex ("01", "02"). */
  id: string;
  /** CKA_LABEL of the private key, public key and certificate. */
  label: string;
  kind: KeyKind;
  /** Which test-PKI certificate this is. */
  pkiName: PkiCertName;
  certDer: Buffer;
  certPemPath: string;
}

export interface SoftHsmToken {
  modulePath: string;
  label: string;
  pin: string;
  soPin: string;
  /** Token serial number (16 hex chars, as reported by C_GetTokenInfo). */
  serial: string;
  confPath: string;
  tokenDir: string;
  /** Environment for child processes: { SOFTHSM2_CONF }. Also set in process.env. */
  env: { SOFTHSM2_CONF: string };
  keys: SoftHsmKey[];
}

export interface CreateSoftHsmTokenOptions {
  dir: string;
  label?: string;
  pin?: string;
  soPin?: string;
  pki: TestPki;
  /** PKI certificates to import with their keys, in CKA_ID order 01, 02, ... Default: signerRsa, signerEc. */
  keys?: PkiCertName[];
  /** Set process.env.SOFTHSM2_CONF (default true). */
  setProcessEnv?: boolean;
  /**
   * Private key attributes other than SoftHSM's usual, by key (pkcs11js import only): `private: false`
   * shows the key before the login; `alwaysAuthenticate: true` asks the PIN at every signature.
   */
  keyAttributes?: Partial<Record<PkiCertName, { private?: boolean; alwaysAuthenticate?: boolean }>>;
  /**
   * 'pkcs11js' (default): token init and imports in-process through PKCS#11 (~20 ms);
   * 'cli': softhsm2-util --init-token + pkcs11-tool --write-object (8 processes, 0.2-6 s by load).
   */
  via?: 'pkcs11js' | 'cli';
}

const KEY_LABELS: Partial<Record<PkiCertName, string>> = {
  signerRsa: 'Jeanne Martin RSA',
  signerEc: 'Eloise Lefevre EC',
  signerRevoked: 'Marc Dubois RSA (revoked)',
  signerExpired: 'Pierre Durand RSA (expired)',
};

/**
 * Create `dir/softhsm2.conf` + `dir/tokens/`, initialise a token and import the keys. Several
 * tokens can share a dir (call again with another label: same conf, same tokendir).
 */
export async function createSoftHsmToken(opts: CreateSoftHsmTokenOptions): Promise<SoftHsmToken> {
  const { dir, pki } = opts;
  const label = opts.label ?? 'Paraphe Test';
  const pin = opts.pin ?? '1234';
  const soPin = opts.soPin ?? '12345678';
  const modulePath = findSoftHsmModule();
  const tokenDir = join(dir, 'tokens');
  const confPath = join(dir, 'softhsm2.conf');
  mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  writeFileSync(confPath, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { SOFTHSM2_CONF: confPath };
  const childEnv = { ...process.env, ...env };
  if (opts.setProcessEnv !== false) process.env.SOFTHSM2_CONF = confPath;

  const names = opts.keys ?? (['signerRsa', 'signerEc'] as PkiCertName[]);
  const plan = names.map((name, i) => ({ name, c: pki.certs[name], id: (i + 1).toString(16).padStart(2, '0'), keyLabel: KEY_LABELS[name] ?? name, attrs: opts.keyAttributes?.[name] ?? {} }));
  const keys: SoftHsmKey[] = plan.map(({ name, c, id, keyLabel }) => ({ id, label: keyLabel, kind: c.kind, pkiName: name, certDer: c.certDer, certPemPath: c.certPemPath }));

  if ((opts.via ?? process.env.PARAPHE_SOFTHSM_VIA ?? 'pkcs11js') === 'cli') {
    await run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], { env: childEnv });
    const p11 = (...args: string[]) => run('pkcs11-tool', ['--module', modulePath, '--token-label', label, '--login', '--pin', pin, ...args], { env: childEnv });
    for (const { name, c, id, keyLabel } of plan) {
      const spkiPath = join(dir, `${name}.spki.der`);
      writeFileSync(spkiPath, Buffer.from(c.x509.publicKey.rawData));
      // pkcs11-tool reads PKCS#8 DER private keys and DER SubjectPublicKeyInfo public keys.
      await p11('--write-object', c.keyDerPath, '--type', 'privkey', '--id', id, '--label', keyLabel, '--usage-sign');
      await p11('--write-object', spkiPath, '--type', 'pubkey', '--id', id, '--label', keyLabel);
      await p11('--write-object', c.certDerPath, '--type', 'cert', '--id', id, '--label', keyLabel);
    }
    const list = await run('pkcs11-tool', ['--module', modulePath, '-L'], { env: childEnv });
    return { modulePath, label, pin, soPin, serial: parseTokenSerial(list.stdout, label), confPath, tokenDir, env, keys };
  }
  const serial = initAndImport(modulePath, confPath, label, pin, soPin, plan);
  return { modulePath, label, pin, soPin, serial, confPath, tokenDir, env, keys };
}

const b64u = (s: string | undefined) => Buffer.from(s ?? '', 'base64url');
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');
const pad32 = (s: string) => s.padEnd(32, ' ');

/** C_InitToken + C_InitPIN + C_CreateObject (private key, public key, certificate) in this process. */
function initAndImport(
  modulePath: string,
  confPath: string,
  label: string,
  pin: string,
  soPin: string,
  plan: { c: TestCert; id: string; keyLabel: string; attrs: { private?: boolean; alwaysAuthenticate?: boolean } }[],
): string {
  const saved = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = confPath; // read by SoftHSM at C_Initialize
  const p = new pkcs11js.PKCS11();
  p.load(modulePath);
  try {
    p.C_Initialize();
    try {
      const free = p.C_GetSlotList(true).find((s) => !(p.C_GetTokenInfo(s).flags & pkcs11js.CKF_TOKEN_INITIALIZED));
      if (!free) throw new Error('SoftHSM: no free slot');
      p.C_InitToken(free, soPin, pad32(label));
    } finally {
      p.C_Finalize(); // SoftHSM gives the token a new slot id: list again
    }
    p.C_Initialize();
    try {
      const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === label);
      if (!slot) throw new Error(`SoftHSM: token "${label}" not found after init`);
      const serial = p.C_GetTokenInfo(slot).serialNumber.trim();
      const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      p.C_Login(session, pkcs11js.CKU_SO, soPin);
      p.C_InitPIN(session, pin);
      p.C_Logout(session);
      p.C_Login(session, pkcs11js.CKU_USER, pin);
      for (const { c, id, keyLabel, attrs } of plan) {
        const cert = pkijs.Certificate.fromBER(Uint8Array.from(c.certDer));
        const subject = Buffer.from(cert.subject.toSchema().toBER(false));
        const common = [
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
          { type: pkcs11js.CKA_LABEL, value: keyLabel },
        ];
        const jwk = createPrivateKey({ key: c.keyPkcs8Der, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }) as JsonWebKey;
        const priv =
          c.kind === 'rsa'
            ? [
                { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
                { type: pkcs11js.CKA_MODULUS, value: b64u(jwk.n) },
                { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: b64u(jwk.e) },
                { type: pkcs11js.CKA_PRIVATE_EXPONENT, value: b64u(jwk.d) },
                { type: pkcs11js.CKA_PRIME_1, value: b64u(jwk.p) },
                { type: pkcs11js.CKA_PRIME_2, value: b64u(jwk.q) },
                { type: pkcs11js.CKA_EXPONENT_1, value: b64u(jwk.dp) },
                { type: pkcs11js.CKA_EXPONENT_2, value: b64u(jwk.dq) },
                { type: pkcs11js.CKA_COEFFICIENT, value: b64u(jwk.qi) },
              ]
            : [
                { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
                { type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS },
                { type: pkcs11js.CKA_VALUE, value: b64u(jwk.d) },
              ];
        p.C_CreateObject(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          ...common,
          { type: pkcs11js.CKA_PRIVATE, value: attrs.private ?? true },
          ...(attrs.alwaysAuthenticate ? [{ type: pkcs11js.CKA_ALWAYS_AUTHENTICATE, value: true }] : []),
          { type: pkcs11js.CKA_SENSITIVE, value: true },
          { type: pkcs11js.CKA_EXTRACTABLE, value: false },
          { type: pkcs11js.CKA_SIGN, value: true },
          { type: pkcs11js.CKA_SUBJECT, value: subject },
          ...priv,
        ]);
        const pub =
          c.kind === 'rsa'
            ? [
                { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
                { type: pkcs11js.CKA_MODULUS, value: b64u(jwk.n) },
                { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: b64u(jwk.e) },
              ]
            : [
                { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
                { type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS },
                // DER OCTET STRING of the uncompressed point
                { type: pkcs11js.CKA_EC_POINT, value: Buffer.concat([Buffer.from([0x04, 0x41, 0x04]), b64u(jwk.x), b64u(jwk.y)]) },
              ];
        p.C_CreateObject(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
          ...common,
          { type: pkcs11js.CKA_PRIVATE, value: false },
          { type: pkcs11js.CKA_VERIFY, value: true },
          { type: pkcs11js.CKA_SUBJECT, value: subject },
          ...pub,
        ]);
        p.C_CreateObject(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
          { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
          ...common,
          { type: pkcs11js.CKA_PRIVATE, value: false },
          { type: pkcs11js.CKA_SUBJECT, value: subject },
          { type: pkcs11js.CKA_ISSUER, value: Buffer.from(cert.issuer.toSchema().toBER(false)) },
          { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(cert.serialNumber.toBER(false)) },
          { type: pkcs11js.CKA_VALUE, value: c.certDer },
        ]);
      }
      p.C_Logout(session);
      p.C_CloseSession(session);
      return serial;
    } finally {
      p.C_Finalize();
    }
  } finally {
    p.close();
    if (saved === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = saved;
  }
}

/** Serial number of the token `label` in `pkcs11-tool -L` output ('' if not found). */
export function parseTokenSerial(listOutput: string, label: string): string {
  const blocks = listOutput.split(/\nSlot /);
  for (const b of blocks) {
    const l = /token label\s*:\s*(.*)/.exec(b)?.[1]?.trim();
    if (l === label) return /serial num\s*:\s*(\S+)/.exec(b)?.[1] ?? '';
  }
  return '';
}
