/**
 * MD4 message digest (RFC 1320). Node 20's OpenSSL refuses MD4 without the legacy provider,
 * and MS-CHAP needs it for NtPasswordHash (RFC 2759 §8.3), so it lives here.
 */

const ROUND2 = 0x5a827999; // RFC 1320 §3.4 round 2 constant
const ROUND3 = 0x6ed9eba1; // RFC 1320 §3.4 round 3 constant

function rotl(x: number, s: number): number {
  return (x << s) | (x >>> (32 - s));
}

/** MD4 of `data` (RFC 1320 §3): 16 bytes. */
export function md4(data: Uint8Array): Uint8Array {
  const n = data.length;
  // §3.1-3.2: pad with 0x80 and zeros to 56 mod 64, then the bit length, 64-bit little-endian.
  const padded = new Uint8Array(Math.ceil((n + 9) / 64) * 64);
  padded.set(data);
  padded[n] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, (n << 3) >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(n / 0x20000000), true);

  // §3.3: initial buffer.
  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  const x = new Int32Array(16);

  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getInt32(off + i * 4, true);
    const aa = a;
    const bb = b;
    const cc = c;
    const dd = d;

    // Round 1: F(X,Y,Z) = XY v not(X) Z, shifts 3 7 11 19.
    for (let i = 0; i < 16; i += 4) {
      a = rotl((a + ((b & c) | (~b & d)) + x[i]) | 0, 3);
      d = rotl((d + ((a & b) | (~a & c)) + x[i + 1]) | 0, 7);
      c = rotl((c + ((d & a) | (~d & b)) + x[i + 2]) | 0, 11);
      b = rotl((b + ((c & d) | (~c & a)) + x[i + 3]) | 0, 19);
    }
    // Round 2: G(X,Y,Z) = XY v XZ v YZ, words by column, shifts 3 5 9 13.
    for (let i = 0; i < 4; i++) {
      a = rotl((a + ((b & c) | (b & d) | (c & d)) + x[i] + ROUND2) | 0, 3);
      d = rotl((d + ((a & b) | (a & c) | (b & c)) + x[i + 4] + ROUND2) | 0, 5);
      c = rotl((c + ((d & a) | (d & b) | (a & b)) + x[i + 8] + ROUND2) | 0, 9);
      b = rotl((b + ((c & d) | (c & a) | (d & a)) + x[i + 12] + ROUND2) | 0, 13);
    }
    // Round 3: H(X,Y,Z) = X xor Y xor Z, words 0 8 4 12 / 2 10 6 14 / 1 9 5 13 / 3 11 7 15.
    for (const i of [0, 2, 1, 3]) {
      a = rotl((a + (b ^ c ^ d) + x[i] + ROUND3) | 0, 3);
      d = rotl((d + (a ^ b ^ c) + x[i + 8] + ROUND3) | 0, 9);
      c = rotl((c + (d ^ a ^ b) + x[i + 4] + ROUND3) | 0, 11);
      b = rotl((b + (c ^ d ^ a) + x[i + 12] + ROUND3) | 0, 15);
    }

    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }

  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  ov.setInt32(0, a, true);
  ov.setInt32(4, b, true);
  ov.setInt32(8, c, true);
  ov.setInt32(12, d, true);
  return out;
}
