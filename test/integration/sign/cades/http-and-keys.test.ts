// The HttpClient's defences (size cap, timeout, scheme) and the check of the token's signature
// against its certificate, on real sockets and keys.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpClient, HttpError } from '../../../../src/main/core/net/http';
import { createCmsSignature } from '../../../../src/main/core/sign/cms/signed-data';
import { createTestPki, type TestPki } from '../../../support/pki';
import { createSoftwareSigner } from '../../../support/software-signer';

let server: http.Server;
let base: string;
let pki: TestPki;
let dir: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.alloc(200_000));
    } else if (req.url === '/stream') {
      res.writeHead(200); // no content-length: the cap must apply while reading
      const t = setInterval(() => res.write(Buffer.alloc(50_000)), 5);
      res.on('close', () => clearInterval(t));
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 3000);
    } else {
      res.writeHead(200, { 'content-type': 'application/x-test; charset=x' });
      res.end('ok');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'paraphe-http-'));
  pki = await createTestPki(join(dir, 'pki'), { baseUrl: base });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('createNodeHttpClient', () => {
  const client = createNodeHttpClient({ maxResponseBytes: 100_000, timeoutMs: 1000 });
  it('returns status, bare content type and body', async () => {
    const r = await client.post(`${base}/x`, new Uint8Array([1, 2]), 'application/timestamp-query');
    expect(r).toEqual({ status: 200, contentType: 'application/x-test', body: new Uint8Array(Buffer.from('ok')) });
  });
  it('refuses answers over the size cap, declared or streamed', async () => {
    await expect(client.get(`${base}/big`)).rejects.toMatchObject({ kind: 'too-large' });
    await expect(client.get(`${base}/stream`)).rejects.toMatchObject({ kind: 'too-large' });
  });
  it('times out, and refuses non-HTTP URLs', async () => {
    await expect(client.get(`${base}/slow`, { timeoutMs: 200 })).rejects.toMatchObject({ kind: 'timeout' });
    await expect(client.get('file:///etc/passwd')).rejects.toBeInstanceOf(HttpError);
    await expect(client.get('ldap://127.0.0.1/x')).rejects.toMatchObject({ kind: 'bad-url' });
  });
});

describe('createCmsSignature checks the token', () => {
  it('refuses a signature made by a key that is not the certificate key', async () => {
    const real = createSoftwareSigner({ certificate: pki.certs.signerRsa.certDer, privateKey: pki.certs.signerRsa.keyPem });
    const confused = { ...real, certificate: new Uint8Array(pki.certs.signerRevoked.certDer), supports: real.supports, signDigest: real.signDigest };
    await expect(createCmsSignature({ signer: confused, contentDigest: createHash('sha256').update('x').digest(), profile: 'cades' })).rejects.toThrow(/does not match its certificate/);
  });
  it('refuses a digest of the wrong length and an EC algorithm for an RSA key', async () => {
    const signer = createSoftwareSigner({ certificate: pki.certs.signerRsa.certDer, privateKey: pki.certs.signerRsa.keyPem });
    await expect(createCmsSignature({ signer, contentDigest: new Uint8Array(20), profile: 'cades' })).rejects.toThrow(/SHA-256 needs 32/);
    await expect(createCmsSignature({ signer, contentDigest: new Uint8Array(32), profile: 'cades', signatureAlgorithm: { scheme: 'ECDSA', hash: 'SHA-256' } })).rejects.toThrow(/cannot make ECDSA/);
  });
  it('RSA-PSS and SHA-384 signatures verify with openssl', async () => {
    const { writeFileSync } = await import('node:fs');
    const { runStatus } = await import('../../../support/util');
    const signer = createSoftwareSigner({ certificate: pki.certs.signerRsa.certDer, privateKey: pki.certs.signerRsa.keyPem, chain: [pki.certs.intermediate.certDer] });
    const content = Buffer.from('PSS content');
    for (const [alg, hash] of [[{ scheme: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }, 'sha256'], [{ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, 'sha384']] as const) {
      const der = await createCmsSignature({ signer, contentDigest: createHash(hash).update(content).digest(), digestAlgorithm: alg.hash, signatureAlgorithm: alg, profile: 'cades' });
      const sig = join(dir, `${alg.scheme}.p7s`);
      const data = join(dir, 'pss.txt');
      writeFileSync(sig, der);
      writeFileSync(data, content);
      const v = await runStatus('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', data, '-CAfile', pki.rootPemPath, '-purpose', 'any', '-out', '/dev/null']);
      expect(v.stderr, alg.scheme).toContain('Verification successful');
    }
  });
});
