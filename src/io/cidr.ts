/** Address ranges as CIDR blocks (RFC 4632 section 3.1), e.g. to route an address pool. */
import { ipv4FromU32, ipv4ToU32 } from '../wire/bytes.js';

function toU32(a: number | string): number {
  const n = typeof a === 'string' ? ipv4ToU32(a) : a;
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new RangeError(`not an IPv4 address: ${a}`);
  }
  return n;
}

/**
 * The fewest CIDR blocks ('a.b.c.d/len') that cover first..last inclusive, in address order.
 * Addresses are dotted quads or u32 values.
 */
export function rangeToCidrs(first: number | string, last: number | string): string[] {
  const lo = toU32(first);
  const hi = toU32(last);
  if (lo > hi) throw new RangeError(`range start ${ipv4FromU32(lo)} is after its end ${ipv4FromU32(hi)}`);
  const out: string[] = [];
  let cur = lo;
  while (cur <= hi) {
    // The largest block aligned at cur that does not pass hi.
    let bits = 0;
    while (bits < 32 && cur % 2 ** (bits + 1) === 0 && cur + 2 ** (bits + 1) - 1 <= hi) bits++;
    out.push(`${ipv4FromU32(cur)}/${32 - bits}`);
    cur += 2 ** bits;
  }
  return out;
}
