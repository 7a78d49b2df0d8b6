// Settings kept between runs: PKCS#11 modules added by hand in Certificats. A module is added only
// once it loads (so a wrong file is refused with the loader's plain reason, not saved).
import type { InvokeInput, InvokeValue } from '../../shared/contract'
import { ParapheError } from '../../shared/errors'
import type { SettingsStore } from '../core/settings/settings-store'
import { listTokens } from '../core/token/list-tokens'

type SettingsHandlerName = 'getSettings' | 'addModule' | 'removeModule'
export type SettingsHandlers = { [K in SettingsHandlerName]: (input: InvokeInput<K>) => Promise<InvokeValue<K>> }

export function createSettingsHandlers(deps: { settings?: SettingsStore }): SettingsHandlers {
  const store = (): SettingsStore => {
    if (!deps.settings) throw new ParapheError('INTERNAL', 'settings are not available in this context')
    return deps.settings
  }
  const view = (s: SettingsStore) => ({ pkcs11Modules: s.read().pkcs11Modules, problem: s.problem })
  return {
    getSettings: async () => view(store()),
    addModule: async ({ path }) => {
      const s = store()
      const [report] = listTokens({ modules: [path], builtin: false, env: {} }).modules
      if (!report || report.status !== 'loaded') {
        throw new ParapheError(report?.status === 'not-installed' ? 'MODULE_NOT_FOUND' : 'MODULE_LOAD_FAILED', report?.reason ?? `${path} could not be loaded as a PKCS#11 module`)
      }
      await s.addModule(path)
      return view(s)
    },
    removeModule: async ({ path }) => {
      const s = store()
      await s.removeModule(path)
      return view(s)
    },
  }
}
