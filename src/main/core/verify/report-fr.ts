/**
 * Rapport de vérification en français : les mots et la mise en page sont dans
 * src/shared/verification-text/report-text.ts (français et anglais) ; ces noms restent pour les
 * appelants qui veulent le français.
 */
import type { IntegrityClass, SignatureReport, TrustStatus, ValidationReport } from '../../../shared/model/validation'
import { fileHeadline, reportText, reportWords, signatureSummary } from '../../../shared/verification-text/report-text'

export const INTEGRITY_FR: Record<IntegrityClass, string> = reportWords('fr').integrity
export const TRUST_FR: Record<TrustStatus, string> = reportWords('fr').trust

/** Plain-words summary of one signature: one short headline, then details. */
export function signatureSummaryFr(s: SignatureReport, index: number): string[] {
  return signatureSummary(s, index, 'fr')
}

/** Headline for the whole file, in one sentence. */
export function fileHeadlineFr(r: ValidationReport): string {
  return fileHeadline(r, 'fr')
}

export function reportTextFr(r: ValidationReport): string {
  return reportText(r, 'fr')
}
