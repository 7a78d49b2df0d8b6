/**
 * The format a file is signed in when none is given: PDF -> pades, PES_Aller -> pes, other XML ->
 * xades (enveloped), a CMS signature -> CAdES co-signature, anything else -> cades (detached).
 * Only the first 64 KiB are read.
 */
import { open } from 'node:fs/promises'
import type { SignFormat } from './output'

export interface DetectedFormat {
  format: SignFormat
  /** the input is itself a CAdES signature: sign means co-sign */
  cosignature: boolean
  /** for XML: the root element's local name */
  rootElement?: string
  reason: string
}

const HEAD_BYTES = 64 * 1024

export async function readHead(path: string, bytes = HEAD_BYTES): Promise<Uint8Array> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(bytes)
    const { bytesRead } = await fh.read(buf, 0, bytes, 0)
    return new Uint8Array(buf.subarray(0, bytesRead))
  } finally {
    await fh.close()
  }
}

/** Root element name of an XML document (prolog, comments, PIs and DOCTYPE skipped), or undefined. */
export function xmlRootElement(head: Uint8Array): string | undefined {
  let text = Buffer.from(head).toString('latin1')
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3) // UTF-8 BOM read as latin1
  let i = 0
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++
  }
  for (;;) {
    skipSpace()
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i)
      if (end < 0) return undefined
      i = end + 2
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i)
      if (end < 0) return undefined
      i = end + 3
    } else if (text.startsWith('<!DOCTYPE', i)) {
      // internal subset in brackets
      let depth = 0
      for (; i < text.length; i++) {
        if (text[i] === '[') depth++
        else if (text[i] === ']') depth--
        else if (text[i] === '>' && depth <= 0) break
      }
      i++
    } else break
  }
  if (text[i] !== '<') return undefined
  const m = /^<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)[\s/>]/.exec(text.slice(i, i + 300))
  return m?.[1]
}

function isCms(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1')
  if (/-----BEGIN (PKCS7|CMS)-----/.test(text)) return true
  const signedDataOid = Buffer.from('06092a864886f70d010702', 'hex')
  return head[0] === 0x30 && Buffer.from(head.subarray(0, 16)).includes(signedDataOid)
}

export function detectFormatFromHead(head: Uint8Array): DetectedFormat {
  const start = Buffer.from(head.subarray(0, 1024)).toString('latin1')
  // a PDF header may follow some junk (readers accept it within 1024 bytes), but not an XML prolog
  const looksXml = /^(\u00ef\u00bb\u00bf)?\s*</.test(start)
  if (!looksXml && start.includes('%PDF-')) return { format: 'pades', cosignature: false, reason: 'PDF file' }
  if (isCms(head)) return { format: 'cades', cosignature: true, reason: 'CAdES/CMS signature: a co-signature is added' }
  const root = xmlRootElement(head)
  if (root) {
    const local = root.includes(':') ? root.split(':')[1]! : root
    if (local === 'PES_Aller') return { format: 'pes', cosignature: false, rootElement: local, reason: 'PES_Aller file (PES V2)' }
    return { format: 'xades', cosignature: false, rootElement: local, reason: `XML file (root element ${local})` }
  }
  return { format: 'cades', cosignature: false, reason: 'other file: detached CAdES signature' }
}

export async function detectFormat(path: string): Promise<DetectedFormat> {
  return detectFormatFromHead(await readHead(path))
}
