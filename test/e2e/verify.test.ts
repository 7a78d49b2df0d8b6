// The agent's journeys: Home proposes the right task for a file; Verify shows a green / orange / red
// banner for a valid, a modified and a broken PDF (corpus files with known verdicts), exports the
// report as PDF and JSON, and asks for the content of a detached .p7s.
import { execFileSync } from 'node:child_process'
import { closeSync, copyFileSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
  await a.page.getByRole('button', { name: /^Choisir un ou plusieurs fichiers signés|^Vérifier d’autres fichiers/ }).click()
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

  it('several files chosen at once: the signed ones are verified together, the others proposed for signing', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const unsigned = join(app.dir, 'note.txt')
    writeFileSync(unsigned, 'Note de service\n')
    app.desktop.queueFiles(fixture(app, 'dss/pades/pdf-signed-original.pdf'), unsigned, fixture(app, 'dss/pades/pdf-signed-added-page.pdf'))
    await page.getByRole('button', { name: 'Choisir un fichier…' }).click()
    const proposal = page.getByTestId('home-proposal')
    await proposal.waitFor()
    expect(await proposal.getByRole('button').allInnerTexts()).toEqual(['Vérifier ces 2 fichiers', 'Signer ce fichier'])
    await proposal.getByRole('button', { name: 'Vérifier ces 2 fichiers' }).click()
    await expect.poll(() => page.getByTestId('verify-batch-summary').innerText(), { timeout: 60_000 }).toMatch(/^Vérifiés : 2 sur 2 — /)
    expect(await page.getByTestId('verify-batch-row').allInnerTexts()).toEqual([expect.stringContaining('pdf-signed-original.pdf'), expect.stringContaining('pdf-signed-added-page.pdf')])
  })

  it('a large file shows how far its reading has gone', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const big = join(app.dir, 'archives-2026.zip')
    // sparse: no disk used, but every byte is still read and hashed
    closeSync(openSync(big, 'w'))
    truncateSync(big, 256 * 1024 * 1024)
    app.desktop.queueFiles(big)
    await page.getByRole('button', { name: 'Choisir un fichier…' }).click()
    const bar = page.getByTestId('reading-progress')
    await bar.waitFor({ timeout: 30_000 })
    expect(Number(await bar.getAttribute('max'))).toBe(256 * 1024 * 1024)
    expect(await page.getByRole('status').first().innerText()).toMatch(/^Lecture de archives-2026\.zip \(1 sur 1\) : \d+ %/)
    await expect.poll(() => page.getByTestId('home-proposal').count(), { timeout: 60_000 }).toBe(1)
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
    expect(await page.getByTestId('coverage').innerText()).toBe('une partie du document · la révision 2 sur 3')
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

  it('the full report as text follows the interface language: French, then English after the switch, and the PDF export too', async () => {
    const app = await desktopApp.open()
    const { page } = app
    await verify(app, fixture(app, 'dss/pades/pdf-signed-added-page.pdf'))
    const full = page.locator('details', { has: page.getByTestId('verify-full-text') })
    await full.locator('summary').click()
    const text = page.getByTestId('verify-full-text')
    const fr = await text.innerText()
    expect(fr).toMatch(/^RAPPORT DE VÉRIFICATION\n/)
    expect(fr).toContain('Couvre : la révision 2 sur 3.')
    expect(await text.getAttribute('lang')).toBe('fr')

    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => full.locator('summary').innerText()).toBe('Full report as text')
    const en = await text.innerText()
    expect(en).toMatch(/^VERIFICATION REPORT\n/)
    expect(en).toContain('Covers: revision 2 of 3.')
    expect(en).toMatch(/Changed after signing: .*page/)
    expect(en).not.toMatch(/Couvre|Confiance|Fichier :|heure de Paris|révision/)
    expect(await text.getAttribute('lang')).toBe('en')
    await text.scrollIntoViewIfNeeded()
    await screenshot(page, 'verify-full-text-en', false, false)

    const pdf = join(app.dir, 'report-en.pdf')
    app.desktop.queueSave(pdf)
    await page.getByRole('button', { name: 'Export the report (PDF)' }).click()
    await expect.poll(() => page.getByTestId('export-status').innerText()).toContain('report-en.pdf')
    const exported = execFileSync('pdftotext', [pdf, '-']).toString('utf8')
    expect(exported).toMatch(/VERIFICATION REPORT/)
    expect(exported).toContain('Covers: revision 2 of 3.')
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

  it('several files at once: one row each with its verdict, and the details of the one chosen', async () => {
    const app = await desktopApp.open()
    const { page } = app
    await page.getByRole('navigation').getByRole('button', { name: 'Vérifier' }).click()
    await page.getByTestId('offline').check()
    const unsigned = join(app.dir, 'note.txt')
    writeFileSync(unsigned, 'Note de service\n')
    app.desktop.queueFiles(fixture(app, 'dss/pades/pdf-signed-added-page.pdf'), fixture(app, 'dss/pades/pdf-signed-corrupted.pdf'), unsigned)
    await page.getByRole('button', { name: 'Choisir un ou plusieurs fichiers signés…' }).click()
    const rows = page.getByTestId('verify-batch-row')
    await expect.poll(() => rows.count()).toBe(3)
    await expect.poll(() => page.getByTestId('verify-batch-summary').innerText(), { timeout: 60_000 }).toBe('Vérifiés : 3 sur 3 — valides : 0 · à examiner : 1 · invalides ou non signés : 2')
    expect(await rows.locator('[data-tone]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tone')))).toEqual(['warning', 'danger', 'danger'])
    expect(await rows.nth(0).innerText()).toContain('Modifié après signature')
    expect(await rows.nth(1).innerText()).toContain('Invalide')
    expect(await rows.nth(2).innerText()).toMatch(/Non signé|Format non pris en charge/)
    // the details of a file are shown on demand
    expect(await page.getByTestId('verify-banner').count()).toBe(0)
    await page.getByRole('button', { name: 'Voir le détail de pdf-signed-corrupted.pdf' }).click()
    await expect.poll(() => page.getByTestId('verify-banner').getAttribute('data-tone')).toBe('danger')
    expect(await rows.nth(1).getAttribute('aria-current')).toBe('true')
    await expectAccessible(page)
    await screenshot(page, 'verify-several', true)
  })
})

describe('Vérifier : la version signée', () => {
  // the preview copies (private temp dirs) go when the app's process exits; a test worker does not
  // exit that way, so the ones these tests made are removed here
  const previewDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('paraphe-signed-'))
  let before: string[] = []
  beforeAll(() => {
    before = previewDirs()
  })
  afterAll(() => {
    for (const d of previewDirs()) if (!before.includes(d)) rmSync(join(tmpdir(), d), { recursive: true, force: true })
  })

  /** end of the (single) /ByteRange of a file: the bytes its signature covers */
  function byteRangeEnd(pdf: string): number {
    const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(readFileSync(pdf).toString('latin1'))
    return Number(m![3]) + Number(m![4])
  }

  it('a PDF with a page added after signing: the dialog shows the signed revision (1 page, not 2) and saves exactly the signed bytes', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const modified = fixture(app, 'dss/pades/pdf-signed-added-page.pdf')
    const original = readFileSync(modified)
    expect(execFileSync('qpdf', ['--show-npages', modified]).toString().trim()).toBe('2')
    await verify(app, modified)
    const card = page.getByTestId('signature-card').first()
    const show = card.getByRole('button', { name: 'Voir la version signée' })
    await show.click()
    const dialog = page.getByRole('dialog', { name: /^Version signée par/ })
    await dialog.waitFor()
    await expect.poll(() => dialog.getByTestId('pdf-page').innerText(), { timeout: 30_000 }).toBe('Page 1 sur 1')
    expect(await dialog.getByRole('button', { name: 'Page suivante' }).isDisabled()).toBe(true)
    expect(await dialog.getByTestId('signed-version-which').innerText()).toMatch(/tel qu'il a été signé : révision 2 sur 3 du fichier/)
    // what changed after it: the card's list, in the same words
    const changes = await dialog.getByTestId('signed-version-changes').innerText()
    expect(changes).toContain('non autorisé')
    expect(changes).toBe(await card.getByTestId('changes').innerText())
    await page.locator('[data-testid="signed-version-dialog"] .page-stack[data-rendering="false"]').waitFor({ timeout: 30_000 })
    await expectAccessible(page)
    await screenshot(page, 'verify-signed-version', true, false)

    const target = join(app.dir, 'version-signee.pdf')
    app.desktop.queueSave(target)
    await dialog.getByRole('button', { name: 'Enregistrer cette version…' }).click()
    await expect.poll(() => dialog.getByTestId('signed-version-status').innerText()).toContain('version-signee.pdf')
    expect(readFileSync(target).equals(original.subarray(0, byteRangeEnd(modified)))).toBe(true)
    expect(execFileSync('qpdf', ['--show-npages', target]).toString().trim()).toBe('1')
    expect(readFileSync(modified).equals(original)).toBe(true)

    // keyboard: Escape closes, the focus goes back to the button
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('signed-version-dialog').count()).toBe(0)
    expect(await show.evaluate((el) => el === document.activeElement)).toBe(true)
    // and the private copy of the signed revision is gone with the dialog
    await expect.poll(() => previewDirs().filter((d) => !before.includes(d)).length).toBe(0)

    // a signature over the whole file offers nothing of the kind
    await verify(app, fixture(app, 'dss/pades/pdf-signed-original.pdf'))
    await page.getByTestId('signature-card').first().waitFor()
    expect(await page.getByRole('button', { name: 'Voir la version signée' }).count()).toBe(0)
  })

  it('pages of the signed version are navigable; a cancelled save writes nothing', async () => {
    const app = await desktopApp.open()
    const { page } = app
    // three signatures: the first two cover earlier revisions (2 of 6 and 5 of 6)
    await verify(app, fixture(app, 'dss/pades/dss-2236__annotation-and-visible-change.pdf'))
    expect(await page.getByRole('button', { name: 'Voir la version signée' }).count()).toBe(2)
    await page.getByTestId('signature-card').first().getByRole('button', { name: 'Voir la version signée' }).click()
    const dialog = page.getByTestId('signed-version-dialog')
    await expect.poll(() => dialog.getByTestId('pdf-page').innerText(), { timeout: 30_000 }).toBe('Page 1 sur 2')
    expect(await dialog.getByTestId('signed-version-which').innerText()).toContain('révision 2 sur 6')
    await dialog.getByRole('button', { name: 'Page suivante' }).click()
    await expect.poll(() => dialog.getByTestId('pdf-page').innerText()).toBe('Page 2 sur 2')
    // the save dialog answers "cancelled": nothing written, nothing said
    await dialog.getByRole('button', { name: 'Enregistrer cette version…' }).click()
    expect(await dialog.getByTestId('signed-version-status').innerText()).toBe('')
    expect(app.harness.calls.filter((c) => c.channel === 'verify:extract-signed-version').map((c) => Object.keys(c.payload as object).sort().join(','))).toEqual(['path,signatureId'])
    await dialog.getByRole('button', { name: 'Fermer' }).click()
    await expect.poll(() => page.getByTestId('signed-version-dialog').count()).toBe(0)
  })
})
