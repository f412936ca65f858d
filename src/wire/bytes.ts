/** Small byte helpers shared by the codecs. */

/** Dotted quad from 4 bytes at offset. */
export function ipv4ToString(b: Uint8Array, offset = 0): string {
  return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
}

/** Dotted quad from a 32-bit number (network order value). */
export function ipv4FromU32(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** 32-bit value of a dotted quad, or undefined if it is not one. */
export function ipv4ToU32(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n >>> 0;
}

/** 4 bytes of a dotted quad; throws on a malformed address (callers validate config first). */
export function ipv4ToBytes(s: string): Uint8Array {
  const n = ipv4ToU32(s);
  if (n === undefined) throw new RangeError(`not an IPv4 address: ${s}`);
  return new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}
