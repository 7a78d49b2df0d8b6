// Certificate status check (Sign screen) through the real router and handler: certificates read
// from a real SoftHSM2 token, revocation asked of the local OCSP responder, CRL fallback, and the
// honest "unknown" when nothing answers. Own PKI + services so the responder can be broken here
// without disturbing other test files.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../../src/main/app/handlers'
import { createRouter, type RouterAnswer } from '../../../src/main/app/router'
import { createNodeHttpClient } from '../../../src/main/core/net/http'
import { checkCertificateStatus } from '../../../src/main/core/x509/certificate-status'
import type { CertificateStatus } from '../../../src/shared/model/app-ipc'
import type { TokenDetails } from '../../../src/shared/model/token-details'
import { createSoftHsmToken, createTestPki, startPkiServices, type PkiServices, type SoftHsmToken } from '../../support'

let dir: string
let svc: PkiServices
let hsm: SoftHsmToken
let servicesOpen = true

function routerWith(statusTimeoutMs = 4000) {
  const http = createNodeHttpClient()
  return createRouter(
    createHandlers({
      emit: () => {},
      settingsModules: () => [hsm.modulePath],
      version: 'test',
      workflow: { http, statusTimeoutMs },
    }),
  )
}

function value<T>(a: RouterAnswer): T {
  if (!a.ok) throw new Error(`${a.error.code}: ${a.error.message}`)
  return a.value as T
}

let tokenCerts: { name: string; der: string }[] = []

async function statusOf(name: string, router = routerWith(), extra: string[] = []): Promise<CertificateStatus> {
  const cert = tokenCerts.find((c) => c.name === name)
  if (!cert) throw new Error(`${name} not on the token`)
  return value<CertificateStatus>(
    await router.invoke('tokens:certificate-status', {
      certificate: cert.der,
      tokenCertificates: [...tokenCerts.filter((c) => c !== cert).map((c) => c.der), ...extra],
    }),
  )
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-cert-status-'))
  svc = await startPkiServices((baseUrl) => createTestPki(join(dir, 'pki'), { baseUrl }))
  hsm = await createSoftHsmToken({ dir: join(dir, 'softhsm'), pki: svc.pki, keys: ['signerRsa', 'signerRevoked'] })
  // the certificates as the app reads them: from the token, through the tokenDetails channel
  const details = value<TokenDetails[]>(await routerWith().invoke('tokens:details', { extraModules: [], tokenLabel: hsm.label }))
  const onToken = details.flatMap((d) => d.certificates)
  tokenCerts = (['signerRsa', 'signerRevoked'] as const).map((name) => {
    const c = onToken.find((x) => x.serialNumber.toLowerCase().replace(/^0+/, '') === svc.pki.certs[name].serialNumber.toLowerCase().replace(/^0+/, ''))
    if (!c) throw new Error(`${name} was not read from the token`)
    return { name, der: c.der }
  })
})

afterAll(async () => {
  if (servicesOpen) await svc.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('certificate status (tokens:certificate-status)', () => {
  it('says good for a valid certificate, from the OCSP responder of its AIA', async () => {
    const before = svc.log.length
    const t0 = performance.now()
    const s = await statusOf('signerRsa')
    const ms = performance.now() - t0
    console.log(`certificate status, signerRsa, local OCSP (issuer fetched by caIssuers): ${ms.toFixed(0)} ms`)
    expect(s).toMatchObject({ status: 'good', source: 'ocsp' })
    const asked = svc.log.slice(before).map((l) => `${l.method} ${l.path}`)
    expect(asked).toContain('GET /ca/intermediate.cer') // the issuer is not on the token
    expect(asked).toContain('POST /ocsp')
  })

  it('says revoked with the date and the reason for the revoked certificate', async () => {
    const s = await statusOf('signerRevoked')
    const entry = svc.pki.revoked.find((r) => r.name === 'signerRevoked')!
    expect(s.status).toBe('revoked')
    if (s.status !== 'revoked') return
    expect(s.source).toBe('ocsp')
    expect(s.reason).toBe('keyCompromise')
    expect(Math.abs(Date.parse(s.revokedAt!) - Date.parse(entry.revokedAt))).toBeLessThan(1000)
  })

  it('falls back to the CRL when the OCSP responder fails, and when it is too slow', async () => {
    svc.setOcspMode('http500')
    try {
      expect(await statusOf('signerRevoked')).toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise' })
      expect(await statusOf('signerRsa')).toMatchObject({ status: 'good', source: 'crl' })
      svc.setOcspMode('slow') // 30 s: the 1 s timeout gives up on it
      const t0 = performance.now()
      expect(await statusOf('signerRsa', routerWith(1000))).toMatchObject({ status: 'good', source: 'crl' })
      expect(performance.now() - t0).toBeLessThan(15_000)
    } finally {
      svc.setOcspMode('ok')
    }
  })

  it('says unknown, never good, when neither the responder nor the CRL can be reached', async () => {
    const intermediate = svc.pki.certs.intermediate.certDer.toString('base64')
    await svc.close()
    servicesOpen = false
    // issuer known (as if stored on the token): no answer from the services
    const noAnswer = await statusOf('signerRevoked', routerWith(), [intermediate])
    expect(noAnswer).toMatchObject({ status: 'unknown', why: 'no-answer' })
    if (noAnswer.status === 'unknown') expect(noAnswer.message).toMatch(/OCSP .*; CRL /)
    // issuer neither on the token nor reachable: "no answer" (offline), not "no issuer"
    const offline = await statusOf('signerRsa')
    expect(offline).toMatchObject({ status: 'unknown', why: 'no-answer' })
    if (offline.status === 'unknown') expect(offline.message).toMatch(/could not be downloaded/)
  })

  it('says unknown / no-issuer when the caIssuers address answers but has no issuer, and never asks a responder then', async () => {
    // a PKI whose addresses all lead to 404s of a running server
    const other = await startPkiServices((baseUrl) => createTestPki(join(dir, 'pki-404'), { baseUrl: `${baseUrl}/nowhere` }))
    try {
      const der = new Uint8Array(other.pki.certs.signerRsa.certDer)
      const s = await checkCertificateStatus(der, [], { http: createNodeHttpClient() })
      expect(s).toMatchObject({ status: 'unknown', why: 'no-issuer' })
      expect(other.log.map((l) => `${l.method} ${l.status}`)).toEqual(['GET 404'])
    } finally {
      await other.close()
    }
  })

  it('answers unknown for no network, an unreadable certificate, and refuses a malformed request', async () => {
    const der = new Uint8Array(Buffer.from(tokenCerts[0]!.der, 'base64'))
    expect(await checkCertificateStatus(der, [])).toMatchObject({ status: 'unknown', why: 'offline' })
    expect(await checkCertificateStatus(new Uint8Array([0x30, 0x03, 0x02, 0x01]), [], { http: createNodeHttpClient() })).toMatchObject({ status: 'unknown', why: 'unreadable' })
    const bad = await routerWith().invoke('tokens:certificate-status', { certificate: 'not base64!' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
  })
})
