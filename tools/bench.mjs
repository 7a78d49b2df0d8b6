#!/usr/bin/env node
// `npm run bench`: runs every benchmark of tools/bench/ in one session (Paraphe and its peer tool on
// the same generated inputs, side by side) and writes their printed figures to docs/benchmarks.md,
// with the machine they ran on. Figures are never typed by hand: this file is the only writer.
// Options: --only NAME[,NAME] (e.g. --only pades,verify-pdf), --quick (smaller inputs: a smoke run,
// not the published figures).
import { spawnSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { writeFileSync, renameSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(import.meta.url), '../..')
const args = process.argv.slice(2)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null
const quick = args.includes('--quick')

// name, script, arguments (full run), arguments (quick run), what it compares
const BENCHES = [
  ['pades', 'pades.mjs', [], ['--big-mb', '10', '--count', '10'], 'PAdES signing vs `pdfsig -add-signature`'],
  ['cades', 'cades.mjs', [], ['--size-mib', '64'], 'CAdES detached/attached signing vs `openssl cms -sign`'],
  ['pes', 'pes.mjs', [], ['--count', '20'], 'PES V2 signing (every bordereau) vs `xmlsec1 --sign` per bordereau'],
  ['verify-pdf', 'verify-pdf.mjs', [], ['--mb', '10', '--runs', '1'], 'PDF verification (revision analysis included) vs `pdfsig`'],
  ['verify-cades', 'verify-cades.mjs', [], ['--mib', '64', '--runs', '1'], 'detached CAdES verification vs `openssl cms -verify`'],
  ['verify-pes', 'verify-pes.mjs', [], ['--count', '20'], 'PES verification (every bordereau) vs `xmlsec1 --verify`'],
  ['corpus', 'corpus-score.mjs', [], [], 'corpus verdicts: Paraphe vs pdfsig, openssl cms, xmlsec1'],
]

const sections = []
for (const [name, script, full, small, title] of BENCHES) {
  if (only && !only.includes(name)) continue
  process.stderr.write(`== ${name}: ${title}\n`)
  const t0 = Date.now()
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/bench', script), ...(quick ? small : full)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  const seconds = ((Date.now() - t0) / 1000).toFixed(0)
  const out = (r.stdout || '').trim()
  const status = r.status === 0 ? `ran in ${seconds} s` : `FAILED (exit ${r.status}) after ${seconds} s: ${(r.stderr || '').trim().split('\n').slice(-3).join(' / ')}`
  process.stderr.write(`   ${status}\n`)
  sections.push(`## ${title}\n\n\`tools/bench/${script}\`, ${status}.\n\n\`\`\`\n${out}\n\`\`\`\n`)
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
const doc = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\`${quick ? ' --quick (SMALL inputs: a smoke run, not the reference figures)' : ''} on ${new Date().toISOString().slice(0, 10)}, ${machine}.`,
  'Each section is one script of `tools/bench/`: it generates its own inputs and runs Paraphe and the peer tool on them in the same run.',
  'Times are wall-clock on a shared machine: compare the columns of one run, not runs of different days.',
  '',
  ...sections,
].join('\n')
const target = join(ROOT, 'docs/benchmarks.md')
writeFileSync(target + '.tmp', doc)
renameSync(target + '.tmp', target)
process.stderr.write(`wrote ${target}\n`)
