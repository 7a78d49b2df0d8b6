// Damaged and hostile PDFs: signing either succeeds (and the output is readable again) or fails with
// a PadesError in plain words; never another exception, never a file left behind.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PadesError, signPdf } from '../../../../src/main/core/sign/pades/index'
import { SourcePdf } from '../../../../src/main/core/sign/pades/source-pdf'
import { createSoftwareSigner, type SoftwareSigner } from '../../../support/software-signer'

let dir: string
let signer: SoftwareSigner
const inputs: { name: string; bytes: Buffer }[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-pades-hostile-'))
  const crypto = globalThis.crypto
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=Hostile Test', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, notBefore: new Date(Date.now() - 86400e3), notAfter: new Date(Date.now() + 86400e3) }, crypto)
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey))
  signer = createSoftwareSigner({ certificate: new Uint8Array(cert.rawData), privateKey: pkcs8 })
  const doc = await PDFDocument.create()
  doc.addPage([595, 842])
  doc.addPage([595, 842])
  inputs.push({ name: 'classic', bytes: Buffer.from(await doc.save({ useObjectStreams: false })) })
  inputs.push({ name: 'xref-stream', bytes: Buffer.from(await doc.save({ useObjectStreams: true })) })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Deterministic pseudo-random numbers (reproducible failures). */
function rng(seed: number) {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

async function attempt(bytes: Buffer, label: string) {
  const input = join(dir, `${label}.pdf`)
  const output = join(dir, `${label}-signed.pdf`)
  writeFileSync(input, bytes)
  try {
    await signPdf({ input, output, signer, level: 'B-B', visible: { page: 1, rect: [10, 10, 100, 40] } })
    // success: the result must be a readable PDF again
    const f = await SourcePdf.open(output)
    await f.close()
    return 'signed'
  } catch (e) {
    if (!(e instanceof PadesError)) throw new Error(`${label}: ${(e as Error).name}: ${(e as Error).message}`)
    expect(e.message.length).toBeGreaterThan(10)
    return e.code
  }
}

describe('hostile inputs', () => {
  it('truncations, byte flips and garbage give a PadesError or a readable signed file', async () => {
    const outcomes = new Map<string, number>()
    for (const { name, bytes } of inputs) {
      const r = rng(name.length * 7919)
      for (let i = 0; i < 36; i++) {
        const mutated = Buffer.from(bytes)
        const kind = i % 3
        if (kind === 0) {
          const cut = Math.floor(r() * bytes.length)
          const res = await attempt(mutated.subarray(0, cut), `${name}-cut-${i}`)
          outcomes.set(res, (outcomes.get(res) ?? 0) + 1)
          continue
        }
        // damage the structural tail (xref, trailer) or anywhere
        const from = kind === 1 ? Math.max(0, bytes.length - 600) : 0
        for (let k = 0; k < 1 + Math.floor(r() * 6); k++) mutated[from + Math.floor(r() * (bytes.length - from))] = Math.floor(r() * 256)
        const res = await attempt(mutated, `${name}-flip-${i}`)
        outcomes.set(res, (outcomes.get(res) ?? 0) + 1)
      }
    }
    for (const g of [randomBytes(3000), Buffer.from('%PDF-1.7\n' + 'startxref\n999999999\n%%EOF'), Buffer.from('%PDF-1.7\nxref\n0 99999999\ntrailer<<>>\nstartxref\n9\n%%EOF')]) {
      const res = await attempt(g, `garbage-${g.length}`)
      expect(res).not.toBe('signed')
    }
    expect(outcomes.get('invalid-pdf')).toBeGreaterThan(0)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('says a bad signature image is a bad option, not a bad PDF', async () => {
    const input = join(dir, 'fine.pdf')
    writeFileSync(input, inputs[0]!.bytes)
    await expect(signPdf({ input, output: join(dir, 'x.pdf'), signer, level: 'B-B', visible: { page: 1, rect: [0, 0, 50, 50], image: Buffer.from('GIF89a') } })).rejects.toMatchObject({
      code: 'bad-option',
      message: expect.stringMatching(/PNG or JPEG/),
    })
  })

  it('says when the input cannot be read or the output folder does not exist', async () => {
    await expect(signPdf({ input: join(dir, 'missing.pdf'), output: join(dir, 'm-signed.pdf'), signer, level: 'B-B' })).rejects.toMatchObject({ code: 'input-unreadable' })
    const input = join(dir, 'ok.pdf')
    writeFileSync(input, inputs[0]!.bytes)
    await expect(signPdf({ input, output: join(dir, 'no', 'such', 'dir.pdf'), signer, level: 'B-B' })).rejects.toMatchObject({ code: 'bad-option', message: expect.stringMatching(/does not exist/) })
    await expect(signPdf({ input, output: input, signer, level: 'B-B', overwrite: true })).rejects.toMatchObject({ code: 'bad-option', message: expect.stringMatching(/never modified/) })
  })

  it('stops when cancelled, leaving nothing behind', async () => {
    const input = join(dir, 'cancel.pdf')
    writeFileSync(input, inputs[0]!.bytes)
    const ac = new AbortController()
    ac.abort()
    const before = signer.signatures
    await expect(signPdf({ input, output: join(dir, 'cancelled.pdf'), signer, level: 'B-B', signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' })
    expect(readdirSync(dir).some((f) => f.startsWith('cancelled') || f.endsWith('.tmp'))).toBe(false)
    expect(signer.signatures).toBe(before)
  })
})
