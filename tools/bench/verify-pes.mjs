// PES verification bench: a PES V2 with 200 signed bordereaux, verified by Paraphe (every signature)
// and by xmlsec1 (one run per signature, as xmlsec1 checks one ds:Signature per invocation).
// Run: npx tsx tools/bench/verify-pes.mjs [--count 200] [--xmlsec-runs N]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSignedPes, makeSigner, xmlsecVerify } from './pes-generator.mjs'
import { verifyXml } from '../../src/main/core/verify/xml/verify-xml.ts'
import { createVerificationContext } from '../../src/main/core/verify/context.ts'

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const count = arg('--count', 200)
const xmlsecRuns = arg('--xmlsec-runs', count)
const dir = mkdtempSync(join(tmpdir(), 'paraphe-bench-pes-'))
try {
  const signer = makeSigner(dir)
  const file = join(dir, 'PESALR2_bench.xml')
  const ids = generateSignedPes({ out: file, count, signer })
  const size = statSync(file).size
  const ctx = createVerificationContext({ offline: true, trustFiles: [signer.cert], now: () => new Date('2026-11-29T12:00:00Z') })

  await verifyXml(file, ctx) // warm-up (module loading, JIT)
  // Wall time and this process's CPU time: on a shared machine the CPU time shows the work done.
  const runs = []
  const cpu = []
  let report
  for (let r = 0; r < 3; r++) {
    const t0 = process.hrtime.bigint()
    const c0 = process.cpuUsage()
    report = await verifyXml(file, ctx)
    const c = process.cpuUsage(c0)
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6)
    cpu.push((c.user + c.system) / 1000)
  }
  const intact = report.signatures.filter((s) => s.integrity === 'intact').length
  const paraphe = Math.min(...runs)

  const t1 = process.hrtime.bigint()
  let xmlsecOk = 0
  for (const id of ids.slice(0, xmlsecRuns)) if (xmlsecVerify(file, id, signer.cert)) xmlsecOk++
  const xmlsecMs = Number(process.hrtime.bigint() - t1) / 1e6
  const xmlsecAll = (xmlsecMs / Math.max(1, xmlsecRuns)) * count

  const result = {
    file: { bordereaux: count, bytes: size },
    paraphe: { ms: Math.round(paraphe), runsMs: runs.map(Math.round), cpuMs: cpu.map(Math.round), signatures: report.signatures.length, intact, integrity: report.integrity, trust: report.trust },
    xmlsec1: { runs: xmlsecRuns, verified: xmlsecOk, ms: Math.round(xmlsecMs), estimatedAllMs: Math.round(xmlsecAll) },
    ratio: Number((xmlsecAll / paraphe).toFixed(1)),
  }
  console.log(JSON.stringify(result, null, 2))
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(result, null, 2))
  if (intact !== count || xmlsecOk !== xmlsecRuns) process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
