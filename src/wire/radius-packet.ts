/**
 * RADIUS packet format (RFC 2865 §3, §5): Code, Identifier, Length, 16-byte Authenticator, then
 * attributes as Type, Length, Value. Attribute values stay raw bytes; radius-values.ts reads them.
 */
import { DecodeError, type Decoded } from './errors.js';

export const RADIUS_HEADER_LENGTH = 20;
/** RFC 2865 §3: maximum packet length. */
export const RADIUS_MAX_LENGTH = 4096;
/** An attribute's value is at most 253 octets (its Length field counts Type and Length too). */
export const RADIUS_MAX_VALUE_LENGTH = 253;

export interface RadiusAttribute {
  type: number;
  value: Uint8Array;
}

export interface RadiusPacket {
  code: number;
  identifier: number;
  /** 16 octets: Request or Response Authenticator. */
  authenticator: Uint8Array;
  attributes: RadiusAttribute[];
}

/** The bytes of a packet; throws RangeError when a field cannot be represented (caller's bug). */
export function encodeRadiusPacket(packet: RadiusPacket): Buffer {
  if (packet.authenticator.length !== 16) throw new RangeError('RADIUS authenticator must be 16 octets');
  let length = RADIUS_HEADER_LENGTH;
  for (const a of packet.attributes) {
    if (a.value.length > RADIUS_MAX_VALUE_LENGTH) {
      throw new RangeError(`RADIUS attribute ${a.type} value is ${a.value.length} octets (max 253)`);
    }
    length += 2 + a.value.length;
  }
  if (length > RADIUS_MAX_LENGTH) throw new RangeError(`RADIUS packet would be ${length} octets (max 4096)`);
  const out = Buffer.allocUnsafe(length);
  out[0] = packet.code;
  out[1] = packet.identifier;
  out.writeUInt16BE(length, 2);
  out.set(packet.authenticator, 4);
  let at = RADIUS_HEADER_LENGTH;
  for (const a of packet.attributes) {
    out[at] = a.type;
    out[at + 1] = a.value.length + 2;
    out.set(a.value, at + 2);
    at += 2 + a.value.length;
  }
  return out;
}

/**
 * Reads a datagram. Octets beyond the Length field are padding and ignored (RFC 2865 §3); a Length
 * below 20, above 4096 or beyond the datagram, and attributes that do not tile the packet, are errors.
 */
export function decodeRadiusPacket(bytes: Uint8Array): Decoded<RadiusPacket> {
  if (bytes.length < RADIUS_HEADER_LENGTH) {
    return new DecodeError('RADIUS', 'length', `datagram of ${bytes.length} octets is shorter than the header`);
  }
  const length = (bytes[2] << 8) | bytes[3];
  if (length < RADIUS_HEADER_LENGTH || length > RADIUS_MAX_LENGTH) {
    return new DecodeError('RADIUS', 'length', `Length ${length} is outside 20..4096`);
  }
  if (length > bytes.length) {
    return new DecodeError('RADIUS', 'length', `Length ${length} exceeds the ${bytes.length}-octet datagram`);
  }
  const attributes: RadiusAttribute[] = [];
  let at = RADIUS_HEADER_LENGTH;
  while (at < length) {
    if (at + 2 > length) return new DecodeError('RADIUS', 'attribute', `truncated attribute header at octet ${at}`);
    const type = bytes[at];
    const attrLength = bytes[at + 1];
    if (attrLength < 2 || at + attrLength > length) {
      return new DecodeError('RADIUS', 'attribute', `attribute ${type} at octet ${at} has bad Length ${attrLength}`);
    }
    attributes.push({ type, value: bytes.subarray(at + 2, at + attrLength) });
    at += attrLength;
  }
  return {
    code: bytes[0],
    identifier: bytes[1],
    authenticator: bytes.subarray(4, 20),
    attributes,
  };
}

/** First value of an attribute type, if any. */
export function getAttribute(attributes: readonly RadiusAttribute[], type: number): Uint8Array | undefined {
  for (const a of attributes) if (a.type === type) return a.value;
  return undefined;
}

/** Every value of an attribute type, in packet order. */
export function getAttributes(attributes: readonly RadiusAttribute[], type: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const a of attributes) if (a.type === type) out.push(a.value);
  return out;
}
