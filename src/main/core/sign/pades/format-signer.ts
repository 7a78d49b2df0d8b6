/** PAdES behind the format registry (src/main/core/sign/formats.ts): CLI, batch and app options. */
import type { FormatSigner } from '../formats'
import { signPdf } from './index'

export const padesFormatSigner: FormatSigner = async (input, output, o, signer) => {
  const place = o.place ? [o.place.city, o.place.postalCode].filter(Boolean).join(' ') || o.place.countryName : undefined
  const r = await signPdf({
    input,
    output,
    signer,
    level: o.level,
    timestamp: o.timestamp,
    revocationFetcher: o.revocation,
    reason: o.reason,
    location: place,
    visible: o.visible ? { page: o.visible.page, rect: [o.visible.x, o.visible.y, o.visible.width, o.visible.height] } : undefined,
    overwrite: o.force,
    signingTime: o.signingTime,
    signal: o.signal,
  })
  return {
    outputPath: r.output,
    format: 'pades',
    level: r.level,
    inputSha256: r.inputDigest,
    notes: [`field ${r.fieldName}`],
  }
}
