// Checks the BUILT preload without Electron: out/preload/index.js runs in a fresh V8 context with a
// require() that only knows what a sandboxed preload gets. It must expose one object, window.paraphe,
// whose functions are exactly the contract's, and no ipcRenderer.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import vm from 'node:vm'
import { expect, it } from 'vitest'
import { contract } from '../../src/shared/contract'

it('the built preload is one sandbox-safe bundle exposing only window.paraphe', async () => {
  const code = readFileSync(join(__dirname, '../../out/preload/index.js'), 'utf8')
  const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>()
  const invokes: unknown[][] = []
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (invokes.push(args), { ok: true, value: 'answer' }),
      on: (ch: string, l: (...args: unknown[]) => void) => {
        if (!listeners.has(ch)) listeners.set(ch, new Set())
        listeners.get(ch)!.add(l)
      },
      removeListener: (ch: string, l: (...args: unknown[]) => void) => void listeners.get(ch)?.delete(l),
    },
  }
  const allowed: Record<string, unknown> = { electron, events: {}, timers: {}, url: {} }
  const sandboxRequire = (id: string): unknown => {
    if (!(id in allowed)) throw new Error(`sandboxed preload cannot require "${id}"`)
    return allowed[id]
  }
  const mod = { exports: {} }
  const wrapper = vm.runInNewContext(`(function (require, module, exports) {\n${code}\n})`, {}, { filename: 'preload' })
  wrapper(sandboxRequire, mod, mod.exports)

  expect([...exposed.keys()]).toEqual(['paraphe'])
  const api = exposed.get('paraphe')!
  expect(Object.isFrozen(api)).toBe(true)
  // the contract's functions, plus pathForFile (drag and drop: webUtils.getPathForFile, no IPC)
  expect(Object.keys(api).sort()).toEqual([...Object.keys(contract.invoke), ...Object.keys(contract.events), 'pathForFile'].sort())

  await expect(api['listTokens']!({ extraModules: ['/x.so'] })).resolves.toEqual({ ok: true, value: 'answer' })
  expect(invokes).toEqual([['tokens:list', { extraModules: ['/x.so'] }]])

  const seen: unknown[] = []
  const off = api['onTokensChanged']!((p: unknown) => seen.push(p)) as () => void
  const [listener] = listeners.get('tokens:changed')!
  listener!({ sender: 'must not leak' }, { reason: 'hotplug' }) // ipcRenderer passes (event, payload)
  expect(seen).toEqual([{ reason: 'hotplug' }])
  off()
  expect(listeners.get('tokens:changed')!.size).toBe(0)
  // (the TypeError comes from the vm's realm: match the message)
  expect(() => api['onTokensChanged']!('not a function')).toThrow(/callback must be a function/)
})
