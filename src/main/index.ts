// Electron bootstrap only: security settings, window, IPC registration. The engine lives in core/.
import { app, BrowserWindow } from 'electron'
import { createHandlers } from './app/handlers'
import { startTokenEvents } from './app/token-handlers'
import { createEmitter, createRouter } from './app/router'
import { defaultSettingsPath, SettingsStore } from './core/settings/settings-store'
import { applyDemoTokenEnvironment } from './core/token/demo-token'
import { PARAPHE_VERSION } from './core/version'
import { electronDesktopServices } from './electron/desktop'
import { registerIpc } from './electron/ipc'
import { createMainWindow, hardenSession } from './electron/window'

app.enableSandbox()

app.whenReady().then(() => {
  hardenSession()
  applyDemoTokenEnvironment(process.env)
  const emit = createEmitter((channel, payload) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(channel, payload)
  })
  const settings = new SettingsStore(defaultSettingsPath(process.env))
  const settingsModules = () => settings.read().pkcs11Modules
  const handlers = createHandlers({ emit, settingsModules, settings, version: PARAPHE_VERSION, desktop: electronDesktopServices() })
  registerIpc(createRouter(handlers, (line) => console.warn(line)))
  // hot-plug: PC/SC reader and card events, USB attach/detach, slot polling -> onTokenEvent / onTokensChanged
  const tokenEvents = startTokenEvents({ emit, settingsModules, env: process.env })
  app.on('will-quit', () => tokenEvents.stop())
  createMainWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
