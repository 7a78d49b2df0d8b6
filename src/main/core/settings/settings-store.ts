/**
 * The user's settings kept between runs (no secret, never a PIN): PKCS#11 modules added by hand
 * (a middleware installed where the catalogue does not look). One JSON file in the app data folder,
 * read defensively (a broken file means defaults, and says so), written atomically.
 */
import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, isAbsolute, join } from 'node:path'
import { z } from 'zod'
import { appDataDir } from '../token/demo-token'
import { writeFileAtomic } from '../files/atomic-write'

export const MAX_ADDED_MODULES = 32

const SettingsFileSchema = z.object({
  version: z.literal(1),
  pkcs11Modules: z.array(z.string().min(1).max(4096).refine((p) => isAbsolute(p) && !p.includes('\0'))).max(MAX_ADDED_MODULES),
})
export type Settings = z.infer<typeof SettingsFileSchema>

const DEFAULTS: Settings = { version: 1, pkcs11Modules: [] }

export function defaultSettingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['PARAPHE_SETTINGS'] ?? join(appDataDir(env), 'settings.json')
}

export class SettingsStore {
  private cached: Settings | null = null
  /** why the file on disk was not used (unreadable JSON, unknown shape), null when fine or absent */
  problem: string | null = null

  constructor(readonly path: string) {}

  read(): Settings {
    if (this.cached) return this.cached
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.problem = `the settings file ${this.path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); defaults are used`
      return (this.cached = DEFAULTS)
    }
    try {
      const parsed = SettingsFileSchema.safeParse(JSON.parse(text))
      if (parsed.success) return (this.cached = parsed.data)
      this.problem = `the settings file ${this.path} is not in the expected form; defaults are used until the next change`
    } catch {
      this.problem = `the settings file ${this.path} is not valid JSON; defaults are used until the next change`
    }
    return (this.cached = DEFAULTS)
  }

  async addModule(path: string): Promise<Settings> {
    const current = this.read()
    if (current.pkcs11Modules.includes(path)) return current
    if (current.pkcs11Modules.length >= MAX_ADDED_MODULES) throw new Error(`at most ${MAX_ADDED_MODULES} modules can be added`)
    return this.write({ ...current, pkcs11Modules: [...current.pkcs11Modules, path] })
  }

  async removeModule(path: string): Promise<Settings> {
    const current = this.read()
    return this.write({ ...current, pkcs11Modules: current.pkcs11Modules.filter((p) => p !== path) })
  }

  private async write(next: Settings): Promise<Settings> {
    const valid = SettingsFileSchema.parse(next)
    await mkdir(dirname(this.path), { recursive: true })
    await writeFileAtomic(this.path, JSON.stringify(valid, null, 2) + '\n', true)
    this.problem = null
    return (this.cached = valid)
  }
}
