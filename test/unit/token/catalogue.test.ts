import { describe, expect, it } from 'vitest'
import catalogue from '../../../resources/pkcs11-modules.json'
import { builtinModules, knownUsbIds, MiddlewareCatalogueSchema, moduleCandidates } from '../../../src/main/core/token/module-candidates'

describe('middleware catalogue (resources/pkcs11-modules.json)', () => {
  it('is valid and names the middlewares French RGS tokens use, per OS', () => {
    const parsed = MiddlewareCatalogueSchema.parse(catalogue)
    const ids = parsed.modules.map((m) => m.id)
    expect(ids).toEqual(expect.arrayContaining(['opensc', 'safenet', 'idemia', 'idopte', 'feitian', 'bit4id', 'athena', 'p11-kit-proxy', 'softhsm2']))
    expect(new Set(ids).size).toBe(ids.length)
    const files = (os: 'linux' | 'win32' | 'darwin') => parsed.modules.flatMap((m) => m.paths[os] ?? []).map((p) => p.split(/[\\/]/).pop())
    expect(files('linux')).toEqual(expect.arrayContaining(['libeToken.so', 'libeTPkcs11.so', 'libidop11.so', 'libOcsCryptoki.so', 'opensc-pkcs11.so', 'libsofthsm2.so']))
    expect(files('win32')).toEqual(expect.arrayContaining(['eTPKCS11.dll', 'idoPKCS.dll', 'IDPrimePKCS11.dll']))
    expect(files('darwin')).toEqual(expect.arrayContaining(['libidop11.dylib']))
    // Windows paths are Windows paths, Unix paths absolute
    for (const m of parsed.modules) {
      for (const p of m.paths.win32 ?? []) expect(p).toMatch(/^[A-Z]:\\/)
      for (const p of [...(m.paths.linux ?? []), ...(m.paths.darwin ?? [])]) expect(p.startsWith('/')).toBe(true)
    }
  })

  it('rejects a malformed entry instead of guessing', () => {
    const bad = structuredClone(catalogue) as { modules: Array<{ usb: Array<{ vendorId: string }> }> }
    bad.modules[0]!.usb[0]!.vendorId = '1050'
    expect(() => MiddlewareCatalogueSchema.parse(bad)).toThrow()
  })

  it('builds built-in candidates with install hints and keeps explicit paths first', () => {
    const linux = builtinModules('linux')
    expect(linux.find((c) => c.catalogueId === 'safenet')?.installHint).toMatch(/SafeNet/)
    expect(builtinModules('win32').every((c) => c.paths.every((p) => p.includes('\\')))).toBe(true)
    expect(builtinModules('aix')).toEqual([])
    const c = moduleCandidates({ modules: ['/opt/x/libidop11.so'], platform: 'linux', env: {} })
    expect(c[0]).toMatchObject({ source: 'option', name: 'IDOPTE SCMiddleware (libidop11.so)', paths: ['/opt/x/libidop11.so'] })
  })

  it('lists known USB ids as numbers', () => {
    const ids = knownUsbIds()
    expect(ids).toEqual(expect.arrayContaining([expect.objectContaining({ vendorId: 0x0529, module: 'SafeNet Authentication Client' })]))
    expect(ids.every((u) => Number.isInteger(u.vendorId) && u.vendorId > 0 && u.vendorId <= 0xffff)).toBe(true)
  })
})
