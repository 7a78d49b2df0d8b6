import { parseArgs } from 'node:util'
import { CliError, type CliCommand } from '../cli-error'

// The verification engine (pdf-lib, pkijs, XML stack) is loaded when the command runs, so the
// other commands do not pay for it at startup.
async function engine() {
  const [{ createNodeHttpClient }, verify, { reportTextFr }, { writeReportPdf }, { OutputExistsError }] = await Promise.all([
    import('../../core/net/http'),
    import('../../core/verify/index'),
    import('../../core/verify/report-fr'),
    import('../../core/verify/report-pdf'),
    import('../../core/verify/write-output'),
  ])
  return { createNodeHttpClient, ...verify, reportTextFr, writeReportPdf, OutputExistsError }
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        content: { type: 'string' },
        trust: { type: 'string', multiple: true },
        'trusted-list': { type: 'string', multiple: true },
        'trusted-list-signer': { type: 'string', multiple: true },
        'no-bundled-anchors': { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        extract: { type: 'string' },
        'report-pdf': { type: 'string' },
        force: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    })
  } catch (err) {
    throw new CliError((err as Error).message)
  }
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  usage:
    'paraphe verify FILE [--content FILE] [--trust PEM]... [--trusted-list TL.xml]... [--trusted-list-signer PEM]... [--offline] [--json] [--extract OUT] [--report-pdf OUT] [--force]',
  async run(args, io) {
    const { values: o, positionals } = parse(args)
    if (positionals.length !== 1) throw new CliError(`expected exactly one FILE to verify (got ${positionals.length})`)
    const file = positionals[0]!
    const { createNodeHttpClient, createVerificationContext, exitCodeFor, verifyFile, VerifyInputError, reportTextFr, writeReportPdf, OutputExistsError } = await engine()
    let ctx
    try {
      ctx = createVerificationContext({
        offline: o.offline === true,
        ...(o.offline ? {} : { http: createNodeHttpClient({ timeoutMs: 10_000 }) }),
        trustFiles: o.trust ?? [],
        trustedListFiles: o['trusted-list'] ?? [],
        trustedListSigners: o['trusted-list-signer'] ?? [],
        bundledAnchors: o['no-bundled-anchors'] !== true,
      })
    } catch (err) {
      throw new CliError((err as Error).message)
    }
    let report
    try {
      report = await verifyFile(file, {
        ctx,
        ...(o.content ? { content: o.content } : {}),
        ...(o.extract ? { extractTo: o.extract } : {}),
        overwrite: o.force === true,
      })
    } catch (err) {
      if (err instanceof VerifyInputError || err instanceof OutputExistsError) throw new CliError(err.message)
      throw new CliError((err as Error).message)
    }
    if (o['report-pdf']) {
      try {
        await writeReportPdf(report, o['report-pdf'], o.force === true)
      } catch (err) {
        throw new CliError(`cannot write the PDF report: ${(err as Error).message}`)
      }
    }
    io.out(o.json ? JSON.stringify(report, null, 2) : reportTextFr(report))
    return exitCodeFor(report)
  },
}
