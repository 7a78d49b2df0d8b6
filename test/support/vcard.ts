// Virtual PIV smart card behind real PC/SC: pcscd + vsmartcard's vpcd driver + test/vcard/vpiv.cjs,
// used through OpenSC's opensc-pkcs11.so. See test/vcard/README.md and docs/testing.md.
//
// pcscd modes:
//  - private (default when root): a pcscd of our own in a private mount namespace (unshare -m) with
//    its socket at <dir>/pcscd/run/pcscd.comm; clients find it through PCSCLITE_CSOCK_NAME (set in
//    process.env and in `env`). Its vpcd readers listen on random loopback ports. Parallel test
//    runs and a system pcscd do not interfere with it.
//  - system: no unshare possible and nobody serves /run/pcscd/pcscd.comm: start pcscd on the system
//    socket (one a machine) with our reader.conf (random loopback ports).
//  - reuse: no unshare possible and a pcscd already serves the system socket: use its vpcd readers
//    (ports from /etc/reader.conf.d/vpcd, 35963/35964), first reader without a card. Slower (no
//    TCP_NODELAY shim: ~40 ms an APDU) and shared with whoever runs that pcscd.
import { type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { defaultKeyCache, type KeyKind, type PkiCertName, type TestPki } from './pki';
import { VCARD_DIR, firstExisting, freePort, isAlive, run, runStatus, sleep, spawnChild, terminate, waitFor } from './util';

const require_ = createRequire(import.meta.url);
interface VpivModule {
  initState(file: string, o?: { pin?: string; puk?: string; tries?: number | string }): void;
  setSlot(file: string, o: { slot: string; key?: string | Buffer; cert?: string | Buffer; policy?: 'once' | 'always' }): void;
}
export const VPIV_PATH = join(VCARD_DIR, 'vpiv.cjs');
const vpiv = (): VpivModule => require_(VPIV_PATH) as VpivModule;

export const SYSTEM_PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
export const OPENSC_CONF_PATH = join(VCARD_DIR, 'opensc.conf');
export const OPENSC_MODULE_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so',
  '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/aarch64-linux-gnu/pkcs11/opensc-pkcs11.so',
  '/usr/lib64/opensc-pkcs11.so',
  '/usr/lib/opensc-pkcs11.so',
  '/usr/local/lib/opensc-pkcs11.so',
  '/Library/OpenSC/lib/opensc-pkcs11.so',
];
const VPCD_DRIVER_CANDIDATES = ['/usr/lib/pcsc/drivers/serial/libifdvpcd.so', '/usr/lib64/pcsc/drivers/serial/libifdvpcd.so', '/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so'];

export function findOpenscModule(): string {
  const p = firstExisting([process.env.PARAPHE_OPENSC_MODULE ?? '', ...OPENSC_MODULE_CANDIDATES].filter(Boolean));
  if (!p) throw new Error('opensc-pkcs11.so not found (apt-get install opensc-pkcs11)');
  return p;
}

export type PcscdMode = 'private' | 'system' | 'reuse';

export interface PcscdHandle {
  mode: PcscdMode;
  /** Socket clients use (PCSCLITE_CSOCK_NAME). */
  socket: string;
  /** { PCSCLITE_CSOCK_NAME } in private mode, {} otherwise. */
  env: Record<string, string>;
  /** vpcd port of reader "... 00 00"; reader "... 00 01" is port + 1. */
  vpcdPort: number;
  /** Reader name prefix ("Virtual PCD"): readers are "<prefix> 00 00" and "<prefix> 00 01". */
  readerPrefix: string;
  /** pid of pcscd (undefined in reuse mode: not ours). */
  pid?: number;
  stop(): Promise<void>;
}

/** Does something accept connections on this unix socket? */
export function socketServed(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!existsSync(path)) return resolve(false);
    const s = net.connect({ path });
    const done = (v: boolean) => {
      s.destroy();
      resolve(v);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    setTimeout(() => done(false), 1000).unref();
  });
}

/**
 * unshare flags that work here for a private pcscd, or null: root gets a plain mount namespace;
 * other users a user + mount namespace (needs unprivileged user namespaces, Debian's default).
 */
async function unshareFlags(): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  const root = process.getuid?.() === 0;
  for (const flags of root ? [[]] : [['-r']]) {
    const r = await runStatus('unshare', [...flags, '-m', '--propagation', 'private', 'true'], { timeoutMs: 5000 });
    if (r.code === 0) return flags.join(' ');
  }
  return null;
}

/** Readers and card presence as seen through PC/SC (`opensc-tool -l`). */
export async function listReaders(env: NodeJS.ProcessEnv): Promise<{ index: number; name: string; card: boolean }[]> {
  const r = await runStatus('opensc-tool', ['-l'], { env, timeoutMs: 10_000 });
  const out: { index: number; name: string; card: boolean }[] = [];
  const lines = r.stdout.split('\n');
  const header = lines.find((l) => /^Nr\.\s+Card\s+Features\s+Name/.test(l));
  if (!header) return out;
  const nameCol = header.indexOf('Name');
  for (const line of lines) {
    const m = /^(\d+)\s+(Yes|No|\?)\s/.exec(line);
    if (m) out.push({ index: Number(m[1]), card: m[2] === 'Yes', name: line.slice(nameCol).trim() });
  }
  return out;
}

async function buildNodelay(target: string): Promise<void> {
  const src = join(VCARD_DIR, 'nodelay.c');
  const cache = defaultKeyCache();
  const cached = cache ? join(cache, `nodelay-${createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 16)}-${process.arch}.so`) : undefined;
  if (cached && existsSync(cached)) {
    copyFileSync(cached, target);
    return;
  }
  await run('gcc', ['-O2', '-shared', '-fPIC', '-o', target, src, '-ldl']);
  if (cached) {
    try {
      mkdirSync(dirname(cached), { recursive: true, mode: 0o700 });
      const tmp = `${cached}.${process.pid}.tmp`;
      copyFileSync(target, tmp);
      renameSync(tmp, cached);
    } catch {
      /* cache is best effort */
    }
  }
}

/** Is something listening on 127.0.0.1/0.0.0.0:port (TCP, IPv4 or IPv6)? Reads /proc/net/tcp*. */
export function tcpListening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    // "sl local_address rem_address st ...": local "0100007F:8C7B", state 0A = LISTEN
    for (const line of text.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[1]?.endsWith(`:${hex}`)) return true;
    }
  }
  return false;
}

function hasVpcdDriver(): string {
  const p = firstExisting(VPCD_DRIVER_CANDIDATES);
  if (!p) throw new Error('vpcd driver libifdvpcd.so not found (apt-get install vsmartcard-vpcd)');
  return p;
}

/**
 * Start (or, in reuse mode, find) the pcscd the virtual cards plug into. `dir` holds its state
 * (nodelay.so, reader.conf.d, run/, logs). `ownerPid`: pcscd is stopped when that process dies.
 */
export async function startPcscd(opts: { dir: string; mode?: PcscdMode | 'auto'; ownerPid?: number }): Promise<PcscdHandle> {
  const dir = opts.dir;
  mkdirSync(dir, { recursive: true });
  let mode = opts.mode ?? (process.env.PARAPHE_PCSCD_MODE as PcscdMode | 'auto' | undefined) ?? 'auto';
  const flags = mode === 'auto' || mode === 'private' ? await unshareFlags() : null;
  if (mode === 'auto') {
    if (flags !== null) mode = 'private';
    else mode = (await socketServed(SYSTEM_PCSCD_SOCKET)) ? 'reuse' : 'system';
  }
  if (mode === 'private' && flags === null) throw new Error('pcscd mode private: unshare -m is not permitted here (root, or unprivileged user namespaces, needed)');
  const readerPrefix = 'Virtual PCD';

  if (mode === 'reuse') {
    if (!(await socketServed(SYSTEM_PCSCD_SOCKET))) throw new Error(`pcscd mode reuse: nobody serves ${SYSTEM_PCSCD_SOCKET}`);
    const conf = existsSync('/etc/reader.conf.d/vpcd') ? readFileSync('/etc/reader.conf.d/vpcd', 'utf8') : '';
    const port = Number(/CHANNELID\s+(0x[0-9a-f]+|\d+)/i.exec(conf)?.[1] ?? 35963);
    return { mode, socket: SYSTEM_PCSCD_SOCKET, env: {}, vpcdPort: port, readerPrefix, stop: async () => {} };
  }

  const driver = hasVpcdDriver();
  // TCP_NODELAY + loopback-only shim for pcscd (test/vcard/nodelay.c), compiled into the state dir;
  // the build is reused from the key cache folder when the source has not changed (gcc: 0.1-1 s).
  const so = join(dir, 'nodelay.so');
  if (!existsSync(so)) await buildNodelay(so);
  const port = await freePort(2);
  const confDir = join(dir, 'reader.conf.d');
  mkdirSync(confDir, { recursive: true });
  const hex = `0x${port.toString(16).toUpperCase()}`;
  writeFileSync(join(confDir, 'vpcd'), `FRIENDLYNAME "${readerPrefix}"\nDEVICENAME   /dev/null:${hex}\nLIBPATH      ${driver}\nCHANNELID    ${hex}\n`);

  let socket: string;
  let env: Record<string, string>;
  if (mode === 'private') {
    mkdirSync(join(dir, 'run'), { recursive: true });
    socket = join(dir, 'run', 'pcscd.comm');
    env = { PCSCLITE_CSOCK_NAME: socket };
  } else {
    if (await socketServed(SYSTEM_PCSCD_SOCKET)) throw new Error(`pcscd mode system: ${SYSTEM_PCSCD_SOCKET} is already served (use reuse)`);
    socket = SYSTEM_PCSCD_SOCKET;
    env = {};
  }
  const pidFile = join(dir, 'pcscd.pid');
  const log = openSync(join(dir, 'pcscd-run.log'), 'a');
  let guard: ChildProcess;
  try {
    guard = spawnChild('sh', [join(VCARD_DIR, 'pcscd-run.sh'), mode, dir, String(opts.ownerPid ?? process.pid)], {
      stdio: ['ignore', log, log],
      env: { ...process.env, PCSCD_UNSHARE_FLAGS: flags ?? '' },
    });
  } finally {
    closeSync(log);
  }
  const pcscdPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) || undefined : undefined);
  const stop = async () => {
    const pid = pcscdPid();
    await terminate(guard, 'SIGTERM', 4000); // the guard stops pcscd and waits for it
    if (pid && isAlive(pid)) await terminate(pid, 'SIGTERM', 2000);
  };
  try {
    // Ready = socket present and vpcd listening on its port (cheap checks: no process spawned).
    await waitFor(
      'pcscd socket and vpcd port',
      () => {
        if (guard.exitCode !== null) throw new Error(`pcscd-run.sh exited (${guard.exitCode}), see ${dir}/pcscd.log and pcscd-run.log`);
        return existsSync(socket) && tcpListening(port);
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { mode, socket, env, vpcdPort: port, readerPrefix, pid: pcscdPid(), stop };
}

export interface CardSlotSpec {
  slot: '9a' | '9c' | '9d' | '9e';
  /** PKCS#8 PEM key or path. */
  key: string | Buffer;
  /** certificate PEM/DER or path */
  cert: string | Buffer;
  /** 'always' = PIN before every signature (CKA_ALWAYS_AUTHENTICATE through OpenSC). Default: 9c always, others once. */
  policy?: 'once' | 'always';
}

/** Write a fresh card state file (PIN/PUK/tries + keys/certs). The running card owns its file: personalise before run, or SIGHUP after. */
export function personaliseCard(statePath: string, o: { pin: string; puk: string; tries: number; slots: CardSlotSpec[] }): void {
  const v = vpiv();
  v.initState(statePath, { pin: o.pin, puk: o.puk, tries: o.tries });
  for (const s of o.slots) v.setSlot(statePath, { slot: s.slot, key: s.key, cert: s.cert, policy: s.policy });
}

export interface CardProcess {
  pid: number;
  child: ChildProcess;
  /** SIGUSR1: the card leaves the reader. */
  remove(): void;
  /** SIGUSR2: the card comes back. */
  insert(): void;
  /** SIGHUP: re-read the state file, reset the card. */
  reload(): void;
  stop(): Promise<void>;
}

/** Run `node vpiv.cjs run` for a state file, connecting to vpcd on 127.0.0.1:port. */
export function startCardProcess(o: { statePath: string; port: number; ownerPid?: number; logPath: string; verbose?: boolean }): CardProcess {
  const log = openSync(o.logPath, 'a');
  let child: ChildProcess;
  try {
    const args = [VPIV_PATH, 'run', o.statePath, '--host', '127.0.0.1', '--port', String(o.port), '--owner-pid', String(o.ownerPid ?? process.pid)];
    if (o.verbose) args.push('-v');
    child = spawnChild(process.execPath, args, { stdio: ['ignore', log, log], env: { ...process.env, NODE_OPTIONS: '' } });
  } finally {
    closeSync(log);
  }
  const sig = (s: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(s);
  };
  return {
    pid: child.pid!,
    child,
    remove: () => sig('SIGUSR1'),
    insert: () => sig('SIGUSR2'),
    reload: () => sig('SIGHUP'),
    stop: () => terminate(child, 'SIGTERM', 3000),
  };
}

/** Wait until PC/SC reports the card in `readerName` present (true) or absent (false). */
export async function waitCard(readerName: string, present: boolean, env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<void> {
  // opensc-tool costs ~30 ms of CPU a call: poll gently (pcscd itself polls vpcd readers).
  await waitFor(
    `card ${present ? 'in' : 'out of'} "${readerName}"`,
    async () => (await listReaders(env)).some((r) => r.name === readerName && r.card === present),
    { timeoutMs, intervalMs: 60 },
  );
}

export interface VirtualCardSlot {
  slot: '9a' | '9c';
  /** CKA_ID OpenSC gives the objects of this PIV slot (9A -> 01, 9C -> 02). */
  id: string;
  kind: KeyKind;
  pkiName: PkiCertName;
  /** true: PIN needed before every signature (CKA_ALWAYS_AUTHENTICATE). */
  alwaysAuthenticate: boolean;
  certDer: Buffer;
  certPemPath: string;
}

export interface VirtualCard {
  readerName: string;
  /** OpenSC PKCS#11 module. */
  modulePath: string;
  /** Project opensc.conf (OPENSC_CONF) enabling PUK unblock through C_SetPIN. */
  openscConf: string;
  pin: string;
  puk: string;
  tries: number;
  pcscdMode: PcscdMode;
  pcscSocket: string;
  /** vpcd port of this card's reader; the other reader of the pair is free for extra cards. */
  vpcdPort: number;
  /** Port and reader name of the second reader, for a test's own card (startCardProcess). */
  spareReader: { name: string; port: number } | null;
  statePath: string;
  cardPid: number;
  pcscdPid?: number;
  /** Env for child processes (and set in process.env): OPENSC_CONF, PCSCLITE_CSOCK_NAME (private mode). */
  env: Record<string, string>;
  slots: VirtualCardSlot[];
  removeCard(): Promise<void>;
  insertCard(): Promise<void>;
  /** Re-personalise the card (fresh PIN/PUK counters and keys), then remove + insert it. */
  resetCard(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartVirtualCardOptions {
  dir: string;
  pki: TestPki;
  pin?: string;
  puk?: string;
  tries?: number;
  pcscdMode?: PcscdMode | 'auto';
  /** Use this already started pcscd (its owner stops it) instead of starting one. */
  pcscd?: PcscdHandle | Promise<PcscdHandle>;
  ownerPid?: number;
  /** Set PCSCLITE_CSOCK_NAME / OPENSC_CONF in process.env (default true). */
  setProcessEnv?: boolean;
  verbose?: boolean;
}

/**
 * Start pcscd (see modes above) and insert a personalised PIV card: PIN 123456, PUK 12345678,
 * 3 tries; slot 9A = cardRsa (RSA-2048, PIN once), slot 9C = cardEc (P-256, PIN per signature).
 */
export async function startVirtualCard(opts: StartVirtualCardOptions): Promise<VirtualCard> {
  const dir = opts.dir;
  mkdirSync(dir, { recursive: true });
  const pin = opts.pin ?? '123456';
  const puk = opts.puk ?? '12345678';
  const tries = opts.tries ?? 3;
  const modulePath = findOpenscModule();
  const c = opts.pki.certs;
  const slotSpecs: CardSlotSpec[] = [
    { slot: '9a', key: c.cardRsa.keyPem, cert: c.cardRsa.certDer, policy: 'once' },
    { slot: '9c', key: c.cardEc.keyPem, cert: c.cardEc.certDer, policy: 'always' },
  ];
  const slots: VirtualCardSlot[] = [
    { slot: '9a', id: '01', kind: c.cardRsa.kind, pkiName: 'cardRsa', alwaysAuthenticate: false, certDer: c.cardRsa.certDer, certPemPath: c.cardRsa.certPemPath },
    { slot: '9c', id: '02', kind: c.cardEc.kind, pkiName: 'cardEc', alwaysAuthenticate: true, certDer: c.cardEc.certDer, certPemPath: c.cardEc.certPemPath },
  ];
  const statePath = join(dir, 'card.json');
  personaliseCard(statePath, { pin, puk, tries, slots: slotSpecs });

  const ownPcscd = !opts.pcscd;
  const pcscd = opts.pcscd ? await opts.pcscd : await startPcscd({ dir: join(dir, 'pcscd'), mode: opts.pcscdMode, ownerPid: opts.ownerPid });
  const stopPcscd = () => (ownPcscd ? pcscd.stop() : Promise.resolve());
  const env: Record<string, string> = { ...pcscd.env, OPENSC_CONF: OPENSC_CONF_PATH };
  const cEnv = { ...process.env, ...env };
  let card: CardProcess | undefined;
  try {
    // Reader 00 00 normally; in reuse mode the first vpcd reader without a card.
    let idx = 0;
    if (pcscd.mode === 'reuse') {
      const readers = await listReaders(cEnv);
      idx = [0, 1].find((i) => readers.some((r) => r.name === `${pcscd.readerPrefix} 00 0${i}` && !r.card)) ?? -1;
      if (idx < 0) throw new Error('pcscd reuse: no free vpcd reader (both hold a card)');
    }
    const readerName = `${pcscd.readerPrefix} 00 0${idx}`;
    const port = pcscd.vpcdPort + idx;
    card = startCardProcess({ statePath, port, ownerPid: opts.ownerPid, logPath: join(dir, 'vpiv.log'), verbose: opts.verbose });
    const theCard = card;
    await waitCard(readerName, true, cEnv, 10_000).catch((e) => {
      throw new Error(`${e.message}; card log: ${existsSync(join(dir, 'vpiv.log')) ? readFileSync(join(dir, 'vpiv.log'), 'utf8').slice(-2000) : ''}`);
    });
    if (opts.setProcessEnv !== false) Object.assign(process.env, env);
    const spareIdx = idx === 0 ? 1 : 0;
    const vc: VirtualCard = {
      readerName,
      modulePath,
      openscConf: OPENSC_CONF_PATH,
      pin,
      puk,
      tries,
      pcscdMode: pcscd.mode,
      pcscSocket: pcscd.socket,
      vpcdPort: port,
      spareReader: pcscd.mode === 'reuse' ? null : { name: `${pcscd.readerPrefix} 00 0${spareIdx}`, port: pcscd.vpcdPort + spareIdx },
      statePath,
      cardPid: theCard.pid,
      pcscdPid: pcscd.pid,
      env,
      slots,
      removeCard: async () => {
        theCard.remove();
        await waitCard(readerName, false, cEnv);
      },
      insertCard: async () => {
        theCard.insert();
        await waitCard(readerName, true, cEnv);
      },
      resetCard: async () => {
        theCard.remove();
        await waitCard(readerName, false, cEnv);
        personaliseCard(statePath, { pin, puk, tries, slots: slotSpecs });
        theCard.reload();
        await sleep(50);
        theCard.insert();
        await waitCard(readerName, true, cEnv);
      },
      stop: async () => {
        await theCard.stop();
        await stopPcscd();
      },
    };
    return vc;
  } catch (e) {
    await card?.stop();
    await stopPcscd();
    throw e;
  }
}

/** Names of the files under a vcard state dir (for docs / debugging). */
export function vcardLogs(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => join(dir, f)) : [];
}
