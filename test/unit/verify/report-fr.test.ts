import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { fileHeadlineFr, reportTextFr, signatureSummaryFr } from '../../../src/main/core/verify/report-fr'
import { buildReportPdf } from '../../../src/main/core/verify/report-pdf'
import type { SignatureReport, ValidationReport } from '../../../src/shared/model/validation'

const signature: SignatureReport = {
  id: 'Signature1',
  format: 'PAdES',
  level: 'B-T',
  signer: { subject: 'CN=Élodie Martin, O=Mairie de Saint-Étienne', commonName: 'Élodie Martin', organization: 'Mairie de Saint-Étienne', issuer: 'CN=AC Test', serialNumber: '01', notBefore: '2026-01-01T00:00:00Z', notAfter: '2028-01-01T00:00:00Z', sha256: 'ab' },
  signingTime: '2026-11-20T09:00:00Z',
  timestamp: { time: '2026-11-20T09:00:02Z', tsa: 'TSA Test', valid: true, message: null },
  indication: 'TOTAL_FAILED',
  subIndication: 'HASH_FAILURE',
  integrity: 'modified',
  trust: 'trusted',
  coverage: { kind: 'partial', description: 'révision 1 sur 2' },
  changesAfter: [{ kind: 'page-content-changed', allowed: false, description: 'le contenu de la page 1 a changé', revision: 2 }],
  checks: [{ id: 'message-digest', status: 'failed', message: 'the signed content changed' }],
  chain: [],
  qualification: 'RGS **',
}

const report: ValidationReport = { file: 'délibération.pdf', fileType: 'pdf', integrity: 'modified', trust: 'trusted', signatures: [signature], messages: [], validationTime: '2026-11-29T10:00:00Z' }

describe('French report', () => {
  it('says in plain words who signed, when, and what changed', () => {
    const text = signatureSummaryFr(signature, 1).join('\n')
    expect(text).toMatch(/Élodie Martin, Mairie de Saint-Étienne : INVALIDE \(le contenu signé a été modifié/)
    expect(text).toMatch(/Horodatage : 20 novembre 2026 .* par TSA Test \(valide\)/)
    expect(text).toMatch(/Modifié après la signature : le contenu de la page 1 a changé/)
    expect(text).toMatch(/Qualification : RGS \*\*/)
  })

  it('headline warns when the file is not intact, and says when it is unsigned or unsupported', () => {
    expect(fileHeadlineFr(report)).toMatch(/^Attention : modifié après signature/)
    expect(fileHeadlineFr({ ...report, integrity: 'unsigned', signatures: [] })).toMatch(/aucune signature/)
    expect(fileHeadlineFr({ ...report, fileType: 'unsupported', integrity: 'indeterminate', signatures: [] })).toMatch(/non pris en charge/)
    const ok = { ...report, integrity: 'intact' as const, signatures: [{ ...signature, indication: 'TOTAL_PASSED' as const, subIndication: null }] }
    expect(fileHeadlineFr(ok)).toMatch(/authentique/)
  })

  it('exports a PDF whose text keeps the accents', async () => {
    const pdf = await buildReportPdf(report)
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    expect(reportTextFr(report)).toMatch(/^RAPPORT DE VÉRIFICATION/)
    // pdf-lib writes shown text as WinAnsi hex strings: "VÉRIFICATION" with É = C9
    const raw = Buffer.from(pdf)
    const shown: string[] = []
    for (let at = raw.indexOf('stream\n'); at !== -1; at = raw.indexOf('stream\n', at + 1)) {
      const end = raw.indexOf('endstream', at)
      try {
        shown.push(inflateSync(raw.subarray(at + 7, end)).toString('latin1'))
      } catch {
        // not a Flate stream (font data)
      }
    }
    expect(shown.join('\n')).toContain('<524150504F52542044452056C952494649434154494F4E>')
  })
})
