import 'reflect-metadata'
import { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { describe, expect, it } from 'vitest'
import { loadQualificationTable, qualifyCertificate } from '../../../src/main/core/trust/qualification'
import type { TrustedService } from '../../../src/main/core/trust/trusted-list'
import { resolveResourcesDir } from '../../../src/main/core/verify/resources'

const crypto = webcrypto as unknown as Crypto
x509.cryptoProvider.set(crypto)
const table = loadQualificationTable(resolveResourcesDir())

// QCStatements ::= SEQUENCE OF QCStatement: qcCompliance (0.4.0.1862.1.1) and qcSSCD (0.4.0.1862.1.4)
const QC_STATEMENTS = Buffer.from('3014' + '3008060604008e460101' + '3008060604008e460104', 'hex')

async function certificate(policies: string[], qc: boolean): Promise<Uint8Array> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair
  const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(x509.KeyUsageFlags.nonRepudiation, true)]
  if (policies.length) extensions.push(new x509.CertificatePolicyExtension(policies))
  if (qc) extensions.push(new x509.Extension('1.3.6.1.5.5.7.1.3', false, QC_STATEMENTS))
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=Agent Test', keys, signingAlgorithm: alg, notBefore: new Date('2026-01-01'), notAfter: new Date('2028-01-01'), extensions })
  return new Uint8Array(cert.rawData)
}

const grantedCaQc: TrustedService = {
  tspName: 'Test Authority',
  serviceName: 'CA/QC',
  type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
  status: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
  statusStartingTime: null,
  granted: true,
  qualifiedCa: true,
  qualifiedTsa: false,
  certificates: [],
}

describe('RGS level and qualified status', () => {
  it('qualified on a QSCD when the certificate says so AND a granted CA/QC service of a trusted list issued it', async () => {
    const der = await certificate(['0.4.0.194112.1.2'], true)
    const q = qualifyCertificate(der, table, grantedCaQc)
    expect(q).toMatchObject({ qualified: true, qscd: true, rgs: 'RGS ***' })
    expect(q.summary).toMatch(/certificat qualifié sur dispositif qualifié/)
  })

  it('only "claims" qualification when the issuer is not in an imported trusted list, or its service is withdrawn', async () => {
    const der = await certificate(['0.4.0.194112.1.2'], true)
    expect(qualifyCertificate(der, table).qualified).toBe(false)
    expect(qualifyCertificate(der, table).summary).toMatch(/se déclare qualifié/)
    expect(qualifyCertificate(der, table, { ...grantedCaQc, granted: false }).qualified).toBe(false)
  })

  it('reads the QC statements themselves (qcCompliance, qcSSCD) without any known policy', async () => {
    const q = qualifyCertificate(await certificate([], true), table, grantedCaQc)
    expect(q).toMatchObject({ qualified: true, qscd: true, rgs: null })
    expect(qualifyCertificate(await certificate([], false), table, grantedCaQc).qualified).toBe(false)
  })

  it('gives the RGS level of an ETSI NCP+ policy, and nothing for unknown policies', async () => {
    expect(qualifyCertificate(await certificate(['0.4.0.2042.1.2'], false), table)).toMatchObject({ rgs: 'RGS **', qualified: false })
    expect(qualifyCertificate(await certificate(['1.2.3.4'], false), table).summary).toBeNull()
  })
})
