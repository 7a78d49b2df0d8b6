// Each kind of failure of a batch file is named, and the Sign screen has a French and an English
// sentence for every kind.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ParapheError } from '../../../src/shared/errors'
import { SIGN_FAILURE_KINDS, signFailureKind } from '../../../src/main/core/sign/batch/failure-kind'
import { OutputError } from '../../../src/main/core/sign/output'
import { PadesError } from '../../../src/main/core/sign/pades/index'
import { TimestampError } from '../../../src/main/core/sign/timestamp/tsa-client'
import { TimestampFailedError } from '../../../src/main/core/sign/xades/types'

describe('signFailureKind', () => {
  it('names the failures the engine throws', () => {
    expect(signFailureKind(new OutputError('x already exists', 'exists', '/x'))).toBe('output-exists')
    expect(signFailureKind(new OutputError('same file', 'same-as-input', '/x'))).toBe('output-is-input')
    expect(signFailureKind(new PadesError('timestamp-failed', 'no TSA'))).toBe('timestamp')
    expect(signFailureKind(new PadesError('certified-no-changes', 'P=1'))).toBe('certified-no-changes')
    expect(signFailureKind(new TimestampError('timed out', 'timeout', 'http://tsa'))).toBe('timestamp')
    expect(signFailureKind(new TimestampFailedError(new Error('HTTP 500')))).toBe('timestamp')
    expect(signFailureKind(new ParapheError('TOKEN_REMOVED', 'removed'))).toBe('token-removed')
    expect(signFailureKind(new ParapheError('PIN_INCORRECT', 'wrong'))).toBe('pin')
    expect(signFailureKind(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' }))).toBe('io')
    expect(signFailureKind(new Error('something else'))).toBe('other')
    expect(signFailureKind('not even an error')).toBe('other')
  })

  it('every kind has a sentence in French and in English', () => {
    for (const lang of ['fr', 'en']) {
      const failure = (JSON.parse(readFileSync(`src/renderer/src/i18n/${lang}.json`, 'utf8')) as { sign: { failure: Record<string, string> } }).sign.failure
      expect(Object.keys(failure).sort()).toEqual([...SIGN_FAILURE_KINDS].sort())
    }
  })
})
