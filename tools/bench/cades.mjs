// CAdES benchmark: detached (.p7s) and attached (.p7m) signatures of a random 1 GiB file, Paraphe
// vs `openssl cms -sign` on the same input, wall time and peak RSS (/usr/bin/time -v style %M).
// The signing key is a software key (the same certificate/key openssl uses): token time is not
// measured here (SoftHSM2 signs in under 1 ms).
// Run: npx tsx tools/bench/cades.mjs [--size-mib 1024] [--keep DIR]
import { spawnSync } from 'node:child_process'
import { randomFillSync } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(import.meta.url)
const args = process.argv.slice(2)

if (args[0] === 'child') {
  // child: one Paraphe signature, prints {ms} (RSS is measured from outside by /usr/bin/time)
  const [, mode, input, output, pkiDir] = args
  const { createSoftwareSigner } = await import('../../test/support/software-signer.ts')
  const { cosignCades, signCadesAttached, signCadesDetached } = await import('../../src/main/core/sign/cades/sign-cades.ts')
  const signer = createSoftwareSigner({
    certificate: readFileSync(join(pkiDir, 'signerRsa.der')),
    privateKey: readFileSync(join(pkiDir, 'signerRsa.key'), 'utf8'),
    chain: [readFileSync(join(pkiDir, 'intermediate.der'))],
  })
  const t0 = performance.now()
  const sign = mode === 'attached' ? signCadesAttached : mode === 'cosign' ? cosignCades : signCadesDetached
  await sign(input, output, { signer, level: 'B-B', force: true })
  console.log(JSON.stringify({ ms: Math.round(performance.now() - t0) }))
  process.exit(0)
}

const opt = (name, def) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : def
}
const sizeMiB = Number(opt('--size-mib', '1024'))
const keep = opt('--keep')
const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'paraphe-bench-cades-'))
mkdirSync(dir, { recursive: true })

function timed(cmd, cmdArgs) {
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', cmd, ...cmdArgs], { encoding: 'utf8', maxBuffer: 1 << 24 })
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr)
  if (r.status !== 0 || !m) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-2000)}`)
  return { wallS: Number(m[1]), rssMiB: Math.round(Number(m[2]) / 1024), stdout: r.stdout }
}

// the input: incompressible random bytes
const input = join(dir, `random-${sizeMiB}MiB.bin`)
if (!existsSync(input) || statSync(input).size !== sizeMiB * 1048576) {
  const fd = openSync(input, 'w')
  const chunk = Buffer.alloc(1 << 20)
  for (let i = 0; i < sizeMiB; i++) writeSync(fd, randomFillSync(chunk))
  closeSync(fd)
}
// the key and certificate (test PKI, also used by openssl)
const pkiDir = join(dir, 'pki')
if (!existsSync(join(pkiDir, 'signerRsa.der'))) {
  const { createTestPki } = await import('../../test/support/pki.ts')
  await createTestPki(pkiDir, { baseUrl: 'http://127.0.0.1:9' })
}
// warm the page cache so both tools read from memory
spawnSync('cat', [input], { stdio: ['ignore', 'ignore', 'inherit'] })

const rows = []
for (const mode of ['detached', 'attached']) {
  const ours = join(dir, `paraphe.${mode === 'attached' ? 'p7m' : 'p7s'}`)
  const peer = join(dir, `openssl.${mode === 'attached' ? 'p7m' : 'p7s'}`)
  const p = timed(process.execPath, ['--import', 'tsx', here, 'child', mode, input, ours, pkiDir])
  const signMs = JSON.parse(p.stdout.trim().split('\n').pop()).ms
  const o = timed('openssl', [
    'cms', '-sign', '-binary', ...(mode === 'attached' ? ['-nodetach'] : []), '-in', input, '-signer', join(pkiDir, 'signerRsa.crt'),
    '-inkey', join(pkiDir, 'signerRsa.key'), '-certfile', join(pkiDir, 'intermediate.crt'), '-outform', 'DER', '-out', peer,
  ])
  // both outputs must verify
  const verify = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', ours, ...(mode === 'detached' ? ['-content', input] : []), '-CAfile', join(pkiDir, 'root.crt'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' })
  rows.push({
    case: `CAdES ${mode} ${sizeMiB} MiB`,
    parapheSignS: signMs / 1000,
    parapheProcessS: p.wallS,
    parapheRssMiB: p.rssMiB,
    opensslS: o.wallS,
    opensslRssMiB: o.rssMiB,
    ratio: Number((signMs / 1000 / o.wallS).toFixed(2)),
    outputsMiB: [statSync(ours).size, statSync(peer).size].map((s) => Math.round(s / 1048576)),
    verifies: /Verification successful/.test(verify.stderr),
  })
  if (mode === 'attached') {
    // co-signature of the attached file: Paraphe (walked on disk) vs `openssl cms -resign`
    const co = join(dir, 'paraphe-cosigned.p7m')
    const coPeer = join(dir, 'openssl-cosigned.p7m')
    const pc = timed(process.execPath, ['--import', 'tsx', here, 'child', 'cosign', ours, co, pkiDir])
    const oc = timed('openssl', ['cms', '-resign', '-binary', '-inform', 'DER', '-in', peer, '-signer', join(pkiDir, 'signerEc.crt'), '-inkey', join(pkiDir, 'signerEc.key'), '-outform', 'DER', '-out', coPeer])
    const coVerify = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', co, '-CAfile', join(pkiDir, 'root.crt'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' })
    const ms = JSON.parse(pc.stdout.trim().split('\n').pop()).ms
    rows.push({
      case: `CAdES co-signature of the ${sizeMiB} MiB .p7m`,
      parapheSignS: ms / 1000,
      parapheProcessS: pc.wallS,
      parapheRssMiB: pc.rssMiB,
      opensslS: oc.wallS,
      opensslRssMiB: oc.rssMiB,
      ratio: Number((ms / 1000 / oc.wallS).toFixed(2)),
      outputsMiB: [statSync(co).size, statSync(coPeer).size].map((x) => Math.round(x / 1048576)),
      verifies: /Verification successful/.test(coVerify.stderr),
    })
    rmSync(co, { force: true })
    rmSync(coPeer, { force: true })
  }
  rmSync(ours, { force: true })
  rmSync(peer, { force: true })
}
console.table(rows)
console.log(JSON.stringify(rows, null, 2))
if (!keep) rmSync(dir, { recursive: true, force: true })
