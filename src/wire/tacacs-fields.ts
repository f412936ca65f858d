/**
 * Values and helpers shared by the TACACS+ bodies (RFC 8907 §5–§8): authen_type,
 * authen_service, authen_method, privilege levels, text fields and AV pairs.
 */
import { DecodeError, type Decoded } from './errors.js';

/** RFC 8907 §5.1 action */
export const TAC_PLUS_AUTHEN_LOGIN = 0x01;
export const TAC_PLUS_AUTHEN_CHPASS = 0x02;
export const TAC_PLUS_AUTHEN_SENDAUTH = 0x04;

/** RFC 8907 §5.1 authen_type (NOT_SET only in authorization and accounting, §6.1) */
export const TAC_PLUS_AUTHEN_TYPE_NOT_SET = 0x00;
export const TAC_PLUS_AUTHEN_TYPE_ASCII = 0x01;
export const TAC_PLUS_AUTHEN_TYPE_PAP = 0x02;
export const TAC_PLUS_AUTHEN_TYPE_CHAP = 0x03;
export const TAC_PLUS_AUTHEN_TYPE_MSCHAP = 0x05;
export const TAC_PLUS_AUTHEN_TYPE_MSCHAPV2 = 0x06;

/** RFC 8907 §5.1 authen_service */
export const TAC_PLUS_AUTHEN_SVC_NONE = 0x00;
export const TAC_PLUS_AUTHEN_SVC_LOGIN = 0x01;
export const TAC_PLUS_AUTHEN_SVC_ENABLE = 0x02;
export const TAC_PLUS_AUTHEN_SVC_PPP = 0x03;

/** RFC 8907 §6.1 authen_method */
export const TAC_PLUS_AUTHEN_METH_NOT_SET = 0x00;
export const TAC_PLUS_AUTHEN_METH_NONE = 0x01;
export const TAC_PLUS_AUTHEN_METH_LOCAL = 0x05;
export const TAC_PLUS_AUTHEN_METH_TACACSPLUS = 0x06;
export const TAC_PLUS_AUTHEN_METH_RADIUS = 0x10;

/** RFC 8907 §9 */
export const TAC_PLUS_PRIV_LVL_MIN = 0x00;
export const TAC_PLUS_PRIV_LVL_USER = 0x01;
export const TAC_PLUS_PRIV_LVL_MAX = 0x0f;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function textBytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function bytesText(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Length-checked field for a 1-byte length; encoders throw RangeError for callers' bugs. */
export function shortField(name: string, b: Uint8Array): Uint8Array {
  if (b.length > 255) throw new RangeError(`TACACS+ ${name} is ${b.length} bytes, at most 255`);
  return b;
}

export function longField(name: string, b: Uint8Array): Uint8Array {
  if (b.length > 0xffff) throw new RangeError(`TACACS+ ${name} is ${b.length} bytes, at most 65535`);
  return b;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** RFC 8907 §4.5: after de-obfuscation the component lengths must add up to the body length. */
export function innerLengthError(protocolPart: string, sum: number, length: number): DecodeError {
  return new DecodeError(
    'TACACS+',
    protocolPart,
    `inner lengths add up to ${sum}, body is ${length} bytes: bad key or protocol error`,
  );
}

/** Splits `lengths` consecutive fields starting at `offset`; the caller has checked the total. */
export function splitFields(b: Uint8Array, offset: number, lengths: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = offset;
  for (const n of lengths) {
    out.push(b.subarray(o, o + n));
    o += n;
  }
  return out;
}

/** RFC 8907 §6.1: "attribute=value" (mandatory) or "attribute*value" (optional). */
export interface AvPair {
  name: string;
  value: string;
  mandatory: boolean;
}

export function parseAvPair(s: string): Decoded<AvPair> {
  const eq = s.indexOf('=');
  const star = s.indexOf('*');
  let at: number;
  if (eq < 0) at = star;
  else if (star < 0) at = eq;
  else at = Math.min(eq, star);
  if (at <= 0) return new DecodeError('TACACS+', 'arg', `not an attribute-value pair: ${JSON.stringify(s.slice(0, 40))}`);
  return { name: s.slice(0, at), value: s.slice(at + 1), mandatory: s[at] === '=' };
}

export function formatAvPair(p: AvPair): string {
  return `${p.name}${p.mandatory ? '=' : '*'}${p.value}`;
}
