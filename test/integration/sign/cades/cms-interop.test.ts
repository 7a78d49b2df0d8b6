// CMS SignedData and the RFC 3161 client against independent oracles: `openssl cms -verify` and
// `openssl ts -verify`, with the local test PKI and TSA on 127.0.0.1.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCmsSignature } from '../../../../src/main/core/sign/cms/signed-data';
import { createTsaClient, inspectTimestampToken, TimestampError } from '../../../../src/main/core/sign/timestamp/tsa-client';
import { createTestPki } from '../../../support/pki';
import { startPkiServices, type PkiServices } from '../../../support/services';
import { createSoftwareSigner } from '../../../support/software-signer';
import { run, runStatus } from '../../../support/util';
import { extractTimestampTokens } from './helpers';

let svc: PkiServices;
let dir: string;
let content: Buffer;
let contentPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-cms-'));
  svc = await startPkiServices((baseUrl) => createTestPki(join(dir, 'pki'), { baseUrl }));
  content = Buffer.from('Délibération n° 2026-042 du conseil municipal\n'.repeat(100));
  contentPath = join(dir, 'content.txt');
  writeFileSync(contentPath, content);
});
afterAll(async () => {
  await svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

function signerFor(name: 'signerRsa' | 'signerEc') {
  const c = svc.pki.certs[name];
  return createSoftwareSigner({ certificate: c.certDer, privateKey: c.keyPem, chain: [svc.pki.certs.intermediate.certDer] });
}

async function opensslVerify(sigPath: string, extra: string[] = []) {
  return runStatus('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sigPath, '-CAfile', svc.pki.rootPemPath, '-purpose', 'any', '-out', '/dev/null', ...extra]);
}

describe('createCmsSignature against openssl cms -verify', () => {
  for (const name of ['signerRsa', 'signerEc'] as const) {
    it(`detached CAdES B-B (${name}) verifies, and fails on altered content`, async () => {
      const signer = signerFor(name);
      const der = await createCmsSignature({ signer, contentDigest: createHash('sha256').update(content).digest(), profile: 'cades' });
      const sig = join(dir, `${name}.p7s`);
      writeFileSync(sig, der);
      const ok = await opensslVerify(sig, ['-content', contentPath]);
      expect(ok.stderr).toContain('Verification successful');
      const tampered = join(dir, `${name}-tampered.txt`);
      writeFileSync(tampered, Buffer.concat([content, Buffer.from('x')]));
      const bad = await opensslVerify(sig, ['-content', tampered]);
      expect(bad.code).not.toBe(0);
      // signed attributes, as printed by openssl
      const { stdout } = await run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', sig]);
      expect(stdout).toContain('signingTime');
      expect(stdout).toContain('id-smime-aa-signingCertificateV2');
    });
  }

  it('PAdES profile leaves signingTime out', async () => {
    const der = await createCmsSignature({ signer: signerFor('signerRsa'), contentDigest: createHash('sha256').update(content).digest(), profile: 'pades' });
    const sig = join(dir, 'pades.p7s');
    writeFileSync(sig, der);
    const { stdout } = await run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', sig]);
    expect(stdout).not.toContain('signingTime');
    expect((await opensslVerify(sig, ['-content', contentPath])).stderr).toContain('Verification successful');
  });

  it('attached (encapsulated) content verifies and is returned by openssl', async () => {
    const der = await createCmsSignature({
      signer: signerFor('signerEc'),
      contentDigest: createHash('sha256').update(content).digest(),
      profile: 'cades',
      encapsulatedContent: content,
    });
    const sig = join(dir, 'attached.p7m');
    writeFileSync(sig, der);
    const out = join(dir, 'attached.out');
    const r = await runStatus('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-CAfile', svc.pki.rootPemPath, '-purpose', 'any', '-out', out]);
    expect(r.stderr).toContain('Verification successful');
    expect(await import('node:fs').then((fs) => fs.readFileSync(out))).toEqual(content);
  });

  it('B-T: the signature timestamp is over the SignatureValue and passes openssl ts -verify', async () => {
    const tsa = createTsaClient({ url: svc.tsaUrl });
    const der = await createCmsSignature({
      signer: signerFor('signerRsa'),
      contentDigest: createHash('sha256').update(content).digest(),
      profile: 'cades',
      timestamp: tsa,
    });
    const sig = join(dir, 'bt.p7s');
    writeFileSync(sig, der);
    expect((await opensslVerify(sig, ['-content', contentPath])).stderr).toContain('Verification successful');
    const tokens = extractTimestampTokens(der);
    expect(tokens).toHaveLength(1);
    const { token, signatureValue } = tokens[0]!;
    const tokenPath = join(dir, 'bt.tst');
    const dataPath = join(dir, 'bt.sigvalue');
    writeFileSync(tokenPath, token);
    writeFileSync(dataPath, signatureValue);
    const v = await runStatus('openssl', ['ts', '-verify', '-token_in', '-in', tokenPath, '-data', dataPath, '-CAfile', svc.pki.rootPemPath, '-untrusted', svc.pki.certs.intermediate.certPemPath]);
    expect(v.stdout + v.stderr).toContain('Verification: OK');
    // the same token over other data must fail
    writeFileSync(dataPath, Buffer.from('other'));
    const v2 = await runStatus('openssl', ['ts', '-verify', '-token_in', '-in', tokenPath, '-data', dataPath, '-CAfile', svc.pki.rootPemPath, '-untrusted', svc.pki.certs.intermediate.certPemPath]);
    expect(v2.code).not.toBe(0);
  });
});

describe('RFC 3161 client', () => {
  const imprint = createHash('sha256').update('payload').digest();

  it('returns a token whose TSTInfo matches the request', async () => {
    const token = await createTsaClient({ url: svc.tsaUrl })(imprint, 'SHA-256');
    const info = await inspectTimestampToken(token);
    expect(Buffer.from(info.imprint)).toEqual(imprint);
    expect(info.hash).toBe('SHA-256');
    expect(Math.abs(info.genTime.getTime() - Date.now())).toBeLessThan(60_000);
  });

  const failures: [string, () => string, TimestampError['kind']][] = [
    ['HTTP 500', () => svc.fail.tsaHttp500, 'http-status'],
    ['a rejection', () => svc.fail.tsaRejection, 'rejected'],
    ['garbage', () => svc.fail.tsaGarbage, 'bad-reply'],
    ['a wrong nonce', () => svc.fail.tsaWrongNonce, 'mismatch'],
    ['a wrong imprint', () => svc.fail.tsaWrongImprint, 'mismatch'],
  ];
  for (const [label, url, kind] of failures) {
    it(`refuses ${label} with a TimestampError (${kind})`, async () => {
      const err = await createTsaClient({ url: url() })(imprint, 'SHA-256').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimestampError);
      expect((err as TimestampError).kind).toBe(kind);
    });
  }

  it('times out on a slow TSA', async () => {
    const err = await createTsaClient({ url: `${svc.fail.tsaSlow}?ms=5000`, timeoutMs: 300 })(imprint, 'SHA-256').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimestampError);
    expect((err as TimestampError).kind).toBe('timeout');
  });

  it('refuses a token signed by a certificate without the timeStamping EKU', async () => {
    // a CMS signature by an ordinary signer is not a timestamp token
    const der = await createCmsSignature({ signer: signerFor('signerRsa'), contentDigest: imprint, profile: 'pades', contentTypeOid: '1.2.840.113549.1.9.16.1.4', encapsulatedContent: undefined });
    await expect(inspectTimestampToken(der)).rejects.toBeInstanceOf(TimestampError);
  });
});
