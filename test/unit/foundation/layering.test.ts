// The layering rule: src/shared and src/main/core never import electron (they run in plain Node for
// the CLI and the tests). Enforced by tsconfig.shared/core.json mapping "electron" to an empty module;
// this test shows that the rule fires, and scans the sources for side-effect imports too.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../../..')
// Probes live inside the repo (git-ignored) so that node_modules/@types resolve as for the real code.
function probeDir(): string {
  const base = join(ROOT, 'node_modules/.tmp')
  mkdirSync(base, { recursive: true })
  return mkdtempSync(join(base, 'layering-probe-'))
}

const ELECTRON_IMPORT = /(?:from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\s+['"]electron['"]|import\(\s*['"]electron['"]\s*\))/

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx|mts|js)$/.test(name) ? [p] : []
  })
}

describe('layering', () => {
  it('no file under src/shared, src/main/core or src/main/app imports electron', () => {
    const offenders = ['src/shared', 'src/main/core', 'src/main/app']
      .flatMap((d) => sourceFiles(join(ROOT, d)))
      .filter((f) => ELECTRON_IMPORT.test(readFileSync(f, 'utf8')))
    expect(offenders).toEqual([])
  })

  it('the core type-check fails on an electron import (the rule fires)', () => {
    const dir = probeDir()
    const probe = join(dir, 'probe.ts')
    writeFileSync(probe, "import { app } from 'electron'\nexport const quit = (): void => app.quit()\n")
    // Same compiler options as tsconfig.core.json (including its "electron" mapping), applied to the probe.
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: join(ROOT, 'tsconfig.core.json'), compilerOptions: { composite: false, noEmit: true, emitDeclarationOnly: false, declaration: false }, include: [probe] }),
    )
    let output = ''
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' })
    } catch (err) {
      output = String((err as { stdout?: string }).stdout)
    }
    expect(output).toMatch(/probe\.ts.*error TS(2305|2614): Module '"electron"' has no exported member 'app'/)
  })

  it('the same probe type-checks in the Electron layer (the rule is specific to core)', () => {
    const dir = probeDir()
    const probe = join(dir, 'probe.ts')
    writeFileSync(probe, "import { app } from 'electron'\nexport const quit = (): void => app.quit()\n")
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: join(ROOT, 'tsconfig.node.json'), compilerOptions: { composite: false, noEmit: true, emitDeclarationOnly: false, declaration: false }, include: [probe] }),
    )
    const out = execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' })
    expect(out).toBe('')
  })
})
