/**
 * SHA-1 (FIPS 180-4). Sha1Fixed hashes a message of one fixed length in place, allocating
 * nothing: stateless MPPE derives a key with SHA-1 for every packet (RFC 3078 §7.3), and a native
 * call per packet costs more than this. sha1Concat hashes the short messages of MS-CHAP and MPPE
 * key derivation (a few blocks) the same way: a node:crypto Hash object costs several times more.
 */

/** SHA-1 of the concatenation of `parts`: a fresh 20-byte Uint8Array. */
export function sha1Concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const h = fixedFor(length);
  let at = 0;
  for (const p of parts) {
    h.message.set(p, at);
    at += p.length;
  }
  const out = new Uint8Array(20);
  h.digest(out);
  return out;
}

// One Sha1Fixed per message length: MS-CHAP and MPPE hash a handful of lengths (the user name
// varies one); the cache is bounded so odd lengths cannot grow it.
const fixedByLength = new Map<number, Sha1Fixed>();
const MAX_CACHED_LENGTHS = 64;

function fixedFor(length: number): Sha1Fixed {
  let h = fixedByLength.get(length);
  if (h === undefined) {
    h = new Sha1Fixed(length);
    if (fixedByLength.size < MAX_CACHED_LENGTHS) fixedByLength.set(length, h);
  }
  return h;
}

/**
 * The message schedule W0..W79, shared by every instance (digest() runs to completion): no table
 * per MPPE direction of every session, and TurboFan sees the length of a module constant and
 * drops the bounds checks of its constant and loop indices.
 */
const W = new Int32Array(80);

/** SHA-1 over a message of fixed length: write it into `message`, then call digest(). */
export class Sha1Fixed {
  /** The message bytes; fill them before digest(). */
  readonly message: Uint8Array;
  private readonly padded: Uint8Array;

  constructor(length: number) {
    // FIPS 180-4 §5.1.1: 0x80, zeros, then the bit length as a 64-bit big-endian number.
    this.padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64);
    this.message = this.padded.subarray(0, length);
    this.padded[length] = 0x80;
    const end = this.padded.length;
    const high = Math.floor(length / 0x20000000);
    const low = (length << 3) >>> 0;
    for (let i = 0; i < 4; i++) {
      this.padded[end - 8 + i] = high >>> (24 - 8 * i);
      this.padded[end - 4 + i] = low >>> (24 - 8 * i);
    }
  }

  /** Writes the first `outLength` (at most 20) bytes of the digest into `out`. */
  digest(out: Uint8Array, outLength = 20): void {
    const p = this.padded;
    const w = W;
    let h0 = 0x67452301;
    let h1 = 0xefcdab89 | 0;
    let h2 = 0x98badcfe | 0;
    let h3 = 0x10325476;
    let h4 = 0xc3d2e1f0 | 0;
    for (let off = 0; off < p.length; off += 64) {
      for (let t = 0; t < 16; t++) {
        const q = off + t * 4;
        w[t] = (p[q] << 24) | (p[q + 1] << 16) | (p[q + 2] << 8) | p[q + 3];
      }
      for (let t = 16; t < 80; t++) {
        const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
        w[t] = (x << 1) | (x >>> 31);
      }
      let a = h0;
      let b = h1;
      let c = h2;
      let d = h3;
      let e = h4;
      // FIPS 180-4 §6.1.2 step 3, five steps per turn so that the variables rotate by renaming
      // instead of four moves per step; f and K of §4.1.1 and §4.2.1 (Ch and Maj in equivalent
      // forms with one operation fewer). About 20% faster than one step per turn.
      let t = 0;
      for (; t < 20; t += 5) {
        e = (e + ((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + 0x5a827999 + w[t]) | 0;
        b = (b << 30) | (b >>> 2);
        d = (d + ((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + 0x5a827999 + w[t + 1]) | 0;
        a = (a << 30) | (a >>> 2);
        c = (c + ((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + 0x5a827999 + w[t + 2]) | 0;
        e = (e << 30) | (e >>> 2);
        b = (b + ((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + 0x5a827999 + w[t + 3]) | 0;
        d = (d << 30) | (d >>> 2);
        a = (a + ((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + 0x5a827999 + w[t + 4]) | 0;
        c = (c << 30) | (c >>> 2);
      }
      for (; t < 40; t += 5) {
        e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0x6ed9eba1 + w[t]) | 0;
        b = (b << 30) | (b >>> 2);
        d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0x6ed9eba1 + w[t + 1]) | 0;
        a = (a << 30) | (a >>> 2);
        c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0x6ed9eba1 + w[t + 2]) | 0;
        e = (e << 30) | (e >>> 2);
        b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0x6ed9eba1 + w[t + 3]) | 0;
        d = (d << 30) | (d >>> 2);
        a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0x6ed9eba1 + w[t + 4]) | 0;
        c = (c << 30) | (c >>> 2);
      }
      for (; t < 60; t += 5) {
        e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + 0x8f1bbcdc + w[t]) | 0;
        b = (b << 30) | (b >>> 2);
        d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) + 0x8f1bbcdc + w[t + 1]) | 0;
        a = (a << 30) | (a >>> 2);
        c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) + 0x8f1bbcdc + w[t + 2]) | 0;
        e = (e << 30) | (e >>> 2);
        b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) + 0x8f1bbcdc + w[t + 3]) | 0;
        d = (d << 30) | (d >>> 2);
        a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) + 0x8f1bbcdc + w[t + 4]) | 0;
        c = (c << 30) | (c >>> 2);
      }
      for (; t < 80; t += 5) {
        e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0xca62c1d6 + w[t]) | 0;
        b = (b << 30) | (b >>> 2);
        d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0xca62c1d6 + w[t + 1]) | 0;
        a = (a << 30) | (a >>> 2);
        c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0xca62c1d6 + w[t + 2]) | 0;
        e = (e << 30) | (e >>> 2);
        b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0xca62c1d6 + w[t + 3]) | 0;
        d = (d << 30) | (d >>> 2);
        a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0xca62c1d6 + w[t + 4]) | 0;
        c = (c << 30) | (c >>> 2);
      }
      h0 = (h0 + a) | 0;
      h1 = (h1 + b) | 0;
      h2 = (h2 + c) | 0;
      h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0;
    }
    for (let i = 0; i < outLength; i++) {
      const word = i < 8 ? (i < 4 ? h0 : h1) : i < 12 ? h2 : i < 16 ? h3 : h4;
      out[i] = word >>> (24 - 8 * (i & 3));
    }
  }
}
