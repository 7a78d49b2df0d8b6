import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rawEcdsaToDer, signatureAlgorithmIdentifier } from '../../../../src/main/core/sign/cms/algorithms';
import { decodeOid, oid, readChildren, readTlv, tlvContent, unsignedInteger, cmsTime } from '../../../../src/main/core/sign/cms/der';
import { encodeSignedAttributes } from '../../../../src/main/core/sign/cms/signed-data';
import { parseSignedData } from '../../../../src/main/core/sign/cms/parse';

describe('DER primitives', () => {
  it('encodes and decodes OIDs, including large arcs', () => {
    for (const o of ['1.2.840.113549.1.7.2', '2.16.840.1.101.3.4.2.1', '1.3.6.1.5.5.7.16.2', '2.999.1234567890123']) {
      const der = oid(o);
      expect(decodeOid(tlvContent(der, readTlv(der, 0)))).toBe(o);
    }
    expect(Buffer.from(oid('1.2.840.113549.1.7.2')).toString('hex')).toBe('06092a864886f70d010702');
  });

  it('INTEGERs are minimal and positive', () => {
    expect(Buffer.from(unsignedInteger(Uint8Array.of(0, 0, 0x7f))).toString('hex')).toBe('02017f');
    expect(Buffer.from(unsignedInteger(Uint8Array.of(0x80))).toString('hex')).toBe('02020080');
    expect(Buffer.from(unsignedInteger(Uint8Array.of(0, 0))).toString('hex')).toBe('020100');
  });

  it('uses UTCTime up to 2049 and GeneralizedTime from 2050', () => {
    expect(cmsTime(new Date('2026-11-29T10:20:30Z'))[0]).toBe(0x17);
    expect(Buffer.from(cmsTime(new Date('2050-01-01T00:00:00Z'))).toString('latin1')).toContain('20500101000000Z');
  });

  it('refuses truncated and runaway input instead of crashing', () => {
    expect(() => readTlv(Uint8Array.of(0x30, 0x05, 0x01), 0)).toThrow(/past the end/);
    expect(() => readChildren(Uint8Array.of(0x30, 0x80, 0x02, 0x01, 0x01), readTlv(Uint8Array.of(0x30, 0x80, 0x02, 0x01, 0x01), 0))).toThrow();
    const deep = new Uint8Array(400).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80));
    expect(() => parseSignedData(deep)).toThrow(/not a valid CMS signature/);
    expect(() => parseSignedData(Uint8Array.of(1, 2, 3))).toThrow(/not a valid CMS signature/);
  });
});

describe('ECDSA r||s to DER', () => {
  it('produces a signature node:crypto accepts, with leading-zero and high-bit cases', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = Buffer.from('x');
    for (let i = 0; i < 40; i++) {
      const p1363 = cryptoSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = rawEcdsaToDer(new Uint8Array(p1363));
      expect(cryptoVerify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
    }
    // r with high bit set and s with leading zeros
    const rs = new Uint8Array(64);
    rs[0] = 0x80;
    rs[63] = 1;
    expect(Buffer.from(rawEcdsaToDer(rs)).toString('hex')).toBe('3026' + '022100' + '80' + '00'.repeat(31) + '020101');
    expect(() => rawEcdsaToDer(new Uint8Array(63))).toThrow(/odd length/);
  });
});

describe('signed attributes', () => {
  it('are a DER SET sorted by encoding, with signingTime only when given', async () => {
    const cert = await selfSignedCertificate();
    const digest = createHash('sha256').update('content').digest();
    const withTime = encodeSignedAttributes({ contentTypeOid: '1.2.840.113549.1.7.1', contentDigest: digest, signerCertificate: cert, signingTime: new Date() });
    const set = readTlv(withTime, 0);
    expect(set.tag).toBe(0x31);
    const children = readChildren(withTime, set).map((c) => Buffer.from(withTime.subarray(c.start, c.end)));
    expect(children).toHaveLength(4);
    const sorted = [...children].sort(Buffer.compare);
    expect(children).toEqual(sorted);
    const types = readChildren(withTime, set).map((c) => {
      const [t] = readChildren(withTime, c);
      return decodeOid(tlvContent(withTime, t!));
    });
    expect(types).toContain('1.2.840.113549.1.9.5');
    expect(types).toContain('1.2.840.113549.1.9.16.2.47');
    const noTime = encodeSignedAttributes({ contentTypeOid: '1.2.840.113549.1.7.1', contentDigest: digest, signerCertificate: cert });
    expect(readChildren(noTime, readTlv(noTime, 0))).toHaveLength(3);
  });

  it('RSA-PSS AlgorithmIdentifier carries hash, MGF1 and salt length', () => {
    const der = signatureAlgorithmIdentifier({ scheme: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 });
    const hex = Buffer.from(der).toString('hex');
    expect(hex).toContain('06092a864886f70d01010a'); // id-RSASSA-PSS
    expect(hex).toContain('06092a864886f70d010108'); // id-mgf1
    expect(hex).toContain('a203020120'); // [2] saltLength 32
  });
});

async function selfSignedCertificate(): Promise<Uint8Array> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '0102', name: 'CN=Test', keys, signingAlgorithm: alg, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000) }, webcrypto as unknown as Crypto);
  return new Uint8Array(cert.rawData);
}
