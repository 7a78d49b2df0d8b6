/** `paraphe journal [--json]`: the local signature journal, with its integrity check. */
import { defaultJournalPath, verifyJournal, type JournalEntry } from '../../core/sign/journal/journal'
import { parseCliArgs } from '../cli-args'
import type { CliCommand } from '../cli-error'

function line(e: JournalEntry): string {
  const out = e.output ? ` -> ${e.output.path}` : ''
  const err = e.error ? ` (${e.error})` : ''
  return `${e.seq}. ${e.time}  ${e.outcome.toUpperCase()}  ${e.format} ${e.level}  ${e.input.path}${out}${err}\n     input sha256 ${e.input.sha256}${e.output ? `  output sha256 ${e.output.sha256}` : ''}\n     certificate ${e.certificate.subject} (serial ${e.certificate.serialNumber})`
}

export const journalCommand: CliCommand = {
  name: 'journal',
  usage: 'paraphe journal [--file PATH] [--json]',
  async run(args, io) {
    const { values } = parseCliArgs({ args, options: { json: { type: 'boolean', default: false }, file: { type: 'string' } } })
    const path = values.file ?? defaultJournalPath(io.env)
    const check = await verifyJournal(path)
    if (values.json) {
      io.out(JSON.stringify({ path, intact: check.ok, problems: check.problems, entries: check.entries }, null, 2))
    } else {
      if (check.entries.length === 0 && check.problems.length === 0) io.out(`no signature recorded yet (${path})`)
      for (const e of check.entries) io.out(line(e))
      io.out(check.ok ? `journal intact: ${check.entries.length} entries (${path})` : `JOURNAL ALTERED (${path}):`)
      for (const p of check.problems) io.out(`  ${p.line ? `line ${p.line}: ` : ''}${p.message}`)
    }
    return check.ok ? 0 : 1
  },
}
