/** Request Authenticators must be unpredictable (RFC 2865 §3); taken from a refilled random pool. */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let used = POOL_SIZE;

/** 16 fresh random octets (a view into a pool that is never rewritten). */
export function randomAuthenticator(): Buffer {
  if (used + 16 > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE));
    used = 0;
  }
  const out = pool.subarray(used, used + 16);
  used += 16;
  return out;
}
