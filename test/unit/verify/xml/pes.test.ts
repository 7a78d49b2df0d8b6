/**
 * PES V2 scope and tampering on a real signed PES (pastell fixture, one signed bordereau): what the
 * signature covers, a changed amount, an unsigned header change, wrapping by moving the signed
 * bordereau, duplicate Ids, and an unsigned bordereau beside a signed one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createVerificationContext } from '../../../../src/main/core/verify/context'
import { verifyXml } from '../../../../src/main/core/verify/xml/verify-xml'

const PES = resolve(__dirname, '../../../fixtures/corpus/pes/signed/pastell__SHA256_bordereau.xml')
const original = readFileSync(PES).toString('latin1')
const dir = mkdtempSync(join(tmpdir(), 'paraphe-pes-verify-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ctx = createVerificationContext({ offline: true, now: () => new Date('2026-11-29T12:00:00Z') })

let n = 0
async function verifyText(text: string) {
  const path = join(dir, `pes-${++n}.xml`)
  writeFileSync(path, Buffer.from(text, 'latin1'))
  return verifyXml(path, ctx)
}

const bordereauStart = original.indexOf('<Bordereau Id="BORD822933">')
const bordereauEnd = original.indexOf('</Bordereau>') + '</Bordereau>'.length
const signedBordereau = original.slice(bordereauStart, bordereauEnd)
const withoutSignature = signedBordereau.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')

describe('PES V2 verification', () => {
  it('verifies the signed bordereau and says the PES header is not covered', async () => {
    const report = await verifyXml(PES, ctx)
    expect(report.fileType).toBe('pes')
    expect(report.integrity).toBe('intact')
    expect(report.signatures).toHaveLength(1)
    const sig = report.signatures[0]!
    expect(sig.format).toBe('XAdES')
    expect(sig.coverage.kind).toBe('element')
    expect(sig.coverage.description).toBe('signature covers bordereau BORD822933 (1 of 1); PES header not covered')
    expect(sig.signer?.commonName).toBe('Hameury_Lukas')
    expect(sig.signingTime).toBe('2018-07-04T15:19:45.000Z')
  })

  it('detects a changed amount in the signed bordereau', async () => {
    expect(original).toContain('<MtBordHT V="75724.75"/>')
    const report = await verifyText(original.replace('<MtBordHT V="75724.75"/>', '<MtBordHT V="95724.75"/>'))
    expect(report.integrity).toBe('broken')
    expect(report.signatures[0]?.subIndication).toBe('HASH_FAILURE')
  })

  it('keeps the bordereau signature intact when only the unsigned header changes, and says so', async () => {
    expect(original).toContain('<LibelleColBud V="COMMUNE"/>')
    const report = await verifyText(original.replace('<LibelleColBud V="COMMUNE"/>', '<LibelleColBud V="COMMUNE VOISINE"/>'))
    expect(report.integrity).toBe('intact')
    expect(report.signatures[0]?.coverage.description).toContain('PES header not covered')
  })

  it('rejects a signature left in a forged bordereau while the signed one is moved away', async () => {
    const forged = signedBordereau.replace('<Bordereau Id="BORD822933">', '<Bordereau>').replace('<MtBordHT V="75724.75"/>', '<MtBordHT V="95724.75"/>')
    const text = original.slice(0, bordereauStart) + forged + original.slice(bordereauEnd).replace('<PES_PJ>', `<PES_PJ>${withoutSignature}`)
    const report = await verifyText(text)
    expect(report.integrity).toBe('broken')
    expect(report.signatures[0]?.indication).toBe('TOTAL_FAILED')
  })

  it('rejects two elements with the signed Id (wrapping)', async () => {
    const twin = withoutSignature.replace('<MtBordHT V="75724.75"/>', '<MtBordHT V="1.00"/>')
    const report = await verifyText(original.slice(0, bordereauEnd) + twin + original.slice(bordereauEnd))
    expect(report.integrity).toBe('broken')
    expect(report.signatures[0]?.checks.some((c) => /2 elements carry the Id "BORD822933"/.test(c.message))).toBe(true)
  })

  it('says which bordereau is not signed when another one is', async () => {
    const unsigned = withoutSignature.replace('Id="BORD822933"', 'Id="BORD999"')
    const report = await verifyText(original.slice(0, bordereauEnd) + unsigned + original.slice(bordereauEnd))
    expect(report.integrity).toBe('partial')
    expect(report.signatures[0]?.coverage.description).toBe('signature covers bordereau BORD822933 (1 of 2); PES header not covered')
    expect(report.messages.join(' ')).toContain('1 of 2 bordereau(x) carry no valid signature: BORD999')
  })

  it('reports a truncated PES as broken, without crashing', async () => {
    const report = await verifyText(original.slice(0, Math.floor(original.length / 2)))
    expect(report.integrity).toBe('broken')
    expect(report.signatures).toHaveLength(0)
    expect(report.messages[0]).toMatch(/not well-formed/)
  })

  it('refuses characters XML 1.0 forbids, as libxml2 does', async () => {
    const report = await verifyText(original.replace('<LibelleColBud V="COMMUNE"/>', '<LibelleColBud V="COMMUNE\u0014"/>'))
    expect(report.integrity).toBe('broken')
    expect(report.messages[0]).toContain('U+0014')
  })

  it('reports an unsigned PES as unsigned', async () => {
    const report = await verifyXml(resolve(__dirname, '../../../fixtures/corpus/pes/unsigned/pastell__PES_ex.xml'), ctx)
    expect(report.integrity).toBe('unsigned')
  })
})
