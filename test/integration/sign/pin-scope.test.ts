// What a PIN prompt says it covers for a batch (pinScope), through the real signing session on a real
// SoftHSM2 token: unknown before the login of a key hidden until then, for certain ("once for the
// batch") when the key is visible before the login, and "per signature" once the engine has read
// CKA_ALWAYS_AUTHENTICATE.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeHttpClient } from '../../../src/main/core/net/http'
import { buildFormatOptions, planSignature, signWithToken, type SigningPinRequest } from '../../../src/main/core/sign/sign-session'
import { createSoftHsmToken, createTestPki, type SoftHsmToken } from '../../support'

let dir: string
let hsm: SoftHsmToken

async function batchPrompts(keyId: string, count: number): Promise<Array<Pick<SigningPinRequest, 'purpose' | 'pinScope' | 'fileCount'>>> {
  const sub = mkdtempSync(join(dir, `batch-${keyId}-`))
  const files = Array.from({ length: count }, (_, i) => {
    const f = join(sub, `acte-${i + 1}.txt`)
    writeFileSync(f, `Acte ${i + 1}\n`)
    return f
  })
  const http = createNodeHttpClient()
  const items = await planSignature({ files, level: 'B-B', force: false })
  const seen: Array<Pick<SigningPinRequest, 'purpose' | 'pinScope' | 'fileCount'>> = []
  const report = await signWithToken({
    items,
    options: buildFormatOptions({ level: 'B-B', http, force: false }),
    token: { modulePath: hsm.modulePath, tokenLabel: hsm.label, keyId },
    http,
    pinProvider: async (req) => {
      seen.push({ purpose: req.purpose, pinScope: req.pinScope, fileCount: req.fileCount })
      return { pin: new TextEncoder().encode(hsm.pin) }
    },
  })
  expect(report.signed).toBe(count)
  return seen
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-pin-scope-'))
  const pki = await createTestPki(join(dir, 'pki'), { baseUrl: 'http://127.0.0.1:9' })
  hsm = await createSoftHsmToken({
    dir: join(dir, 'softhsm'),
    pki,
    // 01: hidden until the login (SoftHSM's usual), one login for the session
    // 02: a private key the token shows before the login (CKA_PRIVATE false), one login for the session
    // 03: hidden until the login, and asks the PIN again for every signature
    keys: ['signerRevoked', 'signerRsa', 'signerEc'],
    keyAttributes: { signerRsa: { private: false }, signerEc: { alwaysAuthenticate: true } },
  })
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('PIN scope of a signing batch', () => {
  it('a key hidden before the login: the one login prompt cannot know, and says unknown', async () => {
    expect(await batchPrompts('01', 3)).toEqual([{ purpose: 'login', pinScope: 'unknown', fileCount: 3 }])
  })

  it('a key visible before the login without CKA_ALWAYS_AUTHENTICATE: "one PIN for the batch", for certain', async () => {
    expect(await batchPrompts('02', 3)).toEqual([{ purpose: 'login', pinScope: 'once-for-batch', fileCount: 3 }])
  })

  it('a hidden key with CKA_ALWAYS_AUTHENTICATE: unknown at the login, then "per signature" at each of the files', async () => {
    expect(await batchPrompts('03', 3)).toEqual([
      { purpose: 'login', pinScope: 'unknown', fileCount: 3 },
      { purpose: 'signature', pinScope: 'per-signature', fileCount: 3 },
      { purpose: 'signature', pinScope: 'per-signature', fileCount: 3 },
      { purpose: 'signature', pinScope: 'per-signature', fileCount: 3 },
    ])
  })
})
