import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import { invokeContract, type InvokeName } from '../../shared/contract'
import type { Router } from '../app/router'

/** Only our own page (file:// in production, the dev server URL in development) may call main. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? ''
  const devUrl = process.env['ELECTRON_RENDERER_URL']
  return url.startsWith('file://') || Boolean(devUrl && url.startsWith(devUrl))
}

/** One ipcMain.handle per contract channel; validation happens in router.invoke (zod). */
export function registerIpc(router: Router): void {
  for (const name of Object.keys(invokeContract) as InvokeName[]) {
    const { channel } = invokeContract[name]
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'INVALID_REQUEST', message: 'Untrusted sender' } }
      return router.invoke(channel, payload)
    })
  }
}
