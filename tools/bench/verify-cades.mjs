// Detached CAdES verification bench: a generated file (default 1 GiB) signed by OpenSSL, verified by
// Paraphe (verifyFile: streamed hash + full signature/certificate checks) and by `openssl cms -verify`,
// same inputs, same run. Paraphe is timed in-process (after a warm-up on a small file) and as a CLI
// process (`node bin/paraphe.js verify`, when the CLI is built), openssl as a process.
// Run: npx tsx tools/bench/verify-cades.mjs [--mib 1024] [--runs 3]
import { execFileSync, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createVerificationContext } from '../../src/main/core/verify/context.ts'
import { verifyFile } from '../../src/main/core/verify/index.ts'

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const mib = arg('--mib', 1024)
const runs = arg('--runs', 3)
const dir = mkdtempSync(join(tmpdir(), 'paraphe-bench-cades-'))
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6
const time = (fn) => {
  const t0 = process.hrtime.bigint()
  fn()
  return ms(t0)
}

try {
  const data = join(dir, 'data.bin')
  const fd = openSync(data, 'w')
  const chunk = randomBytes(1 << 20)
  for (let i = 0; i < mib; i++) writeSync(fd, chunk)
  closeSync(fd)
  const key = join(dir, 'key.pem')
  const cert = join(dir, 'cert.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=Bench Signer/O=Paraphe', '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation'], { stdio: 'pipe' })
  const sig = join(dir, 'data.bin.p7s')
  execFileSync('openssl', ['cms', '-sign', '-binary', '-cades', '-md', 'sha256', '-in', data, '-signer', cert, '-inkey', key, '-outform', 'DER', '-out', sig], { stdio: 'pipe' })

  const ctx = createVerificationContext({ offline: true, bundledAnchors: false, trustFiles: [cert] })
  // warm-up run (module loading, JIT, page cache) before the timed runs
  await verifyFile(sig, { ctx, content: data }).catch(() => undefined)

  // Paraphe and openssl alternate run by run, so a busy machine slows both alike.
  const paraphe = []
  const opensslRuns = []
  let report
  let opensslOk = false
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint()
    report = await verifyFile(sig, { ctx, content: data })
    paraphe.push(ms(t0))
    let res
    opensslRuns.push(time(() => (res = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', data, '-CAfile', cert, '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' }))))
    opensslOk = res.status === 0
  }
  // The CLI as a user runs it: one Node process on a bundle of src/main/cli (esbuild, dependencies
  // external, like the electron-vite build), so startup and module loading are counted.
  const cliBundle = join(process.cwd(), 'node_modules', '.tmp', 'paraphe-bench-cli.cjs')
  const built = spawnSync(join(process.cwd(), 'node_modules', '.bin', 'esbuild'), ['src/main/cli/index.ts', '--bundle', '--platform=node', '--format=cjs', '--packages=external', `--outfile=${cliBundle}`, '--log-level=error'], { stdio: 'pipe' })
  const cliRuns = []
  let cliVerdict = ''
  if (built.status === 0 && existsSync(cliBundle)) {
    for (let r = 0; r < runs; r++) {
      let res
      cliRuns.push(time(() => (res = spawnSync('node', ['-e', `require(${JSON.stringify(cliBundle)}).main()`, 'paraphe', 'verify', sig, '--content', data, '--trust', cert, '--offline', '--json'], { stdio: 'pipe' }))))
      try {
        cliVerdict = `exit=${res.status} integrity=${JSON.parse(res.stdout.toString()).integrity}`
      } catch {
        cliVerdict = `exit=${res.status} (no JSON: ${res.stderr.toString().trim().slice(0, 120)})`
      }
    }
  }
  const best = (a) => Math.min(...a)
  const s = report.signatures[0]
  console.log(`detached CAdES over ${mib} MiB (SHA-256, RSA-2048), best of ${runs}:`)
  console.log(`  paraphe verifyFile (in-process): ${best(paraphe).toFixed(0)} ms  [${paraphe.map((x) => x.toFixed(0)).join(', ')}]  integrity=${report.integrity} indication=${s?.indication}/${s?.subIndication ?? '-'}`)
  if (cliRuns.length) console.log(`  paraphe verify (CLI process):    ${best(cliRuns).toFixed(0)} ms  [${cliRuns.map((x) => x.toFixed(0)).join(', ')}]  ${cliVerdict}`)
  else console.log(`  paraphe verify (CLI process):    not run (bundle failed: ${built.stderr?.toString().slice(0, 200)})`)
  console.log(`  openssl cms -verify:             ${best(opensslRuns).toFixed(0)} ms  [${opensslRuns.map((x) => x.toFixed(0)).join(', ')}]  ok=${opensslOk}`)
  console.log(`  ratio in-process/openssl: ${(best(paraphe) / best(opensslRuns)).toFixed(2)}x${cliRuns.length ? `; CLI/openssl: ${(best(cliRuns) / best(opensslRuns)).toFixed(2)}x` : ''}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
