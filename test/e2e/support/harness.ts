/**
 * Electron-less e2e harness: the REAL handlers and router (src/main/app, no electron import) run in
 * the test process, and the page gets the same `window.paraphe` the sandboxed preload builds.
 *
 *   page --window.paraphe.x(payload)--> __parapheInvoke binding --> router.invoke (zod) --> handlers --> core --> token
 *   handlers --emit(event)--> createEmitter (zod) --> page.evaluate(__parapheHarness.dispatch)
 */
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { buildParapheApi } from '../../../src/shared/bridge'
import { channelManifest, eventContract, type ChannelManifest, type EventName, type EventPayload } from '../../../src/shared/contract'
import { createHandlers, type HandlerDeps } from '../../../src/main/app/handlers'
import { createEmitter, createRouter } from '../../../src/main/app/router'
import { PARAPHE_VERSION } from '../../../src/main/core/version'

export const RENDERER_DIR = resolve(__dirname, '../../../out/renderer')

/** Runs inside the page before any app script (addInitScript). Must be self-contained. */
function pageInit(manifest: ChannelManifest, build: typeof buildParapheApi): void {
  const w = window as unknown as Record<string, unknown>
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const invoke = w['__parapheInvoke'] as (channel: string, payload: unknown) => Promise<unknown>
  const api = build(manifest, {
    invoke: (channel, payload) => invoke(channel, payload),
    subscribe(channel, cb) {
      let set = listeners.get(channel)
      if (!set) listeners.set(channel, (set = new Set()))
      const l = (p: unknown): void => cb(p)
      set.add(l)
      return () => {
        set.delete(l)
      }
    },
  })
  // drag and drop: the preload's webUtils.getPathForFile; here the test names the paths of the files it drops
  const dropPaths = new Map<string, string>()
  const pathForFile = (file: File): string => dropPaths.get(file.name) ?? ''
  Object.defineProperty(window, 'paraphe', { value: Object.freeze({ ...api, pathForFile }), enumerable: true })
  Object.defineProperty(window, '__parapheHarness', {
    value: Object.freeze({
      setDropPath(name: string, path: string): void {
        dropPaths.set(name, path)
      },
      dispatch(channel: string, payload: unknown): number {
        const set = listeners.get(channel)
        for (const l of [...(set ?? [])]) l(structuredClone(payload))
        return set?.size ?? 0
      },
    }),
  })
}

export interface Harness {
  /** every invoke that reached the "main" side */
  calls: Array<{ channel: string; payload: unknown }>
  /** push a main->renderer event exactly like webContents.send would; resolves to the number of listeners hit */
  emit<K extends EventName>(event: K, payload: EventPayload<K>): Promise<number>
}

/** Call BEFORE page.goto(). */
export async function installParapheHarness(page: Page, deps: Omit<HandlerDeps, 'emit' | 'version'>): Promise<Harness> {
  const manifest = channelManifest()
  const send = (channel: string, payload: unknown): Promise<number> =>
    page.evaluate(
      ([c, p]) => (window as unknown as { __parapheHarness: { dispatch(c: string, p: unknown): number } }).__parapheHarness.dispatch(c, p),
      [channel, payload] as const,
    )
  const emit = createEmitter((channel, payload) => void send(channel, payload).catch(() => 0))
  const router = createRouter(createHandlers({ ...deps, emit, version: PARAPHE_VERSION }))
  const calls: Harness['calls'] = []
  await page.exposeBinding('__parapheInvoke', async (_source, channel: string, payload: unknown) => {
    calls.push({ channel, payload })
    return router.invoke(channel, payload)
  })
  await page.addInitScript(`(${pageInit.toString()})(${JSON.stringify(manifest)}, (${buildParapheApi.toString()}));`)
  return {
    calls,
    emit: (event, payload) => send(eventContract[event].channel, eventContract[event].payload.parse(payload)),
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** Serves out/renderer on 127.0.0.1 (random port), like Electron's file:// load. */
export async function startStaticServer(root = RENDERER_DIR): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = normalize(join(root, urlPath === '/' ? 'index.html' : urlPath))
    if (!file.startsWith(root + sep)) return void res.writeHead(403).end()
    try {
      const body = await readFile(file)
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r, j) => server.close((e) => (e ? j(e) : r()))),
  }
}
