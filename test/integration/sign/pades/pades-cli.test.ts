// `paraphe sign` on PDFs (in process, same code as the bundle): format detection, --visible,
// --reason, --level with the local TSA/OCSP, one PIN for several files; checked with pdfsig.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../src/main/cli/index'
import { loadTestEnv, type TestEnvDescription } from '../../../support/env'
import { createNssDb, pdfsig, qpdfCheck } from './helpers'

let env: TestEnvDescription
let dir: string
let nss: string

beforeAll(async () => {
  env = loadTestEnv()
  dir = mkdtempSync(join(tmpdir(), 'paraphe-pades-cli-'))
  nss = await createNssDb(join(dir, 'nss'), env.pki.rootPemPath)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function cli(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { ...process.env, PARAPHE_PIN: env.softhsm.pin, PARAPHE_JOURNAL: join(dir, 'journal.jsonl') },
    isTty: false,
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const tokenArgs = (kind: 'rsa' | 'ec') => ['--token', env.softhsm.label, '--module', env.softhsm.modulePath, '--key', env.softhsm.keys.find((k) => k.kind === kind)!.id]

async function pdf(name: string): Promise<string> {
  const doc = await PDFDocument.create()
  doc.addPage([595, 842])
  const p = join(dir, name)
  writeFileSync(p, await doc.save())
  return p
}

describe('paraphe sign (PAdES)', () => {
  it('signs two PDFs B-T with a visible stamp and a capacity; pdfsig: Valid and Trusted', async () => {
    const a = await pdf('délibération.pdf')
    const b = await pdf('arrêté.pdf')
    const r = await cli(['sign', a, b, ...tokenArgs('rsa'), '--level', 'B-T', '--tsa', env.services.tsaUrl, '--visible', '1,50,50,220,60', '--reason', "L'adjoint délégué", '--json'])
    expect(r.code, r.err + r.out).toBe(0)
    for (const out of [join(dir, 'délibération-signe.pdf'), join(dir, 'arrêté-signe.pdf')]) {
      const sigs = await pdfsig(out, nss)
      expect(sigs).toHaveLength(1)
      expect(sigs[0]).toMatchObject({ valid: true, trusted: true, total: true, subFilter: 'ETSI.CAdES.detached' })
      expect((await qpdfCheck(out)).code).toBe(0)
      expect(readFileSync(out).toString('latin1')).toMatch(/\/Reason <feff004c0027/i)
    }
  })

  it('B-LTA through the CLI: DSS and document timestamp after the signature', async () => {
    const a = await pdf('budget.pdf')
    const r = await cli(['sign', a, ...tokenArgs('ec'), '--format', 'pades', '--level', 'B-LTA', '--tsa', env.services.tsaUrl, '--json'])
    expect(r.code, r.err + r.out).toBe(0)
    const out = join(dir, 'budget-signe.pdf')
    const text = readFileSync(out).toString('latin1')
    expect(text).toMatch(/\/DSS \d+ 0 R/)
    expect(text).toMatch(/\/SubFilter \/ETSI\.RFC3161/)
    const sigs = await pdfsig(out, nss)
    expect(sigs[0]).toMatchObject({ valid: true, trusted: true })
    expect((await qpdfCheck(out)).code).toBe(0)
  })
})
