/**
 * "Paraphe Démo": a SoftHSM2 token in the user's app data so that a person without a card can try
 * the app. The key pair is generated ON the token; the certificate comes from a demo CA made here and
 * says plainly that it is a demonstration (not RGS, no legal value).
 */
import 'reflect-metadata'
import { execFileSync } from 'node:child_process'
import { webcrypto, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync, renameSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import * as pkcs11js from 'pkcs11js'
import { BUILTIN_MODULES, resolveCandidatePath } from './module-candidates'
import { Pkcs11Library, trimPadded } from './pkcs11-library'

export const DEMO_TOKEN_LABEL = 'Paraphe Démo'
export const DEMO_USER_PIN = '123456'
/** Policy OID marking demo certificates (private arc used only by Paraphe's demo CA). */
export const DEMO_POLICY_OID = '1.3.6.1.4.1.99999.1.1'

/** Per-user application data folder, as Electron's app.getPath('appData') + '/Paraphe'. */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['PARAPHE_APP_DATA']) return env['PARAPHE_APP_DATA']
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Paraphe')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Paraphe')
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'Paraphe')
}

export function demoTokenPaths(env: NodeJS.ProcessEnv = process.env) {
  const dir = join(appDataDir(env), 'demo-token')
  return { dir, tokenDir: join(dir, 'tokens'), conf: join(dir, 'softhsm2.conf'), caCert: join(dir, 'demo-ca.pem') }
}

/**
 * SoftHSM2 reads SOFTHSM2_CONF when it is initialised: point it at the demo token unless the user
 * (or a test) chose another configuration.
 */
export function applyDemoTokenEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  if (env['SOFTHSM2_CONF']) return
  const { conf } = demoTokenPaths(env)
  if (existsSync(conf)) env['SOFTHSM2_CONF'] = conf
}

export class DemoTokenUnavailable extends Error {
  override name = 'DemoTokenUnavailable'
}

const INSTALL_HINT: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'install it with: sudo apt-get install softhsm2 (Debian/Ubuntu) or sudo dnf install softhsm (Fedora)',
  darwin: 'install it with: brew install softhsm',
  win32: 'install SoftHSM2 for Windows (SoftHSM2-x64 installer) into C:\\SoftHSM2',
}

function findSoftHsm(env: NodeJS.ProcessEnv): { module: string; util: string } {
  const candidate = BUILTIN_MODULES[process.platform]?.find((c) => c.name === 'SoftHSM2')
  const module = candidate ? resolveCandidatePath(candidate) : ''
  const util = (env['PATH'] ?? '')
    .split(process.platform === 'win32' ? ';' : ':')
    .map((d) => join(d, process.platform === 'win32' ? 'softhsm2-util.exe' : 'softhsm2-util'))
    .find((p) => existsSync(p))
  if (!module || !existsSync(module) || !util) {
    throw new DemoTokenUnavailable(`SoftHSM2 is not installed; ${INSTALL_HINT[process.platform] ?? 'install SoftHSM2'}`)
  }
  return { module, util }
}

const b64url = (b: Buffer): string => b.toString('base64url')

export interface DemoTokenResult {
  label: string
  pin: string
  conf: string
  certificateSubject: string
  created: boolean
}

export async function provisionDemoToken(env: NodeJS.ProcessEnv = process.env): Promise<DemoTokenResult> {
  const { module, util } = findSoftHsm(env)
  const paths = demoTokenPaths(env)
  mkdirSync(paths.tokenDir, { recursive: true })
  if (!existsSync(paths.conf)) {
    const tmp = paths.conf + '.tmp'
    writeFileSync(tmp, `directories.tokendir = ${paths.tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\n`)
    renameSync(tmp, paths.conf)
  }
  const childEnv = { ...env, SOFTHSM2_CONF: paths.conf }
  const subject = 'CN=Démo Paraphe (NON RGS - démonstration), O=Paraphe démonstration, C=FR'

  // Already there? Keep it: never wipe a token the user may be using.
  process.env['SOFTHSM2_CONF'] = paths.conf
  {
    const lib = Pkcs11Library.open(module)
    try {
      const exists = lib.api.C_GetSlotList(true).some((s) => trimPadded(lib.api.C_GetTokenInfo(s).label) === DEMO_TOKEN_LABEL)
      if (exists) return { label: DEMO_TOKEN_LABEL, pin: DEMO_USER_PIN, conf: paths.conf, certificateSubject: subject, created: false }
    } finally {
      lib.close()
    }
  }

  const soPin = randomBytes(6).toString('hex')
  execFileSync(util, ['--init-token', '--free', '--label', DEMO_TOKEN_LABEL, '--pin', DEMO_USER_PIN, '--so-pin', soPin], {
    env: childEnv,
    stdio: 'pipe',
  })

  const crypto = webcrypto
  // Node's webcrypto is the Web Crypto API @peculiar/x509 expects; its typings differ only nominally.
  x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 }
  const caKeys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])
  const now = new Date()
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'CN=Paraphe AC de démonstration (NON RGS), O=Paraphe démonstration, C=FR',
    notBefore: now,
    notAfter: new Date(now.getTime() + 5 * 365 * 86400_000),
    signingAlgorithm: alg,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  })

  const lib = Pkcs11Library.open(module)
  try {
    const api = lib.api
    const slot = api.C_GetSlotList(true).find((s) => trimPadded(api.C_GetTokenInfo(s).label) === DEMO_TOKEN_LABEL)
    if (!slot) throw new Error('the demo token was initialised but SoftHSM2 does not list it')
    const session = api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
    api.C_Login(session, pkcs11js.CKU_USER, DEMO_USER_PIN)
    const id = Buffer.from('01', 'hex')
    const { publicKey } = api.C_GenerateKeyPair(
      session,
      { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
      [
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_VERIFY, value: true },
        { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 },
        { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
        { type: pkcs11js.CKA_ID, value: id },
        { type: pkcs11js.CKA_LABEL, value: 'Démo signature' },
      ],
      [
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_SIGN, value: true },
        { type: pkcs11js.CKA_PRIVATE, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false },
        { type: pkcs11js.CKA_ID, value: id },
        { type: pkcs11js.CKA_LABEL, value: 'Démo signature' },
      ],
    )
    const [mod, exp] = api.C_GetAttributeValue(session, publicKey, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }])
    const signerPublic = await crypto.subtle.importKey(
      'jwk',
      { kty: 'RSA', n: b64url(mod!.value as Buffer), e: b64url(exp!.value as Buffer), ext: true },
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      true,
      ['verify'],
    )
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '2'),
      subject,
      issuer: ca.subject,
      notBefore: now,
      notAfter: new Date(now.getTime() + 3 * 365 * 86400_000),
      signingAlgorithm: alg,
      publicKey: signerPublic,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.nonRepudiation | x509.KeyUsageFlags.digitalSignature, true),
        new x509.CertificatePolicyExtension([DEMO_POLICY_OID]),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    })
    api.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_LABEL, value: 'Démo signature' },
      { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(cert.subjectName.toArrayBuffer()) },
      { type: pkcs11js.CKA_ISSUER, value: Buffer.from(ca.subjectName.toArrayBuffer()) },
      { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(cert.serialNumber, 'hex') },
      { type: pkcs11js.CKA_VALUE, value: Buffer.from(cert.rawData) },
    ])
    api.C_Logout(session)
    api.C_CloseSession(session)
  } finally {
    lib.close()
  }
  const tmp = paths.caCert + '.tmp'
  writeFileSync(tmp, ca.toString('pem') + '\n')
  renameSync(tmp, paths.caCert)
  return { label: DEMO_TOKEN_LABEL, pin: DEMO_USER_PIN, conf: paths.conf, certificateSubject: subject, created: true }
}
