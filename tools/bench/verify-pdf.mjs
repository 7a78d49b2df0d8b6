// PDF verification bench: Paraphe's verifyPdf beside poppler's `pdfsig`, same generated input, same run.
// Input: a ~100 MB PDF of incompressible (random) images, signed twice by the project's PAdES signer
// (software RSA-2048 key from openssl): 3 revisions, so the first signature gets a full revision
// analysis (object-by-object diff of what the second signature changed).
// Paraphe runs in a child process (peak RSS = that process's maxRSS); its time is measured around
// verifyPdf (module loading excluded) and as the whole process; pdfsig is timed as a process with
// /usr/bin/time for its peak RSS.
// Usage: node tools/bench/verify-pdf.mjs [--mb 100] [--runs 3] [--keep]   (re-executes under tsx)
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..')
const argv = process.argv.slice(2)
const get = (k, d) => {
  const i = argv.indexOf(k)
  return i >= 0 ? argv[i + 1] : d
}

async function worker() {
  const file = get('--worker')
  const cert = get('--cert')
  const { createVerificationContext } = await import('../../src/main/core/verify/context.ts')
  const { verifyPdf } = await import('../../src/main/core/verify/pdf/verify-pdf.ts')
  const ctx = createVerificationContext({ offline: true, bundledAnchors: false, trustFiles: [cert] })
  const t0 = process.hrtime.bigint()
  const report = await verifyPdf(file, ctx)
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const s = report.signatures
  process.stdout.write(
    JSON.stringify({
      ms,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      integrity: report.integrity,
      signatures: s.map((x) => `${x.id}: ${x.indication}/${x.subIndication ?? '-'} ${x.integrity} (${x.coverage.description}; ${x.changesAfter.length} change kinds after)`),
    }),
  )
}

function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 })
  const last = r.stderr.trim().split('\n').pop() ?? ''
  const [sec, kb] = last.split(' ').map(Number)
  return { seconds: sec, maxRssMb: kb / 1024, stdout: r.stdout, stderr: r.stderr, status: r.status }
}

async function main() {
  const mb = Number(get('--mb', '100'))
  const runs = Number(get('--runs', '3'))
  const dir = mkdtempSync(join(tmpdir(), 'paraphe-bench-verify-pdf-'))
  try {
    const { writeImagePdf } = await import('./pades.mjs')
    const { signPdf } = await import('../../src/main/core/sign/pades/index.ts')
    const { createSoftwareSigner } = await import('../../test/support/software-signer.ts')
    const { readFileSync } = await import('node:fs')
    const base = join(dir, 'base.pdf')
    writeImagePdf(base, mb * 1024 * 1024)
    const key = join(dir, 'key.pem')
    const cert = join(dir, 'cert.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=Bench Signer/O=Paraphe', '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation'], { stdio: 'pipe' })
    const certDer = Buffer.from(readFileSync(cert, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64')
    const signer = createSoftwareSigner({ certificate: certDer, privateKey: readFileSync(key, 'utf8') })
    const once = join(dir, 'signed-once.pdf')
    const twice = join(dir, 'signed-twice.pdf')
    await signPdf({ input: base, output: once, signer, level: 'B-B' })
    await signPdf({ input: once, output: twice, signer, level: 'B-B', fieldName: 'Signature2' })
    const size = statSync(twice).size
    for (const f of [once, twice]) execFileSync('cat', [f], { stdio: 'ignore', maxBuffer: 1 << 30 }) // page cache warm for both tools

    const results = {}
    for (const [label, file] of [['1 signature', once], ['2 signatures (revision analysis)', twice]]) {
      const paraphe = []
      const whole = []
      let last
      for (let r = 0; r < runs; r++) {
        const t = timed(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--worker', file, '--cert', cert])
        if (t.status !== 0) throw new Error(`paraphe worker failed: ${t.stderr}`)
        last = JSON.parse(t.stdout)
        paraphe.push({ ms: last.ms, rss: last.maxRssMb })
        whole.push(t.seconds * 1000)
      }
      const pdfsig = []
      let pdfsigOut = ''
      for (let r = 0; r < runs; r++) {
        const t = timed('pdfsig', [file])
        pdfsig.push({ ms: t.seconds * 1000, rss: t.maxRssMb })
        pdfsigOut = t.stdout
      }
      const best = (a) => Math.min(...a)
      results[label] = {
        fileMb: statSync(file).size / 1e6,
        parapheMs: best(paraphe.map((x) => x.ms)),
        parapheRuns: paraphe.map((x) => Math.round(x.ms)),
        parapheProcessMs: best(whole),
        parapheMaxRssMb: Math.max(...paraphe.map((x) => x.rss)),
        pdfsigMs: best(pdfsig.map((x) => x.ms)),
        pdfsigRuns: pdfsig.map((x) => Math.round(x.ms)),
        pdfsigMaxRssMb: Math.max(...pdfsig.map((x) => x.rss)),
        parapheVerdict: `${last.integrity}; ${last.signatures.join(' | ')}`,
        pdfsigVerdict: [...pdfsigOut.matchAll(/Signature Validation: (.*)/g)].map((m) => m[1]).join(' | '),
      }
    }
    console.log(`PDF verification, ${(size / 1e6).toFixed(0)} MB PDF of random images, signed by Paraphe's PAdES signer (B-B, SHA-256, RSA-2048), best of ${runs}:`)
    for (const [label, r] of Object.entries(results)) {
      console.log(`  ${label}: Paraphe verifyPdf ${r.parapheMs.toFixed(0)} ms [${r.parapheRuns.join(', ')}] (whole process incl. tsx start ${r.parapheProcessMs.toFixed(0)} ms), peak RSS ${r.parapheMaxRssMb.toFixed(0)} MB | pdfsig ${r.pdfsigMs.toFixed(0)} ms [${r.pdfsigRuns.join(', ')}], peak RSS ${r.pdfsigMaxRssMb.toFixed(0)} MB | ratio ${(r.parapheMs / r.pdfsigMs).toFixed(2)} (target <= 1.5, RSS <= 300 MB)`)
      console.log(`    Paraphe: ${r.parapheVerdict}`)
      console.log(`    pdfsig:  ${r.pdfsigVerdict}`)
    }
    if (argv.includes('--json')) console.log(JSON.stringify(results, null, 2))
  } finally {
    if (!argv.includes('--keep')) rmSync(dir, { recursive: true, force: true })
    else console.log(`inputs kept in ${dir}`)
  }
}

if (get('--worker')) await worker()
else if (!process.env.VERIFY_PDF_BENCH_UNDER_TSX && !process.execArgv.some((a) => a.includes('tsx'))) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...argv], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, VERIFY_PDF_BENCH_UNDER_TSX: '1' } })
  process.exit(r.status ?? 1)
} else await main()
