// Independent oracles for PAdES outputs: poppler's pdfsig (NSS), qpdf, openssl ts / ocsp, pdftoppm.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { run, runStatus } from '../../../support/util'

export interface PdfsigSignature {
  field: string
  valid: boolean
  trusted: boolean
  total: boolean
  validation: string
  certificate: string
  subFilter: string
}

/** NSS database trusting the test root (pdfsig's trust store). */
export async function createNssDb(dir: string, rootPemPath: string): Promise<string> {
  mkdirSync(dir, { recursive: true })
  await run('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password'])
  await run('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'Paraphe Test Root', '-t', 'CT,C,C', '-i', rootPemPath])
  return `sql:${dir}`
}

export async function pdfsig(file: string, nssDir: string): Promise<PdfsigSignature[]> {
  const r = await runStatus('pdfsig', ['-nssdir', nssDir, file], { timeoutMs: 60_000 })
  if (r.code !== 0 && !/Signature #/.test(r.stdout)) throw new Error(`pdfsig failed (${r.code}): ${r.stdout}${r.stderr}`)
  return r.stdout
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => {
      const get = (label: string) => new RegExp(`- ${label}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? ''
      const validation = get('Signature Validation')
      const certificate = get('Certificate Validation')
      return {
        field: get('Signature Field Name'),
        validation,
        certificate,
        subFilter: get('Signature Type'),
        valid: validation === 'Signature is Valid.',
        trusted: certificate === 'Certificate is Trusted.',
        total: /Total document signed/.test(block),
      }
    })
}

/** qpdf --check: exit 0 means no syntax or stream errors and no warnings. */
export async function qpdfCheck(file: string): Promise<{ code: number; output: string }> {
  const r = await runStatus('qpdf', ['--check', file], { timeoutMs: 60_000 })
  return { code: r.code, output: r.stdout + r.stderr }
}

/** Length of the DER element at the start of `buf` (the /Contents hex string is zero-padded). */
export function derLength(buf: Uint8Array): number {
  const first = buf[1]!
  if (first < 0x80) return 2 + first
  const n = first & 0x7f
  let len = 0
  for (let i = 0; i < n; i++) len = len * 256 + buf[2 + i]!
  return 2 + n + len
}

/** The signed bytes and the DER value of the signature whose /ByteRange is given. */
export function signedParts(file: string, byteRange: readonly number[]): { signedData: Buffer; contents: Buffer } {
  const pdf = readFileSync(file)
  const [a, b, c, d] = byteRange as [number, number, number, number]
  expect(a).toBe(0)
  const hex = pdf.subarray(b + 1, c - 1).toString('latin1')
  expect(pdf[b]).toBe(0x3c)
  expect(pdf[c - 1]).toBe(0x3e)
  const raw = Buffer.from(hex, 'hex')
  return { signedData: Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]), contents: raw.subarray(0, derLength(raw)) }
}

/** All /ByteRange arrays of a file, in file order (raw scan: enough for our own outputs). */
export function byteRanges(file: string): number[][] {
  const text = readFileSync(file).toString('latin1')
  return [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => m.slice(1, 5).map(Number))
}

/** openssl ts -verify of a token over `data`, the TSA chaining to the test root. */
export async function verifyTimestamp(dir: string, token: Uint8Array, data: Uint8Array, rootPem: string, intermediatePem: string): Promise<string> {
  const tokenPath = join(dir, `token-${Math.random().toString(16).slice(2)}.der`)
  const dataPath = `${tokenPath}.data`
  writeFileSync(tokenPath, token)
  writeFileSync(dataPath, data)
  const r = await runStatus('openssl', ['ts', '-verify', '-token_in', '-in', tokenPath, '-data', dataPath, '-CAfile', rootPem, '-untrusted', intermediatePem])
  return r.stdout + r.stderr
}

/** Render one page region with pdftoppm as greyscale PGM and return the share of dark pixels. */
export async function darkShare(file: string, page: number, region: { x: number; y: number; w: number; h: number }, dpi = 72): Promise<number> {
  const out = `${file}.${page}.${region.x}.${region.y}`
  await run('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), '-x', String(region.x), '-y', String(region.y), '-W', String(region.w), '-H', String(region.h), '-singlefile', file, out])
  const pgm = readFileSync(`${out}.pgm`)
  // P5 header: "P5\n<w> <h>\n<max>\n"
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'))!
  const pixels = pgm.subarray(header[0].length)
  let dark = 0
  for (const p of pixels) if (p < 128) dark++
  return dark / pixels.length
}
