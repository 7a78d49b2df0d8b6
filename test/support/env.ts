// What tests read: the JSON description of the running test environment (written by
// global-setup.ts or by `npx tsx test/support/cli.ts up`), found through $PARAPHE_TEST_ENV.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTestPki, type KeyKind, type PkiCertName, type PkiDescription, type TestPki } from './pki';
import type { PkiServiceUrls } from './services';
import { listReaders, personaliseCard, startCardProcess, waitCard, type CardProcess, type PcscdMode } from './vcard';

export const TEST_ENV_VAR = 'PARAPHE_TEST_ENV';

export interface TestEnvKey {
  /** CKA_ID, lower-case hex. */
  id: string;
  label: string;
  kind: KeyKind;
  pkiName: PkiCertName;
  certPemPath: string;
  certDerPath: string;
}

export interface TestEnvDescription {
  version: 1;
  /** Root of all temporary state of this run. */
  dir: string;
  createdAt: string;
  /** pid of the process that owns the services, pcscd and the card. */
  ownerPid: number;
  /** Wall-clock setup time per part, ms. */
  timings: Record<string, number>;
  pki: PkiDescription;
  services: PkiServiceUrls;
  softhsm: {
    modulePath: string;
    label: string;
    pin: string;
    soPin: string;
    serial: string;
    confPath: string;
    tokenDir: string;
    keys: TestEnvKey[];
  };
  /** null when the virtual card was disabled (PARAPHE_TEST_VCARD=0) or optional and unavailable. */
  vcard: {
    readerName: string;
    modulePath: string;
    openscConf: string;
    pin: string;
    puk: string;
    tries: number;
    pcscdMode: PcscdMode;
    pcscSocket: string;
    vpcdPort: number;
    spareReader: { name: string; port: number } | null;
    statePath: string;
    cardPid: number;
    pcscdPid?: number;
    slots: (TestEnvKey & { slot: '9a' | '9c'; alwaysAuthenticate: boolean })[];
  } | null;
  /** Variables a process (or child process) needs: SOFTHSM2_CONF, OPENSC_CONF, PCSCLITE_CSOCK_NAME (private pcscd). */
  env: Record<string, string>;
}

let cached: { path: string; desc: TestEnvDescription } | undefined;

/**
 * Read the test-environment JSON named by $PARAPHE_TEST_ENV and make sure this process has its
 * variables (SOFTHSM2_CONF, OPENSC_CONF, PCSCLITE_CSOCK_NAME) in process.env. Vitest workers inherit
 * them from globalSetup already; this is for other launchers. Call it before the first PKCS#11 /
 * PC/SC use in the process: libpcsclite reads PCSCLITE_CSOCK_NAME once.
 */
export function loadTestEnv(path = process.env[TEST_ENV_VAR]): TestEnvDescription {
  if (!path) throw new Error(`${TEST_ENV_VAR} is not set: run the tests through vitest with test/support/global-setup.ts, or start one with "npx tsx test/support/cli.ts up"`);
  if (cached?.path === path) return cached.desc;
  if (!existsSync(path)) throw new Error(`${TEST_ENV_VAR}=${path}: file not found (environment stopped?)`);
  const desc = JSON.parse(readFileSync(path, 'utf8')) as TestEnvDescription;
  for (const [k, v] of Object.entries(desc.env)) if (process.env[k] !== v) process.env[k] = v;
  cached = { path, desc };
  return desc;
}

/** Has a test environment been described for this process? (for describe.skipIf) */
export function hasTestEnv(): boolean {
  const p = process.env[TEST_ENV_VAR];
  return !!p && existsSync(p);
}

/** Environment for child processes (pkcs11-tool, openssl, the CLI under test...). */
export function childEnv(desc = loadTestEnv()): NodeJS.ProcessEnv {
  return { ...process.env, ...desc.env };
}

/** The test PKI with its keys as WebCrypto CryptoKeys (re-read from disk). */
export async function loadTestPkiFromEnv(desc = loadTestEnv()): Promise<TestPki> {
  return loadTestPki(desc.pki);
}

function requireCard(desc: TestEnvDescription) {
  if (!desc.vcard) throw new Error('no virtual card in this test environment');
  return desc.vcard;
}

/**
 * Control the shared virtual card (owned by the globalSetup process) from a test: signals to its
 * pid, then waits until PC/SC sees the change. The card is shared by all test files: tests that
 * change its state (wrong PINs, lock, PIN change) should resetCard() after, or use startExtraCard().
 */
export function cardControl(desc = loadTestEnv()) {
  const card = requireCard(desc);
  const env = childEnv(desc);
  const signal = (s: NodeJS.Signals) => process.kill(card.cardPid, s);
  return {
    /** SIGUSR1: card out of the reader. */
    async removeCard() {
      signal('SIGUSR1');
      await waitCard(card.readerName, false, env);
    },
    /** SIGUSR2: card back in. */
    async insertCard() {
      signal('SIGUSR2');
      await waitCard(card.readerName, true, env);
    },
    /** Fresh PIN/PUK counters, original PIN/PUK and keys; the card is removed and re-inserted. */
    async resetCard() {
      signal('SIGUSR1');
      await waitCard(card.readerName, false, env);
      personaliseCard(card.statePath, { pin: card.pin, puk: card.puk, tries: card.tries, slots: cardSlots(desc) });
      signal('SIGHUP');
      await new Promise((r) => setTimeout(r, 50));
      signal('SIGUSR2');
      await waitCard(card.readerName, true, env);
    },
    /** Is the card present (PC/SC view)? */
    async isPresent() {
      return (await listReaders(env)).some((r) => r.name === card.readerName && r.card);
    },
  };
}

function cardSlots(desc: TestEnvDescription) {
  const card = requireCard(desc);
  return card.slots.map((s) => ({
    slot: s.slot,
    key: readFileSync(desc.pki.certs[s.pkiName].keyPemPath, 'utf8'),
    cert: readFileSync(s.certDerPath),
    policy: s.alwaysAuthenticate ? ('always' as const) : ('once' as const),
  }));
}

/**
 * A card of the test's own in the spare reader ("Virtual PCD 00 01"): same keys as the shared card
 * unless `slots` says otherwise, own PIN counters. For lockout / PUK tests. Stop it in afterAll;
 * it also dies with the test worker. Only one extra card at a time per environment.
 */
export async function startExtraCard(o: {
  dir: string;
  pin?: string;
  puk?: string;
  tries?: number;
  slots?: Parameters<typeof personaliseCard>[1]['slots'];
  desc?: TestEnvDescription;
}): Promise<CardProcess & { readerName: string; statePath: string }> {
  const desc = o.desc ?? loadTestEnv();
  const card = requireCard(desc);
  if (!card.spareReader) throw new Error(`no spare reader (pcscd mode ${card.pcscdMode})`);
  const statePath = join(o.dir, 'extra-card.json');
  personaliseCard(statePath, { pin: o.pin ?? card.pin, puk: o.puk ?? card.puk, tries: o.tries ?? card.tries, slots: o.slots ?? cardSlots(desc) });
  const p = startCardProcess({ statePath, port: card.spareReader.port, logPath: join(o.dir, 'extra-card.log') });
  try {
    await waitCard(card.spareReader.name, true, childEnv(desc));
  } catch (e) {
    await p.stop();
    throw e;
  }
  const readerName = card.spareReader.name;
  return {
    ...p,
    readerName,
    statePath,
    stop: async () => {
      await p.stop();
      await waitCard(readerName, false, childEnv(desc)).catch(() => {});
    },
  };
}
