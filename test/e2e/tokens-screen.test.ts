// Real UI -> real handlers -> real tokens: the built renderer in Debian's Chromium shows the SoftHSM2
// token and the virtual PIV card with their certificates, in French, then in English.
import { mkdirSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import AxeBuilder from '@axe-core/playwright'
import { CHROMIUM_LAUNCH } from './support/chromium'
import { installParapheHarness, startStaticServer, type Harness } from './support/harness'
import { loadTestEnv, type TestEnvDescription } from '../support/env'

const SCREENS = 'test-results/screens'

let browser: Browser
let server: Awaited<ReturnType<typeof startStaticServer>>
let env: TestEnvDescription
beforeAll(async () => {
  env = loadTestEnv()
  browser = await chromium.launch(CHROMIUM_LAUNCH)
  server = await startStaticServer()
  mkdirSync(SCREENS, { recursive: true })
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('Tokens screen', () => {
  let context: BrowserContext
  let page: Page
  let harness: Harness
  const pageErrors: string[] = []

  beforeEach(async () => {
    context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1200, height: 900 } })
    page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) pageErrors.push(m.text())
    })
    harness = await installParapheHarness(page, {
      settingsModules: () => [env.softhsm.modulePath, env.vcard!.modulePath],
      env: { ...process.env, PARAPHE_PKCS11_MODULES: '' },
    })
    await page.goto(server.url)
  })
  afterEach(async () => {
    await context.close()
    expect(pageErrors.splice(0)).toEqual([])
  })

  it('shows the SoftHSM2 token and the virtual card with their certificates, in French', async () => {
    const cards = page.getByTestId('token-card')
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(2)
    const status = page.getByRole('status')
    await expect.poll(() => status.innerText()).toBe('2 jetons trouvés')
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Jetons et certificats')

    const softhsm = page.getByRole('region', { name: env.softhsm.label })
    await expect.poll(() => softhsm.getByTestId('certificate-row').count()).toBe(env.softhsm.keys.length)
    expect(await softhsm.innerText()).toContain('Signature (non-répudiation)')
    expect(await softhsm.getByTestId('pin-state').innerText()).toBe('Code PIN opérationnel')

    const headings = await cards.getByRole('heading', { level: 3 }).allInnerTexts()
    const cardLabel = headings.find((h) => h !== env.softhsm.label)!
    const cardRegion = page.getByRole('region', { name: cardLabel, exact: true })
    await expect.poll(() => cardRegion.getByTestId('certificate-row').count()).toBe(env.vcard!.slots.length)

    // every call went through the validated router, none failed
    expect(harness.calls.every((c) => c.channel === 'tokens:list')).toBe(true)

    const axe = await new AxeBuilder({ page }).analyze()
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([])
    await page.screenshot({ path: `${SCREENS}/tokens-fr.png`, fullPage: true })
  })

  it('refreshes on demand and on a token event, and switches to English with the keyboard', async () => {
    await expect.poll(() => page.getByTestId('token-card').count(), { timeout: 30_000 }).toBe(2)
    const before = harness.calls.length
    await page.getByRole('button', { name: 'Actualiser' }).click()
    await expect.poll(() => harness.calls.length).toBe(before + 1)
    await expect.poll(() => page.getByRole('status').innerText()).toBe('2 jetons trouvés')

    expect(await harness.emit('onTokensChanged', { reason: 'hotplug' })).toBe(1)
    await expect.poll(() => harness.calls.length).toBe(before + 2)

    await page.getByRole('button', { name: 'English' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Tokens and certificates')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await expect.poll(() => page.getByRole('status').innerText()).toBe('2 tokens found')
    await page.screenshot({ path: `${SCREENS}/tokens-en.png`, fullPage: true })
  })

  it('a malformed request from the page gets a typed error, and the app keeps working', async () => {
    const answer = await page.evaluate(() =>
      (window as unknown as { paraphe: { listTokens(p: unknown): Promise<unknown> } }).paraphe.listTokens({ extraModules: 'not-a-list' }),
    )
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    await expect.poll(() => page.getByTestId('token-card').count(), { timeout: 30_000 }).toBe(2)
  })
})
