/**
 * Byte-level mutations for the fuzz harness (the AFL/libFuzzer set): bit flips, interesting
 * values over length fields, inserts, deletes, splices with other corpus entries and dictionary
 * tokens (magic cookies, keywords). Deterministic for a given generator state.
 */
import type { Rng } from '../ppp/link.js';

const INTERESTING_8 = [0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff];
const INTERESTING_16 = [0x0000, 0x0001, 0x0002, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xfffe, 0xffff];
const INTERESTING_32 = [0x00000000, 0x00000001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

export function int(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[int(rng, xs.length)]!;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One mutation of `input` (never modified in place). */
export function mutateOnce(rng: Rng, input: Uint8Array, others: readonly Uint8Array[], dictionary: readonly Uint8Array[]): Uint8Array {
  const b = input.slice();
  const n = b.length;
  const at = (extra = 0) => int(rng, Math.max(1, n - extra));
  switch (int(rng, 14)) {
    case 0: // flip one bit
      if (n > 0) b[at()] ^= 1 << int(rng, 8);
      return b;
    case 1: // random byte
      if (n > 0) b[at()] = int(rng, 256);
      return b;
    case 2: // interesting byte
      if (n > 0) b[at()] = pick(rng, INTERESTING_8);
      return b;
    case 3: {
      // interesting or off-by-one 16-bit value, big-endian as every protocol here
      if (n < 2) return b;
      const o = at(1);
      const v = rng.next() < 0.5 ? pick(rng, INTERESTING_16) : (((b[o]! << 8) | b[o + 1]!) + int(rng, 5) - 2) & 0xffff;
      b[o] = v >> 8;
      b[o + 1] = v & 255;
      return b;
    }
    case 4: {
      if (n < 4) return b;
      const o = at(3);
      const v = pick(rng, INTERESTING_32);
      b[o] = v >>> 24;
      b[o + 1] = (v >>> 16) & 255;
      b[o + 2] = (v >>> 8) & 255;
      b[o + 3] = v & 255;
      return b;
    }
    case 5: // add or subtract a little
      if (n > 0) {
        const o = at();
        b[o] = (b[o]! + int(rng, 35) - 17) & 255;
      }
      return b;
    case 6: {
      // delete a range
      if (n === 0) return b;
      const o = at();
      const len = 1 + int(rng, Math.min(16, n - o));
      return concat(b.subarray(0, o), b.subarray(o + len));
    }
    case 7: {
      // insert random bytes
      const o = int(rng, n + 1);
      return concat(b.subarray(0, o), rng.bytes(1 + int(rng, 16)), b.subarray(o));
    }
    case 8: {
      // duplicate a range
      if (n === 0) return b;
      const o = at();
      const len = 1 + int(rng, Math.min(32, n - o));
      return concat(b.subarray(0, o + len), b.subarray(o, o + len), b.subarray(o + len));
    }
    case 9: // truncate
      return b.subarray(0, int(rng, n + 1)).slice();
    case 10: {
      // splice: our head, another entry's tail
      if (others.length === 0) return b;
      const other = pick(rng, others);
      return concat(b.subarray(0, int(rng, n + 1)), other.subarray(int(rng, other.length + 1)));
    }
    case 11: {
      // insert a dictionary token
      if (dictionary.length === 0) return b;
      const o = int(rng, n + 1);
      return concat(b.subarray(0, o), pick(rng, dictionary), b.subarray(o));
    }
    case 12: {
      // overwrite with a dictionary token
      if (dictionary.length === 0 || n === 0) return b;
      const t = pick(rng, dictionary);
      const o = at();
      for (let i = 0; i < t.length && o + i < n; i++) b[o + i] = t[i]!;
      return b;
    }
    default: {
      // overwrite a range with random bytes
      if (n === 0) return rng.bytes(1 + int(rng, 8));
      const o = at();
      const len = 1 + int(rng, Math.min(8, n - o));
      b.set(rng.bytes(len), o);
      return b;
    }
  }
}

/** One to five stacked mutations, cut to `maxBytes`. */
export function mutate(rng: Rng, input: Uint8Array, others: readonly Uint8Array[], dictionary: readonly Uint8Array[], maxBytes: number): Uint8Array {
  let out = input;
  const rounds = 1 + int(rng, 5);
  for (let i = 0; i < rounds; i++) out = mutateOnce(rng, out, others, dictionary);
  return out.length > maxBytes ? out.subarray(0, maxBytes) : out;
}
