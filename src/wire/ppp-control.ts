/**
 * The packet format LCP, IPCP and CCP share (RFC 1661 §5): Code, Identifier, Length, Data, and the
 * option list of the Configure packets (RFC 1661 §6: Type, Length, Data).
 */
import { DecodeError, type Decoded } from './errors.js';

/** Codes (RFC 1661 §5, RFC 1570 §2-3 for 12-13, RFC 1962 §5 for 14-15). */
export const ControlCode = {
  ConfigureRequest: 1,
  ConfigureAck: 2,
  ConfigureNak: 3,
  ConfigureReject: 4,
  TerminateRequest: 5,
  TerminateAck: 6,
  CodeReject: 7,
  ProtocolReject: 8,
  EchoRequest: 9,
  EchoReply: 10,
  DiscardRequest: 11,
  Identification: 12,
  TimeRemaining: 13,
  ResetRequest: 14,
  ResetAck: 15,
} as const;

export interface ControlPacket {
  code: number;
  identifier: number;
  /** Octets after the 4-octet header, up to Length (a view, not a copy). */
  data: Uint8Array;
}

/** RFC 1661 §5: octets beyond Length are padding and ignored. */
export function decodeControlPacket(info: Uint8Array, protocol = 'PPP'): Decoded<ControlPacket> {
  if (info.length < 4) return new DecodeError(protocol, 'length', `packet of ${info.length} octets is shorter than its header`);
  const length = (info[2] << 8) | info[3];
  if (length < 4) return new DecodeError(protocol, 'length', `Length ${length} is below 4`);
  if (length > info.length) return new DecodeError(protocol, 'length', `Length ${length} exceeds the ${info.length} octets received`);
  return { code: info[0], identifier: info[1], data: info.subarray(4, length) };
}

export function encodeControlPacket(code: number, identifier: number, data: Uint8Array = EMPTY): Uint8Array {
  const length = 4 + data.length;
  const out = new Uint8Array(length);
  out[0] = code;
  out[1] = identifier & 0xff;
  out[2] = length >>> 8;
  out[3] = length & 0xff;
  out.set(data, 4);
  return out;
}

export const EMPTY = new Uint8Array(0);

/** One configuration option as it is on the wire. */
export interface RawOption {
  type: number;
  /** Octets after Type and Length. */
  data: Uint8Array;
}

/** Split an option list (RFC 1661 §6); every option needs Length >= 2 and must fit. */
export function decodeOptions(bytes: Uint8Array, protocol = 'PPP'): Decoded<RawOption[]> {
  const options: RawOption[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length) return new DecodeError(protocol, 'option', 'option header truncated');
    const type = bytes[offset];
    const length = bytes[offset + 1];
    if (length < 2) return new DecodeError(protocol, 'option', `option ${type} has Length ${length}`);
    if (offset + length > bytes.length) return new DecodeError(protocol, 'option', `option ${type} overruns the packet`);
    options.push({ type, data: bytes.subarray(offset + 2, offset + length) });
    offset += length;
  }
  return options;
}

/** The wire form of one option. */
export function encodeOption(type: number, data: Uint8Array = EMPTY): Uint8Array {
  const out = new Uint8Array(2 + data.length);
  out[0] = type;
  out[1] = 2 + data.length;
  out.set(data, 2);
  return out;
}

export function encodeOptions(options: readonly RawOption[]): Uint8Array {
  return concatBytes(options.map((o) => encodeOption(o.type, o.data)));
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function u16(value: number): Uint8Array {
  return new Uint8Array([(value >>> 8) & 255, value & 255]);
}

export function u32(value: number): Uint8Array {
  return new Uint8Array([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
}

export function readU16(b: Uint8Array, offset: number): number {
  return (b[offset] << 8) | b[offset + 1];
}

export function readU32(b: Uint8Array, offset: number): number {
  return ((b[offset] << 24) | (b[offset + 1] << 16) | (b[offset + 2] << 8) | b[offset + 3]) >>> 0;
}

/** Configure-Request/-Ack/-Nak/-Reject with options of type O (RFC 1661 §5.1-5.4). */
export interface ConfigurePacket<O> {
  code: 1 | 2 | 3 | 4;
  identifier: number;
  options: O[];
}

/** Terminate-Request/-Ack (RFC 1661 §5.5): Data is opaque (vpdn puts a reason text there). */
export interface TerminatePacket {
  code: 5 | 6;
  identifier: number;
  data: Uint8Array;
}

/** Code-Reject (RFC 1661 §5.6): the rejected packet, header included. */
export interface CodeRejectPacket {
  code: 7;
  identifier: number;
  rejected: Uint8Array;
}

/** Decode the packet kinds every control protocol has (codes 1-7); undefined for other codes. */
export function decodeCommonPacket<O>(
  packet: ControlPacket,
  decodeOption: (raw: RawOption) => O,
  protocol: string,
): Decoded<ConfigurePacket<O> | TerminatePacket | CodeRejectPacket> | undefined {
  const { code, identifier, data } = packet;
  if (code >= 1 && code <= 4) {
    const raw = decodeOptions(data, protocol);
    if (raw instanceof DecodeError) return raw;
    return { code: code as 1 | 2 | 3 | 4, identifier, options: raw.map(decodeOption) };
  }
  if (code === 5 || code === 6) return { code, identifier, data };
  if (code === 7) {
    if (data.length < 4) return new DecodeError(protocol, 'rejected', 'Code-Reject carries no rejected packet header');
    return { code, identifier, rejected: data };
  }
  return undefined;
}

export function encodeCommonPacket<O>(
  packet: ConfigurePacket<O> | TerminatePacket | CodeRejectPacket,
  encodeOption: (option: O) => Uint8Array,
): Uint8Array {
  switch (packet.code) {
    case 1:
    case 2:
    case 3:
    case 4:
      return encodeControlPacket(packet.code, packet.identifier, concatBytes(packet.options.map(encodeOption)));
    case 5:
    case 6:
      return encodeControlPacket(packet.code, packet.identifier, packet.data);
    case 7:
      return encodeControlPacket(packet.code, packet.identifier, packet.rejected);
  }
}
