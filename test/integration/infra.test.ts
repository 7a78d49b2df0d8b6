// The test environment itself (test/support/global-setup.ts): every part checked with the tools
// of the platform (pkcs11-tool, openssl ocsp / ts / crl, opensc-tool), no mocks.
import { createHash, createPublicKey, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardControl, childEnv, loadTestEnv, loadTestPkiFromEnv, type TestEnvDescription } from '../support/env';
import { run, runStatus } from '../support/util';
import { listReaders } from '../support/vcard';

let env: TestEnvDescription;
let work: string;
let cenv: NodeJS.ProcessEnv;
const DATA = Buffer.from('Paraphe: document de test\n');

beforeAll(() => {
  env = loadTestEnv();
  cenv = childEnv(env);
  work = mkdtempSync(join(tmpdir(), 'paraphe-infra-'));
  writeFileSync(join(work, 'data.txt'), DATA);
  writeFileSync(join(work, 'data.sha256'), createHash('sha256').update(DATA).digest());
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** pkcs11-tool signature of data.txt, checked with the certificate's public key. */
async function signAndCheck(modulePath: string, tokenArgs: string[], pin: string, id: string, kind: 'rsa' | 'ec', certPemPath: string) {
  const out = join(work, `sig-${id}-${kind}-${Math.random().toString(36).slice(2)}`);
  const pub = createPublicKey(new X509Certificate(readFileSync(certPemPath)).publicKey.export({ type: 'spki', format: 'pem' }));
  if (kind === 'rsa') {
    await run('pkcs11-tool', ['--module', modulePath, ...tokenArgs, '--login', '--pin', pin, '--sign', '--id', id, '-m', 'SHA256-RSA-PKCS', '-i', join(work, 'data.txt'), '-o', out], { env: cenv });
    expect(cryptoVerify('sha256', DATA, pub, readFileSync(out))).toBe(true);
  } else {
    // CKM_ECDSA over the SHA-256 digest (SoftHSM 2.6 has no CKM_ECDSA_SHA256); DER output.
    await run('pkcs11-tool', ['--module', modulePath, ...tokenArgs, '--login', '--pin', pin, '--sign', '--id', id, '-m', 'ECDSA', '--signature-format', 'openssl', '-i', join(work, 'data.sha256'), '-o', out], { env: cenv });
    expect(cryptoVerify('sha256', DATA, pub, readFileSync(out))).toBe(true);
  }
}

describe('environment description', () => {
  it('is inherited by the workers (env vars from globalSetup)', () => {
    expect(process.env.SOFTHSM2_CONF).toBe(env.softhsm.confPath);
    if (env.vcard) {
      expect(process.env.OPENSC_CONF).toBe(env.vcard.openscConf);
      if (env.vcard.pcscdMode === 'private') expect(process.env.PCSCLITE_CSOCK_NAME).toBe(env.vcard.pcscSocket);
    }
    expect(env.services.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('rebuilds the PKI with usable keys in a worker', async () => {
    const pki = await loadTestPkiFromEnv(env);
    const sig = await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, pki.certs.signerRsa.privateKey, DATA);
    expect(await crypto.subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, pki.certs.signerRsa.publicKey, sig, DATA)).toBe(true);
    expect(pki.certs.signerRsa.subject).toBe('C=FR, O=Commune de Testville, CN=Jeanne Martin');
  });
});

describe('PKI certificates', () => {
  it('chain to the root; the expired signer does not', async () => {
    const c = env.pki.certs;
    const ok = await run('openssl', ['verify', '-CAfile', env.pki.rootPemPath, '-untrusted', c.intermediate.certPemPath, c.signerRsa.certPemPath, c.signerEc.certPemPath, c.signerRevoked.certPemPath, c.ocspResponder.certPemPath, c.tsa.certPemPath, c.cardRsa.certPemPath, c.cardEc.certPemPath]);
    expect(ok.stdout.match(/: OK/g)).toHaveLength(7);
    const expired = await runStatus('openssl', ['verify', '-CAfile', env.pki.rootPemPath, '-untrusted', c.intermediate.certPemPath, c.signerExpired.certPemPath]);
    expect(expired.code).not.toBe(0);
    expect(expired.stdout + expired.stderr).toMatch(/expired/);
  });

  it('signer profile: nonRepudiation, policy, AIA, CRL DP', async () => {
    const text = (await run('openssl', ['x509', '-in', env.pki.certs.signerRsa.certPemPath, '-noout', '-text'])).stdout;
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toContain(`Policy: ${env.pki.signerPolicyOid}`);
    expect(text).toContain(`OCSP - URI:${env.services.ocspUrl}`);
    expect(text).toContain(`CA Issuers - URI:${env.services.intermediateCertUrl}`);
    expect(text).toContain(`URI:${env.services.crlUrl}`);
    const tsa = (await run('openssl', ['x509', '-in', env.pki.certs.tsa.certPemPath, '-noout', '-text'])).stdout;
    expect(tsa).toMatch(/Extended Key Usage: critical\s+Time Stamping/);
    const ocsp = (await run('openssl', ['x509', '-in', env.pki.certs.ocspResponder.certPemPath, '-noout', '-text'])).stdout;
    expect(ocsp).toMatch(/Extended Key Usage:\s+OCSP Signing/);
    expect(ocsp).toContain('OCSP No Check');
  });
});

describe('SoftHSM2 token', () => {
  it('pkcs11-tool -L lists the token by label', async () => {
    const out = (await run('pkcs11-tool', ['--module', env.softhsm.modulePath, '-L'], { env: cenv })).stdout;
    expect(out).toMatch(new RegExp(`token label\\s*:\\s*${env.softhsm.label}\\b`));
    expect(out).toContain(env.softhsm.serial);
  });

  it('holds keys and certificates with distinct CKA_IDs', async () => {
    const out = (await run('pkcs11-tool', ['--module', env.softhsm.modulePath, '--token-label', env.softhsm.label, '--login', '--pin', env.softhsm.pin, '-O'], { env: cenv })).stdout;
    for (const k of env.softhsm.keys) {
      expect(out).toContain(`ID:         ${k.id}`);
      expect(out).toContain(k.label);
    }
    expect(env.softhsm.keys.map((k) => k.kind)).toEqual(['rsa', 'ec']);
  });

  it('signs with the RSA and the EC key', async () => {
    for (const k of env.softhsm.keys) {
      await signAndCheck(env.softhsm.modulePath, ['--token-label', env.softhsm.label], env.softhsm.pin, k.id, k.kind, k.certPemPath);
    }
  });
});

describe.skipIf(!process.env.PARAPHE_TEST_ENV || !loadTestEnv().vcard)('virtual PIV card', () => {
  it('PC/SC sees the card; pkcs11-tool -L lists it through OpenSC', async () => {
    const card = env.vcard!;
    const readers = await listReaders(cenv);
    expect(readers.find((r) => r.name === card.readerName)?.card).toBe(true);
    const at = await run('opensc-tool', ['-r', String(readers.find((r) => r.name === card.readerName)!.index), '-a'], { env: cenv });
    expect(at.stdout.trim()).toMatch(/^3b:/i);
    const out = (await run('pkcs11-tool', ['--module', card.modulePath, '-L'], { env: cenv })).stdout;
    expect(out).toContain(card.readerName);
    expect(out).toMatch(/token label\s*:\s*Sophie Bernard/);
  });

  it('signs with slot 9A (RSA, PIN once) and 9C (P-256, PIN per signature)', async () => {
    const card = env.vcard!;
    const a = card.slots[0]!;
    const c = card.slots[1]!;
    expect(a.slot).toBe('9a');
    expect(c.alwaysAuthenticate).toBe(true);
    await signAndCheck(card.modulePath, ['--token-label', 'Sophie Bernard'], card.pin, a.id, a.kind, a.certPemPath);
    await signAndCheck(card.modulePath, ['--token-label', 'Sophie Bernard'], card.pin, c.id, c.kind, c.certPemPath);
    const objs = (await run('pkcs11-tool', ['--module', card.modulePath, '--token-label', 'Sophie Bernard', '--login', '--pin', card.pin, '--list-objects', '--type', 'privkey'], { env: cenv })).stdout;
    expect(objs).toMatch(/SIGN key[\s\S]*Access:.*always authenticate/);
  });

  it('a wrong PIN costs a try (63C2), reset gives the tries back', async () => {
    const card = env.vcard!;
    const bad = await runStatus('pkcs11-tool', ['--module', card.modulePath, '--token-label', 'Sophie Bernard', '--login', '--pin', '000000', '-O'], { env: cenv });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/CKR_PIN_INCORRECT/);
    expect(JSON.parse(readFileSync(card.statePath, 'utf8')).pinTries).toBe(card.tries - 1);
    await cardControl(env).resetCard();
    expect(JSON.parse(readFileSync(card.statePath, 'utf8')).pinTries).toBe(card.tries);
  });

  it('removeCard / insertCard are seen through PC/SC', async () => {
    const ctl = cardControl(env);
    await ctl.removeCard();
    expect(await ctl.isPresent()).toBe(false);
    const out = (await run('pkcs11-tool', ['--module', env.vcard!.modulePath, '-L'], { env: cenv })).stdout;
    expect(out).not.toContain('Sophie Bernard');
    await ctl.insertCard();
    expect(await ctl.isPresent()).toBe(true);
  });
});

describe('OCSP responder', () => {
  const ocsp = async (cert: string, issuer: string, url = env.services.ocspUrl) => {
    const respout = join(work, `ocsp-${Math.random().toString(36).slice(2)}.der`);
    const r = await runStatus('openssl', ['ocsp', '-issuer', issuer, '-cert', cert, '-url', url, '-CAfile', env.pki.chainPemPath, '-respout', respout, '-timeout', '10']);
    return { ...r, respout };
  };

  it('good for the signer, revoked for the revoked signer (verified by openssl ocsp -respin -CAfile)', async () => {
    const c = env.pki.certs;
    const good = await ocsp(c.signerRsa.certPemPath, c.intermediate.certPemPath);
    expect(good.stdout).toMatch(/signerRsa\.crt: good/);
    expect(good.stdout + good.stderr).toContain('Response verify OK');
    const v = await run('openssl', ['ocsp', '-respin', good.respout, '-CAfile', env.pki.chainPemPath, '-resp_text']);
    expect(v.stdout + v.stderr).toContain('Response verify OK');
    expect(v.stdout).toContain('Cert Status: good');
    expect(v.stdout).toContain('OCSP Nonce');

    const rev = await ocsp(c.signerRevoked.certPemPath, c.intermediate.certPemPath);
    expect(rev.stdout).toMatch(/signerRevoked\.crt: revoked/);
    expect(rev.stdout).toContain('Reason: keyCompromise');
    const v2 = await run('openssl', ['ocsp', '-respin', rev.respout, '-CAfile', env.pki.chainPemPath, '-resp_text']);
    expect(v2.stdout + v2.stderr).toContain('Response verify OK');
    expect(v2.stdout).toContain('Cert Status: revoked');
  });

  it('answers for the intermediate (signed by the root) and fails as asked', async () => {
    const c = env.pki.certs;
    const inter = await ocsp(c.intermediate.certPemPath, c.root.certPemPath);
    expect(inter.stdout).toMatch(/intermediate\.crt: good/);
    expect(inter.stdout + inter.stderr).toContain('Response verify OK');
    const later = await ocsp(c.signerRsa.certPemPath, c.intermediate.certPemPath, env.services.fail.ocspTryLater);
    expect(later.stdout + later.stderr).toMatch(/tryLater|try later/i);
    const h500 = await fetch(env.services.fail.ocspHttp500, { method: 'POST', body: new Uint8Array(2) });
    expect(h500.status).toBe(500);
  });
});

describe('CRL and CA certificates', () => {
  it('serves the intermediate CRL (DER) listing the revoked signer, signature checked by openssl crl', async () => {
    const res = await fetch(env.services.crlUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pkix-crl');
    const der = join(work, 'fetched.crl');
    writeFileSync(der, Buffer.from(await res.arrayBuffer()));
    const out = await run('openssl', ['crl', '-inform', 'DER', '-in', der, '-CAfile', env.pki.chainPemPath, '-noout', '-text']);
    expect(out.stdout + out.stderr).toContain('verify OK');
    expect(out.stdout.toLowerCase()).toContain(env.pki.certs.signerRevoked.serialNumber);
    const pem = await run('openssl', ['crl', '-in', env.pki.crls.intermediate.pemPath, '-noout', '-hash']);
    expect(pem.stdout.trim()).toMatch(/^[0-9a-f]{8}$/);
    const root = await fetch(env.services.rootCrlUrl);
    writeFileSync(join(work, 'root.crl'), Buffer.from(await root.arrayBuffer()));
    expect((await run('openssl', ['crl', '-inform', 'DER', '-in', join(work, 'root.crl'), '-CAfile', env.pki.rootPemPath, '-noout'])).stderr).toContain('verify OK');
  });

  it('serves the CA certificates at the caIssuers URLs', async () => {
    for (const [url, name] of [[env.services.intermediateCertUrl, 'intermediate'], [env.services.rootCertUrl, 'root']] as const) {
      const res = await fetch(url);
      expect(res.headers.get('content-type')).toBe('application/pkix-cert');
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(env.pki.certs[name].certDerPath))).toBe(true);
    }
  });
});

describe('RFC 3161 TSA', () => {
  const query = async (hash: 'sha256' | 'sha1' | 'sha512', url = env.services.tsaUrl) => {
    const id = Math.random().toString(36).slice(2);
    const tsq = join(work, `${id}.tsq`);
    const tsr = join(work, `${id}.tsr`);
    await run('openssl', ['ts', '-query', '-data', join(work, 'data.txt'), `-${hash}`, '-cert', '-out', tsq]);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: readFileSync(tsq) });
    writeFileSync(tsr, Buffer.from(await res.arrayBuffer()));
    return { res, tsq, tsr };
  };

  it('grants a token that openssl ts -verify accepts (imprint, nonce, ESS v2, policy)', async () => {
    const { res, tsq, tsr } = await query('sha256');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    const text = (await run('openssl', ['ts', '-reply', '-in', tsr, '-text'])).stdout;
    expect(text).toContain('Status: Granted.');
    expect(text).toContain(`Policy OID: ${env.pki.tsaPolicyOid}`);
    expect(text).toMatch(/Nonce: 0x[0-9A-F]+/);
    const genTime = new Date(/Time stamp: (.*)/.exec(text)![1]!);
    expect(Math.abs(genTime.getTime() - Date.now())).toBeLessThan(60_000);
    for (const args of [['-data', join(work, 'data.txt')], ['-queryfile', tsq]]) {
      const v = await run('openssl', ['ts', '-verify', ...args, '-in', tsr, '-CAfile', env.pki.rootPemPath, '-untrusted', env.pki.certs.intermediate.certPemPath]);
      expect(v.stdout).toContain('Verification: OK');
    }
  });

  it('refuses SHA-1 imprints (badAlg) and fails as asked', async () => {
    const sha1 = await query('sha1');
    const text = (await run('openssl', ['ts', '-reply', '-in', sha1.tsr, '-text'])).stdout;
    expect(text).toContain('Status: Rejected.');
    expect(text).toMatch(/unrecognized or unsupported algorithm/);
    expect((await query('sha256', env.services.fail.tsaHttp500)).res.status).toBe(500);
    const rej = await query('sha256', env.services.fail.tsaRejection);
    expect((await run('openssl', ['ts', '-reply', '-in', rej.tsr, '-text'])).stdout).toContain('Status: Rejected.');
    const wrong = await query('sha256', env.services.fail.tsaWrongNonce);
    const v = await runStatus('openssl', ['ts', '-verify', '-queryfile', wrong.tsq, '-in', wrong.tsr, '-CAfile', env.pki.rootPemPath, '-untrusted', env.pki.certs.intermediate.certPemPath]);
    expect(v.stdout + v.stderr).toMatch(/nonce mismatch/i);
  });
});
