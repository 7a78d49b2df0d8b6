/**
 * `paraphe` command line: plain Node over the same core as the desktop app (no electron import).
 * Exit codes: 0 ok, 1 a check failed (verify), 2 usage or I/O error (one line on stderr).
 */
import { PARAPHE_VERSION } from '../core/version'
import { applyDemoTokenEnvironment } from '../core/token/demo-token'
import { CliError, type CliCommand, type CliIo } from './cli-error'
import { tokensCommand } from './commands/tokens'
import { demoTokenCommand } from './commands/demo-token'
import { verifyCommand } from './commands/verify'
import { signCommand } from './commands/sign'
import { journalCommand } from './commands/journal'
import { certsCommand } from './commands/certs'
import { pinCommand } from './commands/pin'

export const COMMANDS: CliCommand[] = [tokensCommand, demoTokenCommand, verifyCommand, signCommand, journalCommand, certsCommand, pinCommand]

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
  const command = COMMANDS.find((c) => c.name === first)
  if (!command) {
    io.err(`paraphe: unknown command "${first}" (see paraphe --help)`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}\n${command.summary}`)
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
  process.exitCode = code
}
