import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../src/main/cli/index'
import { moduleCandidates, modulesFromEnvironment } from '../../../src/main/core/token/module-candidates'
import { TokenListingSchema } from '../../../src/shared/model/token'
import pkg from '../../../package.json'

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env, isTty: false } }
}

describe('paraphe CLI', () => {
  it('--version prints the package version', async () => {
    const r = io()
    expect(await runCli(['--version'], r.io)).toBe(0)
    expect(r.out).toEqual([pkg.version])
  })

  it('--help lists the commands; no argument is a usage error', async () => {
    const r = io()
    expect(await runCli(['--help'], r.io)).toBe(0)
    expect(r.out.join('\n')).toMatch(/tokens\s+list PKCS#11 modules/)
    expect(await runCli([], io().io)).toBe(2)
  })

  it('an unknown command or option exits 2 with one line on stderr', async () => {
    const a = io()
    expect(await runCli(['frobnicate'], a.io)).toBe(2)
    expect(a.err).toHaveLength(1)
    const b = io()
    expect(await runCli(['tokens', '--bogus'], b.io)).toBe(2)
    expect(b.err).toHaveLength(1)
    expect(b.err[0]).toMatch(/^paraphe tokens: .*bogus/)
    // every token command parses the same way: --token belongs to certs and pin, not to tokens
    for (const args of [['tokens', '--token', 'x'], ['certs', '--bogus'], ['pin', 'status', '--bogus']]) {
      const c = io()
      expect(await runCli(args, c.io)).toBe(2)
      expect(c.err).toEqual([expect.stringMatching(new RegExp(`^paraphe ${args[0]}: .*(bogus|token)`))])
    }
  })

  it('tokens --json reports a missing module and a file that is not a PKCS#11 library, in plain words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paraphe-cli-'))
    const notALibrary = join(dir, 'libfake-pkcs11.so')
    writeFileSync(notALibrary, 'this is not a shared library\n')
    const r = io()
    const code = await runCli(['tokens', '--json', '--no-builtin', '--module', join(dir, 'absent.so'), '--module', notALibrary], r.io)
    expect(code).toBe(0)
    const listing = TokenListingSchema.parse(JSON.parse(r.out.join('')))
    expect(listing.modules.map((m) => [m.status, m.reasonCode])).toEqual([
      ['not-installed', 'missing-file'],
      ['failed', 'not-pkcs11'],
    ])
    expect(listing.modules[1]!.reason).toMatch(/is not a PKCS#11 library/)
  })
})

describe('module candidates', () => {
  it('reads PARAPHE_PKCS11_MODULES as a path-separated list', () => {
    expect(modulesFromEnvironment({ PARAPHE_PKCS11_MODULES: '/a/x.so::/b/y.so ' })).toEqual(['/a/x.so', '/b/y.so'])
  })

  it('orders option, environment, then built-in candidates', () => {
    const c = moduleCandidates({ modules: ['/opt/m.so'], env: { PARAPHE_PKCS11_MODULES: '/env/e.so' }, platform: 'linux' })
    expect(c.slice(0, 2).map((x) => x.source)).toEqual(['option', 'environment'])
    expect(c.slice(2).every((x) => x.source === 'builtin')).toBe(true)
    expect(c.slice(2).map((x) => x.name)).toEqual(expect.arrayContaining(['OpenSC', 'SoftHSM2']))
  })
})
