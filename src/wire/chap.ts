/**
 * CHAP (RFC 1994 §4) packets, and the MS-CHAP value and message formats: v1 Response (RFC 2433
 * §3.2), v2 Response (RFC 2759 §4), the Failure text "E=... R=... C=... V=... M=..." (RFC 2433 §3.4,
 * RFC 2759 §6) and the v2 Success text "S=<40 hex> M=..." (RFC 2759 §5).
 */
import { toHex } from './bytes.js';
import { DecodeError, type Decoded } from './errors.js';
import { concatBytes, decodeControlPacket, encodeControlPacket } from './ppp-control.js';

export const ChapCode = { Challenge: 1, Response: 2, Success: 3, Failure: 4 } as const;

export type ChapPacket =
  | { code: 1 | 2; identifier: number; value: Uint8Array; name: Uint8Array }
  | { code: 3 | 4; identifier: number; message: Uint8Array };

export function decodeChapPacket(info: Uint8Array): Decoded<ChapPacket> {
  const packet = decodeControlPacket(info, 'CHAP');
  if (packet instanceof DecodeError) return packet;
  const { code, identifier, data } = packet;
  if (code === 1 || code === 2) {
    if (data.length < 1) return new DecodeError('CHAP', 'valueSize', 'missing');
    const size = data[0];
    if (size === 0) return new DecodeError('CHAP', 'valueSize', 'Value-Size is 0');
    if (1 + size > data.length) return new DecodeError('CHAP', 'value', 'Value overruns the packet');
    return { code, identifier, value: data.subarray(1, 1 + size), name: data.subarray(1 + size) };
  }
  if (code === 3 || code === 4) return { code, identifier, message: data };
  return new DecodeError('CHAP', 'code', `unknown code ${code}`);
}

export function encodeChapPacket(packet: ChapPacket): Uint8Array {
  switch (packet.code) {
    case 1:
    case 2:
      if (packet.value.length < 1 || packet.value.length > 255) throw new RangeError('CHAP Value is 1..255 octets');
      return encodeControlPacket(packet.code, packet.identifier, concatBytes([new Uint8Array([packet.value.length]), packet.value, packet.name]));
    default:
      return encodeControlPacket(packet.code, packet.identifier, packet.message);
  }
}

/** MS-CHAP v1 Response value (RFC 2433 §3.2): 24 LM + 24 NT + Use-Windows-NT-compatible flag. */
export interface MschapV1Response {
  lmResponse: Uint8Array;
  ntResponse: Uint8Array;
  useNtResponse: boolean;
}

export const MSCHAP_RESPONSE_SIZE = 49;

export function decodeMschapV1Response(value: Uint8Array): Decoded<MschapV1Response> {
  if (value.length !== MSCHAP_RESPONSE_SIZE) return new DecodeError('MS-CHAP', 'valueSize', `v1 Response is ${value.length} octets, not 49`);
  return { lmResponse: value.subarray(0, 24), ntResponse: value.subarray(24, 48), useNtResponse: value[48] === 1 };
}

export function encodeMschapV1Response(r: MschapV1Response): Uint8Array {
  const out = new Uint8Array(MSCHAP_RESPONSE_SIZE);
  out.set(r.lmResponse.subarray(0, 24), 0);
  out.set(r.ntResponse.subarray(0, 24), 24);
  out[48] = r.useNtResponse ? 1 : 0;
  return out;
}

/** MS-CHAP v2 Response value (RFC 2759 §4): 16 Peer-Challenge + 8 reserved + 24 NT + Flags. */
export interface MschapV2Response {
  peerChallenge: Uint8Array;
  reserved: Uint8Array;
  ntResponse: Uint8Array;
  flags: number;
}

export function decodeMschapV2Response(value: Uint8Array): Decoded<MschapV2Response> {
  if (value.length !== MSCHAP_RESPONSE_SIZE) return new DecodeError('MS-CHAP-V2', 'valueSize', `Response is ${value.length} octets, not 49`);
  return {
    peerChallenge: value.subarray(0, 16),
    reserved: value.subarray(16, 24),
    ntResponse: value.subarray(24, 48),
    flags: value[48],
  };
}

export function encodeMschapV2Response(r: { peerChallenge: Uint8Array; ntResponse: Uint8Array; flags?: number }): Uint8Array {
  const out = new Uint8Array(MSCHAP_RESPONSE_SIZE);
  out.set(r.peerChallenge.subarray(0, 16), 0);
  out.set(r.ntResponse.subarray(0, 24), 24);
  out[48] = r.flags ?? 0;
  return out;
}

/** The Failure message fields (RFC 2759 §6; v1: RFC 2433 §3.4). */
export interface MschapFailure {
  error: number;
  retry: boolean;
  /** The C= challenge (16 octets for v2, 8 for v1), when present. */
  challenge?: Uint8Array;
  version?: number;
  message?: string;
}

export function formatMschapFailure(f: MschapFailure): string {
  let text = `E=${f.error} R=${f.retry ? 1 : 0}`;
  if (f.challenge) text += ` C=${toHex(f.challenge).toUpperCase()}`;
  if (f.version !== undefined) text += ` V=${f.version}`;
  if (f.message !== undefined) text += ` M=${f.message}`;
  return text;
}

export function parseMschapFailure(text: string): Decoded<MschapFailure> {
  const e = /^E=(\d+)/.exec(text);
  if (!e) return new DecodeError('MS-CHAP', 'E', 'Failure message does not start with E=');
  const out: MschapFailure = { error: Number(e[1]), retry: false };
  const r = /(?:^| )R=([01])(?= |$)/.exec(text);
  if (r) out.retry = r[1] === '1';
  const c = /(?:^| )C=([0-9A-Fa-f]+)(?= |$)/.exec(text);
  if (c && c[1].length % 2 === 0) out.challenge = new Uint8Array(Buffer.from(c[1], 'hex'));
  const v = /(?:^| )V=(\d+)(?= |$)/.exec(text);
  if (v) out.version = Number(v[1]);
  const m = / M=(.*)$/s.exec(text);
  if (m) out.message = m[1];
  return out;
}

/** v2 Success (RFC 2759 §5): "S=<40 hex digits>" optionally followed by " M=<message>". */
export interface MschapV2Success {
  /** "S=" plus 40 upper-case hex digits, as generateAuthenticatorResponse returns it. */
  authenticatorResponse: string;
  message?: string;
}

export function formatMschapV2Success(s: MschapV2Success): string {
  return s.message === undefined ? s.authenticatorResponse : `${s.authenticatorResponse} M=${s.message}`;
}

export function parseMschapV2Success(text: string): Decoded<MschapV2Success> {
  const s = /^S=([0-9A-Fa-f]{40})(?: M=(.*))?$/s.exec(text);
  if (!s) return new DecodeError('MS-CHAP-V2', 'S', 'Success message is not "S=<40 hex>[ M=...]"');
  const out: MschapV2Success = { authenticatorResponse: `S=${s[1].toUpperCase()}` };
  if (s[2] !== undefined) out.message = s[2];
  return out;
}
