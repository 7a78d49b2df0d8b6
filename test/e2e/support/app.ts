// Shared helpers for the desktop e2e tests: one browser per file, a fresh page per test with the
// REAL handlers (harness), a scripted desktop (file dialogs answer fixture paths, "show in folder"
// is recorded), an own journal per test, axe checks and screenshots.
import { mkdirSync, mkdtempSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import AxeBuilder from '@axe-core/playwright'
import type { DesktopServices } from '../../../src/main/app/workflow-handlers'
import type { FilePurpose } from '../../../src/shared/model/app-ipc'
import { SettingsStore } from '../../../src/main/core/settings/settings-store'
import { CHROMIUM_LAUNCH } from './chromium'
import { installParapheHarness, startStaticServer, type Harness } from './harness'
import type { TestEnvDescription } from '../../support/env'

export const SCREENS = 'test-results/screens'
export const DOC_SCREENS = 'docs/screenshots'

/** A desktop whose dialogs answer what the test queued, in order; an empty queue answers "cancelled". */
export class ScriptedDesktop implements DesktopServices {
  readonly opened: Array<{ purpose: string; multiple: boolean }> = []
  readonly shown: string[] = []
  private files: string[][] = []
  private folders: Array<string | null> = []
  private saves: Array<string | null> = []
  queueFiles(...paths: string[]): this {
    this.files.push(paths)
    return this
  }
  queueFolder(path: string | null): this {
    this.folders.push(path)
    return this
  }
  queueSave(path: string | null): this {
    this.saves.push(path)
    return this
  }
  async openFiles(opts: { purpose: FilePurpose; multiple: boolean }): Promise<string[]> {
    this.opened.push(opts)
    return this.files.shift() ?? []
  }
  async chooseFolder(): Promise<string | null> {
    return this.folders.shift() ?? null
  }
  async chooseSavePath(): Promise<string | null> {
    return this.saves.shift() ?? null
  }
  showInFolder(path: string): void {
    this.shown.push(path)
  }
}

export interface AppUnderTest {
  context: BrowserContext
  page: Page
  harness: Harness
  desktop: ScriptedDesktop
  dir: string
  errors: string[]
  close(): Promise<void>
}

export async function openApp(browser: Browser, url: string, env: TestEnvDescription, opts: OpenAppOptions = {}): Promise<AppUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'paraphe-e2e-'))
  const context = await browser.newContext({ locale: opts.locale ?? 'fr-FR', viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) errors.push(m.text())
  })
  const desktop = new ScriptedDesktop()
  // modules added in Certificats are kept in this test's own settings file
  const settings = new SettingsStore(join(dir, 'settings.json'))
  const harness = await installParapheHarness(page, {
    settingsModules: () => [...(opts.modules ?? [env.softhsm.modulePath, ...(env.vcard ? [env.vcard.modulePath] : [])]), ...settings.read().pkcs11Modules],
    settings,
    env: { ...process.env, PARAPHE_PKCS11_MODULES: '', PARAPHE_JOURNAL: join(dir, 'journal.jsonl') },
    desktop,
    workflow: { trustFiles: () => [env.pki.rootPemPath] },
  })
  await page.goto(url)
  return {
    context,
    page,
    harness,
    desktop,
    dir,
    errors,
    async close() {
      await context.close()
    },
  }
}

export type OpenAppOptions = { modules?: string[]; locale?: string }

/**
 * The hooks every desktop e2e file needs: one Chromium and one static server for the file, and
 * after each test the last screen of a failure saved, the app closed, no page error left unseen.
 * Call at the top level of a test file; `open()` gives each test a fresh app.
 */
export function useDesktopApp(env: TestEnvDescription): { open(opts?: OpenAppOptions): Promise<AppUnderTest> } {
  let browser: Browser | undefined
  let server: Awaited<ReturnType<typeof startStaticServer>> | undefined
  let current: AppUnderTest | undefined
  beforeAll(async () => {
    browser = await chromium.launch(CHROMIUM_LAUNCH)
    server = await startStaticServer()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  afterEach(async (ctx) => {
    const app = current
    current = undefined
    if (ctx.task.result?.state === 'fail' && app) await screenshot(app.page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined)
    const errors = app?.errors.splice(0) ?? []
    await app?.close()
    expect(errors).toEqual([])
  })
  return {
    async open(opts: OpenAppOptions = {}): Promise<AppUnderTest> {
      if (!browser || !server) throw new Error('useDesktopApp: open() is for tests, after beforeAll')
      current = await openApp(browser, server.url, env, opts)
      return current
    },
  }
}

/** axe-core on the current screen: no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).analyze()
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')})`)).toEqual([])
}

/**
 * Screenshot into test-results/screens; `doc` marks the README's screens, copied to docs/screenshots
 * only when PARAPHE_UPDATE_SCREENSHOTS=1 (a test run leaves the tracked images alone).
 */
export async function screenshot(page: Page, name: string, doc = false, fullPage = true): Promise<string> {
  mkdirSync(SCREENS, { recursive: true })
  const path = join(SCREENS, `${name}.png`)
  // from the top (sticky panels in place); a full-page capture resizes the viewport and the page
  // may scroll back afterwards: settle before the test clicks again
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path, fullPage })
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  await page.waitForTimeout(100)
  if (doc && process.env.PARAPHE_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOC_SCREENS, { recursive: true })
    copyFileSync(path, join(DOC_SCREENS, `${name}.png`))
  }
  return path
}

/** Wait until the token strip shows the tokens (first listing done). */
export async function waitTokens(page: Page, count: number): Promise<void> {
  await expect.poll(() => page.getByTestId('strip-token').count(), { timeout: 30_000 }).toBe(count)
}
