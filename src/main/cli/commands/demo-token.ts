import { DemoTokenUnavailable, provisionDemoToken } from '../../core/token/demo-token'
import { CliError, type CliCommand } from '../cli-error'

export const demoTokenCommand: CliCommand = {
  name: 'demo-token',
  usage: 'paraphe demo-token',
  async run(args, io) {
    if (args.length > 0) throw new CliError(`unexpected argument "${args[0]}"`)
    try {
      const r = await provisionDemoToken(io.env)
      io.out(
        r.created
          ? `Created the demo token "${r.label}" (PIN ${r.pin}). Its certificate is a demonstration certificate, not RGS: no legal value.\nSoftHSM2 configuration: ${r.conf}`
          : `The demo token "${r.label}" already exists (PIN ${r.pin}).\nSoftHSM2 configuration: ${r.conf}`,
      )
      return 0
    } catch (err) {
      if (err instanceof DemoTokenUnavailable) throw new CliError(err.message)
      throw err
    }
  },
}
