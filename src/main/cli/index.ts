/**
 * `paraphe` command line: plain Node over the same core as the desktop app (no electron import).
 * Exit codes: 0 ok, 1 a check failed (verify), 2 usage or I/O error (one line on stderr).
 */
import { PARAPHE_VERSION } from '../core/version'
import { applyDemoTokenEnvironment } from '../core/token/demo-token'
import { CliError, type CliCommand, type CliIo } from './cli-error'

/**
 * The commands, loaded on demand: each one pulls its own engine (PDF, XML, CMS, PKCS#11), and
 * `paraphe --help` or `paraphe tokens` should not pay for all of them.
 */
export interface CommandEntry {
  name: string
  summary: string
  load: () => Promise<CliCommand>
}

export const COMMANDS: CommandEntry[] = [
  { name: 'tokens', summary: 'list PKCS#11 modules, slots, tokens and their certificates', load: () => import('./commands/tokens').then((m) => m.tokensCommand) },
  { name: 'certs', summary: 'certificates on the tokens in plain words (validity, policy level, qualified), and export', load: () => import('./commands/certs').then((m) => m.certsCommand) },
  { name: 'pin', summary: 'PIN tries left, PIN change and PUK unblock (status | change | unblock)', load: () => import('./commands/pin').then((m) => m.pinCommand) },
  { name: 'sign', summary: 'sign files (PAdES, CAdES, XAdES, PES) with a token; one PIN for all files', load: () => import('./commands/sign').then((m) => m.signCommand) },
  { name: 'verify', summary: 'verify the signatures of a file (PDF, XML/PES, .p7s/.p7m, ASiC, ODF): integrity, signer, time, trust', load: () => import('./commands/verify').then((m) => m.verifyCommand) },
  { name: 'journal', summary: 'show the local journal of signatures made, and check that it was not altered', load: () => import('./commands/journal').then((m) => m.journalCommand) },
  { name: 'demo-token', summary: 'create the SoftHSM2 demonstration token "Paraphe Démo" (not RGS) in your app data', load: () => import('./commands/demo-token').then((m) => m.demoTokenCommand) },
]

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    `paraphe ${PARAPHE_VERSION}: sign and verify documents with a smart card or USB token`,
    '',
    'Usage: paraphe <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options: --help, --version. `paraphe <command> --help` shows the command usage.',
    'PKCS#11 modules: --module PATH, PARAPHE_PKCS11_MODULES (path-separated), then the built-in list.',
  ].join('\n')
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(helpText())
    return first === undefined ? 2 : 0
  }
  if (first === '--version' || first === '-V') {
    io.out(PARAPHE_VERSION)
    return 0
  }
  const entry = COMMANDS.find((c) => c.name === first)
  if (!entry) {
    io.err(`paraphe: unknown command "${first}" (see paraphe --help)`)
    return 2
  }
  const command = await entry.load()
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}\n${entry.summary}`)
    return 0
  }
  try {
    applyDemoTokenEnvironment(io.env)
    return await command.run(rest, io)
  } catch (err) {
    if (err instanceof CliError) {
      io.err(`paraphe ${command.name}: ${err.message}`)
      return err.exitCode
    }
    const message = err instanceof Error ? err.message : String(err)
    io.err(`paraphe ${command.name}: ${message.split('\n')[0]}`)
    return 2
  }
}

// Entry point when run as a program (bin/paraphe.js requires the built bundle and calls this).
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    env: process.env,
    stdin: process.stdin,
    isTty: Boolean(process.stdin.isTTY),
  })
  // Exit explicitly once the output is flushed: native handles that stay open by design (the shared
  // PC/SC context, a PKCS#11 module's threads) must not keep a finished command alive.
  process.exitCode = code
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()))
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()))
  process.exit(code)
}
