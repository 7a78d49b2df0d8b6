/** File-level aggregation: integrity class, trust status and CLI exit code from per-signature results. */
import type { IntegrityClass, SignatureReport, TrustStatus, ValidationReport } from '../../../shared/model/validation'

/** worst first (expectations.json: broken > modified > partial > indeterminate > intact) */
const INTEGRITY_ORDER: IntegrityClass[] = ['broken', 'modified', 'partial', 'indeterminate', 'intact']
const TRUST_ORDER: TrustStatus[] = ['revoked', 'untrusted', 'expired', 'unknown', 'trusted']

export function worstIntegrity(classes: readonly IntegrityClass[]): IntegrityClass {
  let worst: IntegrityClass = 'intact'
  for (const c of classes) {
    if (c === 'unsigned') continue
    if (INTEGRITY_ORDER.indexOf(c) < INTEGRITY_ORDER.indexOf(worst)) worst = c
  }
  return worst
}

export function worstTrust(statuses: readonly TrustStatus[]): TrustStatus {
  if (statuses.length === 0) return 'unknown'
  let worst: TrustStatus = 'trusted'
  for (const s of statuses) if (TRUST_ORDER.indexOf(s) < TRUST_ORDER.indexOf(worst)) worst = s
  return worst
}

/**
 * File integrity: 'unsigned' without any signature (unless the format verifier says why it could not
 * tell), otherwise the worst of every signature's class and the verifier's own file-level class.
 */
export function fileIntegrity(signatures: readonly SignatureReport[], formatLevel?: IntegrityClass): IntegrityClass {
  if (signatures.length === 0) return formatLevel && formatLevel !== 'intact' ? formatLevel : 'unsigned'
  return worstIntegrity([...signatures.map((s) => s.integrity), ...(formatLevel ? [formatLevel] : [])])
}

export function fileTrust(signatures: readonly SignatureReport[]): TrustStatus {
  return worstTrust(signatures.map((s) => s.trust))
}

/** 0 when every signature passes and the file is intact, 1 otherwise (usage/I-O errors are 2, elsewhere). */
export function exitCodeFor(report: ValidationReport): 0 | 1 {
  if (report.integrity !== 'intact' || report.signatures.length === 0) return 1
  return report.signatures.every((s) => s.indication === 'TOTAL_PASSED') ? 0 : 1
}
