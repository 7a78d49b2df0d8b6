import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectFormatFromHead, xmlRootElement } from '../../../../src/main/core/sign/detect-format';
import { appendJournal, verifyJournal, type JournalRecord } from '../../../../src/main/core/sign/journal/journal';
import { cmsBytesFromFile, outputNameFor, pkcs7Pem } from '../../../../src/main/core/sign/output';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (n: number): JournalRecord => ({
  time: new Date(Date.UTC(2026, 10, 29, 10, n)).toISOString(),
  input: { path: `/docs/file${n}.pdf`, sha256: 'a'.repeat(64) },
  output: { path: `/docs/file${n}-signe.pdf`, sha256: 'b'.repeat(64) },
  format: 'pades',
  level: 'B-T',
  certificate: { subject: 'CN=Jeanne Martin', serialNumber: '01', sha256: 'c'.repeat(64) },
  outcome: 'signed',
});

describe('signature journal', () => {
  async function journalOf(n: number) {
    const path = join(dir, 'signatures.jsonl');
    for (let i = 1; i <= n; i++) await appendJournal(path, record(i));
    return path;
  }

  it('chains entries and verifies an untouched journal', async () => {
    const path = await journalOf(3);
    const check = await verifyJournal(path);
    expect(check.ok).toBe(true);
    expect(check.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(check.entries[1]!.prev).toBe(check.entries[0]!.hash);
  });

  it('detects an edited line', async () => {
    const path = await journalOf(3);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('file2.pdf', 'other.pdf');
    writeFileSync(path, lines.join('\n'));
    const check = await verifyJournal(path);
    expect(check.ok).toBe(false);
    expect(check.problems.some((p) => p.line === 2 && /modified/.test(p.message))).toBe(true);
  });

  it('detects a removed line in the middle and at the end', async () => {
    const path = await journalOf(4);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    writeFileSync(path, [lines[0], lines[2], lines[3]].join('\n') + '\n');
    expect((await verifyJournal(path)).problems.some((p) => /chain broken|sequence/.test(p.message))).toBe(true);
    writeFileSync(path, lines.slice(0, 3).join('\n') + '\n');
    const tail = await verifyJournal(path);
    expect(tail.ok).toBe(false);
    expect(tail.problems.some((p) => /last lines removed/.test(p.message))).toBe(true);
  });

  it('keeps appending after damage, and the damage stays reported', async () => {
    const path = await journalOf(2);
    writeFileSync(path, readFileSync(path, 'utf8') + 'garbage\n');
    await appendJournal(path, record(9));
    const check = await verifyJournal(path);
    expect(check.ok).toBe(false);
    expect(check.problems.some((p) => p.line === 3)).toBe(true);
  });

  it('an absent journal is empty and intact', async () => {
    expect(await verifyJournal(join(dir, 'none.jsonl'))).toEqual({ ok: true, entries: [], problems: [] });
  });
});

describe('output naming', () => {
  it('appends for CAdES and detached XAdES, suffixes before the extension otherwise', () => {
    expect(outputNameFor('/a/contrat.pdf', 'cades')).toBe('contrat.pdf.p7s');
    expect(outputNameFor('/a/contrat.pdf', 'cades-attached')).toBe('contrat.pdf.p7m');
    expect(outputNameFor('/a/contrat.pdf', 'xades-detached')).toBe('contrat.pdf.xades.xml');
    expect(outputNameFor('/a/contrat.pdf', 'pades')).toBe('contrat-signe.pdf');
    expect(outputNameFor('/a/flux.xml', 'pes')).toBe('flux-signe.xml');
    expect(outputNameFor('/a/flux.xml', 'xades')).toBe('flux-signe.xml');
    expect(outputNameFor('/a/contrat.pdf.p7s', 'cades', { cosignature: true })).toBe('contrat.pdf-signe.p7s');
    expect(outputNameFor('/a/README', 'pades')).toBe('README-signe');
  });

  it('PEM armour round-trips', () => {
    const der = new Uint8Array(200).map((_, i) => i);
    const pem = pkcs7Pem(der);
    expect(pem.split('\n').every((l) => l.length <= 64)).toBe(true);
    expect(cmsBytesFromFile(Buffer.from(pem))).toEqual(der);
  });
});

describe('format detection', () => {
  const head = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  it('PDF, PES_Aller (with prolog and namespace prefix), other XML, CMS, anything else', () => {
    expect(detectFormatFromHead(head('%PDF-1.7\n...')).format).toBe('pades');
    expect(detectFormatFromHead(head('garbage\n%PDF-1.4\n')).format).toBe('pades');
    expect(detectFormatFromHead(head('<?xml version="1.0"?><Note>see %PDF-1.4</Note>')).format).toBe('xades');
    const pes = '\u00ef\u00bb\u00bf<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- export -->\n<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller">';
    expect(detectFormatFromHead(head(pes)).format).toBe('pes');
    expect(xmlRootElement(head('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><Deliberation>'))).toBe('Deliberation');
    expect(detectFormatFromHead(head('<?xml version="1.0"?><Deliberation/>')).format).toBe('xades');
    const cms = detectFormatFromHead(Buffer.from('308006092a864886f70d010702a080', 'hex'));
    expect(cms).toMatchObject({ format: 'cades', cosignature: true });
    expect(detectFormatFromHead(head('-----BEGIN PKCS7-----\nMIAG')).cosignature).toBe(true);
    expect(detectFormatFromHead(head('PK\u0003\u0004 zip')).format).toBe('cades');
    expect(detectFormatFromHead(new Uint8Array(0)).format).toBe('cades');
  });
});
