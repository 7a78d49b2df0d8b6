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

  it('writes the engine texts in French from their codes (coverage, changes, checks, timestamp, remarks)', () => {
    const coded: SignatureReport = {
      ...signature,
      timestamp: { time: '2026-11-20T09:00:02Z', tsa: 'TSA Test', valid: false, message: 'signature timestamp: the token\'s imprint does not match what it claims to timestamp', code: 'timestamp.imprint.mismatch', params: { label: { code: 'timestamp.label.signature' } } },
      coverage: { kind: 'partial', description: 'revision 1 of 2', code: 'pdf.coverage.revision', params: { revision: 1, of: 2 } },
      changesAfter: [{ kind: 'page-added', allowed: false, description: '1 page added', revision: 2, code: 'pdf.change.pagesAdded', params: { count: 1 } }],
      checks: [{ id: 'message-digest', status: 'failed', message: 'the signed content changed: its SHA-256 digest differs from the signed message-digest', code: 'cms.messageDigest.mismatch', params: { alg: 'SHA-256' } }],
    }
    const text = reportTextFr({ ...report, signatures: [coded], messages: ['2 revisions: 1 ends at byte 10; 2 ends at byte 20'], messageRefs: [{ code: 'pdf.file.revisions', params: { count: 2, ends: [{ code: 'pdf.file.revisionEnd', params: { index: 1, end: 10 } }, { code: 'pdf.file.revisionEnd', params: { index: 2, end: 20 } }] } }] })
    expect(text).toContain('Couvre : la révision 1 sur 2.')
    expect(text).toContain('Modifié après la signature : 1 page ajoutée.')
    expect(text).toContain('[échec] le contenu signé a changé : son empreinte SHA-256 diffère de l’empreinte signée (message-digest)')
    expect(text).toContain('(NON valide : horodatage de la signature : l’empreinte du jeton ne correspond pas à ce qu’il prétend horodater)')
    expect(text).toContain('Remarque : 2 révisions : la révision 1 se termine à l’octet 10 ; la révision 2 se termine à l’octet 20')
    expect(text).not.toMatch(/revision|changed|imprint/)
  })
})
