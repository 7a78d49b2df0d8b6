// Reads SignerInfos of a CMS signature with pkijs (an implementation independent of ours).
import * as asn1js from 'asn1js';
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

const ab = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

export function parseSignedData(der: Uint8Array): pkijs.SignedData {
  const ci = pkijs.ContentInfo.fromBER(ab(der));
  return new pkijs.SignedData({ schema: ci.content });
}

/** For each SignerInfo with a signature timestamp: the token DER and the SignatureValue it covers. */
export function extractTimestampTokens(der: Uint8Array): { token: Uint8Array; signatureValue: Uint8Array }[] {
  const sd = parseSignedData(der);
  const out: { token: Uint8Array; signatureValue: Uint8Array }[] = [];
  for (const si of sd.signerInfos) {
    const attr = si.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
    if (!attr) continue;
    out.push({ token: new Uint8Array((attr.values[0] as asn1js.Sequence).toBER()), signatureValue: new Uint8Array(si.signature.valueBlock.valueHexView) });
  }
  return out;
}
