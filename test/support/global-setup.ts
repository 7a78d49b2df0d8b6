// vitest globalSetup: start the real test environment once per run, describe it in a JSON file
// named by $PARAPHE_TEST_ENV (tests: loadTestEnv() from test/support/env), stop it at the end.
// Vitest workers are forked after globalSetup and inherit process.env: PARAPHE_TEST_ENV,
// SOFTHSM2_CONF, OPENSC_CONF and PCSCLITE_CSOCK_NAME reach them (verified with vitest 4.1).
// If PARAPHE_TEST_ENV already names a live environment (e.g. `npx tsx test/support/cli.ts up`),
// it is reused and left running.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_ENV_VAR, type TestEnvDescription } from './env';
import { startTestEnvironment, type TestEnvironment } from './index';
import { isAlive } from './util';

interface Shared {
  refs: number;
  env?: TestEnvironment;
  path?: string;
  starting?: Promise<void>;
}
// One environment per process even when several vitest projects list this globalSetup.
const KEY = Symbol.for('paraphe.testEnvironment');
const shared: Shared = ((globalThis as Record<symbol, unknown>)[KEY] as Shared) ?? { refs: 0 };
(globalThis as Record<symbol, unknown>)[KEY] = shared;

function liveExternal(path: string | undefined): TestEnvDescription | undefined {
  if (!path || !existsSync(path)) return undefined;
  try {
    const d = JSON.parse(readFileSync(path, 'utf8')) as TestEnvDescription;
    return d.ownerPid !== process.pid && isAlive(d.ownerPid) ? d : undefined;
  } catch {
    return undefined;
  }
}

export default async function setup(project?: { provide?: (key: string, value: unknown) => void }): Promise<() => Promise<void>> {
  const external = !shared.env && !shared.starting ? liveExternal(process.env[TEST_ENV_VAR]) : undefined;
  if (external) {
    for (const [k, v] of Object.entries(external.env)) process.env[k] = v;
    return async () => {};
  }
  shared.refs++;
  if (!shared.env) {
    shared.starting ??= (async () => {
      const env = await startTestEnvironment();
      shared.env = env;
      shared.path = env.writeDescription();
      process.env[TEST_ENV_VAR] = shared.path;
      // CI safety net (.ci/run kills "$PARAPHE_TEST_STATE"/*.pid if the runner itself crashes).
      const state = process.env.PARAPHE_TEST_STATE;
      if (state && existsSync(state) && statSync(state).isDirectory() && env.vcard) {
        writeFileSync(join(state, `paraphe-vcard-${process.pid}.pid`), `${env.vcard.cardPid}\n`);
        if (env.vcard.pcscdPid) writeFileSync(join(state, `paraphe-pcscd-${process.pid}.pid`), `${env.vcard.pcscdPid}\n`);
      }
      const t = env.description.timings;
      console.log(`[paraphe test env] ${env.dir} ready in ${t.total} ms (${Object.entries(t).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v}`).join(', ')})`);
    })();
    try {
      await shared.starting;
    } catch (e) {
      shared.refs--;
      shared.starting = undefined;
      throw e;
    }
  }
  try {
    project?.provide?.('parapheTestEnv', shared.path);
  } catch {
    /* older vitest without provide */
  }
  return async () => {
    if (--shared.refs > 0) return;
    const env = shared.env;
    shared.env = undefined;
    shared.starting = undefined;
    if (!env) return;
    await env.stop();
    const state = process.env.PARAPHE_TEST_STATE;
    // stale pid files would make the CI safety net kill reused pids
    if (state) for (const n of ['vcard', 'pcscd']) rmSync(join(state, `paraphe-${n}-${process.pid}.pid`), { force: true });
    if (!process.env.PARAPHE_TEST_KEEP) rmSync(env.dir, { recursive: true, force: true });
    else console.log(`[paraphe test env] kept ${env.dir} (PARAPHE_TEST_KEEP)`);
  };
}
