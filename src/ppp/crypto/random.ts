/**
 * Cryptographic randomness for CHAP challenges, LCP magic numbers and identifiers (the `random`
 * the PPP engines take), drawn from a 4 KiB block: one OpenSSL call per few hundred sessions
 * instead of several per session. Each byte is handed out once.
 */
import { randomBytes } from 'node:crypto';

const BLOCK = 4096;
const block = { bytes: new Uint8Array(0), used: 0 };

/** `n` fresh random bytes, a copy the caller owns. */
export function pooledRandom(n: number): Uint8Array {
  if (n > BLOCK / 16) return new Uint8Array(randomBytes(n));
  if (block.used + n > block.bytes.length) {
    block.bytes = new Uint8Array(randomBytes(BLOCK));
    block.used = 0;
  }
  block.used += n;
  return block.bytes.slice(block.used - n, block.used);
}
