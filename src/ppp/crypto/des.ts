/**
 * DES block encryption (FIPS 46-3), ECB, one block at a time: all MS-CHAP needs
 * (RFC 2759 §8.5-8.6, RFC 2433 §A.3). Node 20's OpenSSL refuses DES without the legacy provider.
 * Bit numbers in the tables are FIPS 46's: 1 is the most significant bit.
 */

// FIPS 46-3 initial permutation IP.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32,
  24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47,
  39, 31, 23, 15, 7,
];

// Permutation P applied to the S-box output.
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];

// Permuted choice 1 (64-bit key -> C0 || D0) and 2 (C || D -> 48-bit round key).
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, 63, 55,
  47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30,
  40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

// S-boxes S1..S8, row-major (row = outer bits, column = inner four bits).
const S = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8, 4, 1,
    14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5, 0, 14,
    7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1, 13, 6,
    4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9, 10, 6,
    9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6, 4, 2,
    1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8, 9, 14,
    15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6, 1, 4,
    11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2, 7, 11,
    4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
  ],
];

/** Bit `pos` (1 = MSB) of a bit string held as bytes. */
function bit(bytes: Uint8Array, pos: number): number {
  return (bytes[(pos - 1) >> 3] >> (7 - ((pos - 1) & 7))) & 1;
}

/** Applies a FIPS 46 permutation table to `input`, giving table.length bits packed MSB first. */
function permute(input: Uint8Array, table: readonly number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(table.length / 8));
  for (let i = 0; i < table.length; i++) {
    if (bit(input, table[i])) out[i >> 3] |= 0x80 >> (i & 7);
  }
  return out;
}

// SP[box][six input bits]: the S-box output already placed and passed through P.
const SP: Uint32Array[] = S.map((box, b) => {
  const table = new Uint32Array(64);
  for (let v = 0; v < 64; v++) {
    const row = ((v >> 4) & 2) | (v & 1);
    const col = (v >> 1) & 15;
    const placed = box[row * 16 + col] << (28 - 4 * b);
    const bytes = new Uint8Array([placed >>> 24, (placed >>> 16) & 255, (placed >>> 8) & 255, placed & 255]);
    const p = permute(bytes, P);
    table[v] = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
  }
  return table;
});

// Final permutation IP^-1, derived from IP.
const FP: number[] = new Array<number>(64);
IP.forEach((from, to) => (FP[from - 1] = to + 1));

/** The 16 round keys (FIPS 46-3 key schedule), each as eight 6-bit groups. */
function keySchedule(key8: Uint8Array): Uint8Array {
  const cd = permute(key8, PC1); // 56 bits
  let c = (cd[0] << 20) | (cd[1] << 12) | (cd[2] << 4) | (cd[3] >> 4);
  let d = ((cd[3] & 15) << 24) | (cd[4] << 16) | (cd[5] << 8) | cd[6];
  const rounds = new Uint8Array(16 * 8);
  const joined = new Uint8Array(7);
  for (let r = 0; r < 16; r++) {
    const s = SHIFTS[r];
    c = ((c << s) | (c >>> (28 - s))) & 0xfffffff;
    d = ((d << s) | (d >>> (28 - s))) & 0xfffffff;
    joined[0] = c >>> 20;
    joined[1] = (c >>> 12) & 255;
    joined[2] = (c >>> 4) & 255;
    joined[3] = ((c & 15) << 4) | (d >>> 24);
    joined[4] = (d >>> 16) & 255;
    joined[5] = (d >>> 8) & 255;
    joined[6] = d & 255;
    const k = permute(joined, PC2); // 48 bits = 6 bytes
    const hi = (k[0] << 16) | (k[1] << 8) | k[2];
    const lo = (k[3] << 16) | (k[4] << 8) | k[5];
    for (let g = 0; g < 4; g++) {
      rounds[r * 8 + g] = (hi >> (18 - 6 * g)) & 63;
      rounds[r * 8 + 4 + g] = (lo >> (18 - 6 * g)) & 63;
    }
  }
  return rounds;
}

/** The cipher function f(R, K) of FIPS 46-3: expansion E, key mix, S-boxes and P. */
function feistel(r: number, keys: Uint8Array, round: number): number {
  // E takes bits 32,1..5 / 4..9 / ... / 28..32,1: rotate so bit 32 leads, then read 6-bit windows.
  const x = ((r << 31) | (r >>> 1)) >>> 0;
  const k = round * 8;
  let out = 0;
  for (let g = 0; g < 7; g++) out |= SP[g][((x >>> (26 - 4 * g)) & 63) ^ keys[k + g]];
  out |= SP[7][(((x & 15) << 2) | (x >>> 30)) ^ keys[k + 7]];
  return out;
}

/** DES-encrypts one 8-byte block with a 64-bit key (parity bits ignored). */
export function desEncryptBlock64(key8: Uint8Array, block8: Uint8Array): Uint8Array {
  if (key8.length !== 8 || block8.length !== 8) throw new RangeError('DES needs an 8-byte key and block');
  const keys = keySchedule(key8);
  const ip = permute(block8, IP);
  let l = ((ip[0] << 24) | (ip[1] << 16) | (ip[2] << 8) | ip[3]) >>> 0;
  let r = ((ip[4] << 24) | (ip[5] << 16) | (ip[6] << 8) | ip[7]) >>> 0;
  for (let round = 0; round < 16; round++) {
    const next = (l ^ feistel(r, keys, round)) >>> 0;
    l = r;
    r = next;
  }
  // Pre-output is R16 L16.
  const pre = new Uint8Array([r >>> 24, (r >>> 16) & 255, (r >>> 8) & 255, r & 255, l >>> 24, (l >>> 16) & 255, (l >>> 8) & 255, l & 255]);
  return permute(pre, FP);
}

/**
 * Spreads a 7-byte (56-bit) key over 8 bytes with odd parity in each low bit, as RFC 2759 §8.6
 * and §9.3 describe.
 */
export function desKeyWithParity(key7: Uint8Array): Uint8Array {
  if (key7.length !== 7) throw new RangeError('DES key must be 7 bytes');
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) {
    let seven = 0;
    for (let b = 0; b < 7; b++) seven = (seven << 1) | bit(key7, i * 7 + b + 1);
    let ones = 0;
    for (let v = seven; v; v >>= 1) ones += v & 1;
    out[i] = (seven << 1) | (ones & 1 ? 0 : 1);
  }
  return out;
}

/** RFC 2759 §8.6 DesEncrypt(Clear, 7-octet Key): one DES-ECB block under a parity-expanded key. */
export function desEncryptBlock(key7: Uint8Array, block8: Uint8Array): Uint8Array {
  return desEncryptBlock64(desKeyWithParity(key7), block8);
}
