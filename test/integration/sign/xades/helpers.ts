// xmlsec1 as the independent verifier of our XML signatures, and small readers for the outputs.
import { runStatus } from '../../../support/util'

export interface XmlsecTrust {
  rootPem: string
  intermediatePem: string
}

/** Attributes xmlsec1 must treat as XML IDs for our references to resolve. */
const ID_ATTRS = [
  'Bordereau',
  'PES_Aller',
  'http://www.w3.org/2000/09/xmldsig#:Signature',
  'http://www.w3.org/2000/09/xmldsig#:Object',
  'http://uri.etsi.org/01903/v1.1.1#:SignedProperties',
  'http://uri.etsi.org/01903/v1.3.2#:SignedProperties',
].flatMap((a) => ['--id-attr:Id', a])

/**
 * `xmlsec1 --verify` of one signature (the one with Id `nodeId`, or the first one), chain checked
 * against the test root. `urlMap` maps a detached reference URI to a local file.
 */
export async function xmlsecVerify(file: string, trust: XmlsecTrust, opts: { nodeId?: string; urlMap?: Record<string, string> } = {}) {
  const args = ['--verify', ...ID_ATTRS, '--trusted-pem', trust.rootPem, '--untrusted-pem', trust.intermediatePem]
  for (const [url, path] of Object.entries(opts.urlMap ?? {})) args.push(`--url-map:${url}`, path)
  if (opts.nodeId) args.push('--node-id', opts.nodeId)
  args.push(file)
  const r = await runStatus('xmlsec1', args)
  return { ok: r.code === 0 && /^OK$/m.test(r.stderr + r.stdout), output: r.stderr + r.stdout }
}

/** Text content of the first element `prefix:name` in an XML string (simple outputs only). */
export function firstText(xml: string, qname: string): string | undefined {
  const m = new RegExp(`<${qname}(?:\\s[^>]*)?>([^<]*)</${qname}>`).exec(xml)
  return m?.[1]
}
