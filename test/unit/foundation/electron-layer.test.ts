// The Electron layer (src/main/electron) with the `electron` module replaced by a recorder: the
// Electron binary cannot be downloaded here, so these check what that thin layer asks of Electron —
// native dialogs that confirm before replacing a file, IPC only from the app's own page, a sandboxed
// window that never navigates away, a CSP header and no permission.
import { beforeEach, describe, expect, it, vi } from 'vitest'

const recorded = vi.hoisted(() => ({
  openDialogs: [] as unknown[],
  saveDialogs: [] as unknown[],
  answers: [] as unknown[],
  shown: [] as string[],
  handlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
  windows: [] as Array<{ options: Record<string, unknown>; events: Map<string, (e: { preventDefault(): void }) => void>; openHandler?: () => unknown; loaded?: string }>,
  headerHook: null as null | ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
  permissionHook: null as null | ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void),
}))

vi.mock('electron', () => {
  class BrowserWindow {
    static getFocusedWindow = () => null
    static getAllWindows = () => []
    webContents: Record<string, unknown>
    constructor(options: Record<string, unknown>) {
      const w: (typeof recorded.windows)[number] = { options, events: new Map() }
      recorded.windows.push(w)
      this.webContents = {
        setWindowOpenHandler: (h: () => unknown) => (w.openHandler = h),
        on: (name: string, fn: (e: { preventDefault(): void }) => void) => w.events.set(name, fn),
      }
    }
    once() {}
    loadFile(path: string) {
      recorded.windows.at(-1)!.loaded = path
      return Promise.resolve()
    }
    loadURL(url: string) {
      recorded.windows.at(-1)!.loaded = url
      return Promise.resolve()
    }
  }
  return {
    BrowserWindow,
    app: { isPackaged: true },
    dialog: {
      showOpenDialog: async (...args: unknown[]) => (recorded.openDialogs.push(args.at(-1)), recorded.answers.shift()),
      showSaveDialog: async (...args: unknown[]) => (recorded.saveDialogs.push(args.at(-1)), recorded.answers.shift()),
    },
    shell: { showItemInFolder: (p: string) => recorded.shown.push(p) },
    ipcMain: { handle: (channel: string, fn: (event: unknown, payload: unknown) => unknown) => recorded.handlers.set(channel, fn) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: typeof recorded.headerHook) => (recorded.headerHook = fn) },
        setPermissionRequestHandler: (fn: typeof recorded.permissionHook) => (recorded.permissionHook = fn),
      },
    },
  }
})

const { electronDesktopServices } = await import('../../../src/main/electron/desktop')
const { registerIpc } = await import('../../../src/main/electron/ipc')
const { createMainWindow, hardenSession, CONTENT_SECURITY_POLICY } = await import('../../../src/main/electron/window')
const { invokeContract } = await import('../../../src/shared/contract')

beforeEach(() => {
  recorded.openDialogs.length = recorded.saveDialogs.length = recorded.answers.length = recorded.shown.length = recorded.windows.length = 0
  recorded.handlers.clear()
})

describe('native dialogs', () => {
  it('open: filters by purpose, several files only when asked, a cancel is no file', async () => {
    const desktop = electronDesktopServices()
    recorded.answers.push({ canceled: false, filePaths: ['/a.pdf', '/b.xml'] }, { canceled: true, filePaths: [] })
    expect(await desktop.openFiles({ purpose: 'verify', multiple: true })).toEqual(['/a.pdf', '/b.xml'])
    expect(await desktop.openFiles({ purpose: 'content', multiple: false })).toEqual([])
    const [verify, content] = recorded.openDialogs as Array<{ properties: string[]; filters: Array<{ extensions: string[] }> }>
    expect(verify!.properties).toEqual(['openFile', 'multiSelections'])
    expect(verify!.filters[0]!.extensions).toEqual(expect.arrayContaining(['pdf', 'xml', 'p7s', 'p7m', 'asice']))
    expect(content!.properties).toEqual(['openFile'])
  })

  it('save: the dialog asks before replacing a file (the export then overwrites), a cancel is null', async () => {
    const desktop = electronDesktopServices()
    recorded.answers.push({ canceled: false, filePath: '/tmp/rapport.pdf' }, { canceled: true })
    expect(await desktop.chooseSavePath({ defaultName: 'rapport.pdf', extensions: ['pdf'] })).toBe('/tmp/rapport.pdf')
    expect(await desktop.chooseSavePath({ defaultName: 'rapport.pdf', extensions: ['pdf'] })).toBeNull()
    const [save] = recorded.saveDialogs as Array<{ defaultPath: string; properties: string[]; filters: unknown[] }>
    expect(save!.properties).toContain('showOverwriteConfirmation')
    expect(save!.defaultPath).toBe('rapport.pdf')
    expect(save!.filters).toEqual([{ name: 'PDF', extensions: ['pdf'] }])
  })

  it('folder: one folder or null; "show in folder" goes to the file manager', async () => {
    const desktop = electronDesktopServices()
    recorded.answers.push({ canceled: false, filePaths: ['/srv/signes'] }, { canceled: true, filePaths: [] })
    expect(await desktop.chooseFolder()).toBe('/srv/signes')
    expect(await desktop.chooseFolder()).toBeNull()
    desktop.showInFolder('/srv/signes/a-signe.pdf')
    expect(recorded.shown).toEqual(['/srv/signes/a-signe.pdf'])
  })
})

describe('IPC', () => {
  it('one handler per contract channel; only the app page (file://) reaches the router', async () => {
    const calls: Array<[string, unknown]> = []
    registerIpc({ invoke: async (channel: string, payload: unknown) => (calls.push([channel, payload]), { ok: true, value: 'done' }) } as never)
    expect([...recorded.handlers.keys()].sort()).toEqual(Object.values(invokeContract).map((c) => c.channel).sort())
    const handle = recorded.handlers.get('verify:file')!
    expect(await handle({ senderFrame: { url: 'file:///opt/paraphe/resources/app/out/renderer/index.html' } }, { path: '/a.pdf' })).toEqual({ ok: true, value: 'done' })
    expect(await handle({ senderFrame: { url: 'https://evil.example/' } }, { path: '/etc/shadow' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    expect(await handle({ senderFrame: null }, {})).toMatchObject({ ok: false })
    expect(calls).toEqual([['verify:file', { path: '/a.pdf' }]])
  })
})

describe('window and session', () => {
  it('sandboxed, isolated, no Node in the page, no new window, no navigation, no webview; loads the packaged page', () => {
    createMainWindow()
    const w = recorded.windows[0]!
    expect(w.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false })
    expect(w.openHandler!()).toEqual({ action: 'deny' })
    for (const event of ['will-navigate', 'will-attach-webview']) {
      const prevented = vi.fn()
      w.events.get(event)!({ preventDefault: prevented })
      expect(prevented, event).toHaveBeenCalled()
    }
    expect(w.loaded).toMatch(/renderer[\\/]index\.html$/)
  })

  it('every response carries the CSP; every permission request is refused', () => {
    hardenSession()
    let headers: Record<string, string[]> = {}
    recorded.headerHook!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders))
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
    expect(headers['Content-Type']).toEqual(['text/html'])
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self';/)
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/)
    const granted = vi.fn()
    recorded.permissionHook!({}, 'media', granted)
    expect(granted).toHaveBeenCalledWith(false)
  })
})
