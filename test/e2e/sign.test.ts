// The mayor's journeys through the real UI, the real handlers and real tokens: a PDF signed with a
// visible stamp drawn on the preview (checked with pdfsig and pdf-lib), a PES file, a batch of 5
// with one PIN, and wrong PINs on the virtual card down to the last-try confirmation.
import { execFileSync } from 'node:child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { PDFDocument, PDFName, PDFArray, PDFDict, StandardFonts } from 'pdf-lib'
import { expectAccessible, useDesktopApp, screenshot, waitTokens, type AppUnderTest } from './support/app'
import { cardControl, loadTestEnv } from '../support/env'

const env = loadTestEnv()
const desktopApp = useDesktopApp(env)

async function makePdf(path: string, title: string, pages = 2): Promise<string> {
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  for (let i = 1; i <= pages; i++) {
    const page = doc.addPage([595, 842])
    page.drawText(`${title} - page ${i}`, { x: 60, y: 760, size: 22, font })
    page.drawText('Délibération du conseil municipal', { x: 60, y: 720, size: 14, font })
  }
  writeFileSync(path, await doc.save())
  return path
}

/** Select the option whose text contains `text` (labels carry the token and key names). */
async function selectContaining(page: Page, testId: string, text: string): Promise<void> {
  const select = page.getByTestId(testId)
  const value = await select.evaluate((el, t) => [...(el as HTMLSelectElement).options].find((o) => o.text.includes(t))?.value ?? '', text)
  expect(value, `no option containing ${text}`).not.toBe('')
  await select.selectOption(value)
}

async function openSign(a: AppUnderTest, files: string[]): Promise<void> {
  await waitTokens(a.page, env.vcard ? 2 : 1)
  await a.page.getByTestId('task-sign').click()
  a.desktop.queueFiles(...files)
  await a.page.getByRole('button', { name: 'Choisir des fichiers…' }).click()
  await expect.poll(() => a.page.getByTestId('file-item').count()).toBe(files.length)
}

const pinCalls = (a: AppUnderTest) => a.harness.calls.filter((c) => c.channel === 'sign:answer-pin').length

describe('Signer', () => {
  it('signs a PDF with a visible stamp drawn on the preview; pdfsig and the verifier accept it', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const input = await makePdf(join(app.dir, 'deliberation-2026-042.pdf'), 'Délibération 2026-042')
    await openSign(app, [input])

    // preview: pages and zoom
    await expect.poll(() => page.getByTestId('pdf-page').innerText(), { timeout: 20_000 }).toBe('Page 1 sur 2')
    await page.getByRole('button', { name: 'Page suivante' }).click()
    await expect.poll(() => page.getByTestId('pdf-page').innerText()).toBe('Page 2 sur 2')
    await page.getByRole('button', { name: 'Page précédente' }).click()
    await page.getByRole('button', { name: 'Agrandir' }).click()
    await expect.poll(() => page.locator('.page-stack').getAttribute('data-rendering')).toBe('false')

    // certificate identity card, options
    await selectContaining(page, 'key-select', 'Jeanne Martin')
    const card = page.getByTestId('certificate-card')
    expect(await card.innerText()).toContain('Commune de Testville')
    await page.getByTestId('capacity-select').selectOption({ label: 'Le Maire' })
    await page.getByLabel('Lieu de signature').fill('Testville')

    // visible signature: drawn with the mouse at zoom 125 %, then checked in the numeric fields
    await page.getByTestId('visible-toggle').check()
    const layer = page.getByTestId('draw-layer')
    await layer.scrollIntoViewIfNeeded()
    const box = (await layer.boundingBox())!
    await page.mouse.move(box.x + 100, box.y + 100)
    await page.mouse.down()
    await page.mouse.move(box.x + 250, box.y + 150, { steps: 5 })
    await page.mouse.move(box.x + 400, box.y + 200, { steps: 5 })
    await page.mouse.up()
    // 1.25 px per point on an A4 page (1052.5 px high): x = 100 / 1.25 = 80, bottom y = (1052.5 - 200) / 1.25 = 682,
    // 300 x 100 px = 240 x 80 pt
    expect(await page.getByLabel('Gauche (x)').inputValue()).toBe('80')
    expect(await page.getByLabel('Bas (y)').inputValue()).toBe('682')
    expect(await page.getByLabel('Largeur').inputValue()).toBe('240')
    expect(await page.getByLabel('Hauteur').inputValue()).toBe('80')
    const stamp = page.getByTestId('stamp-preview')
    expect(await stamp.innerText()).toContain('Signé par Jeanne Martin')
    expect(await stamp.innerText()).toContain('Le Maire')
    expect(await stamp.innerText()).toContain('À Testville')
    // keyboard users adjust the rectangle with the fields
    await page.getByLabel('Hauteur').fill('90')
    await expectAccessible(page)
    await screenshot(page, 'sign-pdf', true)

    await page.getByTestId('sign-button').click()
    const dialog = page.getByTestId('pin-dialog')
    await dialog.waitFor({ timeout: 20_000 })
    expect(await dialog.getByTestId('pin-tries').innerText()).toMatch(/Aucun code erroné|Il vous reste/)
    await expectAccessible(page)
    await screenshot(page, 'sign-pin-dialog', true, false)
    await dialog.getByLabel('Code PIN').fill(env.softhsm.pin)
    await dialog.getByRole('button', { name: 'Valider' }).click()

    const result = page.getByTestId('sign-result')
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 30_000 }).toBe('signed')
    expect(pinCalls(app)).toBe(1)
    await screenshot(page, 'sign-pdf-done')
    const output = app.harness.calls.length && (await page.evaluate(() => document.querySelector('[data-testid=sign-result] .small')?.textContent ?? ''))
    expect(output).toContain('.pdf')
    const outPath = readFileSync(join(app.dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { output?: { path: string } }).pop()!.output!.path
    expect(readFileSync(input).length).toBeGreaterThan(0) // input left alone

    const pdfsig = execFileSync('pdfsig', [outPath], { encoding: 'utf8' })
    expect(pdfsig).toContain('Jeanne Martin')
    expect(pdfsig).toMatch(/Signature Validation: Signature is Valid/)
    // the widget is where it was drawn: [80, 682, 80 + 240, 682 + 90] on page 1
    const signed = await PDFDocument.load(readFileSync(outPath))
    const annots = signed.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray)
    const rects = annots
      .asArray()
      .map((r) => signed.context.lookup(r, PDFDict))
      .filter((d) => d.get(PDFName.of('FT'))?.toString() === '/Sig' || d.get(PDFName.of('Parent')) !== undefined)
      .map((d) => d.lookup(PDFName.of('Rect'), PDFArray).asArray().map((n) => Math.round(Number(n.toString()))))
    expect(rects).toContainEqual([80, 682, 320, 772])

    // "Vérifier" from the result goes to the Verify screen with the signed file
    await result.getByRole('button', { name: /^Vérifier/ }).click()
    const banner = page.getByTestId('verify-banner')
    await banner.waitFor({ timeout: 30_000 })
    expect(await banner.getAttribute('data-tone')).toBe('ok')
    expect(await banner.innerText()).toContain('Signature valide, document inchangé')
    expect(await page.getByTestId('signature-card').innerText()).toContain('Jeanne Martin')
    await expectAccessible(page)
    await screenshot(page, 'verify-valid', true)
    // "Ouvrir le dossier" went nowhere yet; the journal has the signature
    await page.getByRole('button', { name: 'Journal', exact: true }).click()
    await expect.poll(() => page.getByTestId('journal-row').count()).toBe(1)
    expect(await page.getByTestId('journal-integrity').getAttribute('data-tone')).toBe('ok')
  })

  it('signs a PES file: readable summary, raw XML one click away, XAdES per bordereau', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const input = join(app.dir, 'PESALR2_12345678912345_110113_01.xml')
    copyFileSync('test/fixtures/pes/unsigned/pastell__PESALR2_12345678912345_110113_01.xml', input)
    await openSign(app, [input])
    const summary = page.getByTestId('pes-summary')
    await summary.waitFor()
    expect(await page.getByTestId('pes-bordereau').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('file-item').innerText()).toContain('PES : XAdES par bordereau')
    await summary.getByText('Voir le XML brut').click()
    await expect.poll(() => page.getByTestId('pes-raw').innerText()).toContain('PES_Aller')
    await selectContaining(page, 'key-select', 'Jeanne Martin')
    await expectAccessible(page)
    await screenshot(page, 'sign-pes', true)

    await page.getByTestId('sign-button').click()
    const dialog = page.getByTestId('pin-dialog')
    await dialog.waitFor({ timeout: 20_000 })
    await dialog.getByLabel('Code PIN').fill(env.softhsm.pin)
    await dialog.getByLabel('Code PIN').press('Enter')
    await expect.poll(() => page.getByTestId('sign-result').getAttribute('data-status'), { timeout: 30_000 }).toBe('signed')
    await page.getByTestId('sign-result').getByRole('button', { name: /^Ouvrir le dossier/ }).click()
    await expect.poll(() => app!.desktop.shown.length).toBe(1)
    expect(app.desktop.shown[0]).toMatch(/\.xml$/)
    expect(readFileSync(app.desktop.shown[0]!, 'utf8')).toContain('SignatureValue')
  })

  it('signs a batch of 5 files with one PIN, with progress, and the journal lists them', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const files = []
    for (let i = 1; i <= 5; i++) files.push(await makePdf(join(app.dir, `arrete-${i}.pdf`), `Arrêté n°${i}`, 1))
    await openSign(app, files)
    await selectContaining(page, 'key-select', 'Lefèvre')
    await page.getByTestId('sign-button').click()
    const dialog = page.getByTestId('pin-dialog')
    await dialog.waitFor({ timeout: 20_000 })
    // before the session login the engine cannot tell yet whether the key asks again per signature
    expect(await dialog.getByTestId('pin-batch').innerText()).toMatch(/^(Un seul code PIN pour 5 fichiers\.|Ce code PIN ouvre la carte pour les 5 fichiers ; si elle le redemande à chaque signature, Paraphe vous le dira\.)$/)
    await dialog.getByLabel('Code PIN').fill(env.softhsm.pin)
    await dialog.getByRole('button', { name: 'Valider' }).click()
    await expect.poll(() => page.getByTestId('sign-results').isVisible(), { timeout: 60_000 }).toBe(true)
    expect(await page.getByTestId('sign-result').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(Array(5).fill('signed'))
    expect(await page.getByTestId('sign-progress').innerText()).toContain('5 sur 5')
    expect(pinCalls(app)).toBe(1)
    await screenshot(page, 'sign-batch-done', true)

    await page.getByRole('button', { name: 'Journal', exact: true }).click()
    await expect.poll(() => page.getByTestId('journal-row').count()).toBe(5)
    await page.getByLabel(/Rechercher/).fill('arrete-3')
    await expect.poll(() => page.getByTestId('journal-row').count()).toBe(1)
    await page.getByLabel(/Rechercher/).fill('')
    await expectAccessible(page)
    await screenshot(page, 'journal', true)
  })

  it('signs a text file as a detached CAdES, PEM for ACTES, timestamped (B-T) by the local TSA; Verify shows the timestamp', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const input = join(app.dir, 'acte-2026-17.txt')
    writeFileSync(input, 'Arrêté municipal 2026-17\n')
    await openSign(app, [input])
    expect(await page.getByTestId('file-item').innerText()).toContain('CAdES détachée (.p7s)')
    await selectContaining(page, 'key-select', 'Jeanne Martin')
    await page.getByLabel('Signature au format PEM (pour ACTES)').check()
    await page.getByLabel('Niveau').selectOption('B-T')
    expect(await page.getByTestId('sign-button').isDisabled()).toBe(true) // no TSA yet
    await page.getByLabel("Adresse du serveur d'horodatage").fill(env.services.tsaUrl)
    await page.getByTestId('sign-button').click()
    const dialog = page.getByTestId('pin-dialog')
    await dialog.waitFor({ timeout: 20_000 })
    await dialog.getByLabel('Code PIN').fill(env.softhsm.pin)
    await dialog.getByRole('button', { name: 'Valider' }).click()
    const result = page.getByTestId('sign-result')
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 30_000 }).toBe('signed')
    await result.getByRole('button', { name: /^Ouvrir le dossier/ }).click()
    await expect.poll(() => app!.desktop.shown.length).toBe(1)
    const output = app.desktop.shown[0]!
    expect(readFileSync(output, 'utf8')).toMatch(/^-----BEGIN /)

    await result.getByRole('button', { name: /^Vérifier/ }).click()
    await page.getByTestId('verify-banner').waitFor({ timeout: 30_000 })
    // the signed document sits next to its .p7s: the verifier finds it without asking
    expect(await page.getByTestId('need-content').count()).toBe(0)
    await expect.poll(() => page.getByTestId('signature-card').innerText(), { timeout: 30_000 }).toContain('horodaté par')
    expect(await page.getByTestId('verify-banner').getAttribute('data-tone')).toBe('ok')
  })

  it.skipIf(!loadTestEnv().vcard)('a card key that asks the PIN at every signature says so before the batch, and asks once per file', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const files = [await makePdf(join(app.dir, 'mandat-1.pdf'), 'Mandat 1', 1), await makePdf(join(app.dir, 'mandat-2.pdf'), 'Mandat 2', 1)]
    try {
      await openSign(app, files)
      // OpenSC names the PIV 9C certificate (the key with CKA_ALWAYS_AUTHENTICATE) this way
      await selectContaining(page, 'key-select', 'Certificate for Digital Signature')
      await page.getByTestId('sign-button').click()
      const dialog = page.getByTestId('pin-dialog')
      const perFile = 'Cette carte demandera votre code PIN pour chaque fichier (2 fichiers).'
      const said: string[] = []
      // answer every prompt until the batch is done: never "one PIN for 2 files" with this key
      const deadline = Date.now() + 45_000
      while (!(await page.getByTestId('sign-results').isVisible())) {
        expect(Date.now(), 'batch did not finish').toBeLessThan(deadline)
        expect(await page.getByTestId('error').count(), 'signing failed').toBe(0)
        if (await dialog.isVisible()) {
          said.push((await dialog.getByTestId('pin-batch').allInnerTexts())[0] ?? '')
          await dialog.getByLabel('Code PIN').fill(env.vcard!.pin)
          const before = pinCalls(app!)
          await dialog.getByRole('button', { name: 'Valider' }).click()
          await expect.poll(() => pinCalls(app!)).toBe(before + 1)
        }
        await page.waitForTimeout(100)
        expect(said.length).toBeLessThan(5)
      }
      // the card asked for each of the 2 signatures (after the session login when it asks for one), and said so
      expect(said.filter((x) => x === perFile).length).toBeGreaterThanOrEqual(2)
      expect(said.every((x) => x === perFile || x.startsWith('Ce code PIN ouvre la carte'))).toBe(true)
      await expect.poll(() => page.getByTestId('sign-results').isVisible(), { timeout: 60_000 }).toBe(true)
      expect(await page.getByTestId('sign-result').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(['signed', 'signed'])
    } finally {
      await cardControl(env).resetCard()
    }
  })

  it('PIN dialog modes from the prompt: pinpad (no field), locked (what to do)', async () => {
    const app = await desktopApp.open()
    const { page, harness } = app
    await page.getByTestId('task-sign').click()
    const counter = { triesLeft: 3, maxTries: 3, countLow: false, finalTry: false, locked: false, mustChange: false, pinpad: true, source: 'card' as const, profile: 'piv', minPinLength: 6, maxPinLength: 8 }
    expect(await harness.emit('onPinPrompt', { requestId: 'r1', tokenLabel: 'Carte agent', purpose: 'login', pinpad: true, counter, lastTry: false })).toBeGreaterThan(0)
    const dialog = page.getByTestId('pin-dialog')
    await dialog.waitFor()
    expect(await dialog.getByTestId('pinpad').innerText()).toBe('Tapez votre code sur le lecteur, puis validez sur le lecteur.')
    expect(await dialog.locator('input[type=password]').count()).toBe(0)
    expect(await dialog.getByTestId('pin-tries').innerText()).toBe('Il vous reste 3 essais sur 3.')
    await expectAccessible(page)
    // the modal keeps the focus: Tab cycles through its own controls only
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid=pin-dialog]')))).toBe(true)
    }
    await dialog.getByRole('button', { name: 'Continuer' }).click()
    await expect.poll(() => app!.harness.calls.filter((c) => c.channel === 'sign:answer-pin').map((c) => c.payload)).toEqual([{ kind: 'pinpad', requestId: 'r1', confirmLastTry: false }])

    await harness.emit('onPinPrompt', { requestId: 'r2', tokenLabel: 'Carte agent', purpose: 'login', pinpad: false, counter: { ...counter, pinpad: false, triesLeft: 0, locked: true }, lastTry: false })
    await dialog.getByTestId('pin-locked').waitFor()
    expect(await dialog.innerText()).toContain('Débloquez-le avec le code PUK')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
    expect(app.harness.calls.filter((c) => c.channel === 'sign:answer-pin').at(-1)!.payload).toEqual({ kind: 'cancel', requestId: 'r2' })
  })

  it.skipIf(!loadTestEnv().vcard)('wrong PINs on the virtual card: 3, 2, then 1 try left with the last-try confirmation', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const input = await makePdf(join(app.dir, 'budget.pdf'), 'Budget primitif', 1)
    try {
      await openSign(app, [input])
      await selectContaining(page, 'key-select', 'Sophie Bernard')
      const dialog = page.getByTestId('pin-dialog')
      for (const left of [3, 2]) {
        await page.getByTestId('sign-button').click()
        await dialog.waitFor({ timeout: 20_000 })
        expect(await dialog.getByTestId('pin-tries').innerText()).toMatch(new RegExp(`^Il vous reste ${left} essais( sur 3)?\\.$`))
        expect(await dialog.getByTestId('last-try').count()).toBe(0)
        await dialog.getByLabel('Code PIN').fill('000000')
        await dialog.getByRole('button', { name: 'Valider' }).click()
        await page.getByTestId('error').waitFor({ timeout: 20_000 })
        expect(await page.getByTestId('error').innerText()).toContain('Le code est incorrect.')
      }
      await expect.poll(async () => (await page.getByTestId('strip-pin').allInnerTexts()).some((x) => /Il vous reste 1 essai\b/.test(x))).toBe(true)
      await page.getByTestId('sign-button').click()
      await dialog.waitFor({ timeout: 20_000 })
      expect(await dialog.getByTestId('pin-tries').innerText()).toMatch(/^Il vous reste 1 essai( sur 3)?\.$/)
      await dialog.getByLabel('Code PIN').fill('000000')
      const submit = dialog.getByRole('button', { name: 'Valider' })
      expect(await submit.isDisabled()).toBe(true)
      await dialog.getByLabel('Je comprends, je tente ce dernier essai').check()
      expect(await submit.isDisabled()).toBe(false)
      await expectAccessible(page)
      await screenshot(page, 'pin-last-try', true, false)
      // Escape cancels: nothing is sent to the card, the counter stays at 1
      await page.keyboard.press('Escape')
      await expect.poll(() => dialog.count()).toBe(0)
      await page.getByTestId('error').waitFor({ timeout: 20_000 })
      expect(await page.getByTestId('error').innerText()).toContain('annulée')
      await expect.poll(async () => (await page.getByTestId('strip-pin').allInnerTexts()).some((x) => /Il vous reste 1 essai\b/.test(x))).toBe(true)
    } finally {
      await cardControl(env).resetCard()
    }
  })
})
