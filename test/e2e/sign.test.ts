// The mayor's journeys through the real UI, the real handlers and real tokens: a PDF signed with a
// visible stamp drawn on the preview (checked with pdfsig and pdf-lib), a PES file, a batch of 5
// with one PIN, and wrong PINs on the virtual card down to the last-try confirmation.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { PDFDocument, PDFName, PDFArray, PDFDict, StandardFonts } from 'pdf-lib'
import { expectAccessible, useDesktopApp, screenshot, waitTokens, type AppUnderTest } from './support/app'
import { cardControl, loadTestEnv, loadTestPkiFromEnv } from '../support/env'
import { createSoftHsmToken } from '../support/softhsm'

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

/** Press Tab until the focused element's accessible text matches; fails after `max` presses. */
async function tabTo(page: Page, match: RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      return [el?.getAttribute('aria-label'), el?.innerText, (el as HTMLInputElement | null)?.labels?.[0]?.innerText].filter(Boolean).join(' | ').replace(/\s+/g, ' ')
    })
    if (match.test(focused)) return
  }
  throw new Error(`no focusable element matching ${match} within ${max} Tab presses`)
}

describe('Signer', () => {
  it('keyboard only: choose a PDF, a certificate, sign with the PIN, verify the result, without the mouse', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const input = await makePdf(join(app.dir, 'arrete-clavier.pdf'), 'Arrêté clavier', 1)
    await waitTokens(page, env.vcard ? 2 : 1)
    await tabTo(page, /^Signer Signer un ou plusieurs/)
    await page.keyboard.press('Enter')
    app.desktop.queueFiles(input)
    await tabTo(page, /^Choisir des fichiers/)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('file-item').count()).toBe(1)
    // the certificate list: typed letters pick the option
    await tabTo(page, /Signer avec/)
    await page.keyboard.type('Jeanne')
    await expect.poll(() => page.getByTestId('certificate-card').innerText()).toContain('Jeanne Martin')
    await tabTo(page, /^Signer le document/)
    await page.keyboard.press('Enter')
    // the PIN dialog takes the focus; Enter validates
    const dialog = page.getByTestId('pin-dialog')
    await dialog.waitFor({ timeout: 20_000 })
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('password')
    await page.keyboard.type(env.softhsm.pin)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('sign-result').getAttribute('data-status'), { timeout: 30_000 }).toBe('signed')
    await tabTo(page, /^Vérifier arrete-clavier-signe\.pdf/)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('verify-banner').getAttribute('data-tone'), { timeout: 30_000 }).toBe('ok')
  })

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
    // the page opens fitted to the frame's width; zoom steps from there
    expect(await page.getByRole('button', { name: 'Ajuster à la largeur' }).getAttribute('aria-pressed')).toBe('true')
    while ((await page.getByTestId('pdf-zoom').innerText()) !== '125 %') await page.getByRole('button', { name: 'Agrandir' }).click()
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
    await expectAccessible(page)
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
    expect(await page.getByTestId('coverage').innerText()).toBe('tout le fichier')
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
    // SoftHSM2 hides its private keys until the login: the engine cannot tell yet whether the key
    // asks again per signature, and says so instead of promising one PIN
    expect(await dialog.getByTestId('pin-batch').getAttribute('data-scope')).toBe('unknown')
    expect(await dialog.getByTestId('pin-batch').innerText()).toBe('Ce code PIN ouvre la carte pour les 5 fichiers ; si elle le redemande à chaque signature, Paraphe vous le dira.')
    await dialog.getByLabel('Code PIN').fill(env.softhsm.pin)
    await dialog.getByRole('button', { name: 'Valider' }).click()
    await expect.poll(() => page.getByTestId('sign-results').isVisible(), { timeout: 60_000 }).toBe(true)
    expect(await page.getByTestId('sign-result').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(Array(5).fill('signed'))
    expect(await page.getByTestId('sign-progress').innerText()).toContain('5 sur 5')
    expect(pinCalls(app)).toBe(1)
    await expectAccessible(page)
    await screenshot(page, 'sign-batch-done', true)

    // the five signed files verified together, straight from the results
    await page.getByRole('button', { name: 'Vérifier les 5 fichiers signés' }).click()
    await expect.poll(() => page.getByTestId('verify-batch-summary').innerText(), { timeout: 60_000 }).toBe('Vérifiés : 5 sur 5 — valides : 5 · à examiner : 0 · invalides ou non signés : 0')
    expect(await page.getByTestId('verify-batch-row').allInnerTexts()).toEqual(Array.from({ length: 5 }, (_, i) => expect.stringContaining(`arrete-${i + 1}-signe.pdf`)))

    await page.getByRole('button', { name: 'Journal', exact: true }).click()
    await expect.poll(() => page.getByTestId('journal-row').count()).toBe(5)
    await page.getByLabel(/Rechercher/).fill('arrete-3')
    await expect.poll(() => page.getByTestId('journal-row').count()).toBe(1)
    // the format as shown, and the date as shown, find the rows too
    expect(await page.getByTestId('journal-row').innerText()).toContain('PAdES (signature dans le PDF) · B-B')
    await page.getByLabel(/Rechercher/).fill('signature dans le PDF')
    await expect.poll(() => page.getByTestId('journal-row').count()).toBe(5)
    const shownDate = (await page.getByTestId('journal-row').first().locator('td').first().innerText()).split(' à ')[0]!
    await page.getByLabel(/Rechercher/).fill(shownDate)
    await expect.poll(() => page.getByTestId('journal-row').count()).toBe(5)
    await page.getByLabel(/Rechercher/).fill('CAdES')
    await expect.poll(() => page.getByTestId('journal-row').count()).toBe(0)
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
      const scopes: string[] = []
      // answer every prompt until the batch is done: never "one PIN for 2 files" with this key
      const deadline = Date.now() + 45_000
      while (!(await page.getByTestId('sign-results').isVisible())) {
        expect(Date.now(), 'batch did not finish').toBeLessThan(deadline)
        expect(await page.getByTestId('error').count(), 'signing failed').toBe(0)
        if (await dialog.isVisible()) {
          said.push((await dialog.getByTestId('pin-batch').allInnerTexts())[0] ?? '')
          scopes.push((await dialog.getByTestId('pin-batch').getAttribute('data-scope')) ?? '')
          await dialog.getByLabel('Code PIN').fill(env.vcard!.pin)
          const before = pinCalls(app!)
          await dialog.getByRole('button', { name: 'Valider' }).click()
          await expect.poll(() => pinCalls(app!)).toBe(before + 1)
        }
        await page.waitForTimeout(100)
        expect(said.length).toBeLessThan(5)
      }
      // OpenSC hides the PIV private keys until the login (pkcs11-tool -O lists only public keys and
      // certificates): the login prompt cannot know yet and says so; once logged in, the engine has
      // read CKA_ALWAYS_AUTHENTICATE and every later prompt says "for each file" for certain
      expect(scopes).toEqual(['unknown', 'per-signature', 'per-signature'])
      expect(said).toEqual(['Ce code PIN ouvre la carte pour les 2 fichiers ; si elle le redemande à chaque signature, Paraphe vous le dira.', perFile, perFile])
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

  it('PIN dialog batch wording follows the prompt: one PIN for N files, a PIN for each file, not known yet', async () => {
    const app = await desktopApp.open()
    const { page, harness } = app
    await page.getByTestId('task-sign').click()
    const dialog = page.getByTestId('pin-dialog')
    const base = { tokenLabel: 'Carte agent', purpose: 'login' as const, pinpad: false, counter: null, lastTry: false }
    const cases = [
      { pinScope: 'once-for-batch' as const, fileCount: 12, text: 'Un seul code PIN pour 12 fichiers.' },
      { pinScope: 'per-signature' as const, fileCount: 12, text: 'Cette carte demandera votre code PIN pour chaque fichier (12 fichiers).' },
      { pinScope: 'unknown' as const, fileCount: 12, text: 'Ce code PIN ouvre la carte pour les 12 fichiers ; si elle le redemande à chaque signature, Paraphe vous le dira.' },
      { pinScope: 'per-signature' as const, fileCount: 1, text: 'Cette carte demande votre code PIN à chaque signature.' },
    ]
    for (const [i, c] of cases.entries()) {
      await harness.emit('onPinPrompt', { ...base, requestId: `scope-${i}`, pinScope: c.pinScope, fileCount: c.fileCount })
      await expect.poll(() => dialog.getByTestId('pin-batch').innerText()).toBe(c.text)
      await page.keyboard.press('Escape')
      await expect.poll(() => dialog.count()).toBe(0)
    }
    // one file with one login: nothing to announce; a prompt outside signing carries no scope
    await harness.emit('onPinPrompt', { ...base, requestId: 'scope-one', pinScope: 'once-for-batch', fileCount: 1 })
    await dialog.waitFor()
    expect(await dialog.getByTestId('pin-batch').count()).toBe(0)
    // Chromium may close a dialog opened without user activation on Escape with no "cancel" event:
    // a native close is a cancel too, never a dialog gone while the engine waits for its answer
    await page.evaluate(() => document.querySelector<HTMLDialogElement>('[data-testid=pin-dialog]')!.close())
    await expect.poll(() => dialog.count()).toBe(0)
    await expect.poll(() => app.harness.calls.filter((c) => c.channel === 'sign:answer-pin').at(-1)?.payload).toEqual({ kind: 'cancel', requestId: 'scope-one' })
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

  it('asks the revocation of the chosen certificate: not revoked for Jeanne Martin; revoked (date, reason) for Marc Dubois, and signing disabled', async () => {
    // a token of this test's own (SoftHSM reads SOFTHSM2_CONF at each C_Initialize, and the module
    // is finalised between uses): the shared token stays as the other tests expect it
    const dir = join(loadTestEnv().dir, `e2e-revocation-${process.pid}-${Date.now()}`)
    mkdirSync(dir, { recursive: true })
    const token = await createSoftHsmToken({ dir, pki: await loadTestPkiFromEnv(env), label: 'Paraphe Revocation', keys: ['signerRsa', 'signerRevoked'], setProcessEnv: false })
    const saved = process.env.SOFTHSM2_CONF
    process.env.SOFTHSM2_CONF = token.confPath
    try {
      const app = await desktopApp.open({ modules: [token.modulePath] })
      const { page } = app
      await waitTokens(page, env.vcard ? 2 : 1) // this token, and the card (OpenSC is a built-in module)
      await page.getByTestId('task-sign').click()
      app.desktop.queueFiles(await makePdf(join(app.dir, 'arrete-revocation.pdf'), 'Arrêté', 1))
      await page.getByRole('button', { name: 'Choisir des fichiers…' }).click()
      await expect.poll(() => page.getByTestId('file-item').count()).toBe(1)

      await selectContaining(page, 'key-select', 'Jeanne Martin')
      const note = page.getByTestId('revocation-note')
      await expect.poll(() => note.getAttribute('data-state'), { timeout: 20_000 }).toBe('good')
      expect(await note.innerText()).toMatch(/^Non révoqué \(réponse de l'autorité du .+\)\.$/)
      expect(await page.getByTestId('sign-button').isDisabled()).toBe(false)

      await selectContaining(page, 'key-select', 'Marc Dubois')
      const revoked = page.locator('[data-warning=revoked]')
      await revoked.waitFor({ timeout: 20_000 })
      const revokedAt = new Date(env.pki.revoked.find((r) => r.name === 'signerRevoked')!.revokedAt).toLocaleDateString('fr-FR', { dateStyle: 'long' })
      expect(await revoked.innerText()).toBe(`Ce certificat a été révoqué le ${revokedAt} : une signature faite avec lui sera refusée. Motif : clé compromise.`)
      expect(await revoked.getAttribute('class')).toBe('error')
      expect(await page.getByTestId('sign-button').isDisabled()).toBe(true)
      expect(await page.getByTestId('sign-revoked').innerText()).toContain('il a été révoqué')
      expect(await note.count()).toBe(0)
      await expectAccessible(page)
      await screenshot(page, 'sign-revoked-certificate', true)
      expect(app.harness.calls.filter((c) => c.channel === 'tokens:certificate-status').length).toBeGreaterThanOrEqual(2)
    } finally {
      process.env.SOFTHSM2_CONF = saved
    }
  })

  it('cancels a batch mid-way: the UI says so, signed outputs are whole and valid, unsigned files have no output, no temp file, the journal tells', async () => {
    const app = await desktopApp.open()
    const { page } = app
    const files = []
    for (let i = 1; i <= 5; i++) files.push(await makePdf(join(app.dir, `deliberation-${i}.pdf`), `Délibération n°${i}`, 1))
    await openSign(app, files)
    await selectContaining(page, 'key-select', 'Jeanne Martin')
    // a slow timestamp server (2 s a file) leaves time to cancel in the middle of the batch
    await page.getByLabel('Niveau').selectOption('B-T')
    await page.getByLabel("Adresse du serveur d'horodatage").fill(`${env.services.fail.tsaSlow}?ms=2000`)
    await page.getByTestId('sign-button').click()
    const dialog = page.getByTestId('pin-dialog')
    await dialog.waitFor({ timeout: 20_000 })
    await dialog.getByLabel('Code PIN').fill(env.softhsm.pin)
    await dialog.getByRole('button', { name: 'Valider' }).click()
    await expect.poll(() => page.getByTestId('sign-progress').innerText(), { timeout: 30_000 }).toMatch(/\b1 sur 5\b/)
    await page.getByTestId('sign-progress').getByRole('button', { name: 'Arrêter la signature' }).click()

    await expect.poll(() => page.getByTestId('sign-results').isVisible(), { timeout: 30_000 }).toBe(true)
    expect(await page.getByTestId('sign-results').innerText()).toContain("La signature a été arrêtée à votre demande : les documents restants n'ont pas été signés.")
    await expectAccessible(page)
    await screenshot(page, 'sign-batch-cancelled')
    const statuses = await page.getByTestId('sign-result').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))
    const signedCount = statuses.filter((s) => s === 'signed').length
    // cancelled in the middle: some signed, the rest not, in order; the one being signed when the button was pressed is "annulé"
    expect(signedCount).toBeGreaterThanOrEqual(1)
    expect(signedCount).toBeLessThan(5)
    expect(statuses).toEqual([...Array(signedCount).fill('signed'), 'cancelled', ...Array(4 - signedCount).fill('skipped')])
    // the bar counts what was signed, and each row says why in plain words
    expect(await page.getByTestId('sign-progress').innerText()).toContain(`Signature : ${signedCount} sur 5`)
    const rows = page.getByTestId('sign-result')
    expect(await rows.nth(signedCount).innerText()).toContain("Annulé pendant sa signature : rien n'a été écrit pour ce document.")
    if (signedCount < 4) expect(await rows.nth(4).innerText()).toContain('Non signé : la signature a été arrêtée à votre demande avant ce document.')

    const outputs = readdirSync(app.dir).filter((n) => /^deliberation-\d+.*\.pdf$/.test(n) && !/^deliberation-\d+\.pdf$/.test(n))
    expect(outputs).toHaveLength(signedCount)
    for (const [i, f] of files.entries()) {
      const out = outputs.find((o) => o.startsWith(`deliberation-${i + 1}`))
      if (i < signedCount) {
        expect(out, `output of file ${i + 1}`).toBeDefined()
        expect(execFileSync('pdfsig', [join(app.dir, out!)], { encoding: 'utf8' })).toMatch(/Signature Validation: Signature is Valid/)
      } else expect(out, `file ${i + 1} was not signed`).toBeUndefined()
      expect(existsSync(f)).toBe(true)
    }
    // nothing half-written left beside the outputs
    expect(readdirSync(app.dir).filter((n) => /tmp|partial|~$/i.test(n))).toEqual([])

    const journal = readFileSync(join(app.dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; input: { path: string } })
    expect(journal.map((j) => j.outcome)).toEqual([...Array(signedCount).fill('signed'), 'cancelled'])
    expect(journal.at(-1)!.input.path).toBe(files[signedCount])
    await page.getByRole('button', { name: 'Journal', exact: true }).click()
    await expect.poll(() => page.getByTestId('journal-row').count()).toBe(signedCount + 1)
  })

  it('the PDF preview zoomed past 100 % scrolls inside its frame, never cut on the right', async () => {
    const app = await desktopApp.open()
    const { page } = app
    await openSign(app, [await makePdf(join(app.dir, 'zoom.pdf'), 'Zoom', 1)])
    await expect.poll(() => page.getByTestId('pdf-page').innerText(), { timeout: 20_000 }).toBe('Page 1 sur 1')
    await expect.poll(() => page.locator('.page-stack').getAttribute('data-rendering')).toBe('false')
    const frame = page.locator('.page-frame')
    const geometry = () =>
      frame.evaluate((el) => {
        const f = el.getBoundingClientRect()
        const card = el.closest('.sign-preview')!.getBoundingClientRect()
        const canvas = el.querySelector('canvas')!.getBoundingClientRect()
        return { frameRight: f.right, cardRight: card.right, viewport: window.innerWidth, docWidth: document.documentElement.scrollWidth, canvasWidth: canvas.width, clientWidth: el.clientWidth, scrollWidth: el.scrollWidth }
      })
    const zoomTo = async (label: string) => {
      while (!(await page.getByTestId('pdf-preview').innerText()).includes(label)) await page.getByRole('button', { name: 'Agrandir' }).click()
      await expect.poll(() => page.locator('.page-stack').getAttribute('data-rendering')).toBe('false')
    }
    for (const [label, scale] of [['100 %', 1], ['125 %', 1.25], ['200 %', 2]] as const) {
      await zoomTo(label)
      await expect.poll(async () => Math.round((await geometry()).canvasWidth)).toBe(Math.round(595 * scale))
      const g = await geometry()
      // the frame stays inside its card and the window; the page does not widen the window
      expect(g.frameRight).toBeLessThanOrEqual(g.cardRight)
      expect(g.cardRight).toBeLessThanOrEqual(g.viewport)
      expect(g.docWidth).toBeLessThanOrEqual(g.viewport)
      // wider than the frame: it scrolls, and the right edge of the page can be reached
      if (g.canvasWidth > g.clientWidth) {
        expect(g.scrollWidth).toBeGreaterThan(g.clientWidth)
        await frame.evaluate((el) => (el.scrollLeft = el.scrollWidth))
        const edge = await frame.evaluate((el) => el.querySelector('canvas')!.getBoundingClientRect().right <= el.getBoundingClientRect().right)
        expect(edge).toBe(true)
        await screenshot(page, `sign-preview-${Math.round(scale * 100)}-scrolled`)
        await frame.evaluate((el) => (el.scrollLeft = 0))
      }
      await screenshot(page, `sign-preview-${Math.round(scale * 100)}`)
    }
    // "fit to width" (how the preview opens): the whole width of the page in the frame, no horizontal scroll
    expect(await page.getByRole('button', { name: 'Ajuster à la largeur' }).getAttribute('aria-pressed')).toBe('false')
    await page.getByRole('button', { name: 'Ajuster à la largeur' }).click()
    await expect.poll(async () => (await geometry()).canvasWidth).toBeLessThan(595 * 2)
    await expect.poll(() => page.locator('.page-stack').getAttribute('data-rendering')).toBe('false')
    const fitted = await geometry()
    expect(fitted.scrollWidth).toBeLessThanOrEqual(fitted.clientWidth)
    expect(fitted.canvasWidth).toBeGreaterThan(fitted.clientWidth * 0.8)
    expect(await page.getByRole('button', { name: 'Ajuster à la largeur' }).getAttribute('aria-pressed')).toBe('true')
    await screenshot(page, 'sign-preview-fit')
    // a zoom step leaves "fit" for the next step up
    const fitPercent = parseInt(await page.getByTestId('pdf-zoom').innerText(), 10)
    await page.getByRole('button', { name: 'Agrandir' }).click()
    await expect.poll(async () => parseInt(await page.getByTestId('pdf-zoom').innerText(), 10)).toBeGreaterThan(fitPercent)
    expect(await page.getByRole('button', { name: 'Ajuster à la largeur' }).getAttribute('aria-pressed')).toBe('false')
  })
})
