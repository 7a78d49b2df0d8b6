import { describe, expect, it } from 'vitest'
import { digestMemo } from '../../../src/main/core/verify/memo'

describe('digestMemo', () => {
  it('gives the same parsed object for the same bytes in another buffer, and forgets the oldest past its limit', () => {
    const memo = digestMemo<{ n: number }>(2)
    let made = 0
    const parse = (bytes: number[]) => memo(new Uint8Array(bytes), () => ({ n: ++made }))
    const a = parse([1, 2, 3])
    expect(parse([1, 2, 3])).toBe(a)
    expect(parse([1, 2, 4])).not.toBe(a)
    expect(made).toBe(2)
    parse([9])
    // [1,2,3] was the oldest: parsed again
    expect(parse([1, 2, 3])).not.toBe(a)
    expect(made).toBe(4)
  })
})
