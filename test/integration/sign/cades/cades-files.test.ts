// CAdES files (detached .p7s DER/PEM, attached .p7m streamed as BER, B-B/B-T/B-LT, co-signatures)
// checked with `openssl cms -verify` against the local test PKI, TSA and OCSP/CRL on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpClient } from '../../../../src/main/core/net/http';
import { cosignCades, signCadesAttached, signCadesDetached } from '../../../../src/main/core/sign/cades/sign-cades';
import { parseSignedData } from '../../../../src/main/core/sign/cms/parse';
import { cmsBytesFromFile } from '../../../../src/main/core/sign/output';
import { createRevocationCollector } from '../../../../src/main/core/sign/revocation/collect';
import { createTsaClient } from '../../../../src/main/core/sign/timestamp/tsa-client';
import { createTestPki } from '../../../support/pki';
import { startPkiServices, type PkiServices } from '../../../support/services';
import { createSoftwareSigner } from '../../../support/software-signer';
import { runStatus } from '../../../support/util';

let svc: PkiServices;
let dir: string;
let small: string;
let big: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-cades-'));
  svc = await startPkiServices((baseUrl) => createTestPki(join(dir, 'pki'), { baseUrl }));
  small = join(dir, 'arrêté municipal.pdf');
  writeFileSync(small, Buffer.from('%PDF-1.7 pretend content\n'.repeat(40)));
  big = join(dir, 'big.bin');
  writeFileSync(big, randomBytes(3 * 1024 * 1024 + 12345)); // several 1 MiB chunks + a partial one
});
afterAll(async () => {
  await svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

const signer = (name: 'signerRsa' | 'signerEc' | 'signerRevoked' = 'signerRsa') =>
  createSoftwareSigner({ certificate: svc.pki.certs[name].certDer, privateKey: svc.pki.certs[name].keyPem, chain: [svc.pki.certs.intermediate.certDer] });
const out = (name: string) => join(dir, name);

async function verify(sig: string, opts: { content?: string; pem?: boolean; outFile?: string } = {}) {
  return runStatus('openssl', [
    'cms', '-verify', '-binary', '-inform', opts.pem ? 'PEM' : 'DER', '-in', sig, '-CAfile', svc.pki.rootPemPath, '-purpose', 'any',
    ...(opts.content ? ['-content', opts.content] : []), '-out', opts.outFile ?? '/dev/null',
  ]);
}

describe('detached .p7s', () => {
  it('DER and PEM both pass openssl', async () => {
    const der = await signCadesDetached(small, out('a.p7s'), { signer: signer(), level: 'B-B' });
    expect((await verify(der.outputPath, { content: small })).stderr).toContain('Verification successful');
    const pem = await signCadesDetached(small, out('a.pem.p7s'), { signer: signer('signerEc'), level: 'B-B', pem: true });
    expect(readFileSync(pem.outputPath, 'latin1')).toMatch(/^-----BEGIN PKCS7-----\n/);
    expect((await verify(pem.outputPath, { content: small, pem: true })).stderr).toContain('Verification successful');
  });

  it('never overwrites without force, never writes over the input, leaves no temporary file', async () => {
    const target = out('keep.p7s');
    writeFileSync(target, 'precious');
    await expect(signCadesDetached(small, target, { signer: signer(), level: 'B-B' })).rejects.toThrow(/already exists/);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    await signCadesDetached(small, target, { signer: signer(), level: 'B-B', force: true });
    expect((await verify(target, { content: small })).stderr).toContain('Verification successful');
    const before = readFileSync(small);
    await expect(signCadesDetached(small, small, { signer: signer(), level: 'B-B', force: true })).rejects.toThrow(/replace the input/);
    expect(readFileSync(small)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('B-T carries a timestamp; a failing TSA leaves no file', async () => {
    const tsa = createTsaClient({ url: svc.tsaUrl });
    const r = await signCadesDetached(small, out('bt.p7s'), { signer: signer(), level: 'B-T', timestamp: tsa });
    expect((await verify(r.outputPath, { content: small })).stderr).toContain('Verification successful');
    const parsed = parseSignedData(readFileSync(r.outputPath));
    expect(parsed.signerInfos[0]!.unsignedAttributes.map((a) => a.type)).toContain('1.2.840.113549.1.9.16.2.14');
    const failing = createTsaClient({ url: svc.fail.tsaHttp500 });
    await expect(signCadesDetached(small, out('bt-fail.p7s'), { signer: signer(), level: 'B-T', timestamp: failing })).rejects.toThrow(/HTTP 500/);
    expect(existsSync(out('bt-fail.p7s'))).toBe(false);
  });

  it('B-LT embeds the chain and revocation data (OCSP as id-ri-ocsp-response), refuses a revoked signer', async () => {
    const http = createNodeHttpClient();
    const revocation = createRevocationCollector({ http });
    const r = await signCadesDetached(small, out('blt.p7s'), { signer: signer(), level: 'B-LT', timestamp: createTsaClient({ url: svc.tsaUrl, http }), revocation });
    expect((await verify(r.outputPath, { content: small })).stderr).toContain('Verification successful');
    const parsed = parseSignedData(readFileSync(r.outputPath));
    expect(parsed.version).toBe(5);
    // the signer and the TSA by OCSP (their AIA), the intermediate by the root's CRL (no OCSP URL)
    expect(parsed.revocationChoices.filter((c) => c[0] === 0xa1)).toHaveLength(2);
    expect(parsed.revocationChoices.filter((c) => c[0] === 0x30)).toHaveLength(1);
    // the root fetched through caIssuers of the intermediate
    expect(parsed.certificates.map((c) => Buffer.from(c).toString('hex'))).toContain(svc.pki.certs.root.certDer.toString('hex'));

    await expect(
      signCadesDetached(small, out('revoked.p7s'), { signer: signer('signerRevoked'), level: 'B-LT', timestamp: createTsaClient({ url: svc.tsaUrl }), revocation }),
    ).rejects.toThrow(/revoked/);
    expect(existsSync(out('revoked.p7s'))).toBe(false);
  });

  it('B-LT falls back to CRLs when OCSP fails', async () => {
    svc.setOcspMode('http500');
    try {
      const revocation = createRevocationCollector({ http: createNodeHttpClient() });
      const r = await signCadesDetached(small, out('blt-crl.p7s'), { signer: signer('signerEc'), level: 'B-LT', timestamp: createTsaClient({ url: svc.tsaUrl }), revocation });
      const parsed = parseSignedData(readFileSync(r.outputPath));
      expect(parsed.revocationChoices.filter((c) => c[0] === 0x30).length).toBe(2);
      expect((await verify(r.outputPath, { content: small })).stderr).toContain('Verification successful');
      const crlCheck = await runStatus('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', r.outputPath, '-content', small, '-CAfile', svc.pki.rootPemPath, '-purpose', 'any', '-crl_check_all', '-out', '/dev/null']);
      expect(crlCheck.stderr).toContain('Verification successful');
    } finally {
      svc.setOcspMode('ok');
    }
  });
});

describe('attached .p7m (streamed BER)', () => {
  it('DER: openssl verifies and returns the exact content', async () => {
    const r = await signCadesAttached(big, out('big.p7m'), { signer: signer('signerEc'), level: 'B-T', timestamp: createTsaClient({ url: svc.tsaUrl }) });
    const extracted = out('big.extracted');
    expect((await verify(r.outputPath, { outFile: extracted })).stderr).toContain('Verification successful');
    expect(readFileSync(extracted).equals(readFileSync(big))).toBe(true);
  });

  it('PEM and an empty file', async () => {
    const r = await signCadesAttached(small, out('small.pem.p7m'), { signer: signer(), level: 'B-B', pem: true });
    const extracted = out('small.extracted');
    expect((await verify(r.outputPath, { pem: true, outFile: extracted })).stderr).toContain('Verification successful');
    expect(readFileSync(extracted).equals(readFileSync(small))).toBe(true);
    const empty = out('empty.txt');
    writeFileSync(empty, '');
    const e = await signCadesAttached(empty, out('empty.p7m'), { signer: signer(), level: 'B-B' });
    expect((await verify(e.outputPath)).stderr).toContain('Verification successful');
  });
});

describe('co-signature', () => {
  it('adds a second signer to a detached signature; both verify', async () => {
    const first = await signCadesDetached(small, out('co.p7s'), { signer: signer(), level: 'B-B' });
    const co = await cosignCades(first.outputPath, out('co-signe.p7s'), { signer: signer('signerEc'), level: 'B-T', timestamp: createTsaClient({ url: svc.tsaUrl }), contentPath: small });
    expect(co.signerCount).toBe(2);
    const parsed = parseSignedData(readFileSync(co.outputPath));
    // the first SignerInfo is carried over byte for byte
    expect(Buffer.from(parsed.signerInfos[0]!.der)).toEqual(Buffer.from(parseSignedData(readFileSync(first.outputPath)).signerInfos[0]!.der));
    expect((await verify(co.outputPath, { content: small })).stderr).toContain('Verification successful');
    // openssl checks every SignerInfo: breaking the first one breaks verification
    const wrong = out('wrong-content.pdf');
    writeFileSync(wrong, 'something else');
    await expect(cosignCades(first.outputPath, out('co-wrong.p7s'), { signer: signer('signerEc'), level: 'B-B', contentPath: wrong })).rejects.toThrow(/does not match/);
  });

  it('co-signs a large binary .p7m on disk (ours, BER) and one made by openssl; all signers verify', async () => {
    const first = await signCadesAttached(big, out('co-bin.p7m'), { signer: signer('signerEc'), level: 'B-B' });
    const co = await cosignCades(first.outputPath, out('co-bin-signe.p7m'), { signer: signer(), level: 'B-T', timestamp: createTsaClient({ url: svc.tsaUrl }) });
    expect(co).toMatchObject({ attached: true, signerCount: 2 });
    const extracted = out('co-bin.extracted');
    expect((await verify(co.outputPath, { outFile: extracted })).stderr).toContain('Verification successful');
    expect(readFileSync(extracted).equals(readFileSync(big))).toBe(true);
    // a third signature on top of the second
    const third = await cosignCades(co.outputPath, out('co-bin-3.p7m'), { signer: signer('signerEc'), level: 'B-B' });
    expect(third.signerCount).toBe(3);
    expect((await verify(third.outputPath)).stderr).toContain('Verification successful');

    const byOpenssl = out('openssl.p7m');
    const c = svc.pki.certs.signerRsa;
    await runStatus('openssl', ['cms', '-sign', '-binary', '-nodetach', '-in', small, '-signer', c.certPemPath, '-inkey', c.keyPemPath, '-outform', 'DER', '-out', byOpenssl]);
    const co2 = await cosignCades(byOpenssl, out('openssl-signe.p7m'), { signer: signer('signerEc'), level: 'B-B' });
    expect(co2.signerCount).toBe(2);
    const r = await runStatus('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', co2.outputPath, '-CAfile', svc.pki.rootPemPath, '-certfile', svc.pki.certs.intermediate.certPemPath, '-purpose', 'any', '-out', '/dev/null']);
    expect(r.stderr).toContain('Verification successful');
  });

  it('refuses damaged signature files with a clear message', async () => {
    const first = readFileSync((await signCadesAttached(small, out('dmg.p7m'), { signer: signer(), level: 'B-B' })).outputPath);
    const truncated = out('truncated.p7m');
    writeFileSync(truncated, first.subarray(0, first.length - 40));
    await expect(cosignCades(truncated, out('truncated-signe.p7m'), { signer: signer(), level: 'B-B' })).rejects.toThrow(/not a valid CMS signature/);
    const garbage = out('garbage.p7s');
    writeFileSync(garbage, Buffer.concat([Buffer.from('3080', 'hex'), Buffer.alloc(100, 0x30)]));
    await expect(cosignCades(garbage, out('garbage-signe.p7s'), { signer: signer(), level: 'B-B' })).rejects.toThrow(/not a valid CMS signature/);
    expect(existsSync(out('truncated-signe.p7m')) || existsSync(out('garbage-signe.p7s'))).toBe(false);
  });

  it('adds a second signer to an attached PEM .p7m', async () => {
    const first = await signCadesAttached(big, out('co.p7m'), { signer: signer('signerEc'), level: 'B-B', pem: true });
    const co = await cosignCades(first.outputPath, out('co-signe.p7m'), { signer: signer(), level: 'B-B' });
    expect(co.attached).toBe(true);
    const extracted = out('co.extracted');
    expect((await verify(co.outputPath, { pem: true, outFile: extracted })).stderr).toContain('Verification successful');
    expect(readFileSync(extracted).equals(readFileSync(big))).toBe(true);
    expect(parseSignedData(cmsBytesFromFile(readFileSync(co.outputPath))).signerInfos).toHaveLength(2);
  });
});
