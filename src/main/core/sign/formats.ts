/**
 * One entry point per signature format, so that the batch runner, the CLI and the app dispatch
 * without knowing the formats: `(input path, output path, options, signer) => result`. Each format
 * module plugs in with one line in FORMAT_SIGNERS.
 */
import { existsSync } from 'node:fs'
import type { HttpClient } from '../net/http'
import { cosignCades, signCadesAttached, signCadesDetached, type CadesLevel } from './cades/sign-cades'
import { detectFormatFromHead, readHead } from './detect-format'
import { padesFormatSigner } from './pades/format-signer'
import type { SignFormat } from './output'
import type { RevocationCollector } from './revocation/types'
import type { Signer } from './signer'
import type { TimestampRequester } from './timestamp/tsa-client'
import { signXml, loadSignaturePolicy, toSignaturePolicy } from './xades/index'
import { signPes } from './pes/index'
import { resolveResourcesDir } from '../verify/resources'

export type SignatureLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA'
export const SIGNATURE_LEVELS: readonly SignatureLevel[] = ['B-B', 'B-T', 'B-LT', 'B-LTA']

export interface VisibleSignature {
  /** 1-based page number */
  page: number
  x: number
  y: number
  width: number
  height: number
}

export interface ProductionPlace {
  city?: string
  postalCode?: string
  countryName?: string
}

export interface FormatSignOptions {
  level: SignatureLevel
  /** present when the level needs a timestamp (B-T and above) */
  timestamp?: TimestampRequester
  /** present when the level needs validation data (B-LT and above) */
  revocation?: RevocationCollector
  http?: HttpClient
  /** CAdES: PEM armour */
  pem?: boolean
  /** replace an existing output */
  force: boolean
  /** PAdES: visible signature rectangle (invisible when absent) */
  visible?: VisibleSignature
  /** PAdES: reason / capacity */
  reason?: string
  /** XAdES / PES: claimed role */
  role?: string
  /** XAdES / PES: SignatureProductionPlace; PAdES: /Location */
  place?: ProductionPlace
  signingTime?: Date
  signal?: AbortSignal
}

export interface FormatSignResult {
  outputPath: string
  format: SignFormat
  level: SignatureLevel
  /** SHA-256 of the input when the format computed it anyway (saves a pass for the journal) */
  inputSha256?: Uint8Array
  /** extra facts for the person (e.g. "2 bordereaux signed, 1 already signed") */
  notes?: string[]
}

export type FormatSigner = (input: string, output: string, options: FormatSignOptions, signer: Signer) => Promise<FormatSignResult>

export class FormatUnavailableError extends Error {
  override name = 'FormatUnavailableError'
}

function cadesLevel(level: SignatureLevel): CadesLevel {
  if (level === 'B-LTA') throw new Error('CAdES B-LTA (archive timestamp) is not supported; use B-LT')
  return level
}

function isCmsHead(head: Uint8Array): boolean {
  return detectFormatFromHead(head).cosignature
}

/** The signed file next to a detached signature `x.p7s` (or `x-signe.p7s`, ...): `x`. */
export function detachedContentFor(signaturePath: string): string | undefined {
  let base = signaturePath.replace(/\.(p7s|pem)$/i, '')
  for (let i = 0; i < 4 && base !== signaturePath; i++) {
    if (existsSync(base)) return base
    base = base.replace(/-signe$/, '')
  }
  return existsSync(base) && base !== signaturePath ? base : undefined
}

const cadesSigner =
  (attached: boolean): FormatSigner =>
  async (input, output, o, signer) => {
    const common = {
      signer,
      level: cadesLevel(o.level),
      timestamp: o.timestamp,
      revocation: o.revocation,
      pem: o.pem,
      force: o.force,
      signingTime: o.signingTime,
      signal: o.signal,
    }
    if (isCmsHead(await readHead(input, 64))) {
      const r = await cosignCades(input, output, { ...common, contentPath: detachedContentFor(input) })
      return {
        outputPath: r.outputPath,
        format: attached || r.attached ? 'cades-attached' : 'cades',
        level: r.level,
        notes: [`co-signature: ${r.signerCount} signers in the file`],
      }
    }
    const r = attached ? await signCadesAttached(input, output, common) : await signCadesDetached(input, output, common)
    return {
      outputPath: r.outputPath,
      format: attached ? 'cades-attached' : 'cades',
      level: r.level,
      inputSha256: r.digestAlgorithm === 'SHA-256' ? r.contentDigest : undefined,
    }
  }

function xadesLevel(level: SignatureLevel): 'B-B' | 'B-T' {
  if (level !== 'B-B' && level !== 'B-T') throw new Error(`XAdES and PES are signed at B-B or B-T here, not ${level}`)
  return level
}

const xadesSigner =
  (mode: 'enveloped' | 'detached'): FormatSigner =>
  async (input, output, o, signer) => {
    const r = await signXml({
      input,
      output,
      signer,
      mode,
      level: xadesLevel(o.level),
      timestamp: o.timestamp,
      role: o.role,
      place: o.place,
      signingTime: o.signingTime,
      overwrite: o.force,
    })
    return { outputPath: r.output, format: mode === 'detached' ? 'xades-detached' : 'xades', level: r.level }
  }

const pesSigner: FormatSigner = async (input, output, o, signer) => {
  // the Helios policy is data (resources/signature-policies), not a constant
  const policyProfile = toSignaturePolicy(loadSignaturePolicy(resolveResourcesDir(), 'helios-pes-v2'))
  const r = await signPes({
    input,
    output,
    signer,
    policyProfile,
    role: o.role,
    place: o.place,
    level: xadesLevel(o.level),
    timestamp: o.timestamp,
    signingTime: o.signingTime,
    overwrite: o.force,
  })
  if (!r.output) throw new Error(`nothing to sign: all ${r.bordereauCount} bordereaux are already signed (no file written)`)
  const notes = [`${r.signed.length} of ${r.bordereauCount} bordereaux signed`]
  if (r.alreadySigned.length) notes.push(`${r.alreadySigned.length} already signed, left as they were`)
  return { outputPath: r.output, format: 'pes', level: r.level, notes }
}

/** The format signers available in this build: one line per format. */
export const FORMAT_SIGNERS: Partial<Record<SignFormat, FormatSigner>> = {
  cades: cadesSigner(false),
  'cades-attached': cadesSigner(true),
  pades: padesFormatSigner,
  xades: xadesSigner('enveloped'),
  'xades-detached': xadesSigner('detached'),
  pes: pesSigner,
}

/** Levels each format can produce. */
export const FORMAT_LEVELS: Record<SignFormat, readonly SignatureLevel[]> = {
  pades: ['B-B', 'B-T', 'B-LT', 'B-LTA'],
  cades: ['B-B', 'B-T', 'B-LT'],
  'cades-attached': ['B-B', 'B-T', 'B-LT'],
  xades: ['B-B', 'B-T'],
  'xades-detached': ['B-B', 'B-T'],
  pes: ['B-B', 'B-T'],
}

export function formatSigner(format: SignFormat): FormatSigner {
  const fn = FORMAT_SIGNERS[format]
  if (!fn) throw new FormatUnavailableError(`signing in format ${format} is not available in this version`)
  return fn
}
