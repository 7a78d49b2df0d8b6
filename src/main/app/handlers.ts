// Thin IPC handlers: validated input in, one core call, plain data out. NO electron import, so the
// e2e harness runs exactly these in plain Node.
import type { InvokeName, InvokeInput, InvokeValue } from '../../shared/contract'
import { listTokens } from '../core/token/list-tokens'
import type { Emit } from './router'
import { createTokenHandlers } from './token-handlers'
import { createWorkflowHandlers, type DesktopServices, type WorkflowDeps } from './workflow-handlers'
import { createUiHandlers } from './ui-handlers'
import { createSignedVersionHandlers } from './signed-version-handler'
import { createCertificateStatusHandlers } from './certificate-status-handler'
import { createSettingsHandlers } from './settings-handlers'
import type { SettingsStore } from '../core/settings/settings-store'

export type Handlers = {
  [K in InvokeName]: (input: InvokeInput<K>) => Promise<InvokeValue<K>> | InvokeValue<K>
}

export interface HandlerDeps {
  emit: Emit
  /** PKCS#11 module paths configured in settings (or by the test harness) */
  settingsModules: () => string[]
  /** where modules added by hand are kept (absent: the settings channels answer an error) */
  settings?: SettingsStore
  env?: NodeJS.ProcessEnv
  version: string
  /** native dialogs and file manager (Electron), or the e2e harness's; absent in plain Node */
  desktop?: DesktopServices
  /** optional overrides for the workflows (HTTP client, clock, trust files, PIN timeout) */
  workflow?: Omit<WorkflowDeps, keyof HandlerDeps | 'desktop'>
}

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    listTokens: (input) => listTokens({ modules: [...deps.settingsModules(), ...(input?.extraModules ?? [])], env: deps.env ?? process.env }),
    appInfo: () => ({ version: deps.version, platform: process.platform }),
    ...createTokenHandlers(deps),
    ...createWorkflowHandlers({ ...deps, ...deps.workflow }),
    ...createUiHandlers(deps),
    ...createSignedVersionHandlers(),
    ...createCertificateStatusHandlers({ ...deps, ...deps.workflow }),
    ...createSettingsHandlers(deps),
  }
}
