// Cancel through the app's handlers while the timestamp server hangs: the batch stops at once (the
// request in flight is aborted, not waited for), nothing is written, and the journal says cancelled.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../../src/main/app/handlers'
import { createRouter } from '../../../src/main/app/router'
import type { EventName, EventPayload } from '../../../src/shared/contract'
import type { BatchReportView } from '../../../src/shared/model/app-ipc'
import { loadTestEnv } from '../../support/env'

const env = loadTestEnv()
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paraphe-cancel-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('cancel a batch (sign:cancel)', () => {
  it('stops while the timestamp server hangs: the file in progress is cancelled, the others skipped, nothing written', { timeout: 20_000 }, async () => {
    const files = [1, 2, 3].map((i) => {
      const f = join(dir, `acte-${i}.txt`)
      writeFileSync(f, `Acte ${i}\n`)
      return f
    })
    const journal = join(mkdtempSync(join(tmpdir(), 'paraphe-cancel-journal-')), 'journal.jsonl')
    let batchId: string | null = null
    let router: ReturnType<typeof createRouter>
    const events: Array<{ event: EventName; payload: unknown }> = []
    const emit = <K extends EventName>(event: K, payload: EventPayload<K>) => {
      events.push({ event, payload })
      if (event === 'onPinPrompt') {
        const p = payload as EventPayload<'onPinPrompt'>
        void router.invoke('sign:answer-pin', { kind: 'pin', requestId: p.requestId, pin: env.softhsm.pin })
      }
      if (event === 'onSignProgress') {
        const p = payload as EventPayload<'onSignProgress'>
        if (p.type === 'start') batchId = p.batchId
        // the first file is waiting for the (hanging) timestamp server: cancel now
        if (p.type === 'file-start' && p.index === 0) setTimeout(() => void router.invoke('sign:cancel', { batchId: p.batchId }), 300)
      }
    }
    router = createRouter(createHandlers({ emit, settingsModules: () => [env.softhsm.modulePath], env: { ...process.env, PARAPHE_JOURNAL: journal }, version: 'test' }))
    const t0 = performance.now()
    const answer = await router.invoke('sign:files', {
      files,
      token: { modulePath: env.softhsm.modulePath, tokenLabel: env.softhsm.label, keyId: env.softhsm.keys[0]!.id },
      level: 'B-T',
      tsaUrl: `${env.services.fail.tsaSlow}?ms=60000`,
    })
    const elapsed = performance.now() - t0
    expect(answer.ok).toBe(true)
    const report = (answer as { ok: true; value: BatchReportView }).value
    expect(report.batchId).toBe(batchId)
    expect(report.stopped?.reason).toBe('cancelled')
    expect(report.results.map((r) => r.status)).toEqual(['cancelled', 'skipped', 'skipped'])
    // the 60 s request was not waited for
    expect(elapsed).toBeLessThan(15_000)
    expect(readdirSync(dir).sort()).toEqual(['acte-1.txt', 'acte-2.txt', 'acte-3.txt'])
    const lines = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; input: { path: string } })
    expect(lines.map((l) => [l.outcome, l.input.path])).toEqual([['cancelled', files[0]]])
  })
})
