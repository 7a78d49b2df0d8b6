// IT staff's journeys (Certificats) through the real UI, handlers and tokens: both tokens with PIN
// status, certificate details and export, expiry chart, diagnostics bundle, English; on the virtual
// card, wrong PINs in the PIN-change dialog show the counter 3 -> 2 -> 1 -> locked, then the PUK
// unblocks it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, useDesktopApp, screenshot, waitTokens, type AppUnderTest } from './support/app'
import { cardControl, loadTestEnv } from '../support/env'

const env = loadTestEnv()
const desktopApp = useDesktopApp(env)

async function openCertificates(page: Page): Promise<void> {
  await waitTokens(page, env.vcard ? 2 : 1)
  await page.getByRole('navigation').getByRole('button', { name: 'Certificats' }).click()
  await expect.poll(() => page.getByTestId('token-card').count(), { timeout: 30_000 }).toBe(env.vcard ? 2 : 1)
}

describe('Certificats', () => {
  it('shows tokens, PIN status, certificate details, the expiry chart; exports a certificate and the diagnostics', async () => {
    const app = await desktopApp.open()
    const { page } = app
    await openCertificates(page)
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Jetons et certificats')
    await expect.poll(() => page.getByTestId('tokens-status').innerText()).toBe(env.vcard ? '2 jetons trouvés' : '1 jeton trouvé')

    const softhsm = page.getByRole('region', { name: env.softhsm.label, exact: true })
    expect(await softhsm.getByTestId('certificate-row').count()).toBe(env.softhsm.keys.length)
    expect(await softhsm.getByTestId('pin-state').innerText()).toContain('Code PIN :')
    const details = softhsm.getByTestId('certificate-details').first()
    await details.locator('summary').click()
    const detailText = await details.innerText()
    expect(detailText).toContain('Politiques de certification')
    expect(detailText).toContain('nonRepudiation')
    expect(detailText).toMatch(/[0-9a-f]{64}/)

    // expiry chart: one bar per certificate, the same facts as text
    const chart = page.getByTestId('expiry-chart')
    const total = env.softhsm.keys.length + (env.vcard?.slots.length ?? 0)
    expect(await page.getByTestId('expiry-list').locator('li').count()).toBe(total)
    expect(await chart.locator('svg').getAttribute('role')).toBe('img')

    // module list: the two test modules loaded
    expect(await page.locator('[data-testid=module-row][data-status=loaded]').count()).toBe(env.vcard ? 2 : 1)
    if (env.vcard) expect(await page.getByTestId('reader-row').count()).toBeGreaterThan(0)

    await expectAccessible(page)
    await screenshot(page, 'certificates', true)

    // export the first certificate as PEM
    const pemPath = join(app.dir, 'jeanne.pem')
    app.desktop.queueSave(pemPath)
    await softhsm.getByRole('button', { name: /^Exporter \(PEM\)/ }).first().click()
    await expect.poll(() => page.getByTestId('tokens-message').innerText()).toContain(pemPath)
    expect(readFileSync(pemPath, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/)

    // diagnostics: JSON with modules, tokens and PIN counters, no PIN
    const diagPath = join(app.dir, 'diag.json')
    app.desktop.queueSave(diagPath)
    await page.getByRole('button', { name: 'Exporter le diagnostic' }).click()
    await expect.poll(() => page.getByTestId('tokens-message').innerText()).toContain(diagPath)
    const diag = JSON.parse(readFileSync(diagPath, 'utf8')) as { kind: string; modules: Array<{ status: string; slots: unknown[] }>; pinCounters: unknown[]; os: { platform: string } }
    expect(diag.kind).toBe('paraphe-diagnostics')
    expect(diag.os.platform).toBe(process.platform)
    expect(diag.modules.filter((m) => m.status === 'loaded').length).toBe(env.vcard ? 2 : 1)
    expect(diag.pinCounters.length).toBe(env.vcard ? 2 : 1)
    const raw = readFileSync(diagPath, 'utf8')
    expect(raw).not.toContain(env.softhsm.pin === '1234' ? '"1234"' : env.softhsm.pin)
    if (env.vcard) expect(raw).not.toContain(env.vcard.puk)

    // English, keyboard only
    await page.getByRole('button', { name: 'English' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Tokens and certificates')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await expectAccessible(page)
    await screenshot(page, 'certificates-en', true)
  })

  it.skipIf(!loadTestEnv().vcard)('virtual card: wrong current PIN 3 -> 2 -> 1 (last-try confirmation) -> locked, then the PUK unblocks it', async () => {
    const app = await desktopApp.open()
    const { page } = app
    try {
      await openCertificates(page)
      const cardName = (await page.getByTestId('token-card').getByRole('heading', { level: 3 }).allInnerTexts()).find((h) => h !== env.softhsm.label)!
      const card = page.getByRole('region', { name: cardName, exact: true })
      expect(await card.getByTestId('pin-state').innerText()).toMatch(/Il vous reste 3 essais/)
      await card.getByRole('button', { name: /^Changer le code PIN/ }).click()
      const dialog = page.getByTestId('change-pin-dialog')
      for (const left of [3, 2, 1]) {
        await expect.poll(() => dialog.getByTestId('form-tries').innerText()).toMatch(new RegExp(`Il vous reste ${left} essais?`))
        await dialog.getByLabel('Code PIN actuel').fill('999999')
        await dialog.getByLabel(/^Nouveau code PIN \(/).fill('24681357')
        await dialog.getByLabel('Nouveau code PIN, une seconde fois').fill('24681357')
        const submit = dialog.getByRole('button', { name: 'Changer le code' })
        if (left === 1) {
          expect(await submit.isDisabled()).toBe(true)
          await dialog.getByLabel('Je comprends, je tente ce dernier essai').check()
          await expectAccessible(page)
          await screenshot(page, 'certificates-pin-last-try', false, false)
        }
        await submit.click()
        await expect.poll(() => dialog.getByTestId('pin-form-result').innerText(), { timeout: 20_000 }).toMatch(left === 1 ? /bloqué/ : new RegExp(`il reste ${left - 1} essai`))
      }
      await page.keyboard.press('Escape')
      await expect.poll(() => dialog.count()).toBe(0)
      await expect.poll(() => card.getByTestId('pin-state').innerText()).toContain('bloqué')
      await expect.poll(async () => (await page.getByTestId('strip-pin').allInnerTexts()).some((x) => x.includes('bloqué'))).toBe(true)

      await card.getByRole('button', { name: /^Débloquer avec le PUK/ }).click()
      const unblock = page.getByTestId('unblock-dialog')
      await unblock.getByLabel('Code de déblocage (PUK)').fill(env.vcard!.puk)
      await unblock.getByLabel(/^Nouveau code PIN \(/).fill(env.vcard!.pin)
      await unblock.getByLabel('Nouveau code PIN, une seconde fois').fill(env.vcard!.pin)
      await expectAccessible(page)
      await screenshot(page, 'certificates-unblock', true, false)
      await unblock.getByRole('button', { name: 'Débloquer' }).click()
      await expect.poll(() => unblock.getByTestId('pin-form-result').innerText(), { timeout: 20_000 }).toContain('le nouveau code PIN est actif')
      await unblock.getByRole('button', { name: 'Fermer' }).click()
      await expect.poll(() => card.getByTestId('pin-state').innerText()).toMatch(/Il vous reste 3 essais/)
    } finally {
      await cardControl(env).resetCard()
    }
  })

  it('a malformed request from the page gets a typed error, and the app keeps working', async () => {
    const app = await desktopApp.open()
    const answer = await app.page.evaluate(() =>
      (window as unknown as { paraphe: { listTokens(p: unknown): Promise<unknown> } }).paraphe.listTokens({ extraModules: 'not-a-list' }),
    )
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    await openCertificates(app.page)
  })

  it('IT staff add a driver installed elsewhere: a wrong file is refused, the right one loads and is kept until removed', async () => {
    const app = await desktopApp.open()
    const { page } = app
    await openCertificates(page)
    // a vendor driver in a folder the catalogue does not know (a copy of SoftHSM2's module)
    const driver = join(app.dir, 'editeur', 'libcarte-pkcs11.so')
    mkdirSync(dirname(driver))
    copyFileSync(env.softhsm.modulePath, driver)
    const notADriver = join(app.dir, 'editeur', 'notes-pkcs11.so')
    writeFileSync(notADriver, 'not a shared library\n')
    const row = page.getByTestId('module-row').filter({ hasText: driver })

    app.desktop.queueFiles(notADriver)
    await page.getByRole('button', { name: 'Ajouter un pilote…' }).click()
    await expect.poll(() => page.getByText('Ce fichier n’a pas été ajouté').count()).toBe(1)
    expect(existsSync(join(app.dir, 'settings.json'))).toBe(false)

    app.desktop.queueFiles(driver)
    await page.getByRole('button', { name: 'Ajouter un pilote…' }).click()
    await expect.poll(() => page.getByTestId('module-status').innerText()).toContain('Pilote ajouté')
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1)
    expect(await row.getAttribute('data-status')).toBe('loaded')
    expect(await row.innerText()).toContain('ajouté par vous')
    expect(await page.getByText('Ce fichier n’a pas été ajouté').count()).toBe(0)
    expect(JSON.parse(readFileSync(join(app.dir, 'settings.json'), 'utf8'))).toEqual({ version: 1, pkcs11Modules: [driver] })
    expect(app.desktop.opened.map((o) => o.purpose)).toEqual(['module', 'module'])
    await expectAccessible(page)
    await screenshot(page, 'certificates-driver-added')

    await row.getByRole('button', { name: `Retirer le pilote ${driver}` }).click()
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(0)
    expect(JSON.parse(readFileSync(join(app.dir, 'settings.json'), 'utf8')).pkcs11Modules).toEqual([])
  })

})
