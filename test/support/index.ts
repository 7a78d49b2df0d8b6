// One call for the whole real test environment: PKI + OCSP/CRL/TSA services + SoftHSM2 token
// "Paraphe Test" + virtual PIV card behind pcscd. See docs/testing.md.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestEnvDescription } from './env';
import { createTestPki, type TestPki } from './pki';
import { startPkiServices, type PkiServices } from './services';
import { createSoftHsmToken, type SoftHsmToken } from './softhsm';
import { startPcscd, startVirtualCard, type PcscdHandle, type PcscdMode, type VirtualCard } from './vcard';

export * from './env';
export { createTestPki, loadTestPki, PKI_CERT_NAMES, TEST_SIGNER_POLICY_OID, TEST_TSA_POLICY_OID } from './pki';
export type { PkiCertName, PkiDescription, TestCert, TestPki } from './pki';
export { startPkiServices } from './services';
export type { OcspMode, PkiServices, PkiServiceUrls, TsaMode } from './services';
export { createSoftHsmToken, findSoftHsmModule } from './softhsm';
export type { SoftHsmKey, SoftHsmToken } from './softhsm';
export { findOpenscModule, listReaders, personaliseCard, startCardProcess, startPcscd, startVirtualCard, waitCard } from './vcard';
export type { CardProcess, PcscdHandle, PcscdMode, VirtualCard } from './vcard';

export interface StartTestEnvironmentOptions {
  /** Root of all state (created if needed). Default: a new mkdtemp under os.tmpdir(). */
  dir?: string;
  softhsmLabel?: string;
  softhsmPin?: string;
  softhsmSoPin?: string;
  /**
   * Virtual card: true (default) = required, 'optional' = continue without it if pcscd/vpcd cannot
   * run here, false = none. Default from PARAPHE_TEST_VCARD (0 | optional | 1).
   */
  vcard?: boolean | 'optional';
  pcscdMode?: PcscdMode | 'auto';
  /** See CreateTestPkiOptions.keyCache. */
  keyCache?: string | false;
  /** Set SOFTHSM2_CONF / OPENSC_CONF / PCSCLITE_CSOCK_NAME in process.env (default true). */
  setProcessEnv?: boolean;
  /** Processes started here die when this pid dies (default: process.pid). */
  ownerPid?: number;
}

export interface TestEnvironment {
  dir: string;
  pki: TestPki;
  services: PkiServices;
  softhsm: SoftHsmToken;
  vcard: VirtualCard | null;
  /** Variables for child processes. */
  env: Record<string, string>;
  /** JSON-safe description (what global-setup writes for the tests). */
  description: TestEnvDescription;
  /** Write the description to `path` (default <dir>/test-env.json) and return the path. */
  writeDescription(path?: string): string;
  /** Stops everything this call started (card, pcscd, HTTP server). Idempotent. */
  stop(): Promise<void>;
}

function vcardDefault(): boolean | 'optional' {
  const v = process.env.PARAPHE_TEST_VCARD;
  if (v === undefined || v === '') return true;
  if (/^optional$/i.test(v)) return 'optional';
  return !/^(0|off|false|no)$/i.test(v);
}

export async function startTestEnvironment(opts: StartTestEnvironmentOptions = {}): Promise<TestEnvironment> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const s = performance.now();
    return f().then((v) => {
      timings[name] = Math.round(performance.now() - s);
      return v;
    });
  };
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'paraphe-test-'));
  mkdirSync(dir, { recursive: true });
  const wantCard = opts.vcard ?? vcardDefault();
  const setEnv = opts.setProcessEnv !== false;
  const ownerPid = opts.ownerPid ?? process.pid;

  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length) throw new AggregateError(errors, 'test environment stop failed');
  };

  // pcscd does not need the PKI: start it while the keys are generated.
  let pcscdP: Promise<PcscdHandle | null> = Promise.resolve(null);
  if (wantCard) {
    pcscdP = lap('pcscd', () => startPcscd({ dir: join(dir, 'vcard', 'pcscd'), mode: opts.pcscdMode, ownerPid })).then(
      (h) => {
        cleanups.push(() => h.stop());
        return h;
      },
      (e) => {
        if (wantCard === 'optional') {
          console.warn(`[paraphe test env] virtual card disabled: ${(e as Error).message}`);
          return null;
        }
        throw e;
      },
    );
    pcscdP.catch(() => {}); // awaited below
  }

  const pending: Promise<unknown>[] = [];
  try {
    const services = await lap(
      'pki+services',
      () => startPkiServices((baseUrl) => createTestPki(join(dir, 'pki'), { baseUrl, keyCache: opts.keyCache })),
    );
    cleanups.push(() => services.close());
    const pki = services.pki;

    // The card branch first: its processes boot while SoftHSM is filled in-process (synchronous).
    const vcardP = lap('vcard', async () => {
      const pcscd = await pcscdP;
      if (!pcscd) return null;
      try {
        const vc = await startVirtualCard({ dir: join(dir, 'vcard'), pki, pcscd, ownerPid, setProcessEnv: setEnv });
        cleanups.push(() => vc.stop());
        return vc;
      } catch (e) {
        if (wantCard === 'optional') {
          console.warn(`[paraphe test env] virtual card disabled: ${(e as Error).message}`);
          return null;
        }
        throw e;
      }
    });
    vcardP.catch(() => {}); // awaited below
    pending.push(vcardP);
    const softhsmP = lap('softhsm', async () => {
      await new Promise((r) => setImmediate(r));
      return createSoftHsmToken({
        dir: join(dir, 'softhsm'),
        label: opts.softhsmLabel ?? 'Paraphe Test',
        pin: opts.softhsmPin ?? '1234',
        soPin: opts.softhsmSoPin ?? '12345678',
        pki,
        setProcessEnv: setEnv,
      });
    });
    softhsmP.catch(() => {});
    pending.push(softhsmP);
    const [softhsm, vcard] = await Promise.all([softhsmP, vcardP]);

    const env: Record<string, string> = { ...softhsm.env, ...(vcard?.env ?? {}) };
    timings.total = Math.round(performance.now() - t0);
    const keyDesc = (name: TestCertName, id: string, label: string) => ({
      id,
      label,
      kind: pki.certs[name].kind,
      pkiName: name,
      certPemPath: pki.certs[name].certPemPath,
      certDerPath: pki.certs[name].certDerPath,
    });
    const description: TestEnvDescription = {
      version: 1,
      dir,
      createdAt: new Date().toISOString(),
      ownerPid,
      timings,
      pki: pki.describe(),
      services: {
        baseUrl: services.baseUrl,
        ocspUrl: services.ocspUrl,
        tsaUrl: services.tsaUrl,
        crlUrl: services.crlUrl,
        rootCrlUrl: services.rootCrlUrl,
        rootCertUrl: services.rootCertUrl,
        intermediateCertUrl: services.intermediateCertUrl,
        fail: services.fail,
      },
      softhsm: {
        modulePath: softhsm.modulePath,
        label: softhsm.label,
        pin: softhsm.pin,
        soPin: softhsm.soPin,
        serial: softhsm.serial,
        confPath: softhsm.confPath,
        tokenDir: softhsm.tokenDir,
        keys: softhsm.keys.map((k) => keyDesc(k.pkiName, k.id, k.label)),
      },
      vcard: vcard && {
        readerName: vcard.readerName,
        modulePath: vcard.modulePath,
        openscConf: vcard.openscConf,
        pin: vcard.pin,
        puk: vcard.puk,
        tries: vcard.tries,
        pcscdMode: vcard.pcscdMode,
        pcscSocket: vcard.pcscSocket,
        vpcdPort: vcard.vpcdPort,
        spareReader: vcard.spareReader,
        statePath: vcard.statePath,
        cardPid: vcard.cardPid,
        pcscdPid: vcard.pcscdPid,
        slots: vcard.slots.map((s) => ({
          ...keyDesc(s.pkiName, s.id, s.slot === '9a' ? 'PIV AUTH key' : 'SIGN key'),
          slot: s.slot,
          alwaysAuthenticate: s.alwaysAuthenticate,
        })),
      },
      env,
    };
    let stopped = false;
    return {
      dir,
      pki,
      services,
      softhsm,
      vcard,
      env,
      description,
      writeDescription(path = join(dir, 'test-env.json')) {
        writeFileSync(path, JSON.stringify(description, null, 2));
        return path;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
  } catch (e) {
    // let every branch settle so that all it started is registered, then stop it all
    await Promise.allSettled([pcscdP, ...pending]);
    await stopAll().catch(() => {});
    throw e;
  }
}

type TestCertName = import('./pki').PkiCertName;
