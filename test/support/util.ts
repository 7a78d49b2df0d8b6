// Small process / file helpers shared by the test-environment modules. Node built-ins only.
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of this folder (works under vitest ESM and under tsx CJS). */
export const SUPPORT_DIR = dirname(fileURLToPath(import.meta.url));
/** Absolute path of test/vcard (the project's copy of the virtual card tools). */
export const VCARD_DIR = join(SUPPORT_DIR, '..', 'vcard');

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Run a command (no shell), reject with stdout+stderr in the message on a non-zero exit. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: Buffer | string; timeoutMs?: number; cwd?: string; encoding?: 'utf8' } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args as string[],
      { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 30_000, cwd: opts.cwd, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const e = new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`);
          (e as Error & { stdout?: string; stderr?: string }).stdout = String(stdout);
          (e as Error & { stdout?: string; stderr?: string }).stderr = String(stderr);
          reject(e);
        } else resolve({ stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Like run() but never rejects: returns the exit code too. */
export function runStatus(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: Buffer | string; timeoutMs?: number } = {},
): Promise<RunResult & { code: number }> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args as string[],
      { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
        resolve({ stdout: String(stdout), stderr: String(stderr), code });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `check` every `intervalMs` until it returns a truthy value or `timeoutMs` elapses. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 10_000, intervalMs = 50 } = {},
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as T;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > end) throw new Error(`timeout (${timeoutMs} ms) waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    await sleep(intervalMs);
  }
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). `consecutive` > 1 asks for N free ports in a row. */
export async function freePort(consecutive = 1): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await listenOnce(0);
    let ok = true;
    for (let i = 1; i < consecutive && ok; i++) ok = await listenOnce(first + i).then(() => true, () => false);
    if (ok && first + consecutive - 1 < 65536) return first;
  }
  throw new Error('no free port range found');
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

/** Random positive serial number as lower-case hex (16 bytes, first byte 0x40..0x7f: never a leading 00). */
export function randomSerialHex(bytes = 16): string {
  const b = randomBytes(bytes);
  b[0] = (b[0]! & 0x3f) | 0x40;
  return b.toString('hex');
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

export function fromPem(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** First existing path of a list, or undefined. */
export function firstExisting(paths: readonly string[]): string | undefined {
  return paths.find((p) => existsSync(p));
}

/** Is process `pid` alive (signal 0)? */
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Spawn a long-running child, remembering its pid; output goes to a log file descriptor if given. */
export function spawnChild(cmd: string, args: readonly string[], opts: SpawnOptions): ChildProcess {
  const child = spawn(cmd, args as string[], opts);
  child.on('error', () => {
    /* reported through exit / waitFor */
  });
  return child;
}

/** Send `signal`, wait up to `graceMs` for exit, then SIGKILL. Only for pids this code started. */
export async function terminate(child: ChildProcess | number | undefined, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
  if (child === undefined) return;
  const pid = typeof child === 'number' ? child : child.pid;
  if (!pid || !isAlive(pid)) return;
  if (typeof child !== 'number' && child.exitCode !== null) return;
  const exited =
    typeof child === 'number'
      ? null
      : new Promise<void>((r) => {
          if (child.exitCode !== null || child.signalCode !== null) r();
          else child.once('exit', () => r());
        });
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (exited) {
      const done = await Promise.race([exited.then(() => true), sleep(25).then(() => false)]);
      if (done) return;
    } else {
      if (!isAlive(pid)) return;
      await sleep(25);
    }
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  if (exited) await Promise.race([exited, sleep(1000)]);
}
