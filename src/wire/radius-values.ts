/**
 * RADIUS attribute data types (RFC 2865 §5: text, string, address, integer, time) and the
 * Vendor-Specific attribute with the vendor-type/vendor-length layout of RFC 2865 §5.26.
 */
import { ipv4ToBytes, ipv4ToString } from './bytes.js';
import { DecodeError, type Decoded, isDecodeError } from './errors.js';
import { RadiusAttr } from './radius-codes.js';
import type { RadiusAttribute } from './radius-packet.js';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

export function textAttribute(type: number, text: string): RadiusAttribute {
  return { type, value: utf8.encode(text) };
}

export function octetsAttribute(type: number, value: Uint8Array): RadiusAttribute {
  return { type, value };
}

/** 32-bit unsigned integer (also enumerated values and time). */
export function integerAttribute(type: number, n: number): RadiusAttribute {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`not a 32-bit value: ${n}`);
  return { type, value: new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]) };
}

export function ipv4Attribute(type: number, address: string): RadiusAttribute {
  return { type, value: ipv4ToBytes(address) };
}

/** Text value; invalid UTF-8 is replaced, never an error (display only). */
export function readText(value: Uint8Array): string {
  return utf8Decoder.decode(value);
}

export function readInteger(value: Uint8Array): Decoded<number> {
  if (value.length !== 4) return new DecodeError('RADIUS', 'integer', `value is ${value.length} octets, not 4`);
  return ((value[0] << 24) | (value[1] << 16) | (value[2] << 8) | value[3]) >>> 0;
}

export function readIpv4(value: Uint8Array): Decoded<string> {
  if (value.length !== 4) return new DecodeError('RADIUS', 'address', `value is ${value.length} octets, not 4`);
  return ipv4ToString(value);
}

/** Integer or undefined (absent or malformed), for optional reply attributes. */
export function optionalInteger(value: Uint8Array | undefined): number | undefined {
  if (!value) return undefined;
  const n = readInteger(value);
  return isDecodeError(n) ? undefined : n;
}

export interface VendorAttribute {
  vendorId: number;
  vendorType: number;
  value: Uint8Array;
}

/** One Vendor-Specific attribute carrying one sub-attribute (RFC 2865 §5.26 suggested format). */
export function vendorAttribute(vendorId: number, vendorType: number, value: Uint8Array): RadiusAttribute {
  if (value.length > 247) throw new RangeError(`vendor attribute ${vendorId}/${vendorType} is too long`);
  const out = new Uint8Array(6 + value.length);
  out[0] = vendorId >>> 24;
  out[1] = (vendorId >>> 16) & 255;
  out[2] = (vendorId >>> 8) & 255;
  out[3] = vendorId & 255;
  out[4] = vendorType;
  out[5] = value.length + 2;
  out.set(value, 6);
  return { type: RadiusAttr.VendorSpecific, value: out };
}

/** Sub-attributes of one Vendor-Specific value; an error if they do not tile the value. */
export function decodeVendorSpecific(value: Uint8Array): Decoded<VendorAttribute[]> {
  if (value.length < 4) return new DecodeError('RADIUS', 'Vendor-Specific', 'shorter than a Vendor-Id');
  const vendorId = ((value[0] << 24) | (value[1] << 16) | (value[2] << 8) | value[3]) >>> 0;
  const out: VendorAttribute[] = [];
  let at = 4;
  if (at === value.length) return new DecodeError('RADIUS', 'Vendor-Specific', 'no sub-attribute');
  while (at < value.length) {
    if (at + 2 > value.length) return new DecodeError('RADIUS', 'Vendor-Specific', 'truncated sub-attribute');
    const len = value[at + 1];
    if (len < 2 || at + len > value.length) {
      return new DecodeError('RADIUS', 'Vendor-Specific', `sub-attribute ${value[at]} has bad length ${len}`);
    }
    out.push({ vendorId, vendorType: value[at], value: value.subarray(at + 2, at + len) });
    at += len;
  }
  return out;
}

/**
 * Every sub-attribute value of (vendorId, vendorType) in the packet, read in place; Vendor-Specific
 * attributes whose sub-attributes do not tile the value are skipped.
 */
export function getVendorAttributes(
  attributes: readonly RadiusAttribute[],
  vendorId: number,
  vendorType: number,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const a of attributes) {
    const v = a.value;
    if (a.type !== RadiusAttr.VendorSpecific || v.length < 6) continue;
    if (((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]) >>> 0 !== vendorId) continue;
    const found: Uint8Array[] = [];
    let at = 4;
    while (at + 2 <= v.length && v[at + 1] >= 2 && at + v[at + 1] <= v.length) {
      if (v[at] === vendorType) found.push(v.subarray(at + 2, at + v[at + 1]));
      at += v[at + 1];
    }
    if (at === v.length) out.push(...found);
  }
  return out;
}

export function getVendorAttribute(
  attributes: readonly RadiusAttribute[],
  vendorId: number,
  vendorType: number,
): Uint8Array | undefined {
  return getVendorAttributes(attributes, vendorId, vendorType)[0];
}
