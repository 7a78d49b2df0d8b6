// Token fixtures for the token integration tests: a SoftHSM2 token with RSA and EC keys, and a
// PRIVATE virtual PIV card stack (pcscd + vpcd + vpiv.js) in its own mount and network namespaces so
// it never meets the machine's (or another test's) pcscd: its socket is a file in a temp folder and
// PCSCLITE_CSOCK_NAME points the test process at it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { hasTestEnv, loadTestPkiFromEnv } from '../../support/env'
import { createTestPki, type TestPki } from '../../support/pki'

const HERE = dirname(fileURLToPath(import.meta.url))
const PROJECT_VCARD = join(HERE, '..', '..', 'vcard')

/** A file of the project's virtual card tools (test/vcard). */
export function vcardFile(name: string): string {
  return join(PROJECT_VCARD, name)
}

export const SOFTHSM_MODULE = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((p) => existsSync(p)) ?? '/usr/lib/softhsm/libsofthsm2.so'
export const OPENSC_MODULE = ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so'].find((p) => existsSync(p)) ?? '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so'

export const CARD_PIN = '123456'
export const CARD_PUK = '12345678'

let pkiPromise: Promise<TestPki> | null = null
/**
 * The test PKI (RSA + EC signers, card certificates for slots 9A and 9C): the shared environment's
 * when the integration globalSetup made one (read only), else a fresh one for this file.
 */
export function testPki(dir: string): Promise<TestPki> {
  pkiPromise ??= hasTestEnv() ? loadTestPkiFromEnv() : createTestPki(join(dir, 'pki'), { baseUrl: 'http://127.0.0.1:9' })
  return pkiPromise
}

export interface SoftHsmFixture {
  conf: string
  label: string
  userPin: string
  soPin: string
  /** CKA_ID hex of the RSA and EC keys */
  rsaId: string
  ecId: string
}

/**
 * A SoftHSM2 token in `dir`, with the test PKI's RSA and EC signer keys (CKA_ID 01 and 02) and their
 * certificates. Sets SOFTHSM2_CONF for this process: call before the module is first loaded.
 */
export async function createSoftHsmFixture(dir: string, label = 'Paraphe Test HSM', tokens: string[] = []): Promise<SoftHsmFixture> {
  const pki = await testPki(dir)
  const tokenDir = join(dir, 'softhsm-tokens')
  mkdirSync(tokenDir, { recursive: true })
  const conf = join(dir, 'softhsm2.conf')
  writeFileSync(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\n`)
  process.env['SOFTHSM2_CONF'] = conf
  const env = { ...process.env, SOFTHSM2_CONF: conf }
  const userPin = '1234'
  const soPin = '87654321'
  for (const l of [label, ...tokens]) {
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', l, '--pin', userPin, '--so-pin', soPin], { env, stdio: 'pipe' })
  }
  const keys: Array<[string, 'signerRsa' | 'signerEc']> = [
    ['01', 'signerRsa'],
    ['02', 'signerEc'],
  ]
  for (const [id, name] of keys) {
    const c = pki.certs[name]
    execFileSync('softhsm2-util', ['--import', c.keyPemPath, '--token', label, '--label', name, '--id', id, '--pin', userPin], { env, stdio: 'pipe' })
    execFileSync(
      'pkcs11-tool',
      ['--module', SOFTHSM_MODULE, '--token-label', label, '--login', '--pin', userPin, '--write-object', c.certDerPath, '--type', 'cert', '--id', id, '--label', name],
      { env, stdio: 'pipe' },
    )
  }
  return { conf, label, userPin, soPin, rsaId: '01', ecId: '02' }
}

export interface VirtualCardStack {
  dir: string
  socket: string
  /** the card in reader "Virtual PCD 00 00" (port 35963) and, when asked, a second one in "00 01" */
  cards: VirtualCard[]
  stop(): Promise<void>
}

export interface VirtualCard {
  reader: string
  state: string
  pid(): number
  /** pull the card out of the reader (vpiv SIGUSR1) and wait until pcscd sees it */
  remove(): Promise<void>
  insert(): Promise<void>
  /** stop the card, write a fresh state (PIN, PUK, tries), start it again: a new card in the reader */
  reset(opts?: { tries?: number }): Promise<void>
}

function wait(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await wait(50)
  }
}

function cardPresent(reader: string, env: NodeJS.ProcessEnv): boolean {
  try {
    const out = execFileSync('opensc-tool', ['-l'], { env, stdio: 'pipe' }).toString()
    return out.split('\n').some((l) => l.includes(reader) && /\sYes\s/.test(l))
  } catch {
    return false
  }
}

export interface CardSpec {
  /** slots to personalise: 9a (RSA, PIN once) and 9c (EC, PIN for every signature) */
  slots?: Array<'9a' | '9c'>
  tries?: number
}

/**
 * Start pcscd in private namespaces (mount: /run/pcscd is a temp folder; network: vpcd's ports are
 * private) with one or two virtual PIV cards. Sets PCSCLITE_CSOCK_NAME for this process.
 */
export async function startVirtualCards(dir: string, specs: CardSpec[] = [{}]): Promise<VirtualCardStack> {
  const pki = await testPki(dir)
  const vc = join(dir, 'vcard')
  const run = join(vc, 'run')
  mkdirSync(run, { recursive: true })
  mkdirSync('/run/pcscd', { recursive: true })
  const nodelay = join(vc, 'nodelay.so')
  execFileSync('gcc', ['-O2', '-shared', '-fPIC', '-o', nodelay, vcardFile('nodelay.c'), '-ldl'], { stdio: 'pipe' })
  const vpiv = vcardFile('vpiv.cjs')
  const socket = join(run, 'pcscd.comm')
  const env = { ...process.env, PCSCLITE_CSOCK_NAME: socket }
  process.env['PCSCLITE_CSOCK_NAME'] = socket

  const cardFiles = specs.map((spec, i) => {
    const state = join(vc, `card${i}.json`)
    let chuid: string | undefined
    const personalise = (tries: number) => {
      execFileSync('node', [vpiv, 'init', state, '--pin', CARD_PIN, '--puk', CARD_PUK, '--tries', String(tries)], { stdio: 'pipe' })
      // Keep the card's identity (CHUID GUID, which OpenSC shows as the token serial) across resets:
      // a reset card is the same card with fresh PIN counters.
      const json = JSON.parse(readFileSync(state, 'utf8')) as { objects: Record<string, string> }
      if (chuid) {
        json.objects['5fc102'] = chuid
        writeFileSync(state, JSON.stringify(json))
      } else chuid = json.objects['5fc102']
      for (const slot of spec.slots ?? ['9a', '9c']) {
        const c = slot === '9a' ? pki.certs.cardRsa : pki.certs.cardEc
        execFileSync('node', [vpiv, 'set', state, '--slot', slot, '--key', c.keyPemPath, '--cert', c.certPemPath, ...(slot === '9c' ? ['--policy', 'always'] : [])], { stdio: 'pipe' })
      }
    }
    personalise(spec.tries ?? 3)
    // the personalised card as made, to put back quickly on reset (same keys, same serial)
    const pristine = readFileSync(state, 'utf8')
    return { state, personalise, pristine, tries: spec.tries ?? 3, port: 35963 + i, reader: `Virtual PCD 00 0${i}` }
  })

  // pcscd runs as the namespace's first process; the cards join its network namespace with nsenter.
  const script = join(vc, 'ns.sh')
  writeFileSync(
    script,
    [
      'set -e',
      `mount --bind ${run} /run/pcscd`,
      'ip link set lo up',
      `LD_PRELOAD=${nodelay} exec pcscd -f -i`,
    ].join('\n'),
  )
  const pcscd = spawn('unshare', ['-m', '-n', 'sh', script], { stdio: ['ignore', 'ignore', 'pipe'], detached: false })
  let pcscdErr = ''
  pcscd.stderr?.on('data', (d) => (pcscdErr += String(d)))
  await until(() => existsSync(socket) || pcscd.exitCode !== null, 'pcscd socket')
  if (pcscd.exitCode !== null) throw new Error(`pcscd did not start: ${pcscdErr}`)

  const children = new Map<number, ChildProcess>()
  const startCard = (i: number): ChildProcess => {
    const f = cardFiles[i]!
    // nsenter joins pcscd's network namespace so the card reaches vpcd on 127.0.0.1.
    const child = spawn('nsenter', ['-t', String(pcscd.pid), '-n', 'node', vpiv, 'run', f.state, '--host', '127.0.0.1', '--port', String(f.port)], {
      stdio: 'ignore',
    })
    children.set(i, child)
    return child
  }
  const cards: VirtualCard[] = cardFiles.map((f, i) => {
    const card: VirtualCard = {
      reader: f.reader,
      state: f.state,
      pid: () => children.get(i)?.pid ?? -1,
      async remove() {
        children.get(i)?.kill('SIGUSR1')
        await until(() => !cardPresent(f.reader, env), `${f.reader} empty`)
      },
      async insert() {
        children.get(i)?.kill('SIGUSR2')
        await until(() => cardPresent(f.reader, env), `${f.reader} with a card`)
      },
      async reset(opts = {}) {
        const old = children.get(i)
        if (old && old.exitCode === null) {
          // pull the card first (pcscd sees it at once), then stop its process
          old.kill('SIGUSR1')
          await until(() => !cardPresent(f.reader, env), `${f.reader} empty after reset`)
          const exited = new Promise((r) => old.once('exit', r))
          old.kill('SIGTERM')
          await exited
        }
        if ((opts.tries ?? f.tries) === f.tries) writeFileSync(f.state, f.pristine)
        else f.personalise(opts.tries ?? f.tries)
        startCard(i)
        await until(() => cardPresent(f.reader, env), `${f.reader} with a fresh card`)
      },
    }
    return card
  })
  for (let i = 0; i < cards.length; i++) startCard(i)
  for (const c of cards) await until(() => cardPresent(c.reader, env), `${c.reader} with a card`)

  return {
    dir: vc,
    socket,
    cards,
    async stop() {
      for (const child of children.values()) if (child.exitCode === null) child.kill('SIGTERM')
      if (pcscd.exitCode === null) {
        const exited = new Promise((r) => pcscd.once('exit', r))
        pcscd.kill('SIGTERM')
        await Promise.race([exited, wait(3000)])
      }
    },
  }
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** OPENSC_CONF with `user_pin_unblock_style = set_pin_in_unlogged_session` (PUK unblock by C_SetPIN). */
export function useOpenscConf(dir: string): string {
  const target = join(dir, 'opensc.conf')
  copyFileSync(vcardFile('opensc.conf'), target)
  process.env['OPENSC_CONF'] = target
  return target
}
