/**
 * RGS level and qualified status of a signer certificate, from its certificatePolicies OIDs and QC
 * statements (data in resources/trust/qualification.json, plus resources/certificate-policies.json
 * when another part of Paraphe ships one), and from a trusted list service that issued it.
 */
import 'reflect-metadata'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import * as asn1js from 'asn1js'
import type { TrustedService } from './trusted-list'

export interface PolicyEntry {
  oid: string
  label: string
  rgs: string | null
  qualified: boolean
  qscd: boolean
}

export interface QualificationTable {
  policies: PolicyEntry[]
}

const OID_QC_STATEMENTS = '1.3.6.1.5.5.7.1.3'
const OID_QC_COMPLIANCE = '0.4.0.1862.1.1'
const OID_QC_SSCD = '0.4.0.1862.1.4'

function readEntries(path: string): PolicyEntry[] {
  if (!existsSync(path)) return []
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as unknown
    const list = Array.isArray(data) ? data : ((data as { policies?: unknown }).policies ?? [])
    if (!Array.isArray(list)) return []
    const out: PolicyEntry[] = []
    for (const e of list as Array<Record<string, unknown>>) {
      if (typeof e?.oid !== 'string') continue
      out.push({
        oid: e.oid,
        label: typeof e.label === 'string' ? e.label : typeof e.name === 'string' ? e.name : e.oid,
        rgs: typeof e.rgs === 'string' ? e.rgs : typeof e.rgsLevel === 'string' ? e.rgsLevel : typeof e.level === 'string' ? e.level : null,
        qualified: e.qualified === true,
        qscd: e.qscd === true,
      })
    }
    return out
  } catch {
    return []
  }
}

export function loadQualificationTable(resourcesDir: string): QualificationTable {
  return { policies: [...readEntries(join(resourcesDir, 'trust', 'qualification.json')), ...readEntries(join(resourcesDir, 'certificate-policies.json'))] }
}

export interface Qualification {
  /** RGS level when recognised ('RGS **', ...) */
  rgs: string | null
  qualified: boolean
  qscd: boolean
  /** plain words for the report, null when nothing is recognised */
  summary: string | null
}

function qcStatementIds(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(OID_QC_STATEMENTS)
  if (!ext) return []
  try {
    const parsed = asn1js.fromBER(ext.value)
    if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return []
    return parsed.result.valueBlock.value
      .map((st) => (st instanceof asn1js.Sequence ? st.valueBlock.value[0] : undefined))
      .filter((id): id is asn1js.ObjectIdentifier => id instanceof asn1js.ObjectIdentifier)
      .map((id) => id.valueBlock.toString())
  } catch {
    return []
  }
}

export function qualifyCertificate(certDer: Uint8Array, table: QualificationTable, issuerService?: TrustedService): Qualification {
  let cert: x509.X509Certificate
  try {
    cert = new x509.X509Certificate(certDer)
  } catch {
    return { rgs: null, qualified: false, qscd: false, summary: null }
  }
  const policyExt = cert.getExtension(x509.CertificatePolicyExtension)
  const oids = policyExt ? policyExt.policies : []
  const matches = table.policies.filter((p) => oids.includes(p.oid))
  const qc = qcStatementIds(cert)
  const qcCompliance = qc.includes(OID_QC_COMPLIANCE)
  const rank = (l: string | null) => (l ? (l.match(/\*/g) ?? []).length : 0)
  const rgs = matches.map((m) => m.rgs).sort((a, b) => rank(b) - rank(a))[0] ?? null
  const qscd = qc.includes(OID_QC_SSCD) || matches.some((m) => m.qscd)
  const claimsQualified = qcCompliance || matches.some((m) => m.qualified)
  // Qualified = claimed by the certificate AND issued by a granted CA/QC service of a trusted list.
  const listed = issuerService?.qualifiedCa === true && issuerService.granted
  const qualified = claimsQualified && listed
  const parts: string[] = []
  if (qualified) parts.push(qscd ? 'certificat qualifié sur dispositif qualifié (QSCD)' : 'certificat qualifié')
  else if (claimsQualified) parts.push('se déclare qualifié (émetteur absent des listes de confiance importées)')
  if (rgs) parts.push(rgs)
  const labels = matches.map((m) => m.label)
  if (labels.length > 0) parts.push(`politique ${labels.join(', ')}`)
  return { rgs, qualified, qscd, summary: parts.length > 0 ? parts.join(' ; ') : null }
}
