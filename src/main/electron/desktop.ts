import { BrowserWindow, dialog, shell } from 'electron'
import type { DesktopServices } from '../app/workflow-handlers'

const FILTERS: Record<string, Electron.FileFilter[]> = {
  sign: [
    { name: 'Documents', extensions: ['pdf', 'xml', 'p7s', 'p7m'] },
    { name: 'Tous les fichiers', extensions: ['*'] },
  ],
  verify: [
    { name: 'Fichiers signés', extensions: ['pdf', 'xml', 'p7s', 'p7m', 'pem', 'asics', 'asice', 'scs', 'sce', 'odt', 'ods', 'odp'] },
    { name: 'Tous les fichiers', extensions: ['*'] },
  ],
  content: [{ name: 'Tous les fichiers', extensions: ['*'] }],
  image: [{ name: 'Images', extensions: ['png', 'jpg', 'jpeg'] }],
  module: [
    { name: 'Pilotes PKCS#11', extensions: ['so', 'dll', 'dylib'] },
    { name: 'Tous les fichiers', extensions: ['*'] },
  ],
}

/** Native dialogs attached to the focused window; the file manager through shell. */
export function electronDesktopServices(): DesktopServices {
  const parent = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
  return {
    async openFiles({ purpose, multiple }) {
      const win = parent()
      const opts: Electron.OpenDialogOptions = { properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'], filters: FILTERS[purpose] }
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts)
      return r.canceled ? [] : r.filePaths
    },
    async chooseFolder() {
      const win = parent()
      const opts: Electron.OpenDialogOptions = { properties: ['openDirectory', 'createDirectory'] }
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    async chooseSavePath({ defaultName, extensions }) {
      const win = parent()
      // the renderer then writes with overwrite: the dialog must be the one that asks before replacing
      // a file (GTK does not unless told; macOS and Windows always ask)
      const opts: Electron.SaveDialogOptions = {
        defaultPath: defaultName,
        filters: [{ name: extensions.join(', ').toUpperCase(), extensions }],
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      }
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts)
      return r.canceled ? null : (r.filePath ?? null)
    },
    showInFolder(path) {
      shell.showItemInFolder(path)
    },
  }
}
