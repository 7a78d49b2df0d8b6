// PES V2 signing bench: Paraphe's signPes (one pass, SoftHSM2 token) beside xmlsec1 called once per
// bordereau (the way tools built on xmlsec1 sign PES files), on the same generated input: a PES_Aller
// in ISO-8859-1 with N bordereaux (default 200) and accented labels.
// Usage: node tools/bench/pes.mjs [--count 200] [--pieces 5] [--dir DIR] [--skip-xmlsec] [--json]
// (re-executes itself under tsx to load the TypeScript sources). Prints the figures; both outputs are
// checked with xmlsec1 (first, middle and last bordereau) so that broken signatures are never timed.
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
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
  return { count: Number(get('--count', '200')), pieces: Number(get('--pieces', '5')), dir: get('--dir'), skipXmlsec: a.includes('--skip-xmlsec'), json: a.includes('--json'), keep: a.includes('--keep') }
}

const DS = 'http://www.w3.org/2000/09/xmldsig#'
const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#'

function bordereau(i, pieces, template) {
  let body = `<BlocBordereau><Exer V="2026"/><IdBord V="${i}"/><DteBordEm V="2026-11-29"/><TypBord V="01"/><NbrPce V="${pieces}"/></BlocBordereau>`
  for (let p = 1; p <= pieces; p++) {
    body +=
      `\n\t\t\t<Piece><BlocPiece><InfoPce><IdPce V="${i * 1000 + p}"/><TypPce V="01"/><Obj V="Règlement facture n°${p} &#8212; fournitures scolaires élémentaires"/></InfoPce></BlocPiece>` +
      `<LigneDePiece><BlocLignePiece><InfoLignePce><IdLigne V="1"/><Nature V="6067"/><Fonction V="212"/><MtHT V="${(p * 13.37 + i).toFixed(2)}"/></InfoLignePce></BlocLignePiece>` +
      `<Tiers><InfoTiers><IdTiers V="3401236930011${p % 10}"/><Nom V="Société d'équipement n°${p}"/></InfoTiers><Adresse><Adr2 V="6 boulevard du Général Leclerc"/><CP V="92110"/><Ville V="CLICHY"/></Adresse></Tiers></LigneDePiece></Piece>`
  }
  return `\t\t<Bordereau Id="BORD${i}">${body}\n\t\t${template ? template(i) : ''}</Bordereau>\n`
}

/** The PES_Aller, optionally with an xmlsec1 signature template as each bordereau's last child. */
function pes(count, pieces, template) {
  let s =
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller" Id="PESBENCH">\n' +
    '\t<Enveloppe><Parametres><Version V="2"/><TypFic V="PESALR2"/><NomFic V="PESALR2_bench.xml"/></Parametres></Enveloppe>\n' +
    '\t<EnTetePES><DteStr V="2026-11-29"/><IdPost V="042000"/><IdColl V="21420218600019"/><CodCol V="218"/><CodBud V="00"/><LibelleColBud V="Commune de Saint-Étienne-le-Molard"/></EnTetePES>\n' +
    '\t<PES_DepenseAller><EnTeteDepense><IdVer V="2"/><InfoDematerialisee V="1"/></EnTeteDepense>\n'
  for (let i = 1; i <= count; i++) s += bordereau(i, pieces, template)
  s += '\t</PES_DepenseAller>\n</n:PES_Aller>\n'
  return Buffer.from(s, 'latin1')
}

// xmlsec1 template: same shape as ours (bordereau + SignedProperties references, exc-c14n, SHA-256)
const xmlsecTemplate = (i) =>
  `<ds:Signature xmlns:ds="${DS}" Id="S${i}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC}"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
  `<ds:Reference URI="#BORD${i}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="${EXC}"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>` +
  `<ds:Reference URI="#S${i}-SP" Type="http://uri.etsi.org/01903/v1.1.1#SignedProperties"><ds:Transforms><ds:Transform Algorithm="${EXC}"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>` +
  `</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo><ds:Object><xad:QualifyingProperties xmlns:xad="http://uri.etsi.org/01903/v1.1.1#" Target="#S${i}"><xad:SignedProperties Id="S${i}-SP"><xad:SignedSignatureProperties><xad:SigningTime>2026-11-29T12:00:00Z</xad:SigningTime></xad:SignedSignatureProperties></xad:SignedProperties></xad:QualifyingProperties></ds:Object></ds:Signature>`

const ID_ATTRS = ['Bordereau', `${DS}:Signature`, 'http://uri.etsi.org/01903/v1.1.1#:SignedProperties'].flatMap((a) => ['--id-attr:Id', a])

function xmlsecVerify(file, nodeId, root, intermediate) {
  const r = spawnSync('xmlsec1', ['--verify', ...ID_ATTRS, '--trusted-pem', root, '--untrusted-pem', intermediate, '--node-id', nodeId, file], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`xmlsec1 rejects ${nodeId} in ${file}: ${r.stderr}`)
}

async function run(opts) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'paraphe-bench-pes-'))
  mkdirSync(dir, { recursive: true })
  const log = (...m) => opts.json || console.error(...m)
  try {
    const { createSoftHsmFixture, testPki, SOFTHSM_MODULE } = await import('../../test/integration/token/fixtures.ts')
    const { openTokenSigner } = await import('../../src/main/core/token/pkcs11-signer.ts')
    const { signPes } = await import('../../src/main/core/sign/pes/index.ts')
    const { loadSignaturePolicy, toSignaturePolicy } = await import('../../src/main/core/sign/xades/index.ts')
    const hsm = await createSoftHsmFixture(dir, 'Paraphe PES Bench')
    const pki = await testPki(dir)
    const c = pki.certs

    const input = join(dir, 'pes-unsigned.xml')
    writeFileSync(input, pes(opts.count, opts.pieces))
    const warm = join(dir, 'pes-warmup.xml')
    writeFileSync(warm, pes(3, opts.pieces))
    log(`input: ${opts.count} bordereaux, ${(statSync(input).size / 1024).toFixed(0)} KiB, in ${dir}`)

    const handle = await openTokenSigner({
      modulePath: SOFTHSM_MODULE,
      tokenLabel: hsm.label,
      keyId: hsm.rsaId,
      chain: [c.intermediate.certDer],
      pinProvider: async () => ({ pin: new TextEncoder().encode(hsm.userPin) }),
    })
    let tokenMs = 0
    const inner = handle.signer
    const signer = {
      certificate: inner.certificate,
      chain: inner.chain,
      keyType: inner.keyType,
      namedCurve: inner.namedCurve,
      pinPerSignature: inner.pinPerSignature,
      supports: (a) => inner.supports(a),
      async signDigest(d, a) {
        const t = performance.now()
        try {
          return await inner.signDigest(d, a)
        } finally {
          tokenMs += performance.now() - t
        }
      },
    }
    const policyProfile = toSignaturePolicy(loadSignaturePolicy(join(ROOT, 'resources'), 'helios-pes-v2'))
    const common = { signer, policyProfile, role: 'Ordonnateur', place: { city: 'Saint-Étienne', postalCode: '42000', countryName: 'France' }, overwrite: true }
    // warm-up (login, module load): not measured
    await signPes({ input: warm, output: join(dir, 'pes-warmup-signed.xml'), ...common })
    tokenMs = 0
    const ours = join(dir, 'pes-paraphe.xml')
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const result = await signPes({ input, output: ours, ...common })
    const oursMs = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const oursCpuSeconds = (cpu.user + cpu.system) / 1e6
    const oursTokenMs = tokenMs
    await handle.close()
    if (result.signed.length !== opts.count) throw new Error(`Paraphe signed ${result.signed.length} of ${opts.count}`)
    for (const k of [0, Math.floor(opts.count / 2), opts.count - 1]) xmlsecVerify(ours, result.signed[k].signatureId, c.root.certPemPath, c.intermediate.certPemPath)
    log(`Paraphe: ${opts.count} signatures in ${(oursMs / 1000).toFixed(2)} s (token ${(oursTokenMs / 1000).toFixed(2)} s)`)

    let peer = null
    if (!opts.skipXmlsec) {
      // xmlsec1, one call per bordereau, each call's output is the next call's input
      const tpl = join(dir, 'pes-xmlsec-0.xml')
      writeFileSync(tpl, pes(opts.count, opts.pieces, xmlsecTemplate))
      const keyArg = `${c.signerRsa.keyPemPath},${c.signerRsa.certPemPath}`
      let current = tpl
      let peerCpuSeconds = 0
      const t1 = performance.now()
      for (let i = 1; i <= opts.count; i++) {
        const next = join(dir, `pes-xmlsec-${i % 2 === 1 ? 'a' : 'b'}.xml`)
        // /usr/bin/time reports the call's CPU time, which other load on the machine does not inflate
        const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'xmlsec1', '--sign', ...ID_ATTRS, '--privkey-pem', keyArg, '--node-id', `S${i}`, '--output', next, current], { encoding: 'utf8' })
        if (r.status !== 0) throw new Error(`xmlsec1 --sign failed: ${r.stderr}`)
        const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number)
        peerCpuSeconds += user + sys
        current = next
      }
      const peerMs = performance.now() - t1
      const peerOut = join(dir, 'pes-xmlsec.xml')
      copyFileSync(current, peerOut)
      for (const k of [1, Math.floor(opts.count / 2), opts.count]) xmlsecVerify(peerOut, `S${k}`, c.root.certPemPath, c.intermediate.certPemPath)
      peer = { ms: peerMs, perBordereauMs: peerMs / opts.count, cpuSeconds: peerCpuSeconds }
      log(`xmlsec1: ${opts.count} calls in ${(peerMs / 1000).toFixed(2)} s`)
    }
    // bytes outside our signatures are the input's
    const outText = readFileSync(ours).toString('latin1')
    const stripped = outText.replace(/<ds:Signature xmlns:ds="[^"]+"[\s\S]*?<\/ds:Signature>/g, '')
    if (stripped !== readFileSync(input).toString('latin1')) throw new Error('Paraphe changed bytes outside its signatures')
    const figures = {
      bordereaux: opts.count,
      inputKiB: Math.round(statSync(input).size / 1024),
      paraphe: { seconds: +(oursMs / 1000).toFixed(3), tokenSeconds: +(oursTokenMs / 1000).toFixed(3), overheadSeconds: +((oursMs - oursTokenMs) / 1000).toFixed(3), cpuSeconds: +oursCpuSeconds.toFixed(3) },
      xmlsec1OneCallPerBordereau: peer && { seconds: +(peer.ms / 1000).toFixed(3), perCallMs: +peer.perBordereauMs.toFixed(1), cpuSeconds: +peer.cpuSeconds.toFixed(3) },
      target: 'Paraphe <= 2 s for 200 bordereaux',
      loadAverage1min: +loadavg()[0].toFixed(2),
      cpus: (await import('node:os')).cpus().length,
    }
    console.log(opts.json ? JSON.stringify(figures) : JSON.stringify(figures, null, 2))
  } finally {
    if (!opts.keep && !opts.dir) rmSync(dir, { recursive: true, force: true })
  }
}

if (!process.env.PARAPHE_PES_BENCH_TSX) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PARAPHE_PES_BENCH_TSX: '1' },
  })
  process.exit(r.status ?? 1)
} else {
  await run(args())
}
