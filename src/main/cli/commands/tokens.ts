import { listTokens } from '../../core/token/list-tokens'
import type { ModuleReport, TokenInfo } from '../../../shared/model/token'
import { parseCliArgs, TOKEN_CHOICE_OPTIONS } from '../cli-args'
import type { CliCommand } from '../cli-error'

function parse(args: string[]) {
  const { module, json, 'no-builtin': noBuiltin } = TOKEN_CHOICE_OPTIONS
  return parseCliArgs({ args, options: { module, json, 'no-builtin': noBuiltin } }).values
}

function tokenLines(token: TokenInfo): string[] {
  const f = token.flags
  const pinState = f.userPinLocked ? 'PIN LOCKED' : f.userPinFinalTry ? 'PIN: final try' : f.userPinCountLow ? 'PIN: wrong entries seen' : 'PIN ok'
  const lines = [
    `    token "${token.label}"  ${token.manufacturer} ${token.model}  serial ${token.serialNumber}  ${pinState}${f.protectedAuthenticationPath ? '  (PIN on reader pad)' : ''}`,
  ]
  if (token.error) lines.push(`      ! ${token.error}`)
  if (token.certificates.length === 0) lines.push('      no certificate')
  for (const c of token.certificates) {
    const key = c.hasPrivateKey ? 'key+cert' : 'cert'
    lines.push(`      [${c.id || '-'}] ${key}  ${c.subjectCommonName ?? c.subject}  (issuer ${c.issuerCommonName ?? c.issuer}, valid until ${c.notAfter.slice(0, 10)})`)
  }
  return lines
}

export function formatListing(modules: ModuleReport[]): string {
  const lines: string[] = []
  for (const m of modules) {
    if (m.status !== 'loaded') {
      lines.push(`${m.name}: ${m.status === 'not-installed' ? 'not installed' : 'failed'} - ${m.reason ?? ''}`)
      continue
    }
    lines.push(`${m.name}: ${m.path} (${m.library?.manufacturer ?? '?'} ${m.library?.version ?? ''})`)
    if (m.slots.length === 0) lines.push('  no slot (no reader or token)')
    for (const s of m.slots) {
      lines.push(`  slot ${s.slotId}: ${s.description}${s.tokenPresent ? '' : ' (empty)'}`)
      if (s.token) lines.push(...tokenLines(s.token))
    }
  }
  return lines.join('\n')
}

export const tokensCommand: CliCommand = {
  name: 'tokens',
  usage: 'paraphe tokens [--module PATH]... [--no-builtin] [--json]',
  async run(args, io) {
    const opts = parse(args)
    const listing = listTokens({ modules: opts.module ?? [], env: io.env, builtin: !opts['no-builtin'] })
    io.out(opts.json ? JSON.stringify(listing, null, 2) : formatListing(listing.modules))
    return 0
  },
}
