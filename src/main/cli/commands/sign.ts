/**
 * `paraphe sign FILE... --token LABEL`: sign files with a token, one PIN for the batch.
 * Exit codes: 0 all files signed, 1 some files not signed (see the report), 2 usage or I/O error,
 * 3 the PIN was refused (as `paraphe pin`).
 */
import { existsSync, statSync } from 'node:fs'
import { createNodeHttpClient } from '../../core/net/http'
import type { BatchEvent, BatchItem, BatchReport } from '../../core/sign/batch/run-batch'
import { SIGNATURE_LEVELS, type FormatSignOptions, type SignatureLevel } from '../../core/sign/formats'
import { defaultJournalPath } from '../../core/sign/journal/journal'
import { SIGN_FORMATS, type SignFormat } from '../../core/sign/output'
import { buildFormatOptions, planSignature, signWithToken, SignPlanError } from '../../core/sign/sign-session'
import { listTokens } from '../../core/token/list-tokens'
import { parseCliArgs } from '../cli-args'
import { CliError, type CliCommand } from '../cli-error'
import { cliPinProvider, PIN_FAILURE_EXIT } from './pin'

const USAGE =
  'paraphe sign FILE... --token LABEL [--key ID] [--module PATH] [--format pades|cades|cades-attached|xades|xades-detached|pes] ' +
  '[--level B-B|B-T|B-LT|B-LTA] [--tsa URL] [--pem] [--visible page,x,y,w,h] [--reason TEXT] [--role TEXT] ' +
  '[--place CITY,POSTCODE,COUNTRY] [--out DIR] [--force] [--pin-stdin] [--confirm-last-try] [--json]'

function parse(args: string[]) {
  return parseCliArgs({
    args,
    options: {
      token: { type: 'string' },
      key: { type: 'string' },
      module: { type: 'string', multiple: true, short: 'm' },
      format: { type: 'string' },
      level: { type: 'string' },
      tsa: { type: 'string' },
      pem: { type: 'boolean', default: false },
      visible: { type: 'string' },
      reason: { type: 'string' },
      role: { type: 'string' },
      place: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      'pin-stdin': { type: 'boolean', default: false },
      'confirm-last-try': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  })
}

function parseVisible(text: string): FormatSignOptions['visible'] {
  const parts = text.split(',').map((p) => Number(p.trim()))
  if (parts.length !== 5 || parts.some((n) => !Number.isFinite(n)) || parts[0]! < 1 || !Number.isInteger(parts[0]) || parts[3]! <= 0 || parts[4]! <= 0) {
    throw new CliError('--visible expects page,x,y,width,height (page from 1, sizes in points, e.g. 1,50,50,200,60)')
  }
  const [page, x, y, width, height] = parts as [number, number, number, number, number]
  return { page, x, y, width, height }
}

function parsePlace(text: string): FormatSignOptions['place'] {
  const [city, postalCode, countryName] = text.split(',').map((p) => p.trim())
  if (!city) throw new CliError('--place expects CITY,POSTCODE,COUNTRY (e.g. "Testville,12345,FR")')
  return { city, postalCode: postalCode || undefined, countryName: countryName || undefined }
}

function findModuleFor(label: string, modules: string[], env: NodeJS.ProcessEnv): string {
  // one module named: the signer finds the token in it (and says so when it is absent)
  if (modules.length === 1) return modules[0]!
  const listing = listTokens({ modules, env, builtin: modules.length === 0 })
  const matches: string[] = []
  for (const m of listing.modules) {
    if (m.status !== 'loaded' || !m.path) continue
    if (m.slots.some((s) => s.token?.label === label)) matches.push(m.path)
  }
  if (matches.length === 0) {
    const seen = listing.modules.flatMap((m) => m.slots.map((s) => s.token?.label).filter(Boolean))
    throw new CliError(`no token labelled "${label}"${seen.length ? ` (found: ${seen.map((l) => `"${l}"`).join(', ')})` : ' (no token found; see paraphe tokens)'}`)
  }
  return matches[0]!
}

function progressLine(e: BatchEvent): string | undefined {
  if (e.type === 'file-done') {
    const r = e.result
    const head = `[${e.index + 1}/${e.total}] ${r.input}`
    if (r.status === 'signed') return `${head} -> ${r.output} (${r.format} ${r.level})${r.notes?.length ? ` - ${r.notes.join('; ')}` : ''}`
    return `${head}: ${r.status.toUpperCase()} - ${r.error ?? ''}`
  }
  return undefined
}

function summary(report: BatchReport): string {
  const parts = [`${report.signed}/${report.total} signed`]
  if (report.failed) parts.push(`${report.failed} failed`)
  if (report.skipped) parts.push(`${report.skipped} not attempted`)
  if (report.cancelled) parts.push(`${report.cancelled} cancelled`)
  return parts.join(', ') + (report.stopped ? ` - stopped: ${report.stopped.message}` : '')
}

export const signCommand: CliCommand = {
  name: 'sign',
  usage: USAGE,
  async run(args, io) {
    const { values: o, positionals: files } = parse(args)
    if (files.length === 0) throw new CliError(`no file to sign\nUsage: ${USAGE}`)
    if (!o.token) throw new CliError('--token LABEL is required (see paraphe tokens)')
    if (o.format !== undefined && !SIGN_FORMATS.includes(o.format as SignFormat)) throw new CliError(`unknown --format ${o.format} (${SIGN_FORMATS.join(', ')})`)
    if (o.level !== undefined && !SIGNATURE_LEVELS.includes(o.level as SignatureLevel)) throw new CliError(`unknown --level ${o.level} (${SIGNATURE_LEVELS.join(', ')})`)
    const level = (o.level ?? 'B-B') as SignatureLevel
    const tsaUrl = o.tsa ?? io.env.PARAPHE_TSA_URL
    if (level !== 'B-B' && !tsaUrl) throw new CliError(`level ${level} needs a timestamp server: --tsa URL (or PARAPHE_TSA_URL)`)
    if (o.out && !(existsSync(o.out) && statSync(o.out).isDirectory())) throw new CliError(`--out ${o.out} is not a folder`)
    const http = createNodeHttpClient()
    // plan: format and output of every file, checked before asking for the PIN
    let items: BatchItem[]
    let options: Omit<FormatSignOptions, 'signal'>
    try {
      items = await planSignature({ files, format: o.format as SignFormat | undefined, level, outDir: o.out, force: o.force })
      options = buildFormatOptions({
        level,
        tsaUrl,
        http,
        // without --pem a co-signature keeps the form (PEM or DER) of the file it extends
        pem: o.pem || undefined,
        force: o.force,
        visible: o.visible ? parseVisible(o.visible) : undefined,
        reason: o.reason,
        role: o.role,
        place: o.place ? parsePlace(o.place) : undefined,
      })
    } catch (err) {
      if (err instanceof SignPlanError) throw new CliError(err.message.replace('(choose to replace it, or another folder)', '(use --force to replace it)'))
      throw err
    }

    const modulePath = findModuleFor(o.token, o.module ?? [], io.env)
    // the same PIN sources as `paraphe pin` (PARAPHE_PIN, --pin-stdin, hidden prompt; never retried)
    const pinProvider = cliPinProvider(io, { pinStdin: o['pin-stdin'], confirmLastTry: o['confirm-last-try'] })
    const controller = new AbortController()
    const onSigint = () => controller.abort()
    process.once('SIGINT', onSigint)
    try {
      const report = await signWithToken({
        items,
        options,
        token: { modulePath, tokenLabel: o.token, keyId: o.key },
        pinProvider,
        http,
        journalPath: defaultJournalPath(io.env),
        signal: controller.signal,
        onEvent: (e) => {
          if (o.json) return
          if (e.type === 'start' && e.pinPerSignature) io.err(`This key asks for the PIN before every signature: ${e.total} PIN entries will be needed.`)
          const line = progressLine(e)
          if (line) io.err(line)
        },
      })
      if (o.json) io.out(JSON.stringify(report, null, 2))
      else io.out(summary(report))
      if (report.stopped?.reason === 'pin') return PIN_FAILURE_EXIT
      return report.signed === report.total ? 0 : 1
    } catch (err) {
      // opening the token (login) failed on the PIN: as `paraphe pin`
      const code = (err as { code?: unknown }).code
      if (typeof code === 'string' && code.startsWith('PIN_')) throw new CliError((err as Error).message, PIN_FAILURE_EXIT)
      throw err
    } finally {
      process.off('SIGINT', onSigint)
    }
  },
}
