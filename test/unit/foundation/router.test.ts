import { describe, expect, it } from 'vitest'
import { createEmitter, createRouter } from '../../../src/main/app/router'
import type { Handlers } from '../../../src/main/app/handlers'
import { ParapheError } from '../../../src/shared/errors'

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    listTokens: () => ({ modules: [] }),
    appInfo: () => ({ version: '9.9.9', platform: 'linux' }),
    ...overrides,
  } as Handlers
}

describe('IPC router', () => {
  it('answers a valid request with the handler value', async () => {
    const router = createRouter(handlers())
    await expect(router.invoke('app:info', undefined)).resolves.toEqual({ ok: true, value: { version: '9.9.9', platform: 'linux' } })
  })

  it('rejects malformed payloads with a typed error before any handler runs', async () => {
    let called = 0
    const router = createRouter(handlers({ listTokens: () => ((called += 1), { modules: [] }) }))
    for (const bad of [42, 'x', { extraModules: 'not-a-list' }, { extraModules: ['a\0b'] }, { unknownKey: 1 }, { extraModules: Array(33).fill('/x') }]) {
      const answer = await router.invoke('tokens:list', bad)
      expect(answer.ok).toBe(false)
      if (!answer.ok) expect(answer.error.code).toBe('INVALID_REQUEST')
    }
    expect(called).toBe(0)
  })

  it('rejects unknown channels and prototype-ish names', async () => {
    const router = createRouter(handlers())
    for (const channel of ['nope', '__proto__', 'constructor']) {
      const answer = await router.invoke(channel, undefined)
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    }
  })

  it('turns handler failures into error payloads, keeping the ParapheError code', async () => {
    const router = createRouter(
      handlers({
        listTokens: () => {
          throw new ParapheError('TOKEN_NOT_FOUND', 'No token labelled "X"')
        },
        appInfo: () => {
          throw new TypeError('boom')
        },
      }),
    )
    await expect(router.invoke('tokens:list', undefined)).resolves.toEqual({
      ok: false,
      error: { code: 'TOKEN_NOT_FOUND', message: 'No token labelled "X"' },
    })
    await expect(router.invoke('app:info', undefined)).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } })
  })

  it('validates event payloads before sending them', () => {
    const sent: unknown[] = []
    const emit = createEmitter((channel, payload) => sent.push([channel, payload]))
    emit('onTokensChanged', { reason: 'hotplug' })
    expect(sent).toEqual([['tokens:changed', { reason: 'hotplug' }]])
    expect(() => emit('onTokensChanged', { reason: 'bogus' } as never)).toThrow()
  })
})
