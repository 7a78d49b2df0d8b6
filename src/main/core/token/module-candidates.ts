/**
 * Which PKCS#11 modules to try, and where each candidate came from. The built-in list is the
 * middleware catalogue resources/pkcs11-modules.json (data: vendors, file names per OS, install hints,
 * USB ids), validated when loaded; explicit paths (--module, settings, PARAPHE_PKCS11_MODULES) come first.
 */
import { delimiter } from 'node:path'
import { existsSync } from 'node:fs'
import { z } from 'zod'
import catalogueJson from '../../../../resources/pkcs11-modules.json'

export type ModuleSource = 'option' | 'environment' | 'builtin' | 'settings'

const HexId = z.string().regex(/^0x[0-9a-fA-F]{4}$/)
const PerOs = <T extends z.ZodType>(t: T) => z.object({ linux: t.optional(), win32: t.optional(), darwin: t.optional() })

export const MiddlewareSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  vendor: z.string(),
  tokens: z.string(),
  paths: PerOs(z.array(z.string().min(1))),
  install: PerOs(z.string()),
  usb: z.array(z.object({ vendorId: HexId, productIds: z.array(HexId).nullable(), name: z.string() })),
})
export type Middleware = z.infer<typeof MiddlewareSchema>

export const MiddlewareCatalogueSchema = z.object({ version: z.literal(1), modules: z.array(MiddlewareSchema) })

/** The catalogue shipped with Paraphe (a malformed file fails loudly at start, not at signing time). */
export const MIDDLEWARE_CATALOGUE: readonly Middleware[] = MiddlewareCatalogueSchema.parse(catalogueJson).modules

export interface ModuleCandidate {
  name: string
  source: ModuleSource
  /** first path is the one reported when none exists */
  paths: string[]
  /** catalogue entry id (built-in candidates only) */
  catalogueId?: string
  vendor?: string
  /** what to install when the module is missing, in plain words for this OS */
  installHint?: string
}

type CatalogueOs = 'linux' | 'win32' | 'darwin'
const catalogueOs = (platform: NodeJS.Platform): CatalogueOs | null =>
  platform === 'linux' || platform === 'win32' || platform === 'darwin' ? platform : null

/** Built-in candidates for one OS, from the catalogue. */
export function builtinModules(platform: NodeJS.Platform = process.platform, catalogue: readonly Middleware[] = MIDDLEWARE_CATALOGUE): ModuleCandidate[] {
  const os = catalogueOs(platform)
  if (!os) return []
  return catalogue
    .filter((m) => (m.paths[os] ?? []).length > 0)
    .map((m) => ({
      name: m.name,
      source: 'builtin' as const,
      paths: m.paths[os] ?? [],
      catalogueId: m.id,
      vendor: m.vendor,
      ...(m.install[os] ? { installHint: m.install[os] } : {}),
    }))
}

export const BUILTIN_MODULES: Partial<Record<NodeJS.Platform, ModuleCandidate[]>> = {
  linux: builtinModules('linux'),
  darwin: builtinModules('darwin'),
  win32: builtinModules('win32'),
}

/** USB vendor/product ids of tokens known to the catalogue, for attach/detach notices. */
export function knownUsbIds(catalogue: readonly Middleware[] = MIDDLEWARE_CATALOGUE): Array<{ vendorId: number; productIds: number[] | null; name: string; module: string }> {
  return catalogue.flatMap((m) =>
    m.usb.map((u) => ({ vendorId: parseInt(u.vendorId, 16), productIds: u.productIds?.map((p) => parseInt(p, 16)) ?? null, name: u.name, module: m.name })),
  )
}

/** PARAPHE_PKCS11_MODULES is a path-separated list (':' on Unix, ';' on Windows). */
export function modulesFromEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['PARAPHE_PKCS11_MODULES'] ?? '')
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
}

const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p

/** A path given by hand that is a catalogue file name gets the middleware's name ("SafeNet ..."). */
function knownName(path: string): string {
  const file = baseName(path).toLowerCase()
  const m = MIDDLEWARE_CATALOGUE.find((c) => Object.values(c.paths).some((ps) => ps?.some((p) => baseName(p).toLowerCase() === file)))
  return m ? `${m.name} (${baseName(path)})` : baseName(path)
}

export interface CandidateOptions {
  /** explicit paths (CLI --module, settings): always reported, even when missing */
  modules?: string[]
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  /** include the built-in list (default true) */
  builtin?: boolean
}

export function moduleCandidates(opts: CandidateOptions = {}): ModuleCandidate[] {
  const explicit = (opts.modules ?? []).map((p): ModuleCandidate => ({ name: knownName(p), source: 'option', paths: [p] }))
  const fromEnv = modulesFromEnvironment(opts.env).map((p): ModuleCandidate => ({ name: knownName(p), source: 'environment', paths: [p] }))
  const builtin = opts.builtin === false ? [] : builtinModules(opts.platform ?? process.platform)
  return [...explicit, ...fromEnv, ...builtin]
}

/** The path to try for a candidate: the first that exists, else the first listed (reported as missing). */
export function resolveCandidatePath(c: ModuleCandidate, exists: (p: string) => boolean = existsSync): string {
  return c.paths.find((p) => exists(p)) ?? c.paths[0] ?? ''
}
