// A Signer over a node:crypto private key: TESTS ONLY (the product signs with tokens). It behaves
// like a PKCS#11 token: it receives a digest, RSA PKCS#1 v1.5 wraps it in a DigestInfo, ECDSA
// returns raw r||s (IEEE P1363), RSA-PSS signs the digest with the given salt length.
import { constants, createHash, createPrivateKey, privateEncrypt, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import type { DigestAlgorithm, KeyType, SignatureAlgorithm, Signer } from '../../src/main/core/sign/signer';

const DIGEST_INFO_PREFIX: Record<DigestAlgorithm, string> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};
const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

export interface SoftwareSignerOptions {
  /** DER certificate */
  certificate: Uint8Array;
  /** PEM or DER PKCS#8 private key */
  privateKey: string | Uint8Array;
  chain?: Uint8Array[];
  pinPerSignature?: boolean;
  /** after this many signatures, signDigest fails as a removed token would */
  failAfter?: number;
}

export interface SoftwareSigner extends Signer {
  /** number of signDigest calls so far */
  readonly signatures: number;
}

export function createSoftwareSigner(opts: SoftwareSignerOptions): SoftwareSigner {
  const key: KeyObject =
    typeof opts.privateKey === 'string'
      ? createPrivateKey(opts.privateKey)
      : createPrivateKey({ key: Buffer.from(opts.privateKey), format: 'der', type: 'pkcs8' });
  const keyType: KeyType = key.asymmetricKeyType === 'ec' ? 'EC' : 'RSA';
  const cert = new X509Certificate(Buffer.from(opts.certificate));
  if (!cert.checkPrivateKey(key)) throw new Error('software signer: the key does not match the certificate');
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : curve;
  let count = 0;
  return {
    certificate: opts.certificate,
    chain: opts.chain ?? [],
    keyType,
    namedCurve: keyType === 'EC' ? namedCurve : undefined,
    pinPerSignature: opts.pinPerSignature ?? false,
    get signatures() {
      return count;
    },
    supports(alg: SignatureAlgorithm) {
      return keyType === 'EC' ? alg.scheme === 'ECDSA' : alg.scheme !== 'ECDSA';
    },
    async signDigest(digest: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array> {
      if (opts.failAfter !== undefined && count >= opts.failAfter) throw Object.assign(new Error('token removed (software signer)'), { code: 'TOKEN_REMOVED' });
      if (digest.length !== DIGEST_LENGTH[alg.hash]) throw new Error(`digest length ${digest.length} does not match ${alg.hash}`);
      count++;
      // node:crypto signs messages, not digests (it hashes again): do the raw operations here, like
      // CKM_ECDSA / CKM_RSA_PKCS / CKM_RSA_PKCS_PSS on a token.
      if (alg.scheme === 'ECDSA') return ecdsaSignDigest(key, digest);
      if (alg.scheme === 'RSA-PSS') return rsaPssSignDigest(key, digest, alg.hash, alg.saltLength);
      const digestInfo = Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[alg.hash], 'hex'), digest]);
      return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo));
    },
  };
}

// ---- raw primitives (test code: clarity over speed) ----

const CURVES: Record<string, { p: bigint; a: bigint; n: bigint; gx: bigint; gy: bigint; bytes: number }> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    bytes: 32,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    bytes: 48,
  },
};

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
function inv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}
type Pt = [bigint, bigint] | null;
function add(P: Pt, Q: Pt, c: { p: bigint; a: bigint }): Pt {
  if (!P) return Q;
  if (!Q) return P;
  if (P[0] === Q[0] && mod(P[1] + Q[1], c.p) === 0n) return null;
  const l = P[0] === Q[0] ? mod((3n * P[0] * P[0] + c.a) * inv(2n * P[1], c.p), c.p) : mod((Q[1] - P[1]) * inv(Q[0] - P[0], c.p), c.p);
  const x = mod(l * l - P[0] - Q[0], c.p);
  return [x, mod(l * (P[0] - x) - P[1], c.p)];
}
function mul(k: bigint, P: Pt, c: { p: bigint; a: bigint }): Pt {
  let R: Pt = null;
  for (let Q = P; k > 0n; k >>= 1n, Q = add(Q, Q, c)) if (k & 1n) R = add(R, Q, c);
  return R;
}
const toBig = (b: Uint8Array) => BigInt('0x' + (Buffer.from(b).toString('hex') || '0'));
const toBytes = (v: bigint, len: number) => Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex');

function ecdsaSignDigest(key: KeyObject, digest: Uint8Array): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const c = CURVES[jwk.crv ?? ''];
  if (!c || !jwk.d) throw new Error(`software signer: unsupported curve ${jwk.crv}`);
  const d = toBig(Buffer.from(jwk.d, 'base64url'));
  // FIPS 186-4: e = leftmost n-bits of the digest
  let e = toBig(digest);
  const excess = digest.length * 8 - c.bytes * 8;
  if (excess > 0) e >>= BigInt(excess);
  for (;;) {
    const k = mod(toBig(randomBytes(c.bytes + 8)), c.n - 1n) + 1n;
    const R = mul(k, [c.gx, c.gy], c)!;
    const r = mod(R[0], c.n);
    const s = mod(inv(k, c.n) * (e + r * d), c.n);
    if (r !== 0n && s !== 0n) return new Uint8Array(Buffer.concat([toBytes(r, c.bytes), toBytes(s, c.bytes)]));
  }
}

function rsaPssSignDigest(key: KeyObject, mHash: Uint8Array, hash: DigestAlgorithm, saltLength: number): Uint8Array {
  const h = hash === 'SHA-256' ? 'sha256' : hash === 'SHA-384' ? 'sha384' : 'sha512';
  const modBits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = mHash.length;
  const salt = randomBytes(saltLength);
  const H = createHash(h).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - saltLength - hLen - 2), Buffer.of(1), salt]);
  const mask = Buffer.alloc(db.length);
  for (let counter = 0, off = 0; off < mask.length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(h).update(H).update(c).digest();
    block.copy(mask, off);
    off += block.length;
  }
  for (let i = 0; i < db.length; i++) db[i] = db[i]! ^ mask[i]!;
  db[0] = db[0]! & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, H, Buffer.of(0xbc)]);
  const padded = Buffer.concat([Buffer.alloc(Math.ceil(modBits / 8) - em.length), em]);
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, padded));
}
