/**
 * PAdES claimed signing time: the project's signer writes it in the signature dictionary's /M (the
 * CMS signing-time attribute is forbidden in PAdES); the verifier reports it as the claimed signing
 * time, in the French report too. A garbage /M gives no time and a warning, never a crash.
 * Signed with the SoftHSM2 RSA key of the shared test environment.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signPdf } from '../../../../src/main/core/sign/pades/index'
import { openTokenSigner, type TokenSignerHandle } from '../../../../src/main/core/token/pkcs11-signer'
import { createVerificationContext, verifyFile, type VerificationContext } from '../../../../src/main/core/verify/index'
import { reportTextFr } from '../../../../src/main/core/verify/report-fr'
import { verificationText } from '../../../../src/shared/verification-text'
import { loadTestEnv } from '../../../support/env'
import { simpleDocument } from '../../../unit/verify/pdf/pdf-builder'

let dir: string
let handle: TokenSignerHandle
let ctx: VerificationContext
let signed: string
const signingTime = new Date('2026-11-20T09:15:30Z')

beforeAll(async () => {
  const env = loadTestEnv()
  dir = mkdtempSync(join(tmpdir(), 'paraphe-verify-m-'))
  const hsm = env.softhsm
  handle = await openTokenSigner({
    modulePath: hsm.modulePath,
    tokenLabel: hsm.label,
    keyId: hsm.keys.find((k) => k.kind === 'rsa')!.id,
    chain: [new Uint8Array(readFileSync(env.pki.certs.intermediate.certDerPath))],
    pinProvider: async () => ({ pin: new TextEncoder().encode(hsm.pin) }),
  })
  ctx = createVerificationContext({ offline: true, trustFiles: [env.pki.rootPemPath], bundledAnchors: false, now: () => new Date('2026-11-29T12:00:00Z') })
  const input = join(dir, 'deliberation.pdf')
  writeFileSync(input, simpleDocument('table', 'Montant: 100 EUR'))
  signed = join(dir, 'signed.pdf')
  await signPdf({ input, output: signed, signer: handle.signer, level: 'B-B', signingTime })
})

afterAll(async () => {
  await handle?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('PAdES signing time from /M', () => {
  it('reports the /M time of a B-B signature as the claimed signing time', async () => {
    const r = await verifyFile(signed, { ctx })
    const s = r.signatures[0]!
    expect(s.format).toBe('PAdES')
    expect(s.level).toBe('B-B')
    expect(s.integrity).toBe('intact')
    expect(s.signingTime).toBe(signingTime.toISOString())
    const note = s.checks.find((c) => c.id === 'signing-time')
    expect(note).toMatchObject({ status: 'info', code: 'pdf.signingTime.fromM' })
    expect(verificationText('fr', note!.code, note!.params, '', { timeZone: 'Europe/Paris' })).toBe('heure de signature déclarée 20 novembre 2026 à 10:15:30 (/M du dictionnaire de signature, affirmée par le signataire)')
    const fr = reportTextFr(r)
    expect(fr).toContain('Heure de signature déclarée : 20 novembre 2026 à 10:15:30 (heure de Paris).')
    expect(fr).not.toContain('heure inconnue')
    expect(fr).toContain('Couvre : tout le fichier.')
  })

  it('gives no time and a warning for a garbage /M, without crashing', async () => {
    const bytes = readFileSync(signed)
    const text = bytes.toString('latin1')
    const m = /\/M\s*\((D:[^)]*)\)/.exec(text)
    expect(m).not.toBeNull()
    const garbage = 'D:2026-99-99 junk!'.padEnd(m![1]!.length, '#').slice(0, m![1]!.length)
    const at = m!.index + m![0].indexOf('(') + 1
    const tampered = Buffer.from(bytes)
    tampered.write(garbage, at, 'latin1')
    const path = join(dir, 'garbage-m.pdf')
    writeFileSync(path, tampered)
    const r = await verifyFile(path, { ctx })
    const s = r.signatures[0]!
    expect(s.signingTime).toBeNull()
    const warning = s.checks.find((c) => c.id === 'signing-time')
    expect(warning).toMatchObject({ status: 'warning', code: 'pdf.signingTime.unreadable' })
    expect(warning!.message).toContain(garbage.slice(0, 18))
    // the /M bytes are signed: changing them also breaks the signature
    expect(s.integrity).toBe('broken')
    expect(reportTextFr(r)).toContain('date de signature /M illisible')
  })
})
