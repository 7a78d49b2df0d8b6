// The agent's journeys: Home proposes the right task for a file; Verify shows a green / orange / red
// banner for a valid, a modified and a broken PDF (corpus files with known verdicts), exports the
// report as PDF and JSON, and asks for the content of a detached .p7s.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectAccessible, useDesktopApp, screenshot, type AppUnderTest } from './support/app'
import { loadTestEnv } from '../support/env'

const CORPUS = 'test/fixtures/corpus'
const env = loadTestEnv()
const desktopApp = useDesktopApp(env)

function fixture(a: AppUnderTest, rel: string): string {
  const to = join(a.dir, basename(rel))
  copyFileSync(join(CORPUS, rel), to)
  return to
}

async function verify(a: AppUnderTest, path: string): Promise<void> {
  await a.page.getByRole('navigation').getByRole('button', { name: 'Vérifier' }).click()
  await a.page.getByTestId('offline').check()
  a.desktop.queueFiles(path)
  await a.page.getByRole('button', { name: /^Choisir un fichier signé|^Vérifier un autre fichier/ }).click()
  await a.page.getByTestId('verify-banner').waitFor({ timeout: 30_000 })
}

describe('Accueil', () => {
  it('proposes Verify for a signed file and Sign for an unsigned one', async () => {
    const app = await desktopApp.open()
    const { page } = app
    await expectAccessible(page)
    await screenshot(page, 'home', true)
    const signed = fixture(app, 'dss/pades/pdf-signed-original.pdf')
    app.desktop.queueFiles(signed)
    await page.getByRole('button', { name: 'Choisir un fichier…' }).click()
    const proposal = page.getByTestId('home-proposal')
    await proposal.waitFor()
    expect(await proposal.innerText()).toContain('est déjà signé')
    expect(await proposal.getByRole('button').allInnerTexts()).toEqual(['Vérifier « pdf-signed-original.pdf »'])

    const unsigned = join(app.dir, 'note.txt')
    writeFileSync(unsigned, 'Note de service\n')
    app.desktop.queueFiles(unsigned)
    await page.getByRole('button', { name: 'Choisir un fichier…' }).click()
    await expect.poll(() => proposal.innerText()).toContain("n'est pas signé")
    await proposal.getByRole('button', { name: 'Signer ce fichier' }).click()
    await expect.poll(() => page.getByTestId('file-item').innerText()).toContain('note.txt')
    expect(await page.getByTestId('file-item').innerText()).toContain('CAdES détachée')
    await expect.poll(() => page.getByTestId('file-facts').innerText()).toContain('Empreinte SHA-256')
  })

  it('a file dropped anywhere on the window gets the right task proposed', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const signed = fixture(app, 'dss/pades/pdf-signed-original.pdf')
    await page.getByRole('navigation').getByRole('button', { name: 'Journal' }).click()
    // what Electron's webUtils.getPathForFile answers for the dropped file
    await page.evaluate((p) => (window as unknown as { __parapheHarness: { setDropPath(n: string, p: string): void } }).__parapheHarness.setDropPath('pdf-signed-original.pdf', p), signed)
    await page.evaluate(() => {
      const dt = new DataTransfer()
      dt.items.add(new File(['%PDF-'], 'pdf-signed-original.pdf', { type: 'application/pdf' }))
      document.querySelector('main')!.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
      document.querySelector('main')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
    })
    const proposal = page.getByTestId('home-proposal')
    await proposal.waitFor()
    await proposal.getByRole('button', { name: 'Vérifier « pdf-signed-original.pdf »' }).click()
    await page.getByTestId('verify-banner').waitFor({ timeout: 30_000 })
  })

  it('keyboard only: tasks reachable with Tab, focus visible, Enter opens the screen', async () => {
    const app = await desktopApp.open()
    const { page } = app
    await page.getByTestId('strip-token').first().waitFor({ timeout: 30_000 })
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.split('\n').filter(Boolean).join(' ') ?? '')
    const seen: string[] = []
    for (let i = 0; i < 16 && !seen.some((s) => s.startsWith('Certificats Cartes')); i++) {
      await page.keyboard.press('Tab')
      seen.push(await focused())
    }
    expect(seen).toContain('Aller au contenu')
    expect(seen).toContain('Signer Signer un ou plusieurs documents avec votre carte')
    // the focus ring is drawn (outline from :focus-visible)
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Jetons et certificats')
  })
})

describe('Vérifier', () => {
  it('a PDF changed after signing: orange banner, the change listed; a broken one: red, report exported as PDF and JSON', async () => {
    const app = await desktopApp.open()
    const { page } = app
    await verify(app, fixture(app, 'dss/pades/pdf-signed-added-page.pdf'))
    const banner = page.getByTestId('verify-banner')
    expect(await banner.getAttribute('data-tone')).toBe('warning')
    expect(await banner.innerText()).toContain('modifié après la signature')
    expect(await page.getByTestId('changes').innerText()).toContain('non autorisé')
    await expectAccessible(page)
    await screenshot(page, 'verify-modified', true)

    await verify(app, fixture(app, 'dss/pades/pdf-signed-corrupted.pdf'))
    expect(await banner.getAttribute('data-tone')).toBe('danger')
    expect(await banner.innerText()).toContain('Signature invalide')
    expect(await page.getByTestId('signature-card').first().getAttribute('data-tone')).toBe('danger')
    // technical details are folded, one click away
    const details = page.getByTestId('signature-card').first().locator('details')
    expect(await details.getAttribute('open')).toBeNull()
    await details.locator('summary').click()
    await expectAccessible(page)
    await screenshot(page, 'verify-broken', true)

    const pdf = join(app.dir, 'rapport.pdf')
    const json = join(app.dir, 'rapport.json')
    app.desktop.queueSave(pdf).queueSave(json)
    await page.getByRole('button', { name: 'Exporter le rapport (PDF)' }).click()
    await expect.poll(() => page.getByTestId('export-status').innerText()).toContain('rapport.pdf')
    await page.getByRole('button', { name: 'Exporter le rapport (JSON)' }).click()
    await expect.poll(() => page.getByTestId('export-status').innerText()).toContain('rapport.json')
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
    expect((JSON.parse(readFileSync(json, 'utf8')) as { integrity: string }).integrity).toBe('broken')
  })

  it('a detached .p7s asks for the signed file, then verifies it', async () => {
    const app = await desktopApp.open()
    const { page } = app
    await verify(app, fixture(app, 'dss/cades/cades-bes-signeddata-detached.p7s'))
    const need = page.getByTestId('need-content')
    await need.waitFor()
    app.desktop.queueFiles(fixture(app, 'needs/cades-bes-signeddata-detached.content.txt'))
    await need.getByRole('button', { name: 'Choisir le document signé…' }).click()
    await expect.poll(() => page.getByTestId('need-content').count(), { timeout: 30_000 }).toBe(0)
    await page.getByTestId('verify-banner').waitFor()
    expect(['ok', 'warning']).toContain(await page.getByTestId('verify-banner').getAttribute('data-tone'))
    expect(app.desktop.opened.map((o) => o.purpose)).toEqual(['verify', 'content'])
  })
})
