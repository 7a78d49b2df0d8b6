// Module discovery failures as real installations meet them, each with its plain-words cause:
// a missing dependency, a library of the wrong architecture, a PKCS#11 module whose C_Initialize
// fails. The libraries are built here with gcc (Debian package installed on CI).
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listTokens } from '../../../src/main/core/token/list-tokens'
import { openTokenSigner } from '../../../src/main/core/token/pkcs11-signer'
import { tempDir } from './fixtures'

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir('paraphe-discovery-')
})
afterAll(() => tmp?.cleanup())

const gcc = (args: string[]) => execFileSync('gcc', args, { cwd: tmp.dir, stdio: 'pipe' })

describe('module discovery reasons', () => {
  it('missing dependency: the library exists but needs one that is not installed', () => {
    writeFileSync(join(tmp.dir, 'dep.c'), 'int vendor_helper(void) { return 1; }\n')
    writeFileSync(join(tmp.dir, 'mod.c'), 'extern int vendor_helper(void);\nint C_GetFunctionList(void **p) { (void)p; return vendor_helper(); }\n')
    gcc(['-shared', '-fPIC', '-o', 'libvendorhelper.so', 'dep.c'])
    gcc(['-shared', '-fPIC', '-o', 'vendor-pkcs11.so', 'mod.c', '-L.', '-lvendorhelper'])
    rmSync(join(tmp.dir, 'libvendorhelper.so'))
    const [m] = listTokens({ modules: [join(tmp.dir, 'vendor-pkcs11.so')], builtin: false, env: {} }).modules
    expect(m).toMatchObject({ status: 'failed', reasonCode: 'missing-dependency', reason: expect.stringContaining('needs another library') })
  })

  it('wrong architecture: an ELF of the other class', () => {
    const lib = ['/usr/lib/x86_64-linux-gnu/libz.so.1', '/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/aarch64-linux-gnu/libz.so.1'].find((p) => existsSync(p))
    expect(lib).toBeDefined()
    const bytes = Buffer.from(readFileSync(lib!))
    bytes[4] = bytes[4] === 2 ? 1 : 2 // EI_CLASS: 64-bit <-> 32-bit, as a 32-bit vendor DLL in a 64-bit app
    const path = join(tmp.dir, 'libeTPkcs11.so')
    writeFileSync(path, bytes)
    const [m] = listTokens({ modules: [path], builtin: false, env: {} }).modules
    expect(m).toMatchObject({ status: 'failed', reasonCode: 'wrong-architecture', reason: expect.stringContaining("architecture") })
    expect(m!.name).toBe('SafeNet Authentication Client (libeTPkcs11.so)')
  })

  it('C_Initialize error: a PKCS#11 module that refuses to start', async () => {
    // A function list whose every entry (C_Initialize first) answers CKR_DEVICE_ERROR (0x30).
    writeFileSync(
      join(tmp.dir, 'broken.c'),
      [
        'typedef unsigned long rv_t;',
        'static rv_t fail(void) { return 0x30; }',
        'struct list { unsigned char major, minor; void *f[68]; };',
        'static struct list L;',
        'rv_t C_GetFunctionList(struct list **out) { L.major = 2; L.minor = 40; for (int i = 0; i < 68; i++) L.f[i] = (void *)fail; *out = &L; return 0; }',
      ].join('\n'),
    )
    gcc(['-shared', '-fPIC', '-o', 'broken-pkcs11.so', 'broken.c'])
    const path = join(tmp.dir, 'broken-pkcs11.so')
    const [m] = listTokens({ modules: [path], builtin: false, env: {} }).modules
    expect(m).toMatchObject({ status: 'failed', reasonCode: 'initialize-failed', reason: expect.stringContaining('C_Initialize failed') })
    await expect(openTokenSigner({ modulePath: path, tokenLabel: 'x', pinProvider: async () => null })).rejects.toMatchObject({
      code: 'MODULE_LOAD_FAILED',
      detail: 'initialize-failed',
    })
    // and a renamed copy does not confuse the sharing of loaded modules
    copyFileSync(path, join(tmp.dir, 'broken-copy.so'))
    expect(listTokens({ modules: [join(tmp.dir, 'broken-copy.so')], builtin: false, env: {} }).modules[0]!.reasonCode).toBe('initialize-failed')
  })
})
