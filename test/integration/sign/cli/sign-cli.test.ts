// `paraphe sign` and `paraphe journal` end to end: the CLI (in process, same code as the bundle)
// over the shared SoftHSM2 token (RSA and EC keys) and the local TSA/OCSP, checked with openssl.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/main/cli/index';
import { loadTestEnv, type TestEnvDescription } from '../../../support/env';
import { runStatus } from '../../../support/util';

let env: TestEnvDescription;
let dir: string;
let journal: string;

beforeAll(() => {
  env = loadTestEnv();
  dir = mkdtempSync(join(tmpdir(), 'paraphe-sign-cli-'));
  journal = join(dir, 'journal.jsonl');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], extraEnv: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { ...process.env, PARAPHE_PIN: env.softhsm.pin, PARAPHE_JOURNAL: journal, ...extraEnv },
    isTty: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const keyId = (kind: 'rsa' | 'ec') => env.softhsm.keys.find((k) => k.kind === kind)!.id;
const tokenArgs = (kind: 'rsa' | 'ec') => ['--token', env.softhsm.label, '--module', env.softhsm.modulePath, '--key', keyId(kind)];

async function opensslVerify(sig: string, content?: string, pem = false) {
  return runStatus('openssl', [
    'cms', '-verify', '-binary', '-inform', pem ? 'PEM' : 'DER', '-in', sig, '-CAfile', env.pki.rootPemPath, '-purpose', 'any',
    ...(content ? ['-content', content] : []), '-out', '/dev/null',
  ]);
}

describe('paraphe sign (CAdES) with SoftHSM2', () => {
  it('signs several files with one PIN (RSA, B-T, DER) into --out; openssl verifies', async () => {
    const outDir = mkdtempSync(join(dir, 'out-'));
    const a = join(dir, 'délibération.txt');
    const b = join(dir, 'budget.csv');
    writeFileSync(a, 'Le conseil municipal délibère.\n');
    writeFileSync(b, 'ligne;montant\n1;100\n');
    const r = await cli(['sign', a, b, ...tokenArgs('rsa'), '--format', 'cades', '--level', 'B-T', '--tsa', env.services.tsaUrl, '--out', outDir, '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ total: 2, signed: 2 });
    for (const [input, name] of [[a, 'délibération.txt.p7s'], [b, 'budget.csv.p7s']] as const) {
      const v = await opensslVerify(join(outDir, name), input);
      expect(v.stderr).toContain('Verification successful');
    }
  });

  it('EC key: attached PEM .p7m, and a co-signature of a detached .p7s with the other key', async () => {
    const doc = join(dir, 'arrete.bin');
    writeFileSync(doc, Buffer.alloc(70_000, 7));
    const attached = await cli(['sign', doc, ...tokenArgs('ec'), '--format', 'cades-attached', '--pem']);
    expect(attached.code, attached.err).toBe(0);
    expect(readFileSync(`${doc}.p7m`, 'latin1')).toMatch(/^-----BEGIN PKCS7-----/);
    expect((await opensslVerify(`${doc}.p7m`, undefined, true)).stderr).toContain('Verification successful');

    const first = await cli(['sign', doc, ...tokenArgs('ec')]); // auto: not PDF/XML -> cades detached
    expect(first.code, first.err).toBe(0);
    const co = await cli(['sign', `${doc}.p7s`, ...tokenArgs('rsa')]); // auto: a CMS file -> co-signature
    expect(co.code, co.err).toBe(0);
    expect(co.err).toMatch(/co-signature: 2 signers/);
    expect((await opensslVerify(join(dir, 'arrete.bin-signe.p7s'), doc)).stderr).toContain('Verification successful');
  });

  it('refuses to overwrite without --force and reports usage errors before asking for the PIN', async () => {
    const doc = join(dir, 'once.txt');
    writeFileSync(doc, 'x');
    expect((await cli(['sign', doc, ...tokenArgs('rsa')])).code).toBe(0);
    const again = await cli(['sign', doc, ...tokenArgs('rsa')]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists \(use --force/);
    expect((await cli(['sign', doc, ...tokenArgs('rsa'), '--force'])).code).toBe(0);
    const noTsa = await cli(['sign', doc, ...tokenArgs('rsa'), '--level', 'B-T', '--force'], { PARAPHE_TSA_URL: '' });
    expect(noTsa.err).toMatch(/needs a timestamp server/);
    const badToken = await cli(['sign', doc, '--token', 'No Such Token', '--module', env.softhsm.modulePath, '--force']);
    expect(badToken.code).toBe(2);
    expect(badToken.err).toMatch(/No Such Token/);
  });

  it('a failing TSA fails the file and writes nothing (B-T is never downgraded silently)', async () => {
    const doc = join(dir, 'tsa-down.txt');
    writeFileSync(doc, 'x');
    const r = await cli(['sign', doc, ...tokenArgs('rsa'), '--level', 'B-T', '--tsa', env.services.fail.tsaHttp500]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/FAILED - the timestamp server .* answered HTTP 500/);
    expect(() => readFileSync(`${doc}.p7s`)).toThrow();
  });

  it('a wrong PIN stops the batch without retrying it', async () => {
    const docs = ['p1.txt', 'p2.txt'].map((n) => join(dir, n));
    for (const d of docs) writeFileSync(d, d);
    const r = await cli(['sign', ...docs, ...tokenArgs('rsa'), '--json'], { PARAPHE_PIN: '0000' });
    expect(r.code).toBe(3); // as `paraphe pin`
    expect(r.err.toLowerCase()).toMatch(/pin/);
    for (const d of docs) expect(() => readFileSync(`${d}.p7s`)).toThrow();
  });
});

describe('paraphe sign dispatches by content to PAdES, PES and XAdES', () => {
  it('one batch: a PDF, a PES_Aller and another XML, each in its format, checked by the oracles', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const pdfDoc = await PDFDocument.create();
    pdfDoc.addPage([595, 842]).drawText('Arrêté du maire'.normalize('NFD').replace(/[\u0300-\u036f]/g, ''), { x: 50, y: 800 });
    const pdf = join(dir, 'arrete.pdf');
    writeFileSync(pdf, await pdfDoc.save());
    const pes = join(dir, 'flux.xml');
    writeFileSync(pes, readFileSync(join(process.cwd(), 'test/fixtures/pes/unsigned/pastell__PESALR1_99988877766655_121211_11.xml')));
    const xml = join(dir, 'deliberation.xml');
    writeFileSync(xml, '<?xml version="1.0" encoding="UTF-8"?>\n<Deliberation Id="d1"><Objet>Budget</Objet></Deliberation>\n');
    const r = await cli(['sign', pdf, pes, xml, ...tokenArgs('rsa'), '--role', 'Ordonnateur', '--place', 'Testville,12345,FR', '--reason', 'Le Maire', '--json']);
    expect(r.code, r.out + r.err).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.results.map((x: { format: string }) => x.format)).toEqual(['pades', 'pes', 'xades']);
    expect(report.results.map((x: { output: string }) => x.output)).toEqual([join(dir, 'arrete-signe.pdf'), join(dir, 'flux-signe.xml'), join(dir, 'deliberation-signe.xml')]);
    expect((await runStatus('qpdf', ['--check', join(dir, 'arrete-signe.pdf')])).code).toBe(0);
    const x = await runStatus('xmlsec1', ['--verify', '--trusted-pem', env.pki.rootPemPath, '--untrusted-pem', env.pki.certs.intermediate.certPemPath, '--id-attr:Id', 'Deliberation', join(dir, 'deliberation-signe.xml')]);
    expect(x.stdout + x.stderr).toMatch(/^OK/m);
  });
});

describe('paraphe journal', () => {
  it('lists what was signed and says whether the journal is intact; tampering is reported', async () => {
    const text = await cli(['journal']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/journal intact/);
    const json = JSON.parse((await cli(['journal', '--json'])).out);
    expect(json.intact).toBe(true);
    expect(json.entries.some((e: { outcome: string; format: string }) => e.outcome === 'signed' && e.format === 'cades')).toBe(true);
    expect(json.entries.some((e: { outcome: string }) => e.outcome === 'failed')).toBe(true);
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[0] = lines[0]!.replace('"signed"', '"failed"');
    writeFileSync(journal, lines.join('\n'));
    const after = await cli(['journal']);
    expect(after.code).toBe(1);
    expect(after.out).toMatch(/JOURNAL ALTERED/);
  });
});
