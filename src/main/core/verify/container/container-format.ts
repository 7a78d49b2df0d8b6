/** Registers the ZIP container verifier (ASiC, signed OpenDocument) with the verification registry. */
import { registerFormatVerifier } from '../registry'
import { verifyContainerFile } from './verify-container'

registerFormatVerifier({
  id: 'container',
  detect: (head) => head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04,
  verify: (path, _opts, ctx) => verifyContainerFile(path, ctx),
})
