/**
 * The plain-text report in French and English (src/shared/verification-text/report-text.ts): the
 * same report in both languages, the engine's coded texts in the reader's language, the French
 * wrappers of report-fr.ts unchanged, and the PDF export in the language asked.
 */
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { reportTextFr } from '../../../src/main/core/verify/report-fr'
import { buildReportPdf } from '../../../src/main/core/verify/report-pdf'
import type { SignatureReport, ValidationReport } from '../../../src/shared/model/validation'
import { fileHeadline, reportText, reportWords, signatureSummary } from '../../../src/shared/verification-text/report-text'

const signature: SignatureReport = {
  id: 'Signature1',
  format: 'PAdES',
  level: 'B-T',
  signer: { subject: 'CN=Élodie Martin, O=Mairie de Saint-Étienne', commonName: 'Élodie Martin', organization: 'Mairie de Saint-Étienne', issuer: 'CN=AC Test', serialNumber: '01', notBefore: '2026-01-01T00:00:00Z', notAfter: '2028-01-01T00:00:00Z', sha256: 'ab' },
  signingTime: '2026-11-20T09:00:00Z',
  timestamp: { time: '2026-11-20T09:00:02Z', tsa: 'TSA Test', valid: false, message: 'signature timestamp: the token\'s imprint does not match what it claims to timestamp', code: 'timestamp.imprint.mismatch', params: { label: { code: 'timestamp.label.signature' } } },
  indication: 'TOTAL_FAILED',
  subIndication: 'HASH_FAILURE',
  integrity: 'modified',
  trust: 'trusted',
  coverage: { kind: 'partial', description: 'revision 1 of 2', code: 'pdf.coverage.revision', params: { revision: 1, of: 2 } },
  changesAfter: [
    { kind: 'page-added', allowed: false, description: '1 page added', revision: 2, code: 'pdf.change.pagesAdded', params: { count: 1 } },
    { kind: 'dss', allowed: true, description: 'validation data (DSS) added', revision: 2, code: 'pdf.change.dssAdded' },
  ],
  checks: [
    { id: 'message-digest', status: 'failed', message: 'the signed content changed: its SHA-256 digest differs from the signed message-digest', code: 'cms.messageDigest.mismatch', params: { alg: 'SHA-256' } },
    { id: 'validity', status: 'passed', message: 'certificates valid at 2026-11-20T09:00:00.000Z', code: 'validity.ok', params: { at: '2026-11-20T09:00:00.000Z' } },
    { id: 'legacy', status: 'warning', message: 'an English text without a code' },
  ],
  chain: [],
  qualification: null,
}

const report: ValidationReport = {
  file: 'délibération.pdf',
  fileType: 'pdf',
  integrity: 'modified',
  trust: 'trusted',
  signatures: [signature],
  messages: ['2 revisions: 1 ends at byte 10; 2 ends at byte 20'],
  messageRefs: [{ code: 'pdf.file.revisions', params: { count: 2, ends: [{ code: 'pdf.file.revisionEnd', params: { index: 1, end: 10 } }, { code: 'pdf.file.revisionEnd', params: { index: 2, end: 20 } }] } }],
  validationTime: '2026-11-29T10:00:00Z',
}

describe('plain-text report', () => {
  it('writes the report in English: frame, dates in Paris time, the engine texts from their codes', () => {
    const en = reportText(report, 'en')
    expect(en.split('\n').slice(0, 5)).toEqual(['VERIFICATION REPORT', '', 'File: délibération.pdf', 'Verified on: 29 November 2026 at 11:00:00 (Paris time)', ''])
    expect(en).toContain('Warning: changed after signing: changes that are not allowed were made after the signature.')
    expect(en).toContain('Note: 2 revisions: 1 ends at byte 10; 2 ends at byte 20')
    expect(en).toContain('1. PDF signature (PAdES) by Élodie Martin, Mairie de Saint-Étienne: INVALID (the signed content was changed (different fingerprint))')
    expect(en).toContain('   Claimed signing time: 20 November 2026 at 10:00:00 (Paris time).')
    expect(en).toContain('   Timestamp: 20 November 2026 at 10:00:02 (Paris time) by TSA Test (NOT valid: signature timestamp: the token\'s imprint does not match what it claims to timestamp).')
    expect(en).toContain('   Covers: revision 1 of 2.')
    expect(en).toContain('   Changed after signing: 1 page added.')
    expect(en).toContain('   Allowed additions since: validation data (DSS) added.')
    expect(en).toContain('   Certificate: CN=Élodie Martin, O=Mairie de Saint-Étienne, issued by CN=AC Test, valid from 2026-01-01 to 2028-01-01.')
    expect(en).toContain('     - [failed] the signed content changed: its SHA-256 digest differs from the signed message-digest')
    // a text without a code is shown as the engine wrote it, passed checks are not listed
    expect(en).toContain('     - [warning] an English text without a code')
    expect(en).not.toContain('certificates valid at')
    // no French word of the frame or the engine
    expect(en).not.toMatch(/Fichier|Vérifié|Couvre|Confiance|Remarque|heure de Paris|révision|page\(s\) ajoutée|échec/)
  })

  it('writes the same report in French, and the report-fr.ts names give exactly the French text', () => {
    const fr = reportText(report, 'fr')
    expect(reportTextFr(report)).toBe(fr)
    expect(reportText(report, 'fr-FR')).toBe(fr)
    expect(fr).toMatch(/^RAPPORT DE VÉRIFICATION\n\nFichier : délibération\.pdf\nVérifié le : 29 novembre 2026 à 11:00:00 \(heure de Paris\)/)
    expect(fr).toContain('   Couvre : la révision 1 sur 2.')
    expect(fr).toContain('   Ajouts autorisés depuis : données de validation (DSS) ajoutées.')
    expect(fr).toContain('     - [avertissement] an English text without a code')
    // same lines, same order: only the words differ
    expect(fr.split('\n')).toHaveLength(reportText(report, 'en').split('\n').length)
    // any other language reads English
    expect(reportText(report, 'de')).toBe(reportText(report, 'en'))
  })

  it('says in one sentence what the file is, in both languages', () => {
    const ok: ValidationReport = { ...report, integrity: 'intact', signatures: [{ ...signature, indication: 'TOTAL_PASSED', subIndication: null }, { ...signature, id: 'S2', indication: 'TOTAL_PASSED', subIndication: null }] }
    expect(fileHeadline(ok, 'en')).toBe('The document is authentic: the 2 signatures are valid and it has not been changed.')
    expect(fileHeadline(ok, 'fr')).toBe('Le document est authentique : les 2 signatures sont valides et il n’a pas été modifié.')
    expect(fileHeadline({ ...report, integrity: 'unsigned', signatures: [] }, 'en')).toBe('This file holds no signature.')
    expect(fileHeadline({ ...report, fileType: 'unsupported', integrity: 'indeterminate', signatures: [] }, 'en')).toMatch(/^File format not supported/)
    const ts: SignatureReport = { ...signature, format: 'PDF-DocTimeStamp', timestamp: null, signer: null }
    expect(signatureSummary(ts, 2, 'en').slice(0, 2)).toEqual(['2. PDF document timestamp by unknown signer: INVALID (the signed content was changed (different fingerprint))', '   Timestamp of 20 November 2026 at 10:00:00 (Paris time).'])
  })

  it('has the same entries in French and English', () => {
    const fr = reportWords('fr')
    const en = reportWords('en')
    for (const key of ['integrity', 'trust', 'indication', 'sub', 'format', 'status'] as const) expect(Object.keys(en[key]).sort(), key).toEqual(Object.keys(fr[key]).sort())
  })

  it('exports the PDF in the language asked (French by default)', async () => {
    const shown = async (pdf: Uint8Array): Promise<string> => {
      const raw = Buffer.from(pdf)
      const out: string[] = []
      for (let at = raw.indexOf('stream\n'); at !== -1; at = raw.indexOf('stream\n', at + 1)) {
        try {
          out.push(inflateSync(raw.subarray(at + 7, raw.indexOf('endstream', at))).toString('latin1'))
        } catch {
          // not a Flate stream
        }
      }
      return out.join('\n')
    }
    const hex = (s: string) => `<${Buffer.from(s, 'latin1').toString('hex').toUpperCase()}>`
    const fr = await shown(await buildReportPdf(report))
    const en = await shown(await buildReportPdf(report, 'en'))
    expect(fr).toContain(hex('RAPPORT DE VÉRIFICATION'))
    expect(en).toContain(hex('VERIFICATION REPORT'))
    expect(en).not.toContain(hex('RAPPORT DE VÉRIFICATION'))
  })
})
