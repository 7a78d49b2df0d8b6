// PAdES signing bench: Paraphe's signPdf (SoftHSM2 token) beside poppler's `pdfsig -add-signature`
// (same key in an NSS database) on the same generated inputs:
//   - one 100 MB PDF made of incompressible (random) images: wall time and peak RSS;
//   - 100 PDFs of 1 MB, one PIN entry: time per document beyond the token's own signing time.
// Usage: node tools/bench/pades.mjs [--dir DIR] [--big-mb 100] [--count 100] [--small-mb 1] [--json]
// (re-executes itself under tsx to load the TypeScript sources). Prints the figures.
//
// Measured 2026-11-29 on the shared 2-CPU build machine while other sessions ran tests (load
// average 12-22: wall-clock times of BOTH tools were inflated 5-16x; pdfsig alone ~0.12 s/file when idle):
//   100 MB: Paraphe 1.95 s, peak RSS 141 MB | pdfsig 8.69 s, 18 MB | ratio 0.22 (other runs 0.19-0.28)
//   100 x 1 MB: Paraphe 47.6 ms/doc, overhead beyond the token 42.5 ms wall, 12.6 ms CPU (process,
//   all threads; main-thread JS under signPdf ~3.6 ms, SHA-256 of the 1 MB included) | pdfsig 441 ms/doc
import { execFileSync, spawnSync } from 'node:child_process'
import { randomFillSync } from 'node:crypto'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..')

function args() {
  const a = process.argv.slice(2)
  const get = (k, d) => {
    const i = a.indexOf(k)
    return i >= 0 ? a[i + 1] : d
  }
  return {
    worker: get('--worker'),
    dir: get('--dir'),
    bigMb: Number(get('--big-mb', '100')),
    count: Number(get('--count', '100')),
    smallMb: Number(get('--small-mb', '1')),
    json: a.includes('--json'),
    keep: a.includes('--keep'),
  }
}

/** A PDF whose pages each show one random (incompressible) RGB image; classic xref table. */
export function writeImagePdf(path, totalBytes, pages = Math.max(1, Math.round(totalBytes / (10 * 1024 * 1024)))) {
  const fd = openSync(path, 'w')
  let pos = 0
  const offsets = []
  const w = (data) => {
    const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data
    writeSync(fd, b)
    pos += b.length
  }
  const obj = (num, body) => {
    offsets[num] = pos
    w(`${num} 0 obj\n${body}\nendobj\n`)
  }
  w('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')
  const perPage = Math.floor(totalBytes / pages)
  const width = 1000
  const height = Math.max(1, Math.floor(perPage / (width * 3)))
  const kids = []
  for (let i = 0; i < pages; i++) kids.push(`${3 + i * 3} 0 R`)
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>')
  obj(2, `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`)
  const chunk = Buffer.allocUnsafe(1024 * 1024)
  for (let i = 0; i < pages; i++) {
    const page = 3 + i * 3
    obj(page, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 ${page + 2} 0 R >> >> /Contents ${page + 1} 0 R >>`)
    const content = `q 495 0 0 ${Math.round((495 * height) / width)} 50 100 cm /Im0 Do Q`
    obj(page + 1, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`)
    const len = width * height * 3
    offsets[page + 2] = pos
    w(`${page + 2} 0 obj\n<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${len} >>\nstream\n`)
    for (let left = len; left > 0; ) {
      const n = Math.min(left, chunk.length)
      randomFillSync(chunk, 0, n)
      w(chunk.subarray(0, n))
      left -= n
    }
    w('\nendstream\nendobj\n')
  }
  const size = 3 + pages * 3
  const xref = pos
  let table = `xref\n0 ${size}\n0000000000 65535 f\r\n`
  for (let n = 1; n < size; n++) table += `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`
  w(`${table}trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`)
  closeSync(fd)
}

function timeCommand(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`)
  const [sec, kb] = r.stderr.trim().split('\n').pop().split(' ')
  return { seconds: Number(sec), maxRssMb: Number(kb) / 1024 }
}

// ------------------------------------------------------------------------------------------------
// worker: runs under tsx, signs with the SoftHSM token, reports JSON on stdout

async function worker(opts) {
  const { openTokenSigner } = await import('../../src/main/core/token/pkcs11-signer.ts')
  const { signPdf } = await import('../../src/main/core/sign/pades/index.ts')
  const setup = JSON.parse(process.env.PADES_BENCH_SETUP)
  process.env.SOFTHSM2_CONF = setup.conf
  const pin = new TextEncoder().encode(setup.pin)
  const handle = await openTokenSigner({
    modulePath: setup.module,
    tokenLabel: setup.label,
    keyId: setup.keyId,
    chain: [Buffer.from(setup.intermediateDer, 'base64')],
    pinProvider: async () => ({ pin: new Uint8Array(pin) }),
  })
  let tokenMs = 0
  let tokenCpuMs = 0
  const cpuMs = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const inner = handle.signer
  // the Signer contract, timing the token's part
  const signer = {
    certificate: inner.certificate,
    chain: inner.chain,
    keyType: inner.keyType,
    namedCurve: inner.namedCurve,
    pinPerSignature: inner.pinPerSignature,
    supports: (a) => inner.supports(a),
    async signDigest(d, a) {
      const t = performance.now()
      const c = cpuMs()
      try {
        return await inner.signDigest(d, a)
      } finally {
        tokenMs += performance.now() - t
        tokenCpuMs += cpuMs() - c
      }
    },
  }
  // warm-up (login, module load, JIT) on a throwaway copy: not measured
  await signPdf({ input: setup.warmup, output: join(opts.dir, 'warmup-signed.pdf'), signer, level: 'B-B', overwrite: true })
  tokenMs = 0
  tokenCpuMs = 0
  const rssBefore = process.memoryUsage().rss
  const inputs = JSON.parse(process.env.PADES_BENCH_INPUTS)
  const t0 = performance.now()
  const c0 = cpuMs()
  for (const input of inputs) await signPdf({ input, output: input.replace(/\.pdf$/, '-paraphe.pdf'), signer, level: 'B-B', overwrite: true })
  const totalMs = performance.now() - t0
  const totalCpuMs = cpuMs() - c0
  const result = { totalMs, tokenMs, totalCpuMs, tokenCpuMs, count: inputs.length, maxRssMb: process.resourceUsage().maxRSS / 1024, rssBeforeMb: rssBefore / 1024 / 1024 }
  await handle.close()
  process.stdout.write(JSON.stringify(result) + '\n')
}

// ------------------------------------------------------------------------------------------------

async function main(opts) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'paraphe-bench-pades-'))
  mkdirSync(dir, { recursive: true })
  const log = (...m) => opts.json || console.error(...m)
  try {
    log(`working in ${dir}`)
    const { createSoftHsmFixture, testPki, SOFTHSM_MODULE } = await import('../../test/integration/token/fixtures.ts')
    const hsm = await createSoftHsmFixture(dir, 'Paraphe Bench HSM')
    const pki = await testPki(dir)
    const c = pki.certs

    // NSS database holding the same key for pdfsig
    const nss = join(dir, 'nss')
    mkdirSync(nss, { recursive: true })
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password'])
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'root', '-t', 'CT,C,C', '-i', c.root.certPemPath])
    const p12 = join(dir, 'signer.p12')
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', c.signerRsa.keyPemPath, '-in', c.signerRsa.certPemPath, '-certfile', c.intermediate.certPemPath, '-name', 'bench-signer', '-passout', 'pass:', '-out', p12])
    execFileSync('pk12util', ['-i', p12, '-d', `sql:${nss}`, '-W', '', '-K', ''], { stdio: 'pipe' })

    log('generating inputs...')
    const big = join(dir, 'big.pdf')
    writeImagePdf(big, opts.bigMb * 1024 * 1024)
    const smalls = []
    for (let i = 0; i < opts.count; i++) {
      const p = join(dir, `small-${String(i).padStart(3, '0')}.pdf`)
      writeImagePdf(p, opts.smallMb * 1024 * 1024, 1)
      smalls.push(p)
    }
    const warmup = join(dir, 'warmup.pdf')
    writeImagePdf(warmup, 64 * 1024, 1)
    // page cache warm for both tools alike
    for (const f of [big, ...smalls]) execFileSync('cat', [f], { stdio: 'ignore', maxBuffer: 1 << 30 })

    const setup = JSON.stringify({
      conf: hsm.conf,
      label: hsm.label,
      pin: hsm.userPin,
      keyId: hsm.rsaId,
      module: SOFTHSM_MODULE,
      intermediateDer: Buffer.from(c.intermediate.certDer).toString('base64'),
      warmup,
    })
    const runWorker = (inputs) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--worker', 'sign', '--dir', dir], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, SOFTHSM2_CONF: hsm.conf, PADES_BENCH_SETUP: setup, PADES_BENCH_INPUTS: JSON.stringify(inputs) },
        maxBuffer: 16 * 1024 * 1024,
      })
      if (r.status !== 0) throw new Error(`worker failed: ${r.stderr}`)
      return JSON.parse(r.stdout.trim().split('\n').pop())
    }

    const pdfsigSign = (input) =>
      timeCommand('pdfsig', ['-add-signature', '-nssdir', `sql:${nss}`, '-nick', 'bench-signer', '-kpw', '', '-digest', 'SHA256', '-new-signature-field-name', 'Signature1', input, input.replace(/\.pdf$/, '-pdfsig.pdf')])

    log('100 MB: Paraphe...')
    const oursBig = runWorker([big])
    log('100 MB: pdfsig...')
    const peerBig = pdfsigSign(big)
    // both outputs must verify (a bench of broken signatures would be meaningless)
    for (const f of [big.replace(/\.pdf$/, '-paraphe.pdf'), big.replace(/\.pdf$/, '-pdfsig.pdf')]) {
      const out = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, '-no-ocsp', f], { encoding: 'utf8' }).stdout
      if (!/Signature is Valid/.test(out)) throw new Error(`${f} does not verify:\n${out}`)
    }

    log(`${opts.count} x ${opts.smallMb} MB: Paraphe...`)
    const oursBatch = runWorker(smalls)
    log(`${opts.count} x ${opts.smallMb} MB: pdfsig...`)
    const t0 = performance.now()
    for (const s of smalls) pdfsigSign(s)
    const peerBatchMs = performance.now() - t0

    const figures = {
      big: {
        sizeMb: statSync(big).size / 1024 / 1024,
        parapheSeconds: oursBig.totalMs / 1000,
        parapheTokenSeconds: oursBig.tokenMs / 1000,
        parapheMaxRssMb: oursBig.maxRssMb,
        pdfsigSeconds: peerBig.seconds,
        pdfsigMaxRssMb: peerBig.maxRssMb,
        ratio: oursBig.totalMs / 1000 / peerBig.seconds,
      },
      batch: {
        count: opts.count,
        sizeMb: opts.smallMb,
        parapheTotalSeconds: oursBatch.totalMs / 1000,
        parapheTokenSeconds: oursBatch.tokenMs / 1000,
        parapheOverheadMsPerDoc: (oursBatch.totalMs - oursBatch.tokenMs) / opts.count,
        parapheMsPerDoc: oursBatch.totalMs / opts.count,
        // CPU time (this process, user + system) beside wall time: less sensitive to a busy machine
        parapheOverheadCpuMsPerDoc: (oursBatch.totalCpuMs - oursBatch.tokenCpuMs) / opts.count,
        pdfsigTotalSeconds: peerBatchMs / 1000,
        pdfsigMsPerDoc: peerBatchMs / opts.count,
      },
    }
    if (opts.json) console.log(JSON.stringify(figures, null, 2))
    else {
      const f = (n, d = 2) => n.toFixed(d)
      const b = figures.big
      const s = figures.batch
      console.log(`PAdES B-B, SoftHSM2 RSA-2048 token (Paraphe) vs pdfsig -add-signature (adbe.pkcs7.detached: poppler 22.12 refuses -etsi here; NSS software key)`)
      console.log(`  ${f(b.sizeMb, 0)} MB PDF: Paraphe ${f(b.parapheSeconds)} s (token ${f(b.parapheTokenSeconds, 3)} s), peak RSS ${f(b.parapheMaxRssMb, 0)} MB | pdfsig ${f(b.pdfsigSeconds)} s, peak RSS ${f(b.pdfsigMaxRssMb, 0)} MB | ratio ${f(b.ratio)} (target <= 1.5, RSS <= 300 MB)`)
      console.log(`  ${s.count} x ${s.sizeMb} MB: Paraphe ${f(s.parapheTotalSeconds)} s (${f(s.parapheMsPerDoc, 1)} ms/doc, token ${f(s.parapheTokenSeconds)} s, overhead ${f(s.parapheOverheadMsPerDoc, 1)} ms/doc wall, ${f(s.parapheOverheadCpuMsPerDoc, 1)} ms/doc CPU, target <= 15) | pdfsig ${f(s.pdfsigTotalSeconds)} s (${f(s.pdfsigMsPerDoc, 0)} ms/doc)`)
      console.log(`  load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs (timings are wall-clock: a busy machine inflates both tools)`)
    }
    return figures
  } finally {
    if (!opts.keep && !opts.dir) rmSync(dir, { recursive: true, force: true })
  }
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
const opts = args()
if (!invokedDirectly) {
  // imported (e.g. for writeImagePdf): do nothing
} else if (opts.worker) await worker(opts)
else if (!process.env.PADES_BENCH_UNDER_TSX && !process.execArgv.some((a) => a.includes('tsx'))) {
  // the sources are TypeScript: run again with the tsx loader
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PADES_BENCH_UNDER_TSX: '1' },
  })
  process.exit(r.status ?? 1)
} else await main(opts)
