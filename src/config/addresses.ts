/** Address checks for configuration values (dotted quads, masks, pool ranges). */
import { ipv4FromU32, ipv4ToU32 } from '../wire/bytes.js';

/** Canonical dotted quad, or undefined if `s` is not one (leading zeros are not accepted). */
export function parseAddress(s: string): string | undefined {
  if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(s)) return undefined;
  const n = ipv4ToU32(s);
  return n === undefined ? undefined : ipv4FromU32(n);
}

/** A netmask is contiguous ones then zeros (RFC 950 recommends it; PIX requires it). */
export function isMask(s: string): boolean {
  const n = ipv4ToU32(s);
  if (n === undefined || parseAddress(s) === undefined) return false;
  const inverted = ~n >>> 0;
  return (inverted & (inverted + 1)) === 0;
}

export function prefixLength(mask: string): number {
  let n = ipv4ToU32(mask) ?? 0;
  let bits = 0;
  while (n & 0x80000000) {
    bits++;
    n = (n << 1) >>> 0;
  }
  return bits;
}

export type RangeResult = { first: string; last: string; size: number } | { error: string };

/** `A.B.C.D-E.F.G.H` or a single address. */
export function parseRange(s: string): RangeResult {
  const parts = s.split('-');
  if (parts.length > 2 || parts.some((p) => p === '')) return { error: `'${s}' is not an address range (write FIRST-LAST, e.g. 192.168.1.1-192.168.1.50)` };
  const first = parseAddress(parts[0]);
  const last = parseAddress(parts[1] ?? parts[0]);
  if (first === undefined) return { error: `'${parts[0]}' is not an IPv4 address` };
  if (last === undefined) return { error: `'${parts[1]}' is not an IPv4 address` };
  const a = ipv4ToU32(first)!;
  const b = ipv4ToU32(last)!;
  if (a > b) return { error: `first address ${first} is above last address ${last}` };
  return { first, last, size: b - a + 1 };
}

export function u32(address: string): number {
  return ipv4ToU32(address) ?? 0;
}
