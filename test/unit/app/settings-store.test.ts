// Settings kept between runs: modules added by hand survive a restart; a damaged file means
// defaults (and says so) rather than a crash; only absolute paths are kept.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_ADDED_MODULES, SettingsStore } from '../../../src/main/core/settings/settings-store'
import { createSettingsHandlers } from '../../../src/main/app/settings-handlers'

const dir = mkdtempSync(join(tmpdir(), 'paraphe-settings-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('SettingsStore', () => {
  it('keeps added modules across instances, once each, and removes them', async () => {
    const path = join(dir, 'a', 'settings.json')
    const store = new SettingsStore(path)
    expect(store.read().pkcs11Modules).toEqual([])
    await store.addModule('/opt/vendor/libvendor-pkcs11.so')
    await store.addModule('/opt/vendor/libvendor-pkcs11.so')
    expect(new SettingsStore(path).read().pkcs11Modules).toEqual(['/opt/vendor/libvendor-pkcs11.so'])
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, pkcs11Modules: ['/opt/vendor/libvendor-pkcs11.so'] })
    await store.removeModule('/opt/vendor/libvendor-pkcs11.so')
    expect(new SettingsStore(path).read().pkcs11Modules).toEqual([])
  })

  it('a damaged or foreign file gives defaults and a plain reason; the next change rewrites it', async () => {
    for (const content of ['{ not json', JSON.stringify({ version: 2, pkcs11Modules: 'x' }), JSON.stringify({ version: 1, pkcs11Modules: ['relative/lib.so'] })]) {
      const path = join(dir, `damaged-${content.length}.json`)
      writeFileSync(path, content)
      const store = new SettingsStore(path)
      expect(store.read().pkcs11Modules).toEqual([])
      expect(store.problem).toMatch(/defaults are used/)
      await store.addModule('/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so')
      expect(store.problem).toBeNull()
      expect(new SettingsStore(path).read().pkcs11Modules).toEqual(['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so'])
    }
  })

  it(`refuses more than ${MAX_ADDED_MODULES} modules and relative paths`, async () => {
    const store = new SettingsStore(join(dir, 'many.json'))
    for (let i = 0; i < MAX_ADDED_MODULES; i++) await store.addModule(`/opt/m/lib${i}.so`)
    await expect(store.addModule('/opt/m/one-too-many.so')).rejects.toThrow(/at most/)
    await expect(new SettingsStore(join(dir, 'rel.json')).addModule('lib/relative.so')).rejects.toThrow()
  })
})

describe('settings handlers', () => {
  it('add a module only when it loads: a missing file and a non-PKCS#11 file are refused in plain words', async () => {
    const settings = new SettingsStore(join(dir, 'handlers.json'))
    const h = createSettingsHandlers({ settings })
    await expect(h.addModule({ path: join(dir, 'absent.so') })).rejects.toMatchObject({ code: 'MODULE_NOT_FOUND' })
    const notALibrary = join(dir, 'libfake-pkcs11.so')
    writeFileSync(notALibrary, 'this is not a shared library\n')
    await expect(h.addModule({ path: notALibrary })).rejects.toMatchObject({ code: 'MODULE_LOAD_FAILED' })
    expect((await h.getSettings(undefined)).pkcs11Modules).toEqual([])
    await expect(createSettingsHandlers({}).getSettings(undefined)).rejects.toMatchObject({ code: 'INTERNAL' })
  })
})
