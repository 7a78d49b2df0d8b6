#!/usr/bin/env node
// vpiv.cjs - minimal virtual PIV card (NIST SP 800-73) for vsmartcard's vpcd reader driver.
// Zero dependencies (Node >= 18). Real PIN/PUK retry counters, persisted to a JSON state file.
// Project copy of shared/tools/vcard/vpiv.js (.cjs so that it stays CommonJS whatever package.json says).
//   node vpiv.cjs init  <state.json> [--pin 123456] [--puk 12345678] [--tries 3]
//   node vpiv.cjs set   <state.json> --slot 9a|9c|9d|9e [--key key.pem] [--cert cert.pem] [--policy once|always]
//   node vpiv.cjs run   <state.json> [--host 127.0.0.1] [--port 35963] [--owner-pid PID] [-v]
// run: SIGUSR1 = remove card, SIGUSR2 = insert card, SIGHUP = reload the state file (after init/set
// on it) and reset the card, SIGTERM/SIGINT = exit. --owner-pid: exit when that process is gone
// (so that a crashed test run never leaves a card behind).
'use strict';
const net = require('net'), fs = require('fs'), crypto = require('crypto');

// ---------- BER-TLV helpers ----------
const len = n => n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
const tlv = (tag, ...parts) => { const v = Buffer.concat(parts.map(p => Buffer.isBuffer(p) ? p : Buffer.from(p)));
  const t = typeof tag === 'number' ? (tag > 0xffff ? [tag >> 16, (tag >> 8) & 0xff, tag & 0xff] : tag > 0xff ? [tag >> 8, tag & 0xff] : [tag]) : tag;
  return Buffer.concat([Buffer.from(t), Buffer.from(len(v.length)), v]); };
function parseTlv(buf) { // -> [{tag, value}]
  const out = []; let i = 0;
  while (i < buf.length) {
    let tag = buf[i++]; if ((tag & 0x1f) === 0x1f) { do { tag = (tag << 8) | buf[i]; } while (buf[i++] & 0x80); }
    let l = buf[i++]; if (l === 0x81) l = buf[i++]; else if (l === 0x82) { l = (buf[i] << 8) | buf[i + 1]; i += 2; }
    out.push({ tag, value: buf.subarray(i, i + l) }); i += l;
  }
  return out;
}
const find = (list, tag) => (list.find(e => e.tag === tag) || {}).value;

// ---------- constants ----------
const PIV_AID = Buffer.from('a000000308000010000100', 'hex');
const SLOT_OBJ = { 0x9a: '5fc105', 0x9c: '5fc10a', 0x9d: '5fc10b', 0x9e: '5fc101' };
const ALG = { 0x06: 'rsa1024', 0x07: 'rsa2048', 0x05: 'rsa3072', 0x11: 'p256' };
const hist = Buffer.concat([Buffer.from([0x80, 0xf9]), PIV_AID.subarray(0, 9)]); // compact-TLV F9 = PIV AID -> OpenSC "PIV_II_HIST"
const ATR = (() => { const a = Buffer.concat([Buffer.from([0x3b, 0x80 | hist.length, 0x80, 0x01]), hist]);
  let tck = 0; for (const b of a.subarray(1)) tck ^= b; return Buffer.concat([a, Buffer.from([tck])]); })();
const SW = s => Buffer.from([s >> 8, s & 0xff]);

// ---------- P-256 ECDSA over a pre-hashed value (node:crypto can't sign a raw digest) ----------
const P256 = { p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn, n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  G: [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n, 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n] };
const mod = (a, m) => ((a % m) + m) % m;
const inv = (a, m) => { let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n]; while (r1) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; } return mod(s0, m); };
function padd(P, Q) { const p = P256.p; if (!P) return Q; if (!Q) return P;
  if (P[0] === Q[0] && mod(P[1] + Q[1], p) === 0n) return null;
  const l = P[0] === Q[0] ? mod(3n * P[0] * P[0] - 3n, p) * inv(2n * P[1], p) : mod(Q[1] - P[1], p) * inv(Q[0] - P[0], p);
  const x = mod(l * l - P[0] - Q[0], p); return [x, mod(l * (P[0] - x) - P[1], p)]; }
function pmul(k, P) { let R = null; for (let b = BigInt(k.toString(2).length) - 1n; b >= 0n; b--) { R = padd(R, R); if ((k >> b) & 1n) R = padd(R, P); } return R; }
const big = b => BigInt('0x' + (Buffer.from(b).toString('hex') || '0'));
const derInt = x => { let h = x.toString(16); if (h.length % 2) h = '0' + h; let b = Buffer.from(h, 'hex'); if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]); return tlv(0x02, b); };
function ecdsaSignDigest(keyObj, digest) {
  const d = big(Buffer.from(keyObj.export({ format: 'jwk' }).d, 'base64url')), n = P256.n;
  const e = big(digest.subarray(0, 32));
  for (;;) { const k = mod(big(crypto.randomBytes(40)), n - 1n) + 1n; const r = mod(pmul(k, P256.G)[0], n); if (!r) continue;
    const s = mod(inv(k, n) * (e + r * d), n); if (s) return tlv(0x30, derInt(r), derInt(s)); }
}

// ---------- card state ----------
function defaultState(o = {}) {
  const guid = crypto.randomBytes(16);
  const fascn = Buffer.from('d4e739da739ced39ce739d836858210842108421c84210c3eb', 'hex');
  return { pin: o.pin || '123456', puk: o.puk || '12345678', maxTries: +(o.tries || 3), pinTries: +(o.tries || 3), pukTries: +(o.tries || 3),
    adminKey: { alg: 3, hex: '010203040506070801020304050607080102030405060708' }, // PIV default 3DES management key
    objects: { '7e': tlv(0x7e, tlv(0x4f, PIV_AID), tlv(0x5f2f, [0x40, 0x00])).toString('hex'),
      '5fc102': tlv(0x53, tlv(0x30, fascn), tlv(0x34, guid), tlv(0x35, Buffer.from('20351231')), tlv(0x3e, []), tlv(0xfe, [])).toString('hex') },
    keys: {} };
}
class PivCard {
  constructor(file) { this.file = file; this.s = JSON.parse(fs.readFileSync(file, 'utf8')); this.reset(); }
  save() { fs.writeFileSync(this.file + '.tmp', JSON.stringify(this.s, null, 1)); fs.renameSync(this.file + '.tmp', this.file); }
  reset() { this.pinOk = false; this.pinAlways = false; this.admin = false; this.chal = null; this.wit = null; this.chain = null; this.pending = null; }
  static pad8(b) { return Buffer.concat([b, Buffer.alloc(Math.max(0, 8 - b.length), 0xff)]); }
  checkPin(which, data) { // which: 'pin'|'puk'; returns SW
    const triesKey = which + 'Tries';
    if (this.s[triesKey] <= 0) return 0x6983;
    if (PivCard.pad8(Buffer.from(this.s[which])).equals(PivCard.pad8(data))) { this.s[triesKey] = this.s.maxTries; this.save(); return 0x9000; }
    this.s[triesKey]--; this.save(); return 0x63c0 | this.s[triesKey];
  }
  apdu(b) {
    if (b.length < 4) return SW(0x6700);
    let [cla, ins, p1, p2] = b, data = Buffer.alloc(0), le = 0, ext = false;
    if (b.length === 5) le = b[4] || 256;
    else if (b.length > 5 && b[4] !== 0) { data = b.subarray(5, 5 + b[4]); if (b.length > 5 + b[4]) le = b[5 + b[4]] || 256; }
    else if (b.length >= 7) { ext = true; const lc = (b[5] << 8) | b[6]; if (b.length === 7) le = lc || 65536; else { data = b.subarray(7, 7 + lc); le = 65536; } }
    if (ins === 0xc0) { // GET RESPONSE
      if (!this.pending) return SW(0x6985);
      const r = this.pending; this.pending = null; return this.out(r, le || 256, false, 0x9000);
    }
    this.pending = null;
    if (cla & 0x10) { // command chaining
      this.chain = { ins, data: Buffer.concat([this.chain && this.chain.ins === ins ? this.chain.data : Buffer.alloc(0), data]) }; return SW(0x9000);
    }
    if (this.chain && this.chain.ins === ins) { data = Buffer.concat([this.chain.data, data]); }
    this.chain = null;
    let res;
    try { res = this.dispatch(ins, p1, p2, data); } catch (e) { console.error('card error', e); res = [Buffer.alloc(0), 0x6f00]; }
    const [rdata, sw] = Array.isArray(res) ? res : [Buffer.alloc(0), res];
    return this.out(rdata, le || (ext ? 65536 : 256), ext, sw);
  }
  out(rdata, le, ext, sw) {
    if (rdata.length <= le || ext) return Buffer.concat([rdata, SW(sw)]);
    this.pending = rdata.subarray(le); const rem = this.pending.length;
    return Buffer.concat([rdata.subarray(0, le), SW(0x6100 | (rem > 255 ? 0 : rem))]);
  }
  dispatch(ins, p1, p2, data) {
    const s = this.s;
    switch (ins) {
      case 0xa4: // SELECT
        if (p1 === 0x04 && data.length >= 5 && PIV_AID.subarray(0, data.length).equals(data))
          return [tlv(0x61, tlv(0x4f, PIV_AID.subarray(5)), tlv(0x79, tlv(0x4f, PIV_AID.subarray(0, 5))), tlv(0x50, Buffer.from('vPIV test card'))), 0x9000];
        return 0x6a82;
      case 0xcb: { // GET DATA
        const tag = find(parseTlv(data), 0x5c); if (!tag) return 0x6a80;
        const obj = s.objects[tag.toString('hex')]; return obj ? [Buffer.from(obj, 'hex'), 0x9000] : 0x6a82;
      }
      case 0x20: // VERIFY
        if (p2 !== 0x80) return 0x6a88;
        if (p1 === 0xff) { this.pinOk = this.pinAlways = false; return 0x9000; }
        if (!data.length) return s.pinTries <= 0 ? 0x6983 : this.pinOk ? 0x9000 : 0x63c0 | s.pinTries;
        { const sw = this.checkPin('pin', data); this.pinOk = this.pinAlways = sw === 0x9000; return sw; }
      case 0x24: { // CHANGE REFERENCE DATA (old||new, 8+8)
        const which = p2 === 0x80 ? 'pin' : p2 === 0x81 ? 'puk' : null; if (!which || data.length !== 16) return which ? 0x6a80 : 0x6a88;
        const sw = this.checkPin(which, data.subarray(0, 8)); if (sw !== 0x9000) return sw;
        s[which] = data.subarray(8).toString('latin1').replace(/\xff+$/, ''); this.save(); return 0x9000;
      }
      case 0x2c: { // RESET RETRY COUNTER (PUK||newPIN)
        if (p2 !== 0x80 || data.length !== 16) return 0x6a80;
        const sw = this.checkPin('puk', data.subarray(0, 8)); if (sw !== 0x9000) return sw;
        s.pin = data.subarray(8).toString('latin1').replace(/\xff+$/, ''); s.pinTries = s.maxTries; this.save(); return 0x9000;
      }
      case 0x87: return this.genAuth(p1, p2, parseTlv(find(parseTlv(data), 0x7c) || Buffer.alloc(0)));
      case 0x47: { // GENERATE ASYMMETRIC KEY PAIR
        if (!this.admin) return 0x6982;
        const alg = find(parseTlv(find(parseTlv(data), 0xac) || Buffer.alloc(0)), 0x80); if (!alg || !SLOT_OBJ[p2]) return 0x6a80;
        const a = alg[0]; if (!ALG[a]) return 0x6a80;
        const kp = a === 0x11 ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
          : crypto.generateKeyPairSync('rsa', { modulusLength: { 6: 1024, 7: 2048, 5: 3072 }[a] });
        s.keys[p2.toString(16)] = { alg: a, pem: kp.privateKey.export({ type: 'pkcs8', format: 'pem' }), policy: p2 === 0x9c ? 'always' : 'once' }; this.save();
        const jwk = kp.publicKey.export({ format: 'jwk' });
        const pub = a === 0x11 ? tlv(0x86, Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]))
          : Buffer.concat([tlv(0x81, Buffer.from(jwk.n, 'base64url')), tlv(0x82, Buffer.from(jwk.e, 'base64url'))]);
        return [tlv(0x7f49, pub), 0x9000];
      }
      case 0xdb: { // PUT DATA
        if (!this.admin) return 0x6982;
        const l = parseTlv(data), tag = find(l, 0x5c); if (!tag) return 0x6a80;
        const e = l.find(x => x.tag !== 0x5c); s.objects[tag.toString('hex')] = tlv(e.tag, e.value).toString('hex'); this.save(); return 0x9000;
      }
      default: return 0x6d00;
    }
  }
  genAuth(alg, ref, t) {
    const s = this.s, chal = find(t, 0x81), resp = find(t, 0x82);
    if (ref === 0x9b) { // management (admin) key: external authenticate
      if (alg === 0 && chal && !chal.length) return [tlv(0x7c, tlv(0x81, crypto.randomBytes(8))), 0x9000]; // OpenSC's C_GenerateRandom
      const cipher = { 3: 'des-ede3', 8: 'aes-128-ecb', 0x0a: 'aes-192-ecb', 0x0c: 'aes-256-ecb' }[alg];
      if (alg !== s.adminKey.alg || !cipher) return 0x6a80;
      const K = Buffer.from(s.adminKey.hex, 'hex'), bs = alg === 3 ? 8 : 16;
      const enc = d => { const c = crypto.createCipheriv(cipher, K, null).setAutoPadding(false); return Buffer.concat([c.update(d), c.final()]); };
      const wit = find(t, 0x80);
      if (wit && !wit.length) { this.wit = crypto.randomBytes(bs); return [tlv(0x7c, tlv(0x80, enc(this.wit))), 0x9000]; } // mutual auth step 1
      if (wit && wit.length && chal && chal.length) { // mutual auth step 2: host proves it decrypted the witness
        const ok = this.wit && this.wit.equals(wit); this.wit = null; this.admin = !!ok;
        return ok ? [tlv(0x7c, tlv(0x82, enc(chal))), 0x9000] : 0x6982;
      }
      if (chal && !chal.length) { this.chal = crypto.randomBytes(bs); return [tlv(0x7c, tlv(0x81, this.chal)), 0x9000]; } // external auth step 1
      if (resp && resp.length && this.chal) { // external auth step 2
        const exp = enc(this.chal); this.chal = null;
        this.admin = exp.equals(resp); return this.admin ? 0x9000 : 0x6982;
      }
      return 0x6a80;
    }
    const k = s.keys[ref.toString(16)]; if (!k) return 0x6a82;
    if (k.alg !== alg) return 0x6a80;
    if (ref !== 0x9e) { // 9E card-auth key needs no PIN
      if (k.policy === 'always' ? !this.pinAlways : !this.pinOk) return 0x6982;
      if (k.policy === 'always') this.pinAlways = false; // "PIN always": one PIN verification per operation
    }
    if (!chal || !chal.length || !resp || resp.length) return 0x6a80; // only signature (81=challenge, 82 empty) supported
    const key = crypto.createPrivateKey(k.pem);
    const sig = alg === 0x11 ? ecdsaSignDigest(key, chal) : crypto.privateEncrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, chal);
    return [tlv(0x7c, tlv(0x82, sig)), 0x9000];
  }
}

// ---------- vpcd connection ----------
function run(file, { host = '127.0.0.1', port = 35963, verbose = false } = {}) {
  const card = new PivCard(file); let sock = null, present = true, acc = Buffer.alloc(0), timer = null;
  const log = (...a) => verbose && console.log(new Date().toISOString().slice(11, 23), ...a);
  const send = b => { const h = Buffer.alloc(2); h.writeUInt16BE(b.length); sock.write(Buffer.concat([h, b])); };
  function connect() {
    clearTimeout(timer); if (!present || sock) return;
    sock = net.connect({ host, port }, () => log(`connected to vpcd ${host}:${port} (card inserted)`));
    sock.on('data', d => {
      acc = Buffer.concat([acc, d]);
      while (acc.length >= 2 && acc.length >= 2 + acc.readUInt16BE(0)) {
        const n = acc.readUInt16BE(0), msg = acc.subarray(2, 2 + n); acc = acc.subarray(2 + n);
        if (n === 1) { // control: 0 off, 1 on, 2 reset, 4 get ATR
          if (msg[0] === 4) send(ATR); else { card.reset(); log(['power off', 'power on', 'reset'][msg[0]] || 'ctrl ' + msg[0]); }
        } else { const t = process.hrtime.bigint(); const r = card.apdu(msg);
          log(`> ${msg.toString('hex')}\n< ${r.toString('hex')} (${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1)} ms)`); send(r); }
      }
    });
    sock.on('error', e => log('socket', e.code));
    sock.on('close', () => { sock = null; acc = Buffer.alloc(0); card.reset(); if (present) timer = setTimeout(connect, 100); });
  }
  connect();
  return { remove() { present = false; if (sock) sock.destroy(); log('card removed'); },
           insert() { present = true; connect(); }, stop() { present = false; clearTimeout(timer); if (sock) sock.destroy(); }, card };
}

// ---------- personalisation (also used in-process by test/support/vcard.ts) ----------
function initState(file, o = {}) { fs.writeFileSync(file, JSON.stringify(defaultState(o), null, 1)); }
function setSlot(file, o) { // o: { slot: '9a', key?: pem|path, cert?: pem|der|path, policy?: 'once'|'always' }
  const s = JSON.parse(fs.readFileSync(file, 'utf8')); const slotName = String(o.slot).toLowerCase(), slot = parseInt(slotName, 16);
  if (!SLOT_OBJ[slot]) throw new Error('--slot 9a|9c|9d|9e');
  const load = v => (Buffer.isBuffer(v) || (typeof v === 'string' && v.includes('-----BEGIN'))) ? v : fs.readFileSync(v);
  if (o.key) { const k = crypto.createPrivateKey(load(o.key));
    const alg = k.asymmetricKeyType === 'ec' ? 0x11 : { 1024: 6, 2048: 7, 3072: 5 }[k.asymmetricKeyDetails.modulusLength];
    if (!alg || (alg === 0x11 && k.asymmetricKeyDetails.namedCurve !== 'prime256v1')) throw new Error('key must be RSA-1024/2048/3072 or P-256');
    s.keys[slotName] = { alg, pem: k.export({ type: 'pkcs8', format: 'pem' }), policy: o.policy || (slot === 0x9c ? 'always' : 'once') }; }
  if (o.policy && s.keys[slotName]) s.keys[slotName].policy = o.policy;
  if (o.cert) { const der = new crypto.X509Certificate(load(o.cert)).raw;
    s.objects[SLOT_OBJ[slot]] = tlv(0x53, tlv(0x70, der), tlv(0x71, [0]), tlv(0xfe, [])).toString('hex'); }
  fs.writeFileSync(file + '.tmp', JSON.stringify(s, null, 1)); fs.renameSync(file + '.tmp', file);
}

// ---------- CLI ----------
function main(argv) {
  const [cmd, file, ...rest] = argv; const o = {};
  for (let i = 0; i < rest.length; i++) { if (rest[i] === '-v') o.v = true; else if (rest[i].startsWith('--')) o[rest[i].slice(2)] = rest[++i]; }
  if (cmd === 'init') { initState(file, o); console.log('initialised', file); }
  else if (cmd === 'set') { setSlot(file, o); console.log('updated slot', o.slot); }
  else if (cmd === 'run') {
    const c = run(file, { host: o.host, port: +(o.port || 35963), verbose: o.v });
    process.on('SIGUSR1', () => c.remove()); process.on('SIGUSR2', () => c.insert());
    process.on('SIGHUP', () => { c.card.s = JSON.parse(fs.readFileSync(file, 'utf8')); c.card.reset(); if (o.v) console.log('state reloaded'); });
    const owner = +(o['owner-pid'] || 0);
    setInterval(() => { // stay alive while the card is "removed"; die with the owner
      if (owner) { try { process.kill(owner, 0); } catch (e) { if (e.code === 'ESRCH') { c.stop(); process.exit(0); } } }
    }, 500);
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { c.stop(); process.exit(0); });
    console.log(`vpiv running, pid ${process.pid}, vpcd ${o.host || '127.0.0.1'}:${+(o.port || 35963)}`);
  } else { console.log('usage: vpiv.cjs init|set|run <state.json> ...'); process.exit(1); }
}
module.exports = { PivCard, run, defaultState, initState, setSlot, ATR, main };
if (require.main === module) main(process.argv.slice(2));
