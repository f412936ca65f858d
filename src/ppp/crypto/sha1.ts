/**
 * SHA-1 (FIPS 180-4). sha1Concat hashes byte strings with node:crypto. Sha1Fixed hashes a
 * message of one fixed length in place, allocating nothing: stateless MPPE derives a key with
 * SHA-1 for every packet (RFC 3078 §7.3), and a native call per packet costs more than this.
 */
import { createHash } from 'node:crypto';

/** SHA-1 of the concatenation of `parts`: a fresh 20-byte Uint8Array. */
export function sha1Concat(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** SHA-1 over a message of fixed length: write it into `message`, then call digest(). */
export class Sha1Fixed {
  /** The message bytes; fill them before digest(). */
  readonly message: Uint8Array;
  private readonly padded: Uint8Array;
  private readonly w = new Int32Array(80);

  constructor(length: number) {
    // FIPS 180-4 §5.1.1: 0x80, zeros, then the bit length as a 64-bit big-endian number.
    this.padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64);
    this.message = this.padded.subarray(0, length);
    this.padded[length] = 0x80;
    const view = new DataView(this.padded.buffer);
    view.setUint32(this.padded.length - 8, Math.floor(length / 0x20000000));
    view.setUint32(this.padded.length - 4, (length << 3) >>> 0);
  }

  /** Writes the first `outLength` (at most 20) bytes of the digest into `out`. */
  digest(out: Uint8Array, outLength = 20): void {
    const p = this.padded;
    const w = this.w;
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
      for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
      let a = h0;
      let b = h1;
      let c = h2;
      let d = h3;
      let e = h4;
      // Four rounds of 20 steps, with f and K of FIPS 180-4 §4.1.1 and §4.2.1.
      for (let t = 0; t < 20; t++) {
        const tmp = (rotl(a, 5) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]) | 0;
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = tmp;
      }
      for (let t = 20; t < 40; t++) {
        const tmp = (rotl(a, 5) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]) | 0;
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = tmp;
      }
      for (let t = 40; t < 60; t++) {
        const tmp = (rotl(a, 5) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[t]) | 0;
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = tmp;
      }
      for (let t = 60; t < 80; t++) {
        const tmp = (rotl(a, 5) + (b ^ c ^ d) + e + 0xca62c1d6 + w[t]) | 0;
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = tmp;
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
