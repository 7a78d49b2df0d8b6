/**
 * CAdES / CMS verification end to end: signatures made by OpenSSL (an independent producer) with the
 * local test PKI, checked by verifyFile with the root as user anchor, online OCSP/CRL against the
 * local services, offline mode, revoked and expired signers, tampering, content extraction, and the
 * `paraphe verify` command (JSON, exit codes).
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeHttpClient } from '../../../src/main/core/net/http'
import { createVerificationContext, exitCodeFor, verifyFile } from '../../../src/main/core/verify/index'
import { runCli } from '../../../src/main/cli/index'
import { createTestPki, type PkiCertName } from '../../support/pki'
import { startPkiServices, type PkiServices } from '../../support/services'

let dir: string
let svc: PkiServices
const content = 'Délibération n° 2026-042 du conseil municipal\n'.repeat(50)

function sign(signer: PkiCertName, out: string, opts: { attached?: boolean; md?: string; stream?: boolean } = {}): void {
  const c = svc.pki.certs[signer]
  const args = ['cms', '-sign', '-binary', '-cades', '-in', join(dir, 'content.txt'), '-signer', c.certPemPath, '-inkey', c.keyPemPath, '-certfile', svc.pki.chainPemPath, '-md', opts.md ?? 'sha256', '-outform', 'DER', '-out', out]
  if (opts.attached) args.push('-nodetach')
  if (opts.stream) args.push('-stream')
  execFileSync('openssl', args, { stdio: 'pipe' })
}

function context(extra: { offline?: boolean } = {}) {
  return createVerificationContext({
    offline: extra.offline ?? false,
    http: createNodeHttpClient({ timeoutMs: 5000 }),
    trustFiles: [svc.pki.rootPemPath],
    bundledAnchors: false,
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-verify-cms-'))
  svc = await startPkiServices((baseUrl) => createTestPki(join(dir, 'pki'), { baseUrl }))
  writeFileSync(join(dir, 'content.txt'), content)
  sign('signerRsa', join(dir, 'rsa.p7s'))
  sign('signerEc', join(dir, 'ec.p7m'), { attached: true })
  sign('signerRevoked', join(dir, 'revoked.p7s'))
  sign('signerExpired', join(dir, 'expired.p7s'))
}, 120_000)

afterAll(async () => {
  await svc?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('CAdES detached (.p7s)', () => {
  it('passes with the content, a trusted chain and online OCSP', async () => {
    const r = await verifyFile(join(dir, 'rsa.p7s'), { ctx: context(), content: join(dir, 'content.txt') })
    expect(r.fileType).toBe('cms')
    expect(r.integrity).toBe('intact')
    expect(r.trust).toBe('trusted')
    expect(r.signatures).toHaveLength(1)
    const s = r.signatures[0]!
    expect(s.format).toBe('CAdES')
    expect(s.level).toBe('B-B')
    expect(s.indication).toBe('TOTAL_PASSED')
    expect(s.signer?.sha256).toBe(createHash('sha256').update(svc.pki.certs.signerRsa.certDer).digest('hex'))
    expect(s.chain.map((c) => c.commonName)).toHaveLength(3)
    expect(s.checks.find((c) => c.id === 'revocation' && c.status === 'passed')?.message).toMatch(/OCSP|CRL/)
    expect(s.signingTime).not.toBeNull()
    expect(exitCodeFor(r)).toBe(0)
  })

  it('finds the signed file beside the signature (x.txt.p7s -> x.txt)', async () => {
    copyFileSync(join(dir, 'content.txt'), join(dir, 'beside.txt'))
    copyFileSync(join(dir, 'rsa.p7s'), join(dir, 'beside.txt.p7s'))
    const r = await verifyFile(join(dir, 'beside.txt.p7s'), { ctx: context() })
    expect(r.integrity).toBe('intact')
    expect(r.messages.join(' ')).toMatch(/beside\.txt/)
  })

  it('says the content is missing when there is none (indeterminate, not intact)', async () => {
    const r = await verifyFile(join(dir, 'rsa.p7s'), { ctx: context() })
    expect(r.integrity).toBe('indeterminate')
    expect(r.signatures[0]!.subIndication).toBe('SIGNED_DATA_NOT_FOUND')
  })

  it('detects a changed content (HASH_FAILURE, broken)', async () => {
    writeFileSync(join(dir, 'changed.txt'), content.replace('042', '043'))
    const r = await verifyFile(join(dir, 'rsa.p7s'), { ctx: context(), content: join(dir, 'changed.txt') })
    expect(r.integrity).toBe('broken')
    expect(r.signatures[0]!.indication).toBe('TOTAL_FAILED')
    expect(r.signatures[0]!.subIndication).toBe('HASH_FAILURE')
  })

  it('detects a tampered signature value (SIG_CRYPTO_FAILURE, broken)', async () => {
    const der = Buffer.from(readFileSync(join(dir, 'rsa.p7s')))
    // The RSA signature value is the last OCTET STRING of the SignerInfo: flip a byte near the end.
    der[der.length - 10]! ^= 0x01
    writeFileSync(join(dir, 'tampered.p7s'), der)
    const r = await verifyFile(join(dir, 'tampered.p7s'), { ctx: context(), content: join(dir, 'content.txt') })
    expect(r.integrity).toBe('broken')
    expect(r.signatures[0]!.subIndication).toBe('SIG_CRYPTO_FAILURE')
  })

  it('falls back to the CRL when the OCSP responder fails', async () => {
    svc.setOcspMode('http500')
    try {
      const r = await verifyFile(join(dir, 'rsa.p7s'), { ctx: context(), content: join(dir, 'content.txt') })
      expect(r.trust).toBe('trusted')
      expect(r.signatures[0]!.checks.find((c) => c.id === 'revocation' && c.message.startsWith('signer'))?.message).toMatch(/\(CRL,/)
      const revoked = await verifyFile(join(dir, 'revoked.p7s'), { ctx: context(), content: join(dir, 'content.txt') })
      expect(revoked.trust).toBe('revoked')
    } finally {
      svc.setOcspMode('ok')
    }
  })

  it('offline: intact but INDETERMINATE with the reason (revocation not checked)', async () => {
    const r = await verifyFile(join(dir, 'rsa.p7s'), { ctx: context({ offline: true }), content: join(dir, 'content.txt') })
    expect(r.integrity).toBe('intact')
    expect(r.trust).toBe('unknown')
    const s = r.signatures[0]!
    expect(s.indication).toBe('INDETERMINATE')
    expect(s.subIndication).toBe('TRY_LATER')
    expect(s.checks.some((c) => c.id === 'revocation' && /offline/.test(c.message))).toBe(true)
    expect(svc.log.length).toBeGreaterThan(0)
    expect(exitCodeFor(r)).toBe(1)
  })

  it('without the root as anchor: untrusted, NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const ctx = createVerificationContext({ offline: true, bundledAnchors: false })
    const r = await verifyFile(join(dir, 'rsa.p7s'), { ctx, content: join(dir, 'content.txt') })
    expect(r.integrity).toBe('intact')
    expect(r.trust).toBe('untrusted')
    expect(r.signatures[0]!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND')
  })

  it('a revoked signer: trust revoked, signature not passed', async () => {
    const r = await verifyFile(join(dir, 'revoked.p7s'), { ctx: context(), content: join(dir, 'content.txt') })
    expect(r.integrity).toBe('intact')
    expect(r.trust).toBe('revoked')
    expect(r.signatures[0]!.subIndication).toBe('REVOKED_NO_POE')
  })

  it('an expired signer without timestamp: trust expired', async () => {
    const r = await verifyFile(join(dir, 'expired.p7s'), { ctx: context(), content: join(dir, 'content.txt') })
    expect(r.integrity).toBe('intact')
    expect(r.trust).toBe('expired')
    expect(r.signatures[0]!.indication).not.toBe('TOTAL_PASSED')
  })

  it('SHA-1 is rejected by the dated policy today', async () => {
    sign('signerRsa', join(dir, 'sha1.p7s'), { md: 'sha1' })
    const r = await verifyFile(join(dir, 'sha1.p7s'), { ctx: context(), content: join(dir, 'content.txt') })
    expect(r.integrity).toBe('intact')
    expect(r.signatures[0]!.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE_NO_POE')
  })
})

describe('CAdES attached (.p7m), EC key', () => {
  it('passes and extracts the signed content on request, never overwriting', async () => {
    const out = join(dir, 'extracted.txt')
    const r = await verifyFile(join(dir, 'ec.p7m'), { ctx: context(), extractTo: out })
    expect(r.integrity).toBe('intact')
    expect(r.signatures[0]!.indication).toBe('TOTAL_PASSED')
    expect(readFileSync(out, 'utf8')).toBe(content)
    await expect(verifyFile(join(dir, 'ec.p7m'), { ctx: context(), extractTo: out })).rejects.toThrow(/already exists/)
  })

  it('reads BER indefinite-length (streamed) CMS with a constructed content', async () => {
    sign('signerRsa', join(dir, 'streamed.p7m'), { attached: true, stream: true })
    expect(readFileSync(join(dir, 'streamed.p7m')).subarray(0, 2)).toEqual(Buffer.from([0x30, 0x80]))
    const out = join(dir, 'streamed.txt')
    const r = await verifyFile(join(dir, 'streamed.p7m'), { ctx: context(), extractTo: out })
    expect(r.integrity).toBe('intact')
    expect(r.signatures[0]!.indication).toBe('TOTAL_PASSED')
    expect(readFileSync(out, 'utf8')).toBe(content)
  })

  it('accepts PEM input', async () => {
    execFileSync('openssl', ['cms', '-cmsout', '-inform', 'DER', '-in', join(dir, 'ec.p7m'), '-outform', 'PEM', '-out', join(dir, 'ec.pem.p7m')])
    const r = await verifyFile(join(dir, 'ec.pem.p7m'), { ctx: context() })
    expect(r.integrity).toBe('intact')
  })
})

describe('paraphe verify (CLI)', () => {
  async function cli(args: string[]) {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(['verify', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, isTty: false })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }

  it('prints JSON with the required fields and exits 0 on a valid signature', async () => {
    const r = await cli([join(dir, 'rsa.p7s'), '--content', join(dir, 'content.txt'), '--trust', svc.pki.rootPemPath, '--json'])
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out)
    expect(json).toMatchObject({ file: join(dir, 'rsa.p7s'), integrity: 'intact', trust: 'trusted' })
    for (const key of ['format', 'level', 'signer', 'signingTime', 'timestamp', 'indication', 'subIndication', 'coverage', 'changesAfter']) expect(json.signatures[0]).toHaveProperty(key)
  })

  it('exits 1 offline, with the French report naming the reason', async () => {
    const r = await cli([join(dir, 'rsa.p7s'), '--content', join(dir, 'content.txt'), '--trust', svc.pki.rootPemPath, '--offline'])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/RAPPORT DE VÉRIFICATION/)
    // the reason in French, from its code (no English sentence left in the French report)
    expect(r.out).toMatch(/mode hors ligne : le serveur OCSP et la liste de révocation n’ont pas été consultés/)
    expect(r.out).not.toMatch(/offline|not consulted/)
  })

  it('exits 2 on a missing file or a bad option, 1 on an unsupported format', async () => {
    expect((await cli([join(dir, 'nope.p7s')])).code).toBe(2)
    expect((await cli([join(dir, 'rsa.p7s'), '--bogus'])).code).toBe(2)
    expect((await cli([join(dir, 'rsa.p7s'), '--trust', join(dir, 'missing.pem')])).code).toBe(2)
    writeFileSync(join(dir, 'random.bin'), Buffer.from([1, 2, 3, 4, 5]))
    const r = await cli([join(dir, 'random.bin'), '--json', '--offline'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out).fileType).toBe('unsupported')
  })

  it('writes the PDF "rapport de vérification"', async () => {
    const pdf = join(dir, 'rapport.pdf')
    const r = await cli([join(dir, 'rsa.p7s'), '--content', join(dir, 'content.txt'), '--offline', '--report-pdf', pdf])
    expect(r.code).toBe(1)
    expect(existsSync(pdf)).toBe(true)
    const text = execFileSync('pdftotext', [pdf, '-']).toString('utf8')
    expect(text).toMatch(/RAPPORT DE VÉRIFICATION/)
    expect(text).toMatch(/Délibération|signature CAdES/)
  })

  it('--lang en writes the text report and the PDF report in English; French stays the default; other languages are a usage error', async () => {
    const args = [join(dir, 'rsa.p7s'), '--content', join(dir, 'content.txt'), '--trust', svc.pki.rootPemPath]
    const fr = await cli(args)
    expect(fr.out).toMatch(/^RAPPORT DE VÉRIFICATION\n/)
    const pdf = join(dir, 'report-en.pdf')
    const en = await cli([...args, '--lang', 'en', '--report-pdf', pdf])
    expect(en.code).toBe(fr.code)
    expect(en.out).toMatch(/^VERIFICATION REPORT\n/)
    expect(en.out).toContain('1. CAdES signature by ')
    expect(en.out).toMatch(/Covers: the whole signed file\.|Covers: /)
    expect(en.out).not.toMatch(/Fichier|Couvre|Confiance|heure de Paris/)
    const text = execFileSync('pdftotext', [pdf, '-']).toString('utf8')
    expect(text).toMatch(/VERIFICATION REPORT/)
    expect(text).not.toMatch(/RAPPORT/)
    const bad = await cli([...args, '--lang', 'de'])
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/--lang takes fr or en/)
  })
})
