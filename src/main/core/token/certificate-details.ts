/**
 * Certificate facts for IT staff, beyond describeCertificate: days left, extended key usage,
 * certificate policies mapped to CA and level (resources/certificate-policies.json), QCStatements
 * (ETSI EN 319 412-5), public key size. Input is hostile DER: failures are reported, never thrown past
 * describeCertificateDetails.
 */
import 'reflect-metadata'
import { createPublicKey } from 'node:crypto'
import { existsSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import * as asn1js from 'asn1js'
import * as x509 from '@peculiar/x509'
import { z } from 'zod'
import policiesJson from '../../../../resources/certificate-policies.json'
import type { CertificateInfo } from '../../../shared/model/token'
import type { CertificateDetails, KeyAttributes, PolicyInfo, QcStatements } from '../../../shared/model/token-details'
import { ParapheError } from '../../../shared/errors'
import { describeCertificate } from '../x509/certificate-info'

const PolicyCatalogueSchema = z.object({
  version: z.literal(1),
  policies: z.array(
    z.object({ oid: z.string().regex(/^\d+(\.\d+)+$/), name: z.string(), ca: z.string().nullable(), level: z.string().nullable(), prefix: z.boolean() }),
  ),
})
export type PolicyCatalogue = z.infer<typeof PolicyCatalogueSchema>['policies']

export const POLICY_CATALOGUE: PolicyCatalogue = PolicyCatalogueSchema.parse(policiesJson).policies

/** Levels from the strongest down; the certificate's level is the strongest of its policies. */
export const LEVEL_ORDER = ['eIDAS qualified (QSCD)', 'eIDAS qualified', 'RGS***', 'RGS**', 'RGS*', 'ETSI NCP+', 'ETSI NCP', 'ETSI LCP', 'test', 'demonstration']

export function lookupPolicy(oid: string, catalogue: PolicyCatalogue = POLICY_CATALOGUE): PolicyInfo {
  const exact = catalogue.find((p) => !p.prefix && p.oid === oid)
  const byPrefix = catalogue
    .filter((p) => p.prefix && oid.startsWith(p.oid + '.'))
    .sort((a, b) => b.oid.length - a.oid.length)[0]
  const hit = exact ?? byPrefix
  return { oid, name: hit?.name ?? null, ca: hit?.ca ?? null, level: hit?.level ?? null }
}

export function strongestLevel(policies: PolicyInfo[]): string | null {
  const levels = policies.map((p) => p.level).filter((l): l is string => l !== null)
  if (levels.length === 0) return null
  return [...levels].sort((a, b) => rank(a) - rank(b))[0] ?? null
}
const rank = (level: string): number => {
  const i = LEVEL_ORDER.indexOf(level)
  return i === -1 ? LEVEL_ORDER.length : i
}

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.10.3.12': 'documentSigning (Microsoft)',
  '1.2.840.113583.1.1.5': 'PDF signing (Adobe)',
  '1.3.6.1.4.1.311.20.2.2': 'smartcardLogon',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
}

const QC = {
  statements: '1.3.6.1.5.5.7.1.3',
  compliance: '0.4.0.1862.1.1',
  sscd: '0.4.0.1862.1.4',
  type: '0.4.0.1862.1.6',
  types: { '0.4.0.1862.1.6.1': 'eSign', '0.4.0.1862.1.6.2': 'eSeal', '0.4.0.1862.1.6.3': 'eWeb' } as Record<string, 'eSign' | 'eSeal' | 'eWeb'>,
}

/** QCStatements ::= SEQUENCE OF QCStatement { statementId OID, statementInfo ANY OPTIONAL } */
export function parseQcStatements(extnValue: ArrayBuffer | Uint8Array): QcStatements | null {
  const bytes = extnValue instanceof Uint8Array ? extnValue : new Uint8Array(extnValue)
  const parsed = asn1js.fromBER(bytes)
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return null
  const out: QcStatements = { qualified: false, qscd: false, types: [], statements: [] }
  for (const statement of parsed.result.valueBlock.value) {
    if (!(statement instanceof asn1js.Sequence)) continue
    const [id, info] = statement.valueBlock.value
    if (!(id instanceof asn1js.ObjectIdentifier)) continue
    const oid = id.valueBlock.toString()
    out.statements.push(oid)
    if (oid === QC.compliance) out.qualified = true
    if (oid === QC.sscd) out.qscd = true
    if (oid === QC.type && info instanceof asn1js.Sequence) {
      for (const t of info.valueBlock.value) {
        const name = t instanceof asn1js.ObjectIdentifier ? QC.types[t.valueBlock.toString()] : undefined
        if (name && !out.types.includes(name)) out.types.push(name)
      }
    }
  }
  return out
}

const DAY = 86_400_000

export interface DetailsContext {
  /** other certificates on the same token, to tell whether the issuer is there too */
  tokenCertificates?: readonly Uint8Array[]
  key?: KeyAttributes | null
  now?: Date
  catalogue?: PolicyCatalogue
}

/** Throws ParapheError INVALID_REQUEST when `der` is not a certificate. */
export function describeCertificateDetails(info: Pick<CertificateInfo, 'id' | 'label' | 'hasPrivateKey'>, der: Uint8Array, ctx: DetailsContext = {}): CertificateDetails {
  let cert: x509.X509Certificate
  try {
    cert = new x509.X509Certificate(der)
  } catch (err) {
    throw new ParapheError('INVALID_REQUEST', 'this object is not a readable X.509 certificate', (err as Error).message)
  }
  const facts = describeCertificate(der)
  const now = ctx.now ?? new Date()
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension)
  const policiesExt = cert.getExtension(x509.CertificatePolicyExtension)
  const policies = (policiesExt?.policies ?? []).map((oid) => lookupPolicy(oid, ctx.catalogue))
  const qcExt = cert.extensions.find((e) => e.type === QC.statements)
  let publicKey: CertificateDetails['publicKey'] = { type: 'unknown', bits: null, curve: null }
  try {
    const k = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' })
    const d = k.asymmetricKeyDetails ?? {}
    publicKey = { type: (k.asymmetricKeyType ?? 'unknown').toUpperCase(), bits: d.modulusLength ?? null, curve: d.namedCurve ?? null }
  } catch {
    // an unusual key algorithm: shown as unknown
  }
  const issuerOnToken = (ctx.tokenCertificates ?? []).some((other) => {
    try {
      const c = new x509.X509Certificate(other)
      return c.subject === cert.issuer && c.serialNumber !== cert.serialNumber && c.subject !== cert.subject
    } catch {
      return false
    }
  })
  return {
    ...info,
    ...facts,
    daysLeft: Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY),
    validNow: cert.notBefore.getTime() <= now.getTime() && now.getTime() <= cert.notAfter.getTime(),
    signatureCertificate: facts.keyUsage.includes('nonRepudiation'),
    extendedKeyUsage: (eku?.usages ?? []).map((u) => EKU_NAMES[String(u)] ?? String(u)),
    publicKey,
    policies,
    level: strongestLevel(policies),
    qcStatements: qcExt ? parseQcStatements(qcExt.value) : null,
    issuerOnToken,
    key: ctx.key ?? null,
  }
}

export type ExportFormat = 'pem' | 'der'

export function certificateToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64')
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`
}

/**
 * Write a certificate to `path` atomically (temp file + rename). Refuses to replace an existing file
 * unless `overwrite` is set.
 */
export function exportCertificate(der: Uint8Array, format: ExportFormat, path: string, opts: { overwrite?: boolean } = {}): void {
  if (!opts.overwrite && existsSync(path)) throw new ParapheError('IO_ERROR', `${path} already exists; choose another file or allow replacing it`)
  const tmp = `${path}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, format === 'pem' ? certificateToPem(der) : Buffer.from(der), { flag: 'wx' })
    renameSync(tmp, path)
  } catch (err) {
    try {
      unlinkSync(tmp)
    } catch {
      /* nothing was written */
    }
    if (err instanceof ParapheError) throw err
    throw new ParapheError('IO_ERROR', `could not write ${path}`, (err as Error).message)
  }
}
