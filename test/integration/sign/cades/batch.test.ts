// Batch runner over real files with the CAdES format signers: per-file results, a failing file
// that does not stop the others, token removal and cancel ending the batch cleanly, the journal.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch, type BatchEvent, type BatchItem } from '../../../../src/main/core/sign/batch/run-batch';
import { formatSigner } from '../../../../src/main/core/sign/formats';
import { verifyJournal } from '../../../../src/main/core/sign/journal/journal';
import { outputPathFor } from '../../../../src/main/core/sign/output';
import { createTestPki, type TestPki } from '../../../support/pki';
import { createSoftwareSigner } from '../../../support/software-signer';
import { runStatus } from '../../../support/util';

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-batch-'));
  pki = await createTestPki(join(dir, 'pki'), { baseUrl: 'http://127.0.0.1:9' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(tag: string, n: number): BatchItem[] {
  const sub = join(dir, tag);
  mkdirSync(sub);
  return Array.from({ length: n }, (_, i) => {
    const input = join(sub, `doc${i + 1}.txt`);
    writeFileSync(input, `document ${i + 1}\n`);
    return { input, output: outputPathFor(input, 'cades'), format: 'cades' as const };
  });
}
const signer = (extra: { failAfter?: number; pinPerSignature?: boolean } = {}) =>
  createSoftwareSigner({ certificate: pki.certs.signerRsa.certDer, privateKey: pki.certs.signerRsa.keyPem, chain: [pki.certs.intermediate.certDer], ...extra });
const cert = { subject: 'CN=Jeanne Martin', serialNumber: '01', sha256: '00'.repeat(32) };

describe('runBatch', () => {
  it('signs every file, one failure does not stop the others, everything is journalled', async () => {
    const items = files('mixed', 4);
    writeFileSync(items[1]!.output, 'already here'); // this one must fail (no --force)
    const journalPath = join(dir, 'mixed.jsonl');
    const events: BatchEvent[] = [];
    const report = await runBatch({ items, signer: signer(), options: { level: 'B-B', force: false }, signerFor: formatSigner, journalPath, certificate: cert, onEvent: (e) => void events.push(e) });
    expect(report).toMatchObject({ total: 4, signed: 3, failed: 1, skipped: 0 });
    expect(report.results[1]!.error).toMatch(/already exists/);
    expect(report.results[1]!.errorKind).toBe('output-exists');
    for (const i of [0, 2, 3]) {
      const v = await runStatus('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', items[i]!.output, '-content', items[i]!.input, '-CAfile', pki.rootPemPath, '-purpose', 'any', '-out', '/dev/null']);
      expect(v.stderr).toContain('Verification successful');
    }
    expect(events[0]).toEqual({ type: 'start', total: 4, pinPerSignature: false });
    expect(events.filter((e) => e.type === 'file-done')).toHaveLength(4);
    expect(events.at(-1)?.type).toBe('done');
    const journal = await verifyJournal(journalPath);
    expect(journal.ok).toBe(true);
    expect(journal.entries.map((e) => e.outcome)).toEqual(['signed', 'failed', 'signed', 'signed']);
    expect(journal.entries[0]!.output?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('token removal ends the batch with a report; files after it are not attempted', async () => {
    const items = files('removal', 4);
    const report = await runBatch({ items, signer: signer({ failAfter: 1 }), options: { level: 'B-B', force: false }, signerFor: formatSigner });
    expect(report.results.map((r) => r.status)).toEqual(['signed', 'failed', 'skipped', 'skipped']);
    expect(report.results[1]!.errorKind).toBe('token-removed');
    expect(report.results[1]!.errorCode).toBe('TOKEN_REMOVED');
    expect(report.stopped?.reason).toBe('token-removed');
    expect(existsSync(items[1]!.output)).toBe(false);
    expect(readdirSync(join(dir, 'removal')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('cancel stops after the current file', async () => {
    const items = files('cancel', 3);
    const controller = new AbortController();
    const report = await runBatch({
      items,
      signer: signer({ pinPerSignature: true }),
      options: { level: 'B-B', force: false },
      signerFor: formatSigner,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'start') expect(e.pinPerSignature).toBe(true);
        if (e.type === 'file-done' && e.index === 0) controller.abort();
      },
    });
    expect(report.results.map((r) => r.status)).toEqual(['signed', 'skipped', 'skipped']);
    expect(report.stopped?.reason).toBe('cancelled');
  });
});
