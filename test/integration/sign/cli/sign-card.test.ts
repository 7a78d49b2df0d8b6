// Signing with the virtual PIV card (pcscd + OpenSC): the 9C key needs the PIN before every
// signature (announced before the batch), and removing the card mid-batch ends the batch cleanly.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/main/cli/index';
import { runBatch, type BatchItem } from '../../../../src/main/core/sign/batch/run-batch';
import { formatSigner } from '../../../../src/main/core/sign/formats';
import { outputPathFor } from '../../../../src/main/core/sign/output';
import { signerWithChain } from '../../../../src/main/core/sign/revocation/chain';
import { openTokenSigner } from '../../../../src/main/core/token/pkcs11-signer';
import { cardControl, loadTestEnv, type TestEnvDescription } from '../../../support/env';
import { runStatus } from '../../../support/util';

let env: TestEnvDescription;
let dir: string;
let label: string;

beforeAll(() => {
  env = loadTestEnv();
  dir = mkdtempSync(join(tmpdir(), 'paraphe-sign-card-'));
  // OpenSC names a PIV token after the 9A certificate's CN
  label = /CN=([^,]+)/.exec(env.pki.certs.cardRsa.subject)![1]!;
});
afterAll(async () => {
  if (env.vcard) await cardControl(env).resetCard();
  rmSync(dir, { recursive: true, force: true });
});

const verify = (sig: string, content: string) =>
  runStatus('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', content, '-CAfile', env.pki.rootPemPath, '-purpose', 'any', '-out', '/dev/null']);

describe.skipIf(!process.env.PARAPHE_TEST_ENV || !loadTestEnv().vcard)('CAdES with the virtual PIV card', () => {
  it('9C EC key: the CLI says before starting that every signature needs the PIN; both files verify', async () => {
    const files = ['a.txt', 'b.txt'].map((n) => join(dir, n));
    for (const f of files) writeFileSync(f, `contenu ${f}\n`);
    const err: string[] = [];
    const out: string[] = [];
    const slot9c = env.vcard!.slots.find((s) => s.slot === '9c')!;
    const code = await runCli(['sign', ...files, '--token', label, '--module', env.vcard!.modulePath, '--key', slot9c.id], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { ...process.env, PARAPHE_PIN: env.vcard!.pin, PARAPHE_JOURNAL: join(dir, 'journal.jsonl') },
      isTty: false,
    });
    expect(code, err.join('\n')).toBe(0);
    const firstNotice = err.findIndex((l) => /asks for the PIN before every signature: 2 PIN entries/.test(l));
    const firstFile = err.findIndex((l) => /^\[1\/2\]/.test(l));
    expect(firstNotice).toBeGreaterThanOrEqual(0);
    expect(firstNotice).toBeLessThan(firstFile);
    for (const f of files) expect((await verify(`${f}.p7s`, f)).stderr).toContain('Verification successful');
  });

  it('card removed after the first file: that file is signed, the batch stops with a report, nothing half-written', async () => {
    const sub = mkdtempSync(join(dir, 'removal-'));
    const items: BatchItem[] = ['1', '2', '3'].map((n) => {
      const input = join(sub, `doc${n}.txt`);
      writeFileSync(input, `document ${n}\n`);
      return { input, output: outputPathFor(input, 'cades'), format: 'cades' };
    });
    const slot9a = env.vcard!.slots.find((s) => s.slot === '9a')!;
    const handle = await openTokenSigner({
      modulePath: env.vcard!.modulePath,
      tokenLabel: label,
      keyId: slot9a.id,
      pinProvider: async () => ({ pin: new TextEncoder().encode(env.vcard!.pin) }),
    });
    const card = cardControl(env);
    try {
      const report = await runBatch({
        items,
        signer: signerWithChain(handle.signer, [readFileSync(env.pki.certs.intermediate.certDerPath)]),
        options: { level: 'B-B', force: false },
        signerFor: formatSigner,
        // awaited by the batch: the card is out before the second file is attempted
        onEvent: async (e) => {
          if (e.type === 'file-done' && e.index === 0) await card.removeCard();
        },
      });
      expect(report.results[0]!.status).toBe('signed');
      expect((await verify(items[0]!.output, items[0]!.input)).stderr).toContain('Verification successful');
      expect(report.stopped?.reason).toBe('token-removed');
      expect(report.results.slice(1).map((r) => r.status)).toEqual(['failed', 'skipped']);
      expect(readdirSync(sub).filter((f) => f.endsWith('.p7s'))).toEqual(['doc1.txt.p7s']);
      expect(readdirSync(sub).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await handle.close();
      await card.resetCard();
    }
  });
});
