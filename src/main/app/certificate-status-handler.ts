// IPC handler of the certificate status check (Sign screen: is the chosen certificate revoked?).
// Thin: validated input in, one core call, plain data out. No electron import.
import type { InvokeInput, InvokeValue } from '../../shared/contract'
import { createNodeHttpClient } from '../core/net/http'
import { checkCertificateStatus } from '../core/x509/certificate-status'
import type { WorkflowDeps } from './workflow-handlers'

export interface CertificateStatusHandlers {
  certificateStatus(input: InvokeInput<'certificateStatus'>): Promise<InvokeValue<'certificateStatus'>>
}

export function createCertificateStatusHandlers(deps: Pick<WorkflowDeps, 'http' | 'trustFiles' | 'now' | 'statusTimeoutMs'>): CertificateStatusHandlers {
  const http = deps.http ?? createNodeHttpClient()
  const der = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'))
  return {
    certificateStatus: (input) =>
      checkCertificateStatus(der(input.certificate), (input.tokenCertificates ?? []).map(der), {
        http,
        trustFiles: deps.trustFiles?.() ?? [],
        ...(deps.statusTimeoutMs ? { timeoutMs: deps.statusTimeoutMs } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      }),
  }
}
