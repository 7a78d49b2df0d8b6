// Corpus score: every entry of expectations.json through Paraphe (verifyFile, offline, trust ignored)
// and through the peers on the same files: poppler `pdfsig` (PDF), `openssl cms -verify` (CMS) and
// `xmlsec1 --verify` (plain XML signatures). Each tool's answer is mapped to a file-level class and
// scored like the acceptance test: correct = class or also_acceptable; false accept = `intact`
// where the file is partial/modified/broken.
// Run: npx tsx tools/bench/corpus-score.mjs [--verbose]
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createVerificationContext } from '../../src/main/core/verify/context.ts'
import { verifyFile } from '../../src/main/core/verify/index.ts'

const repoRoot = process.cwd()
const fixtures = join(repoRoot, 'test', 'fixtures', 'corpus')
const shared = resolve(repoRoot, '../shared/corpus')
const UNLICENSED = ['pdf-attacks/', 'odf-xades-attacks/']
const verbose = process.argv.includes('--verbose')
const FAILING = ['partial', 'modified', 'broken']

const entries = JSON.parse(readFileSync(join(fixtures, 'expectations.json'), 'utf8')).files.filter((e) => e.class !== 'skip')
const locate = (file) => {
  const p = UNLICENSED.some((u) => file.startsWith(u)) ? join(shared, file) : join(fixtures, file)
  return existsSync(p) ? p : null
}

/** pdfsig: no signature -> unsigned; any invalid/mismatch -> broken; all valid: total -> intact, else partial */
function pdfsigClass(path) {
  const r = spawnSync('pdfsig', ['-nocert', '-no-ocsp', path], { encoding: 'latin1', timeout: 30_000 })
  const out = `${r.stdout}\n${r.stderr}`
  if (/does not contain any signatures/i.test(out)) return 'unsigned'
  const validations = [...out.matchAll(/Signature Validation: (.*)/g)].map((m) => m[1])
  if (validations.length === 0) return r.status === 0 ? 'unsigned' : 'broken'
  if (validations.some((v) => !/Signature is Valid/i.test(v))) return 'broken'
  const totals = [...out.matchAll(/(Total document signed|Not total document signed)/g)].map((m) => m[1])
  return totals.length > 0 && totals.at(-1) === 'Total document signed' ? 'intact' : 'partial'
}

/** openssl cms -verify (no chain check: trust ignored): ok -> intact, else broken */
function opensslClass(path, content) {
  const der = readFileSync(path)
  const inform = der[0] === 0x30 ? 'DER' : 'PEM'
  const args = ['cms', '-verify', '-noverify', '-binary', '-inform', inform, '-in', path, '-out', '/dev/null']
  if (content) args.push('-content', content)
  const r = spawnSync('openssl', args, { encoding: 'latin1', timeout: 30_000 })
  return r.status === 0 ? 'intact' : 'broken'
}

/** xmlsec1 --verify (certificates not checked: trust ignored): ok -> intact, no Signature -> unsigned, else broken */
function xmlsecClass(path) {
  const args = ['--verify', '--insecure', '--id-attr:Id', 'Bordereau', '--id-attr:Id', 'PES_Aller', '--id-attr:Id', 'SignedProperties', '--id-attr:Id', 'Object', '--id-attr:Id', 'Manifest', '--id-attr:Id', 'SignatureProperties']
  if (path.includes('merlin')) args.push('--hmackey', join(fixtures, 'needs', 'merlin-hmackey-secret.bin'))
  args.push(path)
  const r = spawnSync('xmlsec1', args, { encoding: 'latin1', timeout: 30_000 })
  if (r.status === 0) return 'intact'
  if (/failed to find default node with name="?Signature/i.test(r.stderr)) return 'unsigned'
  return 'broken'
}

function score(name, results) {
  const scored = results.filter((r) => r.got !== null)
  const correct = scored.filter((r) => r.got === r.e.class || r.e.also_acceptable.includes(r.got))
  const fa = scored.filter((r) => r.got === 'intact' && FAILING.includes(r.e.class))
  return { name, scored: scored.length, correct: correct.length, falseAccepts: fa.map((r) => r.e.file), misses: scored.filter((r) => !correct.includes(r)) }
}

const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-01T00:00:00Z') })
const paraphe = []
const pdfsig = []
const openssl = []
const xmlsec = []
let skipped = 0
for (const e of entries) {
  const path = locate(e.file)
  if (!path) {
    skipped++
    continue
  }
  const content = e.needs?.content ? join(fixtures, e.needs.content) : undefined
  let got
  try {
    got = (await verifyFile(path, { ctx, ...(content ? { content } : {}) })).integrity
  } catch {
    got = 'error'
  }
  paraphe.push({ e, got })
  const lower = path.toLowerCase()
  pdfsig.push({ e, got: lower.endsWith('.pdf') ? pdfsigClass(path) : null })
  openssl.push({ e, got: e.format === 'cades' ? opensslClass(path, content) : null })
  xmlsec.push({ e, got: lower.endsWith('.xml') ? xmlsecClass(path) : null })
}
const rows = [score('paraphe', paraphe), score('pdfsig (poppler)', pdfsig), score('openssl cms -verify', openssl), score('xmlsec1 --verify', xmlsec)]
console.log(`corpus: ${entries.length} scored entries (${skipped} skipped: file not available)`)
console.log('| tool | files it could score | correct | % | false accepts |')
console.log('|---|---|---|---|---|')
for (const r of rows) console.log(`| ${r.name} | ${r.scored} | ${r.correct} | ${((100 * r.correct) / Math.max(1, r.scored)).toFixed(1)} | ${r.falseAccepts.length} |`)
for (const r of rows) {
  if (r.falseAccepts.length) console.log(`${r.name} false accepts: ${r.falseAccepts.join(', ')}`)
  if (verbose) for (const m of r.misses) console.log(`  ${r.name} MISS ${m.e.file}: expected ${m.e.class}, got ${m.got}`)
}
