/** Registers the XML / XAdES / PES verifier with the verification registry. */
import { registerFormatVerifier } from '../registry'
import { verifyXmlFile } from './verify-xml'

/** An XML document: optional BOM and whitespace, then '<'. */
export function looksLikeXml(head: Buffer): boolean {
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++
  return i < head.length && head[i] === 0x3c
}

registerFormatVerifier({
  id: 'xml',
  detect: (head) => looksLikeXml(head),
  verify: (path, opts, ctx) => verifyXmlFile(path, ctx, { content: opts.content }),
})
