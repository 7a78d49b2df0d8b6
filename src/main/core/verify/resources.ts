/**
 * Where the verifier's data files live (resources/validation-policy.json, resources/trust/...).
 * Order: explicit directory, PARAPHE_RESOURCES, then the first `resources/` found walking up from this
 * module (source tree, built `out/main/`) or from the working directory. The packaged app passes
 * its own directory (process.resourcesPath) explicitly.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

const MARKER = 'validation-policy.json'

function walkUp(start: string): string | null {
  let dir = resolve(start)
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'resources')
    if (existsSync(join(candidate, MARKER))) return candidate
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return null
}

export function resolveResourcesDir(explicit?: string): string {
  if (explicit) return explicit
  const fromEnv = process.env.PARAPHE_RESOURCES
  if (fromEnv && existsSync(join(fromEnv, MARKER))) return fromEnv
  const starts: string[] = []
  if (typeof __dirname !== 'undefined') starts.push(__dirname)
  if (process.argv[1]) starts.push(dirname(process.argv[1]))
  starts.push(process.cwd())
  for (const s of starts) {
    const found = walkUp(s)
    if (found) return found
  }
  throw new Error(`cannot find Paraphe's resources directory (${MARKER}); set PARAPHE_RESOURCES`)
}
