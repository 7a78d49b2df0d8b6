// Robustness fuzzer for the verifiers: mutates corpus files (bit flips, truncation, ByteRange and
// xref edits, spliced bytes for PDF; element moves, duplications and Id edits for XML) and runs
// verifyFile on each case in worker threads. A case fails when verification throws, gives no
// verdict, or takes more than --timeout ms; after --hard-timeout ms the worker is killed (a
// synchronous hang is caught too), late verdicts are reported with their time. Failing inputs are written to test/fixtures/fuzz-failures/ when their source may be
// redistributed, else only their recipe (source file, seed, mutation) is saved.
// Usage: npm run fuzz -- [--cases 5000] [--seed 1] [--timeout 5000] [--hard-timeout 60000] [--workers N] [--only pdf|xml]
//        npm run fuzz -- --replay test/fixtures/fuzz-failures/<case>.json --out FILE   (re-create a saved case)
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { availableParallelism, tmpdir } from 'node:os'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..')
const VALID = new Set(['intact', 'partial', 'modified', 'broken', 'unsigned', 'indeterminate'])
const UNLICENSED = ['pdf-attacks/', 'odf-xades-attacks/']

/** Small deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pdfMutations(buf, r) {
  const int = (n) => Math.floor(r() * n)
  const s = buf.toString('latin1')
  const kinds = ['bitflip', 'bitflip-tail', 'truncate', 'byterange', 'xref', 'splice', 'startxref', 'length']
  const kind = kinds[int(kinds.length)]
  const out = Buffer.from(buf)
  switch (kind) {
    case 'bitflip':
    case 'bitflip-tail': {
      const from = kind === 'bitflip-tail' ? Math.max(0, out.length - 4096) : 0
      const flips = 1 + int(8)
      for (let i = 0; i < flips; i++) {
        const p = from + int(out.length - from)
        out[p] ^= 1 << int(8)
      }
      return { kind, data: out }
    }
    case 'truncate':
      return { kind, data: out.subarray(0, int(out.length)) }
    case 'byterange': {
      const ms = [...s.matchAll(/\/ByteRange\s*\[([^\]]*)\]/g)]
      if (!ms.length) return { kind: 'bitflip', data: pdfMutations(buf, r).data }
      const m = ms[int(ms.length)]
      const nums = m[1].trim().split(/\s+/)
      const choice = int(6)
      let repl
      if (choice === 0) repl = nums.map((x) => String(Math.max(0, Number(x) + int(21) - 10)))
      else if (choice === 1) repl = nums.slice(0, 2)
      else if (choice === 2) repl = [...nums].reverse()
      else if (choice === 3) repl = nums.map(() => String(int(buf.length * 2)))
      else if (choice === 4) repl = nums.map((x, i) => (i === int(nums.length) ? '99999999999' : x))
      else repl = nums.map((x) => (r() < 0.5 ? '-' + x : x))
      const text = `/ByteRange [${repl.join(' ')}]`
      return { kind: `byterange-${choice}`, data: Buffer.concat([buf.subarray(0, m.index), Buffer.from(text, 'latin1'), buf.subarray(m.index + m[0].length)]) }
    }
    case 'xref': {
      const ms = [...s.matchAll(/\d{10} \d{5} [nf]/g)]
      if (!ms.length) return { kind: 'truncate', data: out.subarray(0, int(out.length)) }
      for (let i = 0; i < 1 + int(4); i++) {
        const m = ms[int(ms.length)]
        const v = String(int(buf.length * 1.2)).padStart(10, '0').slice(-10)
        out.write(v, m.index, 'latin1')
      }
      return { kind, data: out }
    }
    case 'startxref': {
      const i = s.lastIndexOf('startxref')
      if (i < 0) return { kind: 'truncate', data: out.subarray(0, int(out.length)) }
      const m = /startxref\s+(\d+)/.exec(s.slice(i))
      const v = [0, int(buf.length), buf.length + 10, Number(m?.[1] ?? 0) + int(9) - 4][int(4)]
      return { kind, data: Buffer.concat([buf.subarray(0, i), Buffer.from(s.slice(i).replace(/startxref\s+\d+/, `startxref\n${v}`), 'latin1')]) }
    }
    case 'length': {
      const ms = [...s.matchAll(/\/Length \d+/g)]
      if (!ms.length) return { kind: 'bitflip', data: out }
      const m = ms[int(ms.length)]
      return { kind, data: Buffer.from(s.slice(0, m.index) + `/Length ${[0, int(1e9), int(100)][int(3)]}` + s.slice(m.index + m[0].length), 'latin1') }
    }
    default: {
      // splice: copy a chunk of the file somewhere else (duplicated objects, nested garbage)
      const a = int(buf.length)
      const len = int(Math.min(4096, buf.length - a))
      const at = int(buf.length)
      return { kind: 'splice', data: Buffer.concat([buf.subarray(0, at), buf.subarray(a, a + len), buf.subarray(at)]) }
    }
  }
}

async function xmlMutation(buf, r) {
  const { DOMParser, XMLSerializer } = await import('@xmldom/xmldom')
  const int = (n) => Math.floor(r() * n)
  const text = buf.toString('latin1')
  const kind = ['move', 'duplicate', 'id', 'bitflip', 'truncate'][int(5)]
  if (kind === 'bitflip') {
    const out = Buffer.from(buf)
    for (let i = 0; i < 1 + int(4); i++) out[int(out.length)] ^= 1 << int(8)
    return { kind, data: out }
  }
  if (kind === 'truncate') return { kind, data: buf.subarray(0, int(buf.length)) }
  let doc
  try {
    doc = new DOMParser({ onError: () => undefined }).parseFromString(text, 'text/xml')
  } catch {
    return { kind: 'truncate', data: buf.subarray(0, int(buf.length)) }
  }
  const all = []
  const walk = (n, depth) => {
    if (depth > 200) return
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) { all.push(c); walk(c, depth + 1) }
  }
  if (!doc?.documentElement) return { kind: 'truncate', data: buf.subarray(0, int(buf.length)) }
  walk(doc.documentElement, 0)
  if (all.length < 2) return { kind: 'truncate', data: buf.subarray(0, int(buf.length)) }
  const el = all[int(all.length)]
  const target = all[int(all.length)]
  try {
    if (kind === 'move' && !el.contains?.(target) && el !== target) target.appendChild(el)
    else if (kind === 'duplicate') target.appendChild(el.cloneNode(true))
    else if (kind === 'id') {
      const withId = all.filter((e) => e.getAttribute('Id') || e.getAttribute('ID') || e.getAttribute('id'))
      const e = withId[int(withId.length)] ?? el
      const other = all[int(all.length)]
      const name = e.getAttribute('Id') ? 'Id' : e.getAttribute('ID') ? 'ID' : 'id'
      other.setAttribute(name, e.getAttribute(name) ?? 'x')
    }
  } catch {
    /* DOM refused the move: serialize what we have */
  }
  const decl = /^<\?xml[^>]*\?>/.exec(text)?.[0] ?? ''
  const encoding = /encoding=["']([^"']+)/i.exec(decl)?.[1]?.toLowerCase()
  const body = new XMLSerializer().serializeToString(doc)
  const out = body.startsWith('<?xml') ? body : decl + body
  return { kind: `xml-${kind}`, data: Buffer.from(out, encoding && encoding !== 'utf-8' && encoding !== 'utf8' ? 'latin1' : 'utf8') }
}

function listCorpus() {
  const roots = [join(ROOT, 'test', 'fixtures', 'corpus'), join(ROOT, '..', 'shared', 'corpus')]
  const seen = new Set()
  const out = []
  for (const root of roots) {
    if (!existsSync(root)) continue
    const walk = (d) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name)
        if (e.isDirectory()) walk(p)
        else if (/\.(pdf|xml)$/i.test(e.name) && statSync(p).size <= 2 * 1024 * 1024) {
          const rel = relative(root, p)
          if (seen.has(rel)) continue
          seen.add(rel)
          out.push({ path: p, rel, redistributable: !UNLICENSED.some((u) => rel.startsWith(u)) })
        }
      }
    }
    walk(root)
  }
  return out.sort((a, b) => a.rel.localeCompare(b.rel))
}

async function workerMain() {
  // worker threads do not inherit the tsx loader: load the TypeScript sources through its API
  const { tsImport } = await import('tsx/esm/api')
  const { createVerificationContext } = await tsImport('../src/main/core/verify/context.ts', import.meta.url)
  const { verifyFile } = await tsImport('../src/main/core/verify/index.ts', import.meta.url)
  const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-01T00:00:00Z') })
  let current = null
  const fail = (err) => parentPort.postMessage({ id: current, ok: false, ms: 0, error: `uncaught: ${String(err?.stack ?? err).split('\n').slice(0, 4).join(' | ')}` })
  process.on('uncaughtException', fail)
  process.on('unhandledRejection', fail)
  parentPort.on('message', async (job) => {
    current = job.id
    const t0 = Date.now()
    try {
      const report = await verifyFile(job.file, { ctx })
      const ok = report && VALID.has(report.integrity)
      parentPort.postMessage({ id: job.id, ok, integrity: report?.integrity, ms: Date.now() - t0, error: ok ? null : 'no verdict' })
    } catch (err) {
      parentPort.postMessage({ id: job.id, ok: false, ms: Date.now() - t0, error: String(err?.stack ?? err).split('\n').slice(0, 4).join(' | ') })
    }
  })
  parentPort.postMessage({ ready: true })
}

/** Re-creates the input of a saved recipe (`--replay recipe.json --out file`). */
async function replay(recipePath, out) {
  const recipe = JSON.parse(readFileSync(recipePath, 'utf8'))
  const src = listCorpus().find((f) => f.rel === recipe.source)
  if (!src) throw new Error(`source ${recipe.source} not found in the corpus`)
  const buf = readFileSync(src.path)
  const m = src.rel.endsWith('.xml') ? await xmlMutation(buf, rng(recipe.seed)) : pdfMutations(buf, rng(recipe.seed))
  writeFileSync(out, m.data)
  console.log(`${out}: ${recipe.source} with mutation ${m.kind} (recipe: ${recipe.mutation})`)
}

async function main() {
  const a = process.argv.slice(2)
  if (a.includes('--replay')) return replay(a[a.indexOf('--replay') + 1], a[a.indexOf('--out') + 1] ?? 'fuzz-replay.bin')
  const get = (k, d) => (a.indexOf(k) >= 0 ? a[a.indexOf(k) + 1] : d)
  const cases = Number(get('--cases', '5000'))
  const seed = Number(get('--seed', '1'))
  const timeout = Number(get('--timeout', '5000'))
  const hardTimeout = Math.max(timeout, Number(get('--hard-timeout', '60000')))
  const only = get('--only', '')
  const nWorkers = Number(get('--workers', String(Math.max(1, Math.min(4, availableParallelism())))))
  const corpus = listCorpus().filter((f) => !only || f.rel.endsWith(`.${only}`))
  if (!corpus.length) throw new Error('no corpus files found (test/fixtures/corpus, ../shared/corpus)')
  const work = mkdtempSync(join(tmpdir(), 'paraphe-fuzz-'))
  const failuresDir = join(ROOT, 'test', 'fixtures', 'fuzz-failures')
  const r = rng(seed)
  const failures = []
  const stats = { done: 0, late: 0, byIntegrity: {}, byKind: {}, slowest: 0 }
  const t0 = Date.now()

  // cases are generated lazily, one per free worker
  let next = 0
  const makeCase = async () => {
    const id = next++
    const src = corpus[Math.floor(r() * corpus.length)]
    const caseSeed = Math.floor(r() * 2 ** 31)
    const cr = rng(caseSeed)
    const buf = readFileSync(src.path)
    const m = src.rel.endsWith('.xml') ? await xmlMutation(buf, cr) : pdfMutations(buf, cr)
    const file = join(work, `case-${id}${src.rel.endsWith('.xml') ? '.xml' : '.pdf'}`)
    writeFileSync(file, m.data)
    return { id, file, src, caseSeed, kind: m.kind, data: m.data }
  }
  const record = (c, res) => {
    stats.done++
    stats.byKind[c.kind] = (stats.byKind[c.kind] ?? 0) + 1
    if (res.integrity) stats.byIntegrity[res.integrity] = (stats.byIntegrity[res.integrity] ?? 0) + 1
    stats.slowest = Math.max(stats.slowest, res.ms ?? 0)
    if (res.late) stats.late++
    if (!res.ok) {
      const failure = { source: c.src.rel, seed: c.caseSeed, mutation: c.kind, problem: res.error, ms: res.ms, late: Boolean(res.late) }
      failures.push(failure)
      mkdirSync(failuresDir, { recursive: true })
      const base = join(failuresDir, `fuzz-${seed}-${c.id}`)
      writeFileSync(`${base}.json`, JSON.stringify({ ...failure, file: c.src.redistributable ? `${base.split('/').pop()}${c.file.slice(c.file.lastIndexOf('.'))}` : null }, null, 2))
      if (c.src.redistributable) writeFileSync(`${base}${c.file.slice(c.file.lastIndexOf('.'))}`, c.data)
    }
    rmSync(c.file, { force: true })
    if (stats.done % 500 === 0) console.log(`  ${stats.done}/${cases} cases, ${failures.length} failure(s), ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  }

  const spawn = () =>
    new Promise((resolveReady) => {
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: { worker: true } })
      w.once('message', () => resolveReady(w))
      w.on('error', (err) => console.error('fuzz worker error:', err?.message ?? err))
    })

  const runWorker = async () => {
    let w = await spawn()
    while (next < cases) {
      const c = await makeCase()
      const res = await new Promise((resolveCase) => {
        // past --timeout the case is late; past --hard-timeout it is a hang and the worker is killed
        // (late cases still report their verdict and wall time, to tell load from real hangs)
        const timer = setTimeout(async () => {
          w.removeAllListeners('message')
          w.removeAllListeners('exit')
          await w.terminate()
          resolveCase({ ok: false, ms: hardTimeout, error: `no verdict within ${hardTimeout} ms (hang)`, respawn: true })
        }, hardTimeout)
        w.once('message', (msg) => {
          clearTimeout(timer)
          resolveCase(msg.ok && msg.ms > timeout ? { ...msg, ok: false, late: true, error: `verdict "${msg.integrity}" after ${msg.ms} ms (over ${timeout} ms)` } : msg)
        })
        w.once('exit', (code) => {
          clearTimeout(timer)
          resolveCase({ ok: false, ms: 0, error: `worker exited (${code})`, respawn: true })
        })
        w.postMessage({ id: c.id, file: c.file })
      })
      w.removeAllListeners('exit')
      record(c, res)
      if (res.respawn) w = await spawn()
    }
    await w.terminate()
  }
  console.log(`fuzzing ${cases} cases over ${corpus.length} corpus files, seed ${seed}, ${nWorkers} worker(s), timeout ${timeout} ms`)
  await Promise.all(Array.from({ length: nWorkers }, runWorker))
  rmSync(work, { recursive: true, force: true })
  console.log(`done: ${stats.done} cases in ${((Date.now() - t0) / 1000).toFixed(0)} s, slowest ${stats.slowest} ms`)
  console.log(`  verdicts: ${JSON.stringify(stats.byIntegrity)}`)
  console.log(`  mutations: ${JSON.stringify(stats.byKind)}`)
  const hard = failures.filter((f) => !f.late)
  console.log(`  crashes, missing verdicts or hangs over ${hardTimeout} ms: ${hard.length}; verdicts later than ${timeout} ms: ${stats.late} (load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')})`)
  console.log(failures.length ? `${failures.length} FAILURE(S), saved under test/fixtures/fuzz-failures/:` : 'no failure: every case got a verdict in time')
  for (const f of failures.slice(0, 20)) console.log(`  ${f.source} seed ${f.seed} ${f.mutation}: ${f.problem}`)
  process.exitCode = failures.length ? 1 : 0
}

if (!isMainThread && workerData?.worker) await workerMain()
else if (!process.execArgv.some((x) => x.includes('tsx')) && !process.env.PARAPHE_FUZZ_UNDER_TSX) {
  const { spawnSync } = await import('node:child_process')
  const res = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PARAPHE_FUZZ_UNDER_TSX: '1' } })
  process.exit(res.status ?? 1)
} else await main()
