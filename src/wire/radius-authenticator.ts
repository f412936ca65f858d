/**
 * Packet integrity: Response Authenticator (RFC 2865 §3), the Request Authenticator of
 * Accounting-Request (RFC 2866 §3) and CoA/Disconnect-Request (RFC 5176 §3.5), and
 * Message-Authenticator, HMAC-MD5 over the packet (RFC 3579 §3.2, RFC 5176 §3.5).
 */
import { timingSafeEqual } from 'node:crypto';
import { DecodeError, type Decoded } from './errors.js';
import { RadiusAttr } from './radius-codes.js';
import { hmacMd5Prefixed, md5 } from './radius-md5.js';
import { encodeRadiusPacket, RADIUS_HEADER_LENGTH, type RadiusAttribute } from './radius-packet.js';

const ZERO16 = new Uint8Array(16);

function packetLength(packet: Uint8Array): number {
  return (packet[2] << 8) | packet[3];
}

/** MD5(Code + Identifier + Length + authenticator + Attributes + Secret). */
function md5Over(packet: Uint8Array, authenticator: Uint8Array, secret: Uint8Array): Buffer {
  const len = packetLength(packet);
  const buf = Buffer.allocUnsafe(len + secret.length);
  buf.set(packet.subarray(0, len), 0);
  buf.set(authenticator, 4);
  buf.set(secret, len);
  return md5(buf);
}

function equal16(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 2865 §3 Response Authenticator of an encoded response. */
export function responseAuthenticator(packet: Uint8Array, requestAuthenticator: Uint8Array, secret: Uint8Array): Buffer {
  return md5Over(packet, requestAuthenticator, secret);
}

export function verifyResponseAuthenticator(
  packet: Uint8Array,
  requestAuthenticator: Uint8Array,
  secret: Uint8Array,
): boolean {
  if (packet.length < RADIUS_HEADER_LENGTH || packetLength(packet) > packet.length) return false;
  return equal16(md5Over(packet, requestAuthenticator, secret), packet.subarray(4, 20));
}

/** RFC 2866 §3 / RFC 5176 §3.5: MD5 over the packet with 16 zero octets in the authenticator field. */
export function requestAuthenticator(packet: Uint8Array, secret: Uint8Array): Buffer {
  return md5Over(packet, ZERO16, secret);
}

export function verifyRequestAuthenticator(packet: Uint8Array, secret: Uint8Array): boolean {
  if (packet.length < RADIUS_HEADER_LENGTH || packetLength(packet) > packet.length) return false;
  return equal16(md5Over(packet, ZERO16, secret), packet.subarray(4, 20));
}

/**
 * Offset of the Message-Authenticator value in an encoded packet, undefined when absent; an error
 * when it has the wrong length or appears twice (RFC 3579 §3.2).
 */
export function findMessageAuthenticator(packet: Uint8Array): Decoded<number | undefined> {
  const len = Math.min(packetLength(packet), packet.length);
  let found: number | undefined;
  for (let at = RADIUS_HEADER_LENGTH; at + 2 <= len; ) {
    const attrLen = packet[at + 1];
    if (attrLen < 2) return new DecodeError('RADIUS', 'attribute', `bad Length ${attrLen} at octet ${at}`);
    if (packet[at] === RadiusAttr.MessageAuthenticator) {
      if (attrLen !== 18) return new DecodeError('RADIUS', 'Message-Authenticator', `Length ${attrLen}, not 18`);
      if (found !== undefined) return new DecodeError('RADIUS', 'Message-Authenticator', 'appears twice');
      found = at + 2;
    }
    at += attrLen;
  }
  return found;
}

/**
 * HMAC-MD5 keyed by the secret over the packet with `authenticator` in the authenticator field and
 * the Message-Authenticator value (at `offset`) taken as 16 zero octets.
 */
export function messageAuthenticator(
  packet: Uint8Array,
  authenticator: Uint8Array,
  offset: number,
  secret: Uint8Array,
): Buffer {
  const len = packetLength(packet);
  const buf = Buffer.allocUnsafe(64 + len);
  buf.set(packet.subarray(0, len), 64);
  buf.set(authenticator, 64 + 4);
  buf.fill(0, 64 + offset, 64 + offset + 16);
  return hmacMd5Prefixed(secret, buf);
}

export type MessageAuthenticatorCheck = 'valid' | 'invalid' | 'absent';

/**
 * Checks Message-Authenticator wherever it sits. `authenticator` is what the sender had in the field
 * while signing: the Request Authenticator for replies and Access-Request, zeros for
 * Accounting-, CoA- and Disconnect-Request.
 */
export function verifyMessageAuthenticator(
  packet: Uint8Array,
  authenticator: Uint8Array,
  secret: Uint8Array,
): MessageAuthenticatorCheck {
  const offset = findMessageAuthenticator(packet);
  if (offset === undefined) return 'absent';
  if (offset instanceof DecodeError) return 'invalid';
  const expected = messageAuthenticator(packet, authenticator, offset, secret);
  return equal16(expected, packet.subarray(offset, offset + 16)) ? 'valid' : 'invalid';
}

function withMessageAuthenticatorFirst(attributes: readonly RadiusAttribute[]): RadiusAttribute[] {
  const rest = attributes.filter((a) => a.type !== RadiusAttr.MessageAuthenticator);
  return [{ type: RadiusAttr.MessageAuthenticator, value: ZERO16 }, ...rest];
}

/** Value offset of a Message-Authenticator placed first by withMessageAuthenticatorFirst. */
const FIRST_ATTRIBUTE_VALUE = RADIUS_HEADER_LENGTH + 2;

/**
 * Access-Request or Status-Server: Message-Authenticator as the first attribute, signed over the
 * random Request Authenticator (RFC 3579 §3.2, RFC 5997 §3).
 */
export function sealAccessRequest(
  code: number,
  identifier: number,
  authenticator: Uint8Array,
  attributes: readonly RadiusAttribute[],
  secret: Uint8Array,
): Buffer {
  const out = encodeRadiusPacket({
    code,
    identifier,
    authenticator,
    attributes: withMessageAuthenticatorFirst(attributes),
  });
  out.set(messageAuthenticator(out, authenticator, FIRST_ATTRIBUTE_VALUE, secret), FIRST_ATTRIBUTE_VALUE);
  return out;
}

/**
 * Accounting-Request, CoA-Request, Disconnect-Request: optional Message-Authenticator (signed with a
 * zero authenticator field), then the Request Authenticator over the result.
 */
export function sealRequest(
  code: number,
  identifier: number,
  attributes: readonly RadiusAttribute[],
  secret: Uint8Array,
  withMessageAuthenticator: boolean,
): Buffer {
  const attrs = withMessageAuthenticator ? withMessageAuthenticatorFirst(attributes) : [...attributes];
  const out = encodeRadiusPacket({ code, identifier, authenticator: ZERO16, attributes: attrs });
  if (withMessageAuthenticator) {
    out.set(messageAuthenticator(out, ZERO16, FIRST_ATTRIBUTE_VALUE, secret), FIRST_ATTRIBUTE_VALUE);
  }
  out.set(requestAuthenticator(out, secret), 4);
  return out;
}

/** A reply: optional Message-Authenticator over the request's authenticator, then the Response Authenticator. */
export function sealResponse(
  code: number,
  identifier: number,
  requestAuth: Uint8Array,
  attributes: readonly RadiusAttribute[],
  secret: Uint8Array,
  withMessageAuthenticator: boolean,
): Buffer {
  const attrs = withMessageAuthenticator ? withMessageAuthenticatorFirst(attributes) : [...attributes];
  const out = encodeRadiusPacket({ code, identifier, authenticator: requestAuth, attributes: attrs });
  if (withMessageAuthenticator) {
    out.set(messageAuthenticator(out, requestAuth, FIRST_ATTRIBUTE_VALUE, secret), FIRST_ATTRIBUTE_VALUE);
  }
  out.set(responseAuthenticator(out, requestAuth, secret), 4);
  return out;
}
