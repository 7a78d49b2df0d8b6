// SoftHSM2 token for tests: a private SOFTHSM2_CONF + token directory under `dir`, one token
// initialised with softhsm2-util, test keys + certificates imported with pkcs11-tool (OpenSC 0.23).
// Select the token by LABEL (or serial): SoftHSM gives it a new random slot id at every init.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyKind, PkiCertName, TestPki } from './pki';
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

  await run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], { env: childEnv });

  const p11 = (...args: string[]) => run('pkcs11-tool', ['--module', modulePath, '--token-label', label, '--login', '--pin', pin, ...args], { env: childEnv });
  const names = opts.keys ?? (['signerRsa', 'signerEc'] as PkiCertName[]);
  const keys: SoftHsmKey[] = [];
  for (const [i, name] of names.entries()) {
    const c = pki.certs[name];
    const id = (i + 1).toString(16).padStart(2, '0');
    const keyLabel = KEY_LABELS[name] ?? name;
    const spkiPath = join(dir, `${name}.spki.der`);
    writeFileSync(spkiPath, Buffer.from(c.x509.publicKey.rawData));
    // pkcs11-tool reads PKCS#8 DER private keys and DER SubjectPublicKeyInfo public keys.
    await p11('--write-object', c.keyDerPath, '--type', 'privkey', '--id', id, '--label', keyLabel, '--usage-sign');
    await p11('--write-object', spkiPath, '--type', 'pubkey', '--id', id, '--label', keyLabel);
    await p11('--write-object', c.certDerPath, '--type', 'cert', '--id', id, '--label', keyLabel);
    keys.push({ id, label: keyLabel, kind: c.kind, pkiName: name, certDer: c.certDer, certPemPath: c.certPemPath });
  }

  const list = await run('pkcs11-tool', ['--module', modulePath, '-L'], { env: childEnv });
  const serial = parseTokenSerial(list.stdout, label);
  return { modulePath, label, pin, soPin, serial, confPath, tokenDir, env, keys };
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
