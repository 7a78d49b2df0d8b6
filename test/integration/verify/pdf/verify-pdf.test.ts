/**
 * PDF verification end to end: documents signed by the project's PAdES signer with the local test
 * PKI, then attacked the way the literature does it (incremental updates that change page content,
 * add pages, add overlay annotations, retarget cross-reference entries, append unexplained bytes,
 * flip signed bytes, certification violations), each checked by verifyPdf: integrity class,
 * coverage, what changed after each signature. Also the signed-revision extraction.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signPdf } from '../../../../src/main/core/sign/pades/index'
import { createVerificationContext, OutputExistsError, verifyFile, type VerificationContext } from '../../../../src/main/core/verify/index'
import { PdfRef } from '../../../../src/main/core/pdf/objects'
import { PdfReader } from '../../../../src/main/core/pdf/reader'
import { extractSignedRevision, verifyPdf } from '../../../../src/main/core/verify/pdf/verify-pdf'
import { createTestPki } from '../../../support/pki'
import { startPkiServices, type PkiServices } from '../../../support/services'
import { createSoftwareSigner, type SoftwareSigner } from '../../../support/software-signer'
import { appendRevision, simpleDocument } from '../../../unit/verify/pdf/pdf-builder'

let dir: string
let svc: PkiServices
let signer: SoftwareSigner
let ctx: VerificationContext
let base: string
let signed: string
let n = 0
const file = (name: string) => join(dir, `${++n}-${name}.pdf`)

/** Size of the xref-visible object space of a file (for appending new objects). */
function nextObjectNumber(pdf: Buffer): number {
  const sizes = [...pdf.toString('latin1').matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1]))
  return Math.max(...sizes)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-verify-pdf-'))
  svc = await startPkiServices((baseUrl) => createTestPki(join(dir, 'pki'), { baseUrl }))
  const c = svc.pki.certs
  signer = createSoftwareSigner({ certificate: c.signerRsa.certDer, privateKey: c.signerRsa.keyPem, chain: [c.intermediate.certDer] })
  ctx = createVerificationContext({ offline: true, trustFiles: [svc.pki.rootPemPath], bundledAnchors: false })
  base = file('base')
  writeFileSync(base, simpleDocument('table', 'Montant: 100 EUR'))
  signed = file('signed')
  await signPdf({ input: base, output: signed, signer, level: 'B-B' })
})

afterAll(async () => {
  await svc?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('verifyPdf on signed documents', () => {
  it('accepts an untouched signature covering the whole file', async () => {
    const r = await verifyPdf(signed, ctx)
    expect(r.integrity).toBe('intact')
    expect(r.signatures).toHaveLength(1)
    const s = r.signatures[0]!
    expect(s.format).toBe('PAdES')
    expect(s.coverage.description).toBe('whole file')
    expect(s.changesAfter).toEqual([])
    expect(s.checks.find((c) => c.id === 'byte-range')?.status).toBe('passed')
    expect(s.signer?.commonName).toBe('Jeanne Martin')
  })

  it('is reached through verifyFile (registered format verifier)', async () => {
    const r = await verifyFile(signed, { ctx })
    expect(r.fileType).toBe('pdf')
    expect(r.integrity).toBe('intact')
  })

  it('keeps both signatures intact when a second signer signs later, and says what came after the first', async () => {
    const twice = file('twice')
    await signPdf({ input: signed, output: twice, signer, level: 'B-B', fieldName: 'Signature2' })
    const r = await verifyPdf(twice, ctx)
    expect(r.integrity).toBe('intact')
    expect(r.signatures.map((s) => s.coverage.description)).toEqual(['revision 2 of 3', 'whole file'])
    const first = r.signatures[0]!
    expect(first.changesAfter.length).toBeGreaterThan(0)
    expect(first.changesAfter.every((c) => c.allowed)).toBe(true)
    expect(first.changesAfter.map((c) => c.kind)).toContain('signature-added')
  })

  it('detects a page content stream replaced after signing (shadow "replace")', async () => {
    const pdf = readFileSync(signed)
    const attacked = file('content-replaced')
    writeFileSync(attacked, appendRevision(pdf, { root: 1, objects: [{ num: 4, stream: { dict: '<<>>', data: 'BT /F1 12 Tf 20 100 Td (Montant: 900 EUR) Tj ET' } }] }))
    const r = await verifyPdf(attacked, ctx)
    expect(r.integrity).toBe('modified')
    const s = r.signatures[0]!
    expect(s.coverage.description).toBe('revision 2 of 3')
    expect(s.changesAfter.some((c) => !c.allowed && c.kind === 'page-content-changed')).toBe(true)
  })

  it('detects a page added after signing', async () => {
    const pdf = readFileSync(signed)
    const k = nextObjectNumber(pdf)
    const attacked = file('page-added')
    writeFileSync(
      attacked,
      appendRevision(pdf, {
        root: 1,
        objects: [
          { num: 2, body: `<</Type /Pages /Kids [3 0 R ${k} 0 R] /Count 2>>` },
          { num: k, body: `<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents ${k + 1} 0 R>>` },
          { num: k + 1, stream: { dict: '<<>>', data: 'BT /F1 12 Tf 20 100 Td (Annexe) Tj ET' } },
        ],
      }),
    )
    const r = await verifyPdf(attacked, ctx)
    expect(r.integrity).toBe('modified')
    expect(r.signatures[0]!.changesAfter.some((c) => c.kind === 'page-added' && !c.allowed)).toBe(true)
  })

  it('refuses an overlay annotation added after signing but lets a link through', async () => {
    const pdf = readFileSync(signed)
    const text = pdf.toString('latin1')
    const k = nextObjectNumber(pdf)
    const page3 = /3 0 obj\s*(<<[\s\S]*?>>)\s*endobj/g
    const bodies = [...text.matchAll(page3)]
    const pageBody = bodies[bodies.length - 1]![1]!
    const withAnnot = (annot: string) =>
      appendRevision(pdf, {
        root: 1,
        objects: [
          { num: 3, body: pageBody.includes('/Annots') ? pageBody.replace(/\/Annots\s*\[/, `/Annots [${k} 0 R `) : pageBody.replace(/>>$/, ` /Annots [${k} 0 R]>>`) },
          { num: k, body: annot },
        ],
      })
    const overlay = file('freetext')
    writeFileSync(overlay, withAnnot('<</Type /Annot /Subtype /FreeText /Rect [10 90 190 120] /Contents (Montant: 900 EUR) /DA (/Helv 12 Tf 0 g)>>'))
    const r1 = await verifyPdf(overlay, ctx)
    expect(r1.integrity).toBe('modified')
    expect(r1.signatures[0]!.changesAfter.find((c) => c.kind === 'annotation-added')?.allowed).toBe(false)

    const link = file('link')
    writeFileSync(link, withAnnot('<</Type /Annot /Subtype /Link /Rect [10 90 190 120] /A <</S /URI /URI (https://example.org)>>>>'))
    const r2 = await verifyPdf(link, ctx)
    expect(r2.integrity).toBe('intact')
    expect(r2.signatures[0]!.changesAfter.find((c) => c.kind === 'annotation-added')?.allowed).toBe(true)
  })

  it('flags a cross-reference entry retargeted after signing (shadow "hide")', async () => {
    const pdf = readFileSync(signed)
    // an update whose xref says object 4 (the page content) is where object 5 is
    const s = pdf.toString('latin1')
    const font = s.lastIndexOf('5 0 obj')
    const xrefAt = pdf.length
    const update = `xref\n4 1\n${String(font).padStart(10, '0')} 00000 n\r\ntrailer\n<</Size ${nextObjectNumber(pdf)} /Root 1 0 R /Prev ${/startxref\s+(\d+)\s+%%EOF\s*$/.exec(s)![1]}>>\nstartxref\n${xrefAt}\n%%EOF\n`
    const attacked = file('xref-retargeted')
    writeFileSync(attacked, Buffer.concat([pdf, Buffer.from(update, 'latin1')]))
    const r = await verifyPdf(attacked, ctx)
    expect(r.integrity).toBe('modified')
    expect(r.signatures[0]!.changesAfter.some((c) => c.kind === 'xref-tampered')).toBe(true)
  })

  it('calls a file with unexplained bytes after the last revision partial', async () => {
    const attacked = file('trailing')
    writeFileSync(attacked, Buffer.concat([readFileSync(signed), Buffer.from('\n9 0 obj\n<</Type /Catalog>>\nendobj\n', 'latin1')]))
    const r = await verifyPdf(attacked, ctx)
    expect(r.integrity).toBe('partial')
    expect(r.messages.join(' ')).toMatch(/not part of any revision/)
  })

  it('reports a changed signed byte as broken (HASH_FAILURE)', async () => {
    const pdf = Buffer.from(readFileSync(signed))
    const at = pdf.indexOf('Montant: 100')
    pdf[at + 9] = '9'.charCodeAt(0)
    const attacked = file('flipped')
    writeFileSync(attacked, pdf)
    const r = await verifyPdf(attacked, ctx)
    expect(r.integrity).toBe('broken')
    expect(r.signatures[0]!.indication).toBe('TOTAL_FAILED')
  })

  it('reports a ByteRange that leaves more than /Contents unsigned as partial at best', async () => {
    const pdf = readFileSync(signed).toString('latin1')
    const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdf)!
    const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number]
    // shrink the first range by 10 bytes, keep the text length identical
    const old = m[0]
    const repl = `/ByteRange [${a} ${String(b - 10).padStart(String(b).length, ' ')} ${c} ${d}]`
    const fixed = repl.length <= old.length ? repl.padEnd(old.length, ' ') : null
    expect(fixed).not.toBeNull()
    const attacked = file('gap')
    writeFileSync(attacked, Buffer.from(pdf.replace(old, fixed!), 'latin1'))
    const r = await verifyPdf(attacked, ctx)
    expect(['partial', 'broken']).toContain(r.integrity)
    expect(r.signatures[0]!.checks.some((x) => x.id === 'byte-range' && x.status !== 'passed')).toBe(true)
  })

  it('applies DocMDP: a certified P=1 document refuses a later annotation, P=2 allows a later signature', async () => {
    const p1 = file('certified-p1')
    await signPdf({ input: base, output: p1, signer, level: 'B-B', certify: { docMdpPermissions: 1 } })
    const pdf = readFileSync(p1)
    const k = nextObjectNumber(pdf)
    const s = pdf.toString('latin1')
    const bodies = [...s.matchAll(/3 0 obj\s*(<<[\s\S]*?>>)\s*endobj/g)]
    const pageBody = bodies[bodies.length - 1]![1]!
    const annotated = file('certified-p1-annotated')
    writeFileSync(
      annotated,
      appendRevision(pdf, {
        root: 1,
        objects: [
          { num: 3, body: pageBody.includes('/Annots') ? pageBody.replace(/\/Annots\s*\[/, `/Annots [${k} 0 R `) : pageBody.replace(/>>$/, ` /Annots [${k} 0 R]>>`) },
          { num: k, body: '<</Type /Annot /Subtype /Link /Rect [10 90 190 120]>>' },
        ],
      }),
    )
    const r1 = await verifyPdf(annotated, ctx)
    expect(r1.integrity).toBe('modified')

    const p2 = file('certified-p2')
    await signPdf({ input: base, output: p2, signer, level: 'B-B', certify: { docMdpPermissions: 2 } })
    const p2signed = file('certified-p2-signed')
    await signPdf({ input: p2, output: p2signed, signer, level: 'B-B', fieldName: 'Approval' })
    const r2 = await verifyPdf(p2signed, ctx)
    expect(r2.integrity).toBe('intact')
  })

  it('extracts the signed revision byte for byte and never overwrites', async () => {
    const pdf = readFileSync(signed)
    const attacked = file('for-extract')
    writeFileSync(attacked, appendRevision(pdf, { root: 1, objects: [{ num: 4, stream: { dict: '<<>>', data: 'BT ET' } }] }))
    const out = join(dir, 'extracted.pdf')
    const res = await extractSignedRevision(attacked, 0, out)
    expect(res.bytes).toBe(pdf.length)
    expect(readFileSync(out).equals(pdf)).toBe(true)
    await expect(extractSignedRevision(attacked, 0, out)).rejects.toThrow(/already exists/)
    // through verifyFile (paraphe verify --extract) an existing output is the caller's error, not a verdict
    await expect(verifyFile(attacked, { ctx, extractTo: out })).rejects.toBeInstanceOf(OutputExistsError)
    expect(readFileSync(out).equals(pdf)).toBe(true)
    await expect(extractSignedRevision(attacked, 5, join(dir, 'none.pdf'))).rejects.toThrow(/no signature number 6/)
    expect(existsSync(join(dir, 'none.pdf'))).toBe(false)
  })

  it('counts a linearized file (first-page xref at the start) as one revision, and signs on top of it', async () => {
    const lin = file('linearized')
    execFileSync('qpdf', ['--linearize', '--object-streams=generate', base, lin])
    const reader = await PdfReader.open(lin)
    try {
      expect((await reader.revisions()).length).toBe(1)
    } finally {
      await reader.close()
    }
    const linSigned = file('linearized-signed')
    await signPdf({ input: lin, output: linSigned, signer, level: 'B-B' })
    const r = await verifyPdf(linSigned, ctx)
    expect(r.integrity).toBe('intact')
    expect(r.messages[0]).toMatch(/^2 revisions/)
    // replace the page's content stream (object numbers were changed by qpdf: look them up)
    const rd = await PdfReader.open(linSigned)
    let contentNum: number
    let rootNum: number
    try {
      const v = await rd.view()
      rootNum = (v.trailer.get('Root') as PdfRef).num
      const pages = await v.dict((await v.catalog())?.get('Pages'))
      const page = await v.dict(((await v.array(pages?.get('Kids'))) ?? [])[0])
      contentNum = (page?.get('Contents') as PdfRef).num
    } finally {
      await rd.close()
    }
    const more = file('linearized-signed-changed')
    writeFileSync(more, appendRevision(readFileSync(linSigned), { root: rootNum, xref: 'stream', objects: [{ num: contentNum, stream: { dict: '<<>>', data: 'BT /F1 12 Tf 20 100 Td (Montant: 900 EUR) Tj ET' } }] }))
    const r2 = await verifyPdf(more, ctx)
    expect(r2.integrity).toBe('modified')
    expect(r2.signatures[0]!.coverage.description).toBe('revision 2 of 3')
    expect(r2.signatures[0]!.changesAfter.some((c) => c.kind === 'page-content-changed' && !c.allowed)).toBe(true)
  })

  it('gives a verdict on damaged files instead of failing', async () => {
    const pdf = readFileSync(signed)
    const truncated = file('truncated')
    writeFileSync(truncated, pdf.subarray(0, Math.floor(pdf.length * 0.7)))
    const r = await verifyPdf(truncated, ctx)
    expect(['broken', 'unsigned', 'indeterminate', 'partial']).toContain(r.integrity)
    const garbage = file('garbage')
    writeFileSync(garbage, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 0x41)]))
    const r2 = await verifyPdf(garbage, ctx)
    expect(r2.integrity).toBe('unsigned')
  })
})
