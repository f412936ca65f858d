/**
 * MD5 and HMAC-MD5 (RFC 2104) for RADIUS, one-shot over contiguous bytes: every packet needs
 * several, and node:crypto's streaming objects (createHmac above all) cost more than the hashing.
 */
import { createHash, hash } from 'node:crypto';

export function md5(data: Uint8Array): Buffer {
  return hash('md5', data, 'buffer');
}

interface Pads {
  inner: Buffer;
  outer: Buffer;
}

/** K xor ipad and K xor opad (RFC 2104 §2), per key object (shared secrets are never mutated). */
const padCache = new WeakMap<Uint8Array, Pads>();

function pads(key: Uint8Array): Pads {
  let p = padCache.get(key);
  if (!p) {
    const k = key.length > 64 ? createHash('md5').update(key).digest() : key;
    const inner = Buffer.alloc(64, 0x36);
    const outer = Buffer.alloc(64, 0x5c);
    for (let i = 0; i < k.length; i++) {
      inner[i] ^= k[i];
      outer[i] ^= k[i];
    }
    p = { inner, outer };
    padCache.set(key, p);
  }
  return p;
}

/**
 * HMAC-MD5 of data[64..], where data[0..64) is spare room (overwritten with K xor ipad): the caller
 * allocates once and no further copy is made.
 */
export function hmacMd5Prefixed(key: Uint8Array, data: Buffer): Buffer {
  const p = pads(key);
  p.inner.copy(data, 0);
  const outer = Buffer.allocUnsafe(80);
  p.outer.copy(outer, 0);
  md5(data).copy(outer, 64);
  return md5(outer);
}
