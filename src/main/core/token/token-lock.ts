/**
 * One operation at a time per token: PKCS#11 sessions of one token share the card's state (selected
 * application, verified PIN), so interleaved logins and signatures would corrupt each other.
 */
const tails = new Map<string, Promise<unknown>>()

/** Run `task` after every task queued before it for the same token key; failures do not block the queue. */
export function runExclusive<T>(tokenKey: string, task: () => Promise<T> | T): Promise<T> {
  const previous = tails.get(tokenKey) ?? Promise.resolve()
  const run = previous.then(
    () => task(),
    () => task(),
  )
  const tail = run.then(
    () => undefined,
    () => undefined,
  )
  tails.set(tokenKey, tail)
  void tail.then(() => {
    if (tails.get(tokenKey) === tail) tails.delete(tokenKey)
  })
  return run
}
