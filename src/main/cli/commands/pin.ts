/**
 * `paraphe pin status|change|unblock`: PIN counters and PIN maintenance from a terminal or a script.
 * PINs come from a hidden prompt (terminal), `--pin-stdin` (one secret a line, in the order asked) or
 * the environment (PARAPHE_PIN, PARAPHE_PUK, PARAPHE_NEW_PIN). They are never echoed, logged or
 * retried; buffers are wiped after use.
 * Exit codes: 0 done, 2 usage / I-O / token not found, 3 PIN refused or not attempted (wrong PIN,
 * locked, last try not confirmed, cancelled, new PIN refused).
 */
import type { PinCounter, PinStatus } from '../../../shared/model/pin'
import { changePin, readPinStatus, unblockPin, type PinStatusReport, type UnblockStyle } from '../../core/token/pin-operations'
import { wipe, type PinAnswer, type PinProvider, type PinPurpose, type PinRequest } from '../../core/token/pin-types'
import { pinStatusError } from '../../core/token/token-errors'
import { locateToken } from '../../core/token/token-locator'
import { parseCliArgs, TOKEN_CHOICE_OPTIONS } from '../cli-args'
import { CliError, type CliCommand, type CliIo } from '../cli-error'

/** Exit code when a PIN was refused by the token or the attempt was not made. */
export const PIN_FAILURE_EXIT = 3

const MAX_SECRET = 256

function parse(args: string[]) {
  return parseCliArgs({
    args,
    options: {
      ...TOKEN_CHOICE_OPTIONS,
      'pin-stdin': { type: 'boolean', default: false },
      'confirm-last-try': { type: 'boolean', default: false },
      style: { type: 'string' },
    },
    allowPositionals: true,
  })
}

// ---------- PIN sources ----------

/** Read all of stdin, split into lines; the caller owns (and wipes) the returned buffers. */
async function readStdinLines(stdin: NodeJS.ReadableStream): Promise<Uint8Array[]> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    total += b.length
    chunks.push(b)
    if (total > 64 * 1024) {
      chunks.forEach((c) => c.fill(0))
      throw new CliError('--pin-stdin: standard input is too long for PINs')
    }
  }
  const all = Buffer.concat(chunks)
  chunks.forEach((c) => c.fill(0))
  const lines: Uint8Array[] = []
  let start = 0
  for (let i = 0; i <= all.length; i++) {
    if (i === all.length || all[i] === 0x0a) {
      let end = i
      if (end > start && all[end - 1] === 0x0d) end--
      if (i < all.length || end > start) lines.push(Uint8Array.from(all.subarray(start, end)))
      start = i + 1
    }
  }
  all.fill(0)
  return lines
}

interface TtyIn extends NodeJS.ReadableStream {
  setRawMode?: (raw: boolean) => unknown
  isTTY?: boolean
}

/** Hidden terminal input: raw mode, nothing echoed, Ctrl-C cancels. */
function readHidden(stdin: TtyIn, prompt: string, io: CliIo): Promise<Uint8Array | null> {
  if (typeof stdin.setRawMode !== 'function') throw new CliError('no terminal to type a PIN in: use --pin-stdin or PARAPHE_PIN')
  const setRaw = stdin.setRawMode.bind(stdin)
  writePrompt(io, prompt)
  return new Promise((resolve) => {
    const buf = Buffer.alloc(MAX_SECRET)
    let len = 0
    const finish = (value: Uint8Array | null) => {
      stdin.removeListener('data', onData)
      setRaw(false)
      stdin.pause()
      writePrompt(io, '\n')
      buf.fill(0)
      resolve(value)
    }
    const onData = (data: Buffer | string) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data
      for (const byte of bytes) {
        if (byte === 0x03) return finish(null) // Ctrl-C
        if (byte === 0x04 && len === 0) return finish(null) // Ctrl-D on an empty line
        if (byte === 0x0d || byte === 0x0a) return finish(Uint8Array.from(buf.subarray(0, len)))
        if (byte === 0x7f || byte === 0x08) {
          if (len > 0) buf[--len] = 0
          continue
        }
        if (len < MAX_SECRET) buf[len++] = byte
      }
      if (typeof data !== 'string') data.fill(0)
    }
    setRaw(true)
    stdin.resume()
    stdin.on('data', onData)
  })
}

function writePrompt(io: CliIo, text: string): void {
  // prompts go to the terminal without a forced newline; io.err adds one, so write directly when we can
  if (io.isTty && process.stderr.isTTY) process.stderr.write(text)
  else if (text.trim()) io.err(text.trimEnd())
}

async function readLine(stdin: TtyIn, prompt: string, io: CliIo): Promise<string> {
  const secret = await readHidden(stdin, prompt, io)
  const text = secret ? Buffer.from(secret).toString('utf8') : ''
  wipe(secret)
  return text
}

export function describeCounter(c: PinCounter): string {
  if (c.locked) return 'locked'
  if (c.triesLeft !== null) return `${c.triesLeft} ${c.triesLeft === 1 ? 'try' : 'tries'} left${c.maxTries ? ` of ${c.maxTries}` : ''}`
  if (c.finalTry) return 'one try left'
  if (c.countLow) return 'a wrong PIN was entered since the last good one (tries left not given by the token)'
  return 'tries left not given by the token'
}

const PURPOSE_TEXT: Record<PinPurpose, string> = {
  login: 'PIN',
  signature: 'PIN for this signature',
  'current-pin': 'current PIN',
  'new-pin': 'new PIN',
  puk: 'PUK (unblocking code)',
  'so-pin': 'PUK / administrator (SO) PIN',
}

const ENV_FOR: Record<PinPurpose, string> = {
  login: 'PARAPHE_PIN',
  signature: 'PARAPHE_PIN',
  'current-pin': 'PARAPHE_PIN',
  'new-pin': 'PARAPHE_NEW_PIN',
  puk: 'PARAPHE_PUK',
  'so-pin': 'PARAPHE_PUK',
}

/**
 * The CLI's PinProvider. Order of precedence: --pin-stdin, then the environment variable for that
 * secret, then a hidden prompt on a terminal. A new PIN typed at a terminal is asked twice.
 */
export function cliPinProvider(io: CliIo, opts: { pinStdin: boolean; confirmLastTry: boolean }): PinProvider & { dispose(): void } {
  let stdinLines: Uint8Array[] | null = null
  const stdin = io.stdin as TtyIn | undefined
  /** zero-fill the --pin-stdin lines no request used */
  const dispose = () => {
    stdinLines?.forEach((l) => wipe(l))
    stdinLines = []
  }
  const provider = async (req: PinRequest): Promise<PinAnswer | null> => {
    const what = PURPOSE_TEXT[req.purpose]
    if (req.counter) io.err(`${what} of "${req.tokenLabel}": ${describeCounter(req.counter)}`)
    let confirm = opts.confirmLastTry
    if (req.lastTry && !confirm) {
      if (io.isTty && stdin && !opts.pinStdin) {
        const answer = await readLine(stdin, `Only one try is left: a wrong ${what} locks it. Type YES to go on: `, io)
        confirm = answer.trim() === 'YES'
      }
      if (!confirm) io.err('last try not confirmed (use --confirm-last-try, or answer YES at the terminal): nothing was sent to the token')
    }
    if (req.pinpad) {
      io.err(`Type the ${what} on the reader's PIN pad.`)
      return { pinpad: true, confirmLastTry: confirm }
    }
    if (opts.pinStdin) {
      if (!stdin) throw new CliError('--pin-stdin: no standard input')
      stdinLines ??= await readStdinLines(stdin)
      const next = stdinLines.shift()
      if (!next) throw new CliError(`--pin-stdin: no line left for the ${what} (one secret a line, in the order asked)`)
      return { pin: next, confirmLastTry: confirm }
    }
    const fromEnv = io.env[ENV_FOR[req.purpose]]
    if (fromEnv !== undefined && fromEnv !== '') return { pin: new TextEncoder().encode(fromEnv), confirmLastTry: confirm }
    if (io.isTty && stdin) {
      const first = await readHidden(stdin, `${what} for "${req.tokenLabel}": `, io)
      if (!first) return null
      if (req.purpose === 'new-pin') {
        const again = await readHidden(stdin, `new PIN again: `, io)
        const same = again !== null && Buffer.from(again).equals(Buffer.from(first))
        wipe(again)
        if (!same) {
          wipe(first)
          throw new CliError('the two new PINs differ; nothing was changed')
        }
      }
      return { pin: first, confirmLastTry: confirm }
    }
    throw new CliError(`no ${what} given: type it at a terminal, or use --pin-stdin or ${ENV_FOR[req.purpose]}`)
  }
  return Object.assign(provider, { dispose })
}

// ---------- output ----------

export function pinStatusJson(report: PinStatusReport) {
  const p = report.pin
  const counterJson = (c: PinCounter) => ({
    triesLeft: c.triesLeft,
    maxTries: c.maxTries,
    countLow: c.countLow,
    finalTry: c.finalTry,
    locked: c.locked,
  })
  return {
    token: { ...report.token, module: report.modulePath },
    ...counterJson(p),
    mustChange: p.mustChange,
    pinpad: p.pinpad,
    source: p.source,
    profile: p.profile,
    minPinLength: p.minPinLength,
    maxPinLength: p.maxPinLength,
    puk: counterJson(report.puk),
    unblockStyle: report.unblockStyle,
  }
}

function statusText(report: PinStatusReport): string {
  const p = report.pin
  const lines = [
    `token "${report.token.label}" (${report.token.manufacturer} ${report.token.model}, serial ${report.token.serialNumber})`,
    `  PIN: ${describeCounter(p)}${p.source === 'card' ? ` (read from the card, ${p.profile} profile)` : ' (from PKCS#11 flags)'}`,
    `  PIN length: ${p.minPinLength} to ${p.maxPinLength} characters${p.pinpad ? '; typed on the reader\'s PIN pad' : ''}${p.mustChange ? '; must be changed before use' : ''}`,
    `  ${report.unblockStyle === 'puk' ? 'PUK' : 'PUK / administrator (SO) PIN'}: ${describeCounter(report.puk)}`,
  ]
  if (p.locked) lines.push(`  The PIN is locked: unblock it with the PUK (paraphe pin unblock --token "${report.token.label}") or ask the card issuer.`)
  else if (p.finalTry || p.triesLeft === 1) lines.push('  Careful: a wrong PIN now locks it.')
  return lines.join('\n')
}

function outcome(io: CliIo, label: string, status: PinStatus, json: boolean, done: string, pin: 'user' | 'puk'): number {
  if (json) io.out(JSON.stringify(status, null, 2))
  if (status.status === 'ok') {
    if (!json) io.out(done)
    return 0
  }
  io.err(`paraphe pin: ${pinStatusError(label, status, pin).message}`)
  return PIN_FAILURE_EXIT
}

export const pinCommand: CliCommand = {
  name: 'pin',
  usage: [
    'paraphe pin status  --token LABEL [--serial S] [--module PATH]... [--json]',
    '       paraphe pin change   --token LABEL [--pin-stdin] [--confirm-last-try] [--json]',
    '       paraphe pin unblock  --token LABEL [--style puk|so-pin] [--pin-stdin] [--confirm-last-try] [--json]',
    'PINs: hidden prompt on a terminal, --pin-stdin (one a line: change = current, new; unblock = PUK, new),',
    'or PARAPHE_PIN / PARAPHE_PUK / PARAPHE_NEW_PIN. Exit 3 when a PIN is refused or not attempted.',
  ].join('\n'),
  async run(args, io) {
    const { values: opts, positionals } = parse(args)
    const [action, ...extra] = positionals
    if (!action || !['status', 'change', 'unblock'].includes(action) || extra.length > 0) {
      throw new CliError('say what to do: paraphe pin status|change|unblock --token LABEL')
    }
    if (!opts.token && !opts.serial) throw new CliError('choose the token with --token LABEL (see paraphe tokens)')
    if (opts.style !== undefined && opts.style !== 'puk' && opts.style !== 'so-pin') throw new CliError('--style is puk or so-pin')
    const located = locateToken({ tokenLabel: opts.token, tokenSerial: opts.serial, modules: opts.module ?? [], env: io.env, builtin: !opts['no-builtin'] })
    const selector = { modulePath: located.modulePath, tokenLabel: located.identity.label, tokenSerial: located.identity.serialNumber, env: io.env }
    if (action === 'status') {
      const report = await readPinStatus(selector)
      io.out(opts.json ? JSON.stringify(pinStatusJson(report), null, 2) : statusText(report))
      return 0
    }
    const provider = cliPinProvider(io, { pinStdin: opts['pin-stdin'], confirmLastTry: opts['confirm-last-try'] })
    try {
      if (action === 'change') {
        return outcome(io, located.identity.label, await changePin({ ...selector, pinProvider: provider }), opts.json, 'PIN changed.', 'user')
      }
      const style = opts.style as UnblockStyle | undefined
      const status = await unblockPin({ ...selector, pinProvider: provider, ...(style ? { style } : {}) })
      return outcome(io, located.identity.label, status, opts.json, 'PIN unblocked: the new PIN is set and its tries are back to the full count.', status.status === 'incorrect' || status.status === 'locked' ? 'puk' : 'user')
    } finally {
      provider.dispose()
    }
  },
}
