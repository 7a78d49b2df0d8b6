/**
 * Signature policies as data (resources/signature-policies/*.json): identifier, hash and URI of the
 * policy document change when the authority publishes a new version; they are never constants.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { resolveResourcesDir } from '../../verify/resources'
import type { SignaturePolicy } from './types'
import { XadesSignError } from './types'

const policyFileSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  identifier: z.string().regex(/^(urn:oid:[0-9]+(\.[0-9]+)+|[a-z][a-z0-9+.-]*:.+)$/i),
  description: z.string().optional(),
  hash: z.object({
    algorithm: z.enum(['SHA-256', 'SHA-384', 'SHA-512']),
    value: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
  }),
  uri: z.string().url().optional(),
  /** when these values were recorded, and from what */
  recordedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sources: z.array(z.string()).default([]),
})

export type SignaturePolicyFile = z.infer<typeof policyFileSchema>

export function parseSignaturePolicy(json: unknown, origin = 'signature policy'): SignaturePolicyFile {
  const r = policyFileSchema.safeParse(json)
  if (!r.success) throw new XadesSignError(`${origin} is not a valid signature policy: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  const digestLength = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[r.data.hash.algorithm]
  if (Buffer.from(r.data.hash.value, 'base64').length !== digestLength) throw new XadesSignError(`${origin}: the policy hash is not a ${r.data.hash.algorithm} digest`)
  return r.data
}

export function loadSignaturePolicyFile(path: string): SignaturePolicyFile {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new XadesSignError(`cannot read the signature policy ${path}: ${(e as Error).message}`)
  }
  return parseSignaturePolicy(json, path)
}

/** resources/signature-policies/<id>.json; without a directory, Paraphe's resources directory. */
export function loadSignaturePolicy(resourcesDir: string | undefined, id: string): SignaturePolicyFile {
  if (!/^[a-z0-9-]+$/.test(id)) throw new XadesSignError(`invalid signature policy name "${id}"`)
  return loadSignaturePolicyFile(join(resourcesDir ?? resolveResourcesDir(), 'signature-policies', `${id}.json`))
}

/** The Helios policy PES V2 signatures commit to. */
export const HELIOS_POLICY_ID = 'helios-pes-v2'

export function toSignaturePolicy(file: SignaturePolicyFile): SignaturePolicy {
  return { identifier: file.identifier, description: file.description, hash: file.hash, uri: file.uri }
}
