import { parseCliArgs } from '../cli-args'
import { CliError, type CliCommand } from '../cli-error'

// The verification engine (pdf-lib, pkijs, XML stack) is loaded when the command runs, so the
// other commands do not pay for it at startup.
async function engine() {
  const [{ createNodeHttpClient }, verify, { reportText }, { writeReportPdf }, { OutputExistsError }] = await Promise.all([
    import('../../core/net/http'),
    import('../../core/verify/index'),
    import('../../../shared/verification-text/report-text'),
    import('../../core/verify/report-pdf'),
    import('../../core/files/atomic-write'),
  ])
  return { createNodeHttpClient, ...verify, reportText, writeReportPdf, OutputExistsError }
}

function parse(args: string[]) {
  return parseCliArgs({
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
      lang: { type: 'string', default: 'fr' },
    },
    allowPositionals: true,
  })
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  usage:
    'paraphe verify FILE [--content FILE] [--trust PEM]... [--trusted-list TL.xml]... [--trusted-list-signer PEM]... [--offline] [--json] [--extract OUT] [--report-pdf OUT] [--lang fr|en] [--force]',
  async run(args, io) {
    const { values: o, positionals } = parse(args)
    if (positionals.length !== 1) throw new CliError(`expected exactly one FILE to verify (got ${positionals.length})`)
    const file = positionals[0]!
    const lang = o.lang
    if (lang !== 'fr' && lang !== 'en') throw new CliError(`--lang takes fr or en (got "${String(lang).slice(0, 20)}")`)
    const { createNodeHttpClient, createVerificationContext, exitCodeFor, verifyFile, VerifyInputError, reportText, writeReportPdf, OutputExistsError } = await engine()
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
        await writeReportPdf(report, o['report-pdf'], o.force === true, lang)
      } catch (err) {
        throw new CliError(`cannot write the PDF report: ${(err as Error).message}`)
      }
    }
    io.out(o.json ? JSON.stringify(report, null, 2) : reportText(report, lang))
    return exitCodeFor(report)
  },
}
