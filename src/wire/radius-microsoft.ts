/** Layouts of the RFC 2548 §2.3 MS-CHAP sub-attribute values. */
import { DecodeError, type Decoded } from './errors.js';

/** RFC 2548 §2.3.2 MS-CHAP-Response: Ident, Flags (1 = use NT-Response), LM-Response (24), NT-Response (24). */
export function encodeMsChapResponse(
  ident: number,
  useNtResponse: boolean,
  lmResponse: Uint8Array,
  ntResponse: Uint8Array,
): Uint8Array {
  if (lmResponse.length !== 24 || ntResponse.length !== 24) throw new RangeError('MS-CHAP responses are 24 octets');
  const out = new Uint8Array(50);
  out[0] = ident;
  out[1] = useNtResponse ? 1 : 0;
  out.set(lmResponse, 2);
  out.set(ntResponse, 26);
  return out;
}

/** RFC 2548 §2.3.3 MS-CHAP2-Response: Ident, Flags, Peer-Challenge (16), Reserved (8 zero), Response (24). */
export function encodeMsChap2Response(
  ident: number,
  flags: number,
  peerChallenge: Uint8Array,
  ntResponse: Uint8Array,
): Uint8Array {
  if (peerChallenge.length !== 16 || ntResponse.length !== 24) {
    throw new RangeError('MS-CHAP2-Response needs a 16-octet peer challenge and a 24-octet response');
  }
  const out = new Uint8Array(50);
  out[0] = ident;
  out[1] = flags;
  out.set(peerChallenge, 2);
  out.set(ntResponse, 26);
  return out;
}

const latin1 = new TextDecoder('latin1');

/** RFC 2548 §2.3.4 MS-CHAP2-Success: Ident + "S=<40 hex>" (possibly followed by " M=..."). */
export function decodeMsChap2Success(value: Uint8Array): Decoded<{ ident: number; authenticatorResponse: string }> {
  if (value.length < 43) return new DecodeError('RADIUS', 'MS-CHAP2-Success', `value of ${value.length} octets`);
  const text = latin1.decode(value.subarray(1));
  const m = /^S=([0-9A-Fa-f]{40})/.exec(text);
  if (!m) return new DecodeError('RADIUS', 'MS-CHAP2-Success', 'no S=<40 hex digits>');
  return { ident: value[0], authenticatorResponse: 'S=' + m[1].toUpperCase() };
}

/** RFC 2548 §2.3.5 MS-CHAP-Error: Ident + "E=eeeeeeeeee R=r C=... V=v M=..." (RFC 2759 §6). */
export function decodeMsChapError(value: Uint8Array): Decoded<{ ident: number; code: number; text: string }> {
  if (value.length < 2) return new DecodeError('RADIUS', 'MS-CHAP-Error', `value of ${value.length} octets`);
  const text = latin1.decode(value.subarray(1));
  const m = /E=(\d{1,10})/.exec(text);
  if (!m) return new DecodeError('RADIUS', 'MS-CHAP-Error', 'no E=<code>');
  return { ident: value[0], code: Number(m[1]), text };
}
