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

/**
 * A FIPS 46 permutation table as lookups: for input byte j holding value v, the output bits it
 * sets, as two words (output bits 1-32 and 33-64, MSB first) at [(j * 256 + v) * 2]. Applying a
 * permutation is then one lookup per input byte, not one test per output bit.
 */
function byteLookup(table: readonly number[], inputBytes: number): Uint32Array {
  const out = new Uint32Array(inputBytes * 256 * 2);
  for (let i = 0; i < table.length; i++) {
    const from = table[i] - 1;
    const mask = 0x80 >> (from & 7);
    const slot = (from >> 3) * 512 + (i >> 5);
    const set = 0x80000000 >>> (i & 31);
    for (let v = 0; v < 256; v++) if (v & mask) out[slot + v * 2] |= set;
  }
  return out;
}

// SP[box * 64 + six input bits]: S-box `box`'s output already placed and passed through P.
const P_LOOKUP = byteLookup(P, 4);
const SP = new Uint32Array(8 * 64);
S.forEach((box, b) => {
  for (let v = 0; v < 64; v++) {
    const row = ((v >> 4) & 2) | (v & 1);
    const col = (v >> 1) & 15;
    const placed = box[row * 16 + col] << (28 - 4 * b);
    let p = 0;
    for (let j = 0; j < 4; j++) p |= P_LOOKUP[(j * 256 + ((placed >>> (24 - 8 * j)) & 255)) * 2];
    SP[b * 64 + v] = p;
  }
});

// Final permutation IP^-1, derived from IP.
const FP: number[] = new Array<number>(64);
IP.forEach((from, to) => (FP[from - 1] = to + 1));

const IP_LOOKUP = byteLookup(IP, 8);
const FP_LOOKUP = byteLookup(FP, 8);
const PC1_LOOKUP = byteLookup(PC1, 8);
const PC2_LOOKUP = byteLookup(PC2, 7);

/** The 16 round keys (FIPS 46-3 key schedule) as eight 6-bit groups each, into `rounds` (128 bytes). */
function keySchedule(key8: Uint8Array, rounds: Uint8Array): void {
  let hi = 0;
  let lo = 0;
  for (let j = 0; j < 8; j++) {
    const at = (j * 256 + key8[j]) * 2;
    hi |= PC1_LOOKUP[at];
    lo |= PC1_LOOKUP[at + 1];
  }
  // PC-1 gives 56 bits: C0 is bits 1-28, D0 bits 29-56.
  let c = hi >>> 4;
  let d = ((hi & 15) << 24) | (lo >>> 8);
  for (let r = 0; r < 16; r++) {
    const s = SHIFTS[r];
    c = ((c << s) | (c >>> (28 - s))) & 0xfffffff;
    d = ((d << s) | (d >>> (28 - s))) & 0xfffffff;
    // PC-2 over the seven bytes of C || D gives 48 bits: k1 bits 1-32, k2 bits 33-48 (top half).
    const a0 = (c >>> 20) * 2;
    const a1 = (256 + ((c >>> 12) & 255)) * 2;
    const a2 = (512 + ((c >>> 4) & 255)) * 2;
    const a3 = (768 + (((c & 15) << 4) | (d >>> 24))) * 2;
    const a4 = (1024 + ((d >>> 16) & 255)) * 2;
    const a5 = (1280 + ((d >>> 8) & 255)) * 2;
    const a6 = (1536 + (d & 255)) * 2;
    const t = PC2_LOOKUP;
    const k1 = t[a0] | t[a1] | t[a2] | t[a3] | t[a4] | t[a5] | t[a6];
    const k2 = t[a0 + 1] | t[a1 + 1] | t[a2 + 1] | t[a3 + 1] | t[a4 + 1] | t[a5 + 1] | t[a6 + 1];
    const k = r * 8;
    rounds[k] = k1 >>> 26;
    rounds[k + 1] = (k1 >>> 20) & 63;
    rounds[k + 2] = (k1 >>> 14) & 63;
    rounds[k + 3] = (k1 >>> 8) & 63;
    rounds[k + 4] = (k1 >>> 2) & 63;
    rounds[k + 5] = ((k1 & 3) << 4) | (k2 >>> 28);
    rounds[k + 6] = (k2 >>> 22) & 63;
    rounds[k + 7] = (k2 >>> 16) & 63;
  }
}

/** The cipher function f(R, K) of FIPS 46-3: expansion E, key mix, S-boxes and P. */
function feistel(r: number, keys: Uint8Array, round: number): number {
  // E takes bits 32,1..5 / 4..9 / ... / 28..32,1: rotate so bit 32 leads, then read 6-bit windows.
  const x = ((r << 31) | (r >>> 1)) >>> 0;
  const k = round * 8;
  let out = 0;
  for (let g = 0; g < 7; g++) out |= SP[g * 64 + (((x >>> (26 - 4 * g)) & 63) ^ keys[k + g])];
  return out | SP[7 * 64 + ((((x & 15) << 2) | (x >>> 30)) ^ keys[k + 7])];
}

// Round keys of the block being encrypted: every call fills them before use.
const roundKeys = new Uint8Array(16 * 8);

/** DES-encrypts one 8-byte block with a 64-bit key (parity bits ignored). */
export function desEncryptBlock64(key8: Uint8Array, block8: Uint8Array): Uint8Array {
  if (key8.length !== 8 || block8.length !== 8) throw new RangeError('DES needs an 8-byte key and block');
  keySchedule(key8, roundKeys);
  let l = 0;
  let r = 0;
  for (let j = 0; j < 8; j++) {
    const at = (j * 256 + block8[j]) * 2;
    l |= IP_LOOKUP[at];
    r |= IP_LOOKUP[at + 1];
  }
  l >>>= 0;
  r >>>= 0;
  for (let round = 0; round < 16; round++) {
    const next = (l ^ feistel(r, roundKeys, round)) >>> 0;
    l = r;
    r = next;
  }
  // Pre-output is R16 L16, then IP^-1.
  let hi = 0;
  let lo = 0;
  for (let j = 0; j < 8; j++) {
    const byte = (j < 4 ? r >>> (24 - 8 * j) : l >>> (56 - 8 * j)) & 255;
    const at = (j * 256 + byte) * 2;
    hi |= FP_LOOKUP[at];
    lo |= FP_LOOKUP[at + 1];
  }
  const out = new Uint8Array(8);
  out[0] = hi >>> 24;
  out[1] = hi >>> 16;
  out[2] = hi >>> 8;
  out[3] = hi;
  out[4] = lo >>> 24;
  out[5] = lo >>> 16;
  out[6] = lo >>> 8;
  out[7] = lo;
  return out;
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
