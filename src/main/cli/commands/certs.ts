/**
 * `paraphe certs`: the certificates on the present tokens, in plain words for IT staff (holder,
 * issuer, validity and days left, usage, policies with CA and level, qualified status, key), and
 * export of one certificate (PEM or DER). No PIN is asked.
 */
import { resolve } from 'node:path'
import type { CertificateDetails, TokenDetails } from '../../../shared/model/token-details'
import { exportCertificate } from '../../core/token/certificate-details'
import { listTokenDetails } from '../../core/token/token-details'
import { parseCliArgs, TOKEN_CHOICE_OPTIONS } from '../cli-args'
import { CliError, type CliCommand } from '../cli-error'

function parse(args: string[]) {
  return parseCliArgs({
    args,
    options: {
      ...TOKEN_CHOICE_OPTIONS,
      export: { type: 'string' },
      out: { type: 'string', short: 'o' },
      der: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  }).values
}

function certLines(c: CertificateDetails): string[] {
  const validity = c.validNow ? `${c.daysLeft} days left` : c.daysLeft < 0 ? `EXPIRED ${-c.daysLeft} days ago` : 'not valid yet'
  const qc = c.qcStatements
  const qualified = qc
    ? `${qc.qualified ? 'qualified (eIDAS)' : 'not declared qualified'}${qc.qscd ? ', key in a qualified device (QSCD)' : ''}${qc.types.length ? `, type ${qc.types.join('/')}` : ''}`
    : 'no QCStatements (not a qualified certificate)'
  const key = c.key
  const keyText = [
    `${c.publicKey.type}${c.publicKey.bits ? ` ${c.publicKey.bits} bits` : ''}${c.publicKey.curve ? ` ${c.publicKey.curve}` : ''}`,
    key?.privateKeyVisible
      ? [
          key.sign === false ? 'cannot sign' : null,
          key.alwaysAuthenticate ? 'PIN asked for every signature' : null,
          key.extractable === false ? 'not extractable' : key.extractable ? 'EXTRACTABLE' : null,
          key.sensitive ? 'sensitive' : null,
        ]
          .filter(Boolean)
          .join(', ')
      : c.hasPrivateKey
        ? 'private key on the token (its attributes show after login)'
        : 'no private key on the token',
  ]
    .filter(Boolean)
    .join('; ')
  return [
    `  [${c.id || '-'}] ${c.subjectCommonName ?? c.subject}${c.organization ? `, ${c.organization}` : ''}`,
    `      issuer: ${c.issuerCommonName ?? c.issuer}${c.issuerOnToken ? ' (also on the token)' : ''}; serial ${c.serialNumber}`,
    `      valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)} (${validity})`,
    `      usage: ${c.signatureCertificate ? 'signature (nonRepudiation)' : 'NOT for signing documents (no nonRepudiation)'}; key usage ${c.keyUsage.join(', ') || 'none'}${c.extendedKeyUsage.length ? `; extended: ${c.extendedKeyUsage.join(', ')}` : ''}`,
    ...(c.policies.length
      ? c.policies.map((p) => `      policy ${p.oid}: ${p.name ?? 'unknown policy'}${p.ca ? ` (${p.ca})` : ''}${p.level ? ` - level ${p.level}` : ''}`)
      : ['      policy: none stated']),
    `      ${qualified}`,
    `      key: ${keyText}`,
    `      sha256 ${c.sha256}`,
  ]
}

export function formatTokenDetails(tokens: TokenDetails[]): string {
  if (tokens.length === 0) return 'no token present (see paraphe tokens for modules and readers)'
  const lines: string[] = []
  for (const t of tokens) {
    lines.push(`token "${t.label}" (${t.manufacturer} ${t.model}, serial ${t.serialNumber}) via ${t.modulePath}`)
    lines.push(`  PIN ${t.minPinLength} to ${t.maxPinLength} characters${t.pinpad ? ', typed on the reader\'s PIN pad' : ''}; signing mechanisms: ${t.mechanisms.filter((m) => m.sign).map((m) => m.name).join(', ') || 'none listed'}`)
    if (t.error) lines.push(`  ! ${t.error}`)
    if (t.certificates.length === 0) lines.push('  no certificate')
    for (const c of t.certificates) lines.push(...certLines(c))
  }
  return lines.join('\n')
}

export const certsCommand: CliCommand = {
  name: 'certs',
  usage: [
    'paraphe certs [--token LABEL] [--serial S] [--module PATH]... [--no-builtin] [--json]',
    '       paraphe certs --token LABEL --export ID --out FILE [--der] [--force]',
  ].join('\n'),
  async run(args, io) {
    const opts = parse(args)
    const tokens = await listTokenDetails({
      modules: opts.module ?? [],
      env: io.env,
      builtin: !opts['no-builtin'],
      ...(opts.token !== undefined ? { tokenLabel: opts.token } : {}),
      ...(opts.serial !== undefined ? { tokenSerial: opts.serial } : {}),
    })
    if (opts.export !== undefined) {
      if (!opts.out) throw new CliError('--export needs --out FILE')
      if (tokens.length !== 1) throw new CliError(tokens.length === 0 ? 'no such token is present' : `${tokens.length} tokens are present: choose one with --token (or --serial)`)
      const matches = tokens[0]!.certificates.filter((c) => c.id === opts.export!.toLowerCase() || c.sha256 === opts.export!.toLowerCase())
      if (matches.length !== 1) throw new CliError(matches.length === 0 ? `no certificate with id ${opts.export} on "${tokens[0]!.label}"` : `several certificates have id ${opts.export}; use the sha256 instead`)
      const path = resolve(opts.out)
      exportCertificate(Buffer.from(matches[0]!.der, 'base64'), opts.der ? 'der' : 'pem', path, { overwrite: opts.force })
      io.out(opts.json ? JSON.stringify({ exported: path, format: opts.der ? 'der' : 'pem', sha256: matches[0]!.sha256 }) : `written ${path}`)
      return 0
    }
    if (opts.token !== undefined && tokens.length === 0) throw new CliError(`no token "${opts.token}" is present (see paraphe tokens)`)
    io.out(opts.json ? JSON.stringify({ tokens }, null, 2) : formatTokenDetails(tokens))
    return 0
  },
}
