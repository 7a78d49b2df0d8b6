/** PEM/DER helpers for certificates and CRLs read from files (hostile input: clear errors, no crash). */

/** All base64 blocks of a PEM text with the given labels (default: any label), as DER. */
export function pemBlocks(text: string, labels?: readonly string[]): Array<{ label: string; der: Uint8Array }> {
  const out: Array<{ label: string; der: Uint8Array }> = []
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const label = m[1]!
    if (labels && !labels.includes(label)) continue
    const b64 = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error(`PEM block ${label} is not valid base64`)
    out.push({ label, der: new Uint8Array(Buffer.from(b64, 'base64')) })
  }
  return out
}

/** Certificates from a file content: PEM (one or more CERTIFICATE blocks) or a single DER certificate. */
export function certificatesFromFile(bytes: Uint8Array): Uint8Array[] {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096))).toString('latin1')
  if (head.includes('-----BEGIN')) {
    const blocks = pemBlocks(Buffer.from(bytes).toString('latin1'), ['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE'])
    if (blocks.length === 0) throw new Error('no CERTIFICATE block in this PEM file')
    return blocks.map((b) => b.der)
  }
  if (bytes[0] !== 0x30) throw new Error('neither PEM nor DER (a DER certificate starts with a SEQUENCE)')
  return [bytes]
}
