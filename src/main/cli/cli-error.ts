/** A usage or I/O error: the CLI prints its message on one line to stderr and exits with `exitCode`. */
export class CliError extends Error {
  override name = 'CliError'
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message)
  }
}

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  env: NodeJS.ProcessEnv
  /** standard input, for --pin-stdin and similar; absent when not available */
  stdin?: NodeJS.ReadableStream
  isTty: boolean
}

export interface CliCommand {
  name: string
  usage: string
  run(args: string[], io: CliIo): Promise<number>
}
