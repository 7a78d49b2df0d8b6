/**
 * The validation policy: dated cryptographic constraints and check levels, read from
 * resources/validation-policy.json (data, not code). Checks ask the policy; none hard-codes an algorithm.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { MessageParams, MessageRef } from '../../../shared/model/validation'
import { refOf, text } from './texts'

const LevelSchema = z.enum(['FAIL', 'WARN', 'IGNORE'])
export type CheckLevel = z.infer<typeof LevelSchema>

const KeyRuleSchema = z.object({ minBits: z.number().int().positive(), until: z.string().nullable() })

export const ValidationPolicySchema = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  digestAlgorithms: z.record(z.string(), z.string().nullable()),
  publicKeys: z.record(z.string(), z.array(KeyRuleSchema)),
  checks: z.object({
    signerKeyUsage: z.object({ level: LevelSchema, required: z.array(z.string()) }),
    signingCertificateAttribute: z.object({ level: LevelSchema }),
    certificateExpired: z.object({ level: LevelSchema }),
    revocation: z.object({ level: LevelSchema }),
    revocationFreshnessHours: z.number().positive(),
    timestampCoherence: z.object({ level: LevelSchema, maxClockSkewMinutes: z.number().nonnegative() }),
    externalReferences: z.object({ fetch: z.boolean() }),
    xsltTransforms: z.object({ level: LevelSchema }),
  }),
})
export type ValidationPolicy = z.infer<typeof ValidationPolicySchema>

export function parseValidationPolicy(json: string, source = 'validation policy'): ValidationPolicy {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch (err) {
    throw new Error(`${source} is not valid JSON: ${(err as Error).message}`)
  }
  const parsed = ValidationPolicySchema.safeParse(data)
  if (!parsed.success) throw new Error(`${source} is not a valid validation policy: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}

export function loadValidationPolicy(resourcesDir: string): ValidationPolicy {
  const path = join(resourcesDir, 'validation-policy.json')
  return parseValidationPolicy(readFileSync(path, 'utf8'), path)
}

export interface AlgorithmVerdict {
  accepted: boolean
  /** plain words: why, with the date when a dated rule applied */
  reason: string
  /** coded form of `reason` */
  reasonRef: MessageRef
}

function verdict(accepted: boolean, code: string, params: MessageParams): AlgorithmVerdict {
  const t = text(code, params)
  return { accepted, reason: t.message, reasonRef: refOf(t) }
}

/** Is digest algorithm `name` (e.g. 'SHA-256') acceptable for a signature made (proven) at `at`? */
export function checkDigestAlgorithm(policy: ValidationPolicy, name: string, at: Date): AlgorithmVerdict {
  if (!Object.hasOwn(policy.digestAlgorithms, name)) return verdict(false, 'policy.digest.refused', { name })
  const until = policy.digestAlgorithms[name]
  if (until === null || until === undefined) return verdict(true, 'policy.digest.accepted', { name })
  const limit = new Date(until)
  if (at.getTime() < limit.getTime()) return verdict(true, 'policy.digest.acceptedUntil', { name, until: until.slice(0, 10) })
  return verdict(false, 'policy.digest.expired', { name, until: until.slice(0, 10), at: at.toISOString().slice(0, 10) })
}

/** Is a public key of family `family` ('RSA', 'EC', ...) and `bits` acceptable at `at`? */
export function checkPublicKey(policy: ValidationPolicy, family: string, bits: number, at: Date): AlgorithmVerdict {
  const rules = policy.publicKeys[family]
  if (!rules) return verdict(false, 'policy.key.refused', { family })
  const applicable = rules.filter((r) => bits >= r.minBits)
  if (applicable.length === 0) return verdict(false, 'policy.key.tooShort', { family, bits, min: Math.min(...rules.map((r) => r.minBits)) })
  if (applicable.some((r) => r.until === null)) return verdict(true, 'policy.key.accepted', { family, bits })
  const last = applicable.map((r) => r.until!).sort().at(-1)!
  if (at.getTime() < new Date(last).getTime()) return verdict(true, 'policy.key.acceptedUntil', { family, bits, until: last.slice(0, 10) })
  return verdict(false, 'policy.key.expired', { family, bits, until: last.slice(0, 10), at: at.toISOString().slice(0, 10) })
}
