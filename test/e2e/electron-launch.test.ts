// Launches the real Electron app where an Electron binary exists. These machines cannot download
// it (no internet besides the package registries), so the test is skipped there, saying why.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../..')

function electronBinary(): string | null {
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH']
  if (override && existsSync(override)) return override
  const pathTxt = join(ROOT, 'node_modules/electron/path.txt')
  if (!existsSync(pathTxt)) return null
  const bin = join(ROOT, 'node_modules/electron/dist', readFileSync(pathTxt, 'utf8').trim())
  return existsSync(bin) ? bin : null
}

const binary = electronBinary()
const reason = 'no Electron binary on this machine (it is downloaded by `install-electron`, which needs internet access)'

describe.skipIf(!binary)(`Electron window${binary ? '' : ` (skipped: ${reason})`}`, () => {
  it('opens a sandboxed window whose page has window.paraphe and no Node', async () => {
    const { _electron } = await import('playwright-core')
    const app = await _electron.launch({ executablePath: binary!, args: [join(ROOT, 'out/main/index.js')], cwd: ROOT })
    try {
      const page = await app.firstWindow()
      await page.waitForSelector('h1')
      expect(await page.evaluate(() => typeof (window as unknown as { paraphe?: unknown }).paraphe)).toBe('object')
      expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined')
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0]!.webContents
        return { url: wc.getURL() }
      })
      expect(prefs.url).toMatch(/^file:/)
    } finally {
      await app.close()
    }
  })
})
