/** Command-line parsing shared by the commands: node's parseArgs, strict, its errors as usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CliError } from './cli-error'

export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config })
  } catch (err) {
    throw new CliError((err as Error).message)
  }
}

/** How the token commands (tokens, certs, pin) are told which modules and token to use. */
export const TOKEN_CHOICE_OPTIONS = {
  token: { type: 'string', short: 't' },
  serial: { type: 'string' },
  module: { type: 'string', multiple: true, short: 'm' },
  'no-builtin': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const
