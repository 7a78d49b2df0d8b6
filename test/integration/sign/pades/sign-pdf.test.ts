// PAdES signing against independent oracles: pdfsig (NSS, trusting the test root), qpdf --check,
// openssl ts -verify (signature and document timestamps), openssl ocsp (DSS content), pdftoppm.
// Shared test environment (test/support): PKI, OCSP responder, CRLs and TSA on 127.0.0.1, SoftHSM2
// RSA and EC keys, the virtual PIV card (9A RSA, 9C P-256 with a PIN for every signature).
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeHttpClient } from '../../../../src/main/core/net/http'
import { PadesError, signPdf, type SignPdfOptions } from '../../../../src/main/core/sign/pades/index'
import { createRevocationCollector } from '../../../../src/main/core/sign/revocation/collect'
import type { Signer } from '../../../../src/main/core/sign/signer'
import { createTsaClient } from '../../../../src/main/core/sign/timestamp/tsa-client'
import { openTokenSigner, type TokenSignerHandle } from '../../../../src/main/core/token/pkcs11-signer'
import { loadTestEnv, type TestEnvDescription } from '../../../support/env'
import { run } from '../../../support/util'
import { extractTimestampTokens, parseSignedData } from '../cades/helpers'
import { byteRanges, createNssDb, darkShare, pdfsig, qpdfCheck, signedParts, verifyTimestamp } from './helpers'

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'pdf')
let env: TestEnvDescription
let dir: string
let nss: string
let rsa: Signer
let ec: Signer
const handles: TokenSignerHandle[] = []
let classicPdf: string
let xrefStreamPdf: string
let n = 0
const out = (name: string) => join(dir, `${++n}-${name}.pdf`)
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
const der = (path: string) => new Uint8Array(readFileSync(path))

async function tokenSigner(modulePath: string, tokenLabel: string, pin: string, keyId: string): Promise<Signer> {
  const h = await openTokenSigner({
    modulePath,
    tokenLabel,
    keyId,
    chain: [der(env.pki.certs.intermediate.certDerPath)],
    pinProvider: async () => ({ pin: new TextEncoder().encode(pin) }),
  })
  handles.push(h)
  return h.signer
}

beforeAll(async () => {
  env = loadTestEnv()
  dir = mkdtempSync(join(tmpdir(), 'paraphe-pades-'))
  nss = await createNssDb(join(dir, 'nss'), env.pki.rootPemPath)
  const hsm = env.softhsm
  rsa = await tokenSigner(hsm.modulePath, hsm.label, hsm.pin, hsm.keys.find((k) => k.kind === 'rsa')!.id)
  ec = await tokenSigner(hsm.modulePath, hsm.label, hsm.pin, hsm.keys.find((k) => k.kind === 'ec')!.id)

  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  for (let i = 1; i <= 2; i++) doc.addPage([595, 842]).drawText(`Délibération n°2026-04${i} — page ${i}`, { x: 50, y: 780, size: 18, font })
  classicPdf = join(dir, 'classic.pdf')
  writeFileSync(classicPdf, await doc.save({ useObjectStreams: false }))
  xrefStreamPdf = join(dir, 'xref-stream.pdf')
  await run('qpdf', ['--object-streams=generate', classicPdf, xrefStreamPdf])
})

afterAll(async () => {
  for (const h of handles) await h.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const tsa = () => createTsaClient({ url: env.services.tsaUrl })
const revocationFetcher = createRevocationCollector({ http: createNodeHttpClient() })

async function sign(opts: Partial<SignPdfOptions> & { input: string; output: string }) {
  return signPdf({ signer: rsa, level: 'B-B', ...opts })
}

describe('PAdES signatures', () => {
  it('B-B on a classic-xref PDF: Valid and Trusted for pdfsig, clean for qpdf, input untouched', async () => {
    const before = sha256(classicPdf)
    const o = out('bb')
    const r = await sign({ input: classicPdf, output: o, reason: 'Le Maire', location: 'Testville' })
    expect(r.fieldName).toBe('Signature1')
    expect(sha256(classicPdf)).toBe(before)
    const sigs = await pdfsig(o, nss)
    expect(sigs).toHaveLength(1)
    expect(sigs[0]).toMatchObject({ field: 'Signature1', valid: true, trusted: true, total: true, subFilter: 'ETSI.CAdES.detached' })
    expect((await qpdfCheck(o)).code).toBe(0)
    // the ByteRange leaves out exactly the /Contents hex string and covers the file up to its end
    expect(r.byteRange[2] + r.byteRange[3]).toBe(statSync(o).size)
    // PAdES: the time is in /M, not in a signingTime attribute; ESS signing-certificate-v2 is there
    const attrs = parseSignedData(signedParts(o, r.byteRange).contents).signerInfos[0]!.signedAttrs!.attributes.map((a) => a.type)
    expect(attrs).not.toContain('1.2.840.113549.1.9.5')
    expect(attrs).toContain('1.2.840.113549.1.9.16.2.47')
    expect(readFileSync(o).toString('latin1')).toMatch(/\/M \(D:\d{14}[+-]\d\d'\d\d'\)/)
    // no temporary file left next to the output
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    // the original bytes are the prefix of the output (incremental update)
    expect(readFileSync(o).subarray(0, statSync(classicPdf).size).equals(readFileSync(classicPdf))).toBe(true)
  })

  it('a second signature (EC, B-T, visible) keeps the first one valid; the signature timestamp verifies', async () => {
    const first = out('first')
    await sign({ input: classicPdf, output: first })
    const second = out('second')
    const r = await signPdf({
      input: first,
      output: second,
      signer: ec,
      level: 'B-T',
      timestamp: tsa(),
      reason: "L'adjoint délégué",
      location: 'Évry-Courcouronnes',
      visible: { page: 2, rect: [300, 60, 240, 70] },
    })
    expect(r.fieldName).toBe('Signature2')
    const sigs = await pdfsig(second, nss)
    expect(sigs.map((s) => [s.field, s.valid, s.trusted])).toEqual([
      ['Signature1', true, true],
      ['Signature2', true, true],
    ])
    expect(sigs[1]!.total).toBe(true)
    expect((await qpdfCheck(second)).code).toBe(0)

    const { contents } = signedParts(second, r.byteRange)
    const tokens = extractTimestampTokens(contents)
    expect(tokens).toHaveLength(1)
    const verdict = await verifyTimestamp(dir, tokens[0]!.token, tokens[0]!.signatureValue, env.pki.rootPemPath, env.pki.certs.intermediate.certPemPath)
    expect(verdict).toMatch(/Verification: OK/)
  })

  it('signs a PDF with xref and object streams: the update is an xref stream, two signatures stay valid', async () => {
    expect(readFileSync(xrefStreamPdf).toString('latin1')).toMatch(/\/Type\s*\/XRef/)
    const o1 = out('xs1')
    const o2 = out('xs2')
    // preloadBytes 0: the path big files take (read by offset, copied by streaming)
    await sign({ input: xrefStreamPdf, output: o1, preloadBytes: 0 })
    await signPdf({ input: o1, output: o2, signer: ec, level: 'B-B', visible: { page: 1, rect: [50, 50, 200, 50] }, preloadBytes: 0 })
    const tail = readFileSync(o2).subarray(statSync(o1).size).toString('latin1')
    expect(tail).toMatch(/\/Type \/XRef/)
    expect(tail).not.toMatch(/^xref$/m)
    const sigs = await pdfsig(o2, nss)
    expect(sigs.map((s) => [s.field, s.valid, s.trusted])).toEqual([
      ['Signature1', true, true],
      ['Signature2', true, true],
    ])
    expect((await qpdfCheck(o2)).code).toBe(0)
  })

  it('signs a linearized PDF (qpdf --linearize) twice, both signatures valid', async () => {
    const lin = join(dir, 'linearized.pdf')
    await run('qpdf', ['--linearize', classicPdf, lin])
    expect(readFileSync(lin).subarray(0, 1024).toString('latin1')).toMatch(/\/Linearized/)
    const o1 = out('lin1')
    const o2 = out('lin2')
    await sign({ input: lin, output: o1 })
    await signPdf({ input: o1, output: o2, signer: ec, level: 'B-B', visible: { page: 2, rect: [50, 50, 200, 50] } })
    expect((await pdfsig(o2, nss)).map((s) => [s.field, s.valid, s.trusted])).toEqual([
      ['Signature1', true, true],
      ['Signature2', true, true],
    ])
    expect((await qpdfCheck(o2)).code).toBe(0)
  })

  it.each([
    ['dss-pdf-signed-original.pdf', 'Signature2'],
    ['pyhanko-minimal-signed-twice-both-created.pdf', 'Signature1'],
    // its last trailer has /Prev 0: the older objects are found by scanning
    ['dss-pades-5-signatures-and-1-document-timestamp.pdf', 'Signature7'],
  ])('adds a signature to %s (signed by another tool) without breaking its signatures', async (fixture, expectedField) => {
    const input = join(dir, fixture)
    copyFileSync(join(FIXTURES, fixture), input)
    const before = await pdfsig(input, nss)
    const o = out('third-party')
    const r = await sign({ input, output: o, visible: { page: 1, rect: [20, 20, 150, 40] } })
    expect(r.fieldName).toBe(expectedField)
    const after = await pdfsig(o, nss)
    expect(after).toHaveLength(before.length + 1)
    // earlier signatures: same integrity verdict as before (pdfsig cannot verify document timestamps)
    expect(after.slice(0, before.length).map((s) => [s.field, s.validation])).toEqual(before.map((s) => [s.field, s.validation]))
    expect(before.filter((s) => s.valid).length).toBeGreaterThan(0)
    expect(after[after.length - 1]).toMatchObject({ field: expectedField, valid: true, trusted: true, total: true })
    const names = after.map((s) => s.field)
    expect(new Set(names).size).toBe(names.length)
  })

  it('certification: P=1 forbids any further signature, P=2 allows one, a signed document cannot be certified', async () => {
    const p1 = out('cert-p1')
    await sign({ input: classicPdf, output: p1, certify: { docMdpPermissions: 1 } })
    const sigs = await pdfsig(p1, nss)
    expect(sigs[0]).toMatchObject({ valid: true, trusted: true })
    expect(readFileSync(p1).toString('latin1')).toMatch(/\/Perms <<\/DocMDP \d+ 0 R/)
    const refused = out('refused')
    const err = await sign({ input: p1, output: refused }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PadesError)
    expect((err as PadesError).code).toBe('certified-no-changes')
    expect((err as Error).message).toMatch(/certified.*no changes allowed/)
    expect(existsSync(refused)).toBe(false)

    // a certification made by EU DSS with /P 1
    const third = join(dir, 'dss-certified.pdf')
    copyFileSync(join(FIXTURES, 'dss-certified-no-change-permitted.pdf'), third)
    await expect(sign({ input: third, output: out('refused-dss') })).rejects.toMatchObject({ code: 'certified-no-changes' })

    const p2 = out('cert-p2')
    await sign({ input: classicPdf, output: p2, certify: { docMdpPermissions: 2 } })
    const p2b = out('cert-p2-second')
    await signPdf({ input: p2, output: p2b, signer: ec, level: 'B-B' })
    expect((await pdfsig(p2b, nss)).map((s) => s.valid)).toEqual([true, true])
    await expect(sign({ input: p2b, output: out('certify-late'), certify: { docMdpPermissions: 2 } })).rejects.toMatchObject({ code: 'certification-not-first' })
  })

  it('draws a visible signature with text and an image inside its rectangle only', async () => {
    const png = join(dir, 'stamp.png')
    writeFileSync(png, rgbaPng(96, 48))
    const o = out('visible')
    await sign({
      input: classicPdf,
      output: o,
      reason: 'Le Maire',
      location: 'Saint-Étienne',
      visible: { page: 1, rect: [100, 100, 260, 80], image: png },
    })
    // page height 842: the rectangle spans y 100..180 from the bottom => 662..742 from the top
    const inside = await darkShare(o, 1, { x: 100, y: 662, w: 260, h: 80 })
    const below = await darkShare(o, 1, { x: 100, y: 760, w: 260, h: 60 })
    expect(inside).toBeGreaterThan(0.05)
    expect(below).toBe(0)
    expect((await pdfsig(o, nss))[0]).toMatchObject({ valid: true, trusted: true })
    expect((await qpdfCheck(o)).code).toBe(0)
  })

  it('places the stamp where asked on a page displayed rotated (/Rotate 90), upright', async () => {
    const doc = await PDFDocument.create()
    doc.addPage([400, 300]).setRotation(degrees(90)) // displayed 300 wide, 400 high
    const input = join(dir, 'rotated.pdf')
    writeFileSync(input, await doc.save())
    const o = out('rotated')
    await sign({ input, output: o, reason: 'Le Maire', visible: { page: 1, rect: [20, 20, 200, 50] } })
    // displayed page 300 x 400: the stamp spans y 20..70 from the bottom => 330..380 from the top
    expect(await darkShare(o, 1, { x: 20, y: 330, w: 200, h: 50 })).toBeGreaterThan(0.02)
    expect(await darkShare(o, 1, { x: 0, y: 0, w: 300, h: 320 })).toBe(0)
    // the appearance is turned back counter-clockwise so it reads upright
    const text = readFileSync(o).toString('latin1')
    expect(text).toMatch(/\/Matrix \[0 1 -1 0 0 0\]/)
    expect((await pdfsig(o, nss))[0]).toMatchObject({ valid: true, trusted: true })
  })

  it('B-LT writes a DSS with certificates, OCSP responses and CRLs; B-LTA adds a document timestamp over the whole file', async () => {
    const o = out('lta')
    const r = await sign({ input: classicPdf, output: o, level: 'B-LTA', timestamp: tsa(), revocationFetcher })
    // signer, intermediate, TSA (from the timestamp token); OCSP for signer and TSA, CRL or OCSP for the intermediate
    expect(r.dss!.certs).toBeGreaterThanOrEqual(3)
    expect(r.dss!.ocsps).toBeGreaterThanOrEqual(2)
    expect(r.dss!.ocsps + r.dss!.crls).toBeGreaterThanOrEqual(3)
    expect((await qpdfCheck(o)).code).toBe(0)
    const sigs = await pdfsig(o, nss)
    expect(sigs[0]).toMatchObject({ field: 'Signature1', valid: true, trusted: true, total: false })
    expect(sigs[1]?.field).toBe(r.documentTimestamp!.fieldName)
    expect(sigs[1]?.subFilter).not.toBe('ETSI.CAdES.detached')

    // the document timestamp covers everything but its own /Contents, DSS included
    const size = statSync(o).size
    expect(r.documentTimestamp!.byteRange[2] + r.documentTimestamp!.byteRange[3]).toBe(size)
    const { signedData, contents } = signedParts(o, r.documentTimestamp!.byteRange)
    const verdict = await verifyTimestamp(dir, contents, signedData, env.pki.rootPemPath, env.pki.certs.intermediate.certPemPath)
    expect(verdict).toMatch(/Verification: OK/)

    // the DSS holds the OCSP response for the signer (read back with qpdf and openssl)
    const json = JSON.parse((await run('qpdf', ['--json=2', '--json-key=qpdf', o])).stdout) as { qpdf: [unknown, Record<string, { value?: Record<string, unknown> }>] }
    const objects = json.qpdf[1]
    const catalogRef = (objects['trailer']!.value as { '/Root': string })['/Root']
    const dssRef = (objects[`obj:${catalogRef}`]!.value as { '/DSS': string })['/DSS']
    const dss = objects[`obj:${dssRef}`]!.value as Record<string, string[]>
    expect(dss['/Certs']).toHaveLength(r.dss!.certs)
    const ocspRef = dss['/OCSPs']![0]!.replace(/ 0 R$/, '')
    const ocspPath = join(dir, 'dss-ocsp.der')
    writeFileSync(ocspPath, execFileSync('qpdf', [`--show-object=${ocspRef}`, '--filtered-stream-data', o]))
    const text = (await run('openssl', ['ocsp', '-respin', ocspPath, '-resp_text', '-noverify'])).stdout
    expect(text).toMatch(/Cert Status: good/)
  })

  it('extends an existing DSS whose arrays are indirect objects (pyHanko B-LTA file)', async () => {
    const input = join(dir, 'pyhanko-lta.pdf')
    copyFileSync(join(FIXTURES, 'pyhanko-pades-lta-dss-indirect-arrs-test.pdf'), input)
    const o = out('lt-on-lta')
    const r = await sign({ input, output: o, level: 'B-LT', timestamp: tsa(), revocationFetcher })
    expect(r.dss!.ocsps + r.dss!.crls).toBeGreaterThanOrEqual(3)
    expect((await qpdfCheck(o)).code).toBe(0)
    const sigs = await pdfsig(o, nss)
    expect(sigs[0]).toMatchObject({ field: 'Sig1', valid: true })
    expect(sigs[sigs.length - 1]).toMatchObject({ valid: true, trusted: true })
  })

  it('refuses clearly: existing output, a non-PDF input, too little room, a failing TSA (nothing written)', async () => {
    const existing = out('exists')
    writeFileSync(existing, 'keep me')
    await expect(sign({ input: classicPdf, output: existing })).rejects.toMatchObject({ code: 'output-exists' })
    expect(readFileSync(existing, 'utf8')).toBe('keep me')

    const notPdf = join(dir, 'not.pdf')
    writeFileSync(notPdf, 'hello, I am not a PDF')
    await expect(sign({ input: notPdf, output: out('np') })).rejects.toMatchObject({ code: 'invalid-pdf', message: expect.stringMatching(/not a PDF/) })

    const truncated = join(dir, 'truncated.pdf')
    writeFileSync(truncated, readFileSync(classicPdf).subarray(0, 600))
    await expect(sign({ input: truncated, output: out('tr') })).rejects.toMatchObject({ code: 'invalid-pdf' })

    const small = out('small')
    await expect(sign({ input: classicPdf, output: small, contentsSize: 1024 })).rejects.toMatchObject({ code: 'contents-too-small' })
    expect(existsSync(small)).toBe(false)

    const noTsa = out('no-tsa')
    await expect(sign({ input: classicPdf, output: noTsa, level: 'B-T', timestamp: createTsaClient({ url: env.services.fail.tsaHttp500 }) })).rejects.toMatchObject({
      code: 'timestamp-failed',
      message: expect.stringMatching(/no B-T signature was written.*B-B/),
    })
    expect(existsSync(noTsa)).toBe(false)
    await expect(sign({ input: classicPdf, output: out('no-tsa-option'), level: 'B-T' })).rejects.toMatchObject({ code: 'bad-option', message: expect.stringMatching(/B-B/) })
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it.skipIf(!loadTestEnv().vcard)('signs with the virtual card: 9A (RSA) then 9C (P-256, PIN for every signature)', async () => {
    const card = env.vcard!
    const a = card.slots.find((s) => s.slot === '9a')!
    const c = card.slots.find((s) => s.slot === '9c')!
    const cardRsa = await tokenSigner(card.modulePath, 'Sophie Bernard', card.pin, a.id)
    const cardEc = await tokenSigner(card.modulePath, 'Sophie Bernard', card.pin, c.id)
    expect(cardEc.pinPerSignature).toBe(true)
    const o1 = out('card-9a')
    const o2 = out('card-9c')
    await sign({ input: classicPdf, output: o1, signer: cardRsa, reason: 'Le Maire' })
    await sign({ input: o1, output: o2, signer: cardEc, visible: { page: 1, rect: [300, 40, 250, 60] } })
    const sigs = await pdfsig(o2, nss)
    expect(sigs.map((s) => [s.field, s.valid, s.trusted])).toEqual([
      ['Signature1', true, true],
      ['Signature2', true, true],
    ])
  })

  it('signs into a prepared empty signature field of a certified (P=2) document made by EU DSS', async () => {
    const input = join(dir, 'dss-certified-p2.pdf')
    copyFileSync(join(FIXTURES, 'dss-certified-changes-permitted.pdf'), input)
    const before = await pdfsig(input, nss)
    expect(before.map((s) => s.field)).toEqual(['signature-test', 'signature-test2'])
    const o = out('prepared-field')
    const r = await sign({ input, output: o, fieldName: 'signature-test2', reason: 'Le Maire' })
    expect(r.fieldName).toBe('signature-test2')
    const after = await pdfsig(o, nss)
    expect(after.map((s) => s.field)).toEqual(['signature-test', 'signature-test2'])
    expect(after[0]!.validation).toBe(before[0]!.validation)
    expect(after[1]).toMatchObject({ valid: true, trusted: true, total: true })
    expect((await qpdfCheck(o)).code).toBe(0)
    await expect(sign({ input: o, output: out('signed-field'), fieldName: 'signature-test2' })).rejects.toMatchObject({ code: 'field-exists', message: expect.stringMatching(/already signed/) })
  })

  it('keeps field names unique and refuses a name already used', async () => {
    const o1 = out('named')
    await sign({ input: classicPdf, output: o1, fieldName: 'Visa du maire' })
    const o2 = out('named2')
    const r = await sign({ input: o1, output: o2 })
    expect(r.fieldName).toBe('Signature1')
    await expect(sign({ input: o2, output: out('dup'), fieldName: 'Signature1' })).rejects.toMatchObject({ code: 'field-exists' })
    expect(byteRanges(o2)).toHaveLength(2)
  })
})

/** A small RGBA PNG (a dark disc on a transparent background), encoded by hand. */
function rgbaPng(w: number, h: number): Buffer {
  const raw = Buffer.alloc((w * 4 + 1) * h)
  for (let y = 0; y < h; y++) {
    raw[y * (w * 4 + 1)] = 0
    for (let x = 0; x < w; x++) {
      const inside = (x - w / 2) ** 2 + (y - h / 2) ** 2 < (h / 2.2) ** 2
      raw.set([20, 20, 120, inside ? 255 : 0], y * (w * 4 + 1) + 1 + x * 4)
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(td))
    return Buffer.concat([len, td, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

function crc32(buf: Buffer): number {
  let c = ~0
  for (const b of buf) {
    c ^= b
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1
  }
  return ~c >>> 0
}
