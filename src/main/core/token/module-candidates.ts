/**
 * Which PKCS#11 modules to try, and where each candidate came from. Until the middleware catalogue
 * (resources/pkcs11-modules.json) lands, the built-in list covers OpenSC and SoftHSM2.
 */
import { delimiter } from 'node:path'
import { existsSync } from 'node:fs'

export type ModuleSource = 'option' | 'environment' | 'builtin' | 'settings'

export interface ModuleCandidate {
  name: string
  source: ModuleSource
  /** first path is the one reported when none exists */
  paths: string[]
}

export const BUILTIN_MODULES: Partial<Record<NodeJS.Platform, ModuleCandidate[]>> = {
  linux: [
    {
      name: 'OpenSC',
      source: 'builtin',
      paths: [
        '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
        '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
        '/usr/lib64/opensc-pkcs11.so',
        '/usr/lib/opensc-pkcs11.so',
        '/usr/local/lib/opensc-pkcs11.so',
      ],
    },
    {
      name: 'SoftHSM2',
      source: 'builtin',
      paths: [
        '/usr/lib/softhsm/libsofthsm2.so',
        '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
        '/usr/lib64/pkcs11/libsofthsm2.so',
        '/usr/local/lib/softhsm/libsofthsm2.so',
      ],
    },
  ],
  darwin: [
    { name: 'OpenSC', source: 'builtin', paths: ['/Library/OpenSC/lib/opensc-pkcs11.so', '/opt/homebrew/lib/opensc-pkcs11.so'] },
    { name: 'SoftHSM2', source: 'builtin', paths: ['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'] },
  ],
  win32: [
    { name: 'OpenSC', source: 'builtin', paths: ['C:\\Windows\\System32\\opensc-pkcs11.dll', 'C:\\Program Files\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll'] },
    { name: 'SoftHSM2', source: 'builtin', paths: ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll'] },
  ],
}

/** PARAPHE_PKCS11_MODULES is a path-separated list (':' on Unix, ';' on Windows). */
export function modulesFromEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['PARAPHE_PKCS11_MODULES'] ?? '')
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
}

const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p

export interface CandidateOptions {
  /** explicit paths (CLI --module, settings): always reported, even when missing */
  modules?: string[]
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  /** include the built-in list (default true) */
  builtin?: boolean
}

export function moduleCandidates(opts: CandidateOptions = {}): ModuleCandidate[] {
  const explicit = (opts.modules ?? []).map((p): ModuleCandidate => ({ name: baseName(p), source: 'option', paths: [p] }))
  const fromEnv = modulesFromEnvironment(opts.env).map((p): ModuleCandidate => ({ name: baseName(p), source: 'environment', paths: [p] }))
  const builtin = opts.builtin === false ? [] : (BUILTIN_MODULES[opts.platform ?? process.platform] ?? [])
  return [...explicit, ...fromEnv, ...builtin]
}

/** The path to try for a candidate: the first that exists, else the first listed (reported as missing). */
export function resolveCandidatePath(c: ModuleCandidate, exists: (p: string) => boolean = existsSync): string {
  return c.paths.find((p) => exists(p)) ?? c.paths[0] ?? ''
}
