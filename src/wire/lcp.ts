/**
 * LCP (RFC 1661 §5-6, RFC 1570): typed options and packets. Options vpdn does not negotiate (and
 * known options with a malformed length) are kept raw so the engine can Configure-Reject them.
 */
import type { AuthType } from '../aaa/authenticator.js';
import { DecodeError, type Decoded } from './errors.js';
import {
  type CodeRejectPacket,
  type ConfigurePacket,
  type RawOption,
  type TerminatePacket,
  concatBytes,
  decodeCommonPacket,
  decodeControlPacket,
  encodeCommonPacket,
  encodeControlPacket,
  encodeOption,
  readU16,
  readU32,
  u16,
  u32,
} from './ppp-control.js';

/** LCP option types (RFC 1661 §6, RFC 1570, RFC 1990 §5.1, RFC 2125 §5.1.3, IANA). */
export const LcpOptionType = {
  MaximumReceiveUnit: 1,
  AsyncControlCharacterMap: 2,
  AuthenticationProtocol: 3,
  QualityProtocol: 4,
  MagicNumber: 5,
  ProtocolFieldCompression: 7,
  AddressAndControlFieldCompression: 8,
  Callback: 13,
  MultilinkMrru: 17,
  EndpointDiscriminator: 19,
  LinkDiscriminator: 23,
} as const;

/** Authentication-Protocol values (RFC 1334 §2.2, RFC 1994 §3, RFC 2433 §2, RFC 2759 §2). */
export const AuthProtocol = { PAP: 0xc023, CHAP: 0xc223 } as const;
export const ChapAlgorithm = { MD5: 5, MSCHAPv1: 0x80, MSCHAPv2: 0x81 } as const;

export type LcpOption =
  | { type: 'mru'; mru: number }
  | { type: 'accm'; accm: number }
  | { type: 'auth-protocol'; protocol: number; data: Uint8Array }
  | { type: 'magic-number'; magic: number }
  | { type: 'pfc' }
  | { type: 'acfc' }
  | { type: 'raw'; code: number; data: Uint8Array };

export function decodeLcpOption(raw: RawOption): LcpOption {
  const { type, data } = raw;
  switch (type) {
    case LcpOptionType.MaximumReceiveUnit:
      if (data.length === 2) return { type: 'mru', mru: readU16(data, 0) };
      break;
    case LcpOptionType.AsyncControlCharacterMap:
      if (data.length === 4) return { type: 'accm', accm: readU32(data, 0) };
      break;
    case LcpOptionType.AuthenticationProtocol:
      if (data.length >= 2) return { type: 'auth-protocol', protocol: readU16(data, 0), data: data.subarray(2) };
      break;
    case LcpOptionType.MagicNumber:
      if (data.length === 4) return { type: 'magic-number', magic: readU32(data, 0) };
      break;
    case LcpOptionType.ProtocolFieldCompression:
      if (data.length === 0) return { type: 'pfc' };
      break;
    case LcpOptionType.AddressAndControlFieldCompression:
      if (data.length === 0) return { type: 'acfc' };
      break;
  }
  return { type: 'raw', code: type, data };
}

export function encodeLcpOption(option: LcpOption): Uint8Array {
  switch (option.type) {
    case 'mru':
      return encodeOption(LcpOptionType.MaximumReceiveUnit, u16(option.mru));
    case 'accm':
      return encodeOption(LcpOptionType.AsyncControlCharacterMap, u32(option.accm));
    case 'auth-protocol':
      return encodeOption(LcpOptionType.AuthenticationProtocol, concatBytes([u16(option.protocol), option.data]));
    case 'magic-number':
      return encodeOption(LcpOptionType.MagicNumber, u32(option.magic));
    case 'pfc':
      return encodeOption(LcpOptionType.ProtocolFieldCompression);
    case 'acfc':
      return encodeOption(LcpOptionType.AddressAndControlFieldCompression);
    case 'raw':
      return encodeOption(option.code, option.data);
  }
}

/** The Authentication-Protocol option for an auth type. */
export function authProtocolOption(auth: AuthType): LcpOption {
  switch (auth) {
    case 'pap':
      return { type: 'auth-protocol', protocol: AuthProtocol.PAP, data: new Uint8Array(0) };
    case 'chap-md5':
      return { type: 'auth-protocol', protocol: AuthProtocol.CHAP, data: new Uint8Array([ChapAlgorithm.MD5]) };
    case 'mschap-v1':
      return { type: 'auth-protocol', protocol: AuthProtocol.CHAP, data: new Uint8Array([ChapAlgorithm.MSCHAPv1]) };
    case 'mschap-v2':
      return { type: 'auth-protocol', protocol: AuthProtocol.CHAP, data: new Uint8Array([ChapAlgorithm.MSCHAPv2]) };
  }
}

/** The auth type an Authentication-Protocol option names, or undefined (SPAP, EAP, unknown algorithms). */
export function authTypeOf(protocol: number, data: Uint8Array): AuthType | undefined {
  if (protocol === AuthProtocol.PAP && data.length === 0) return 'pap';
  if (protocol === AuthProtocol.CHAP && data.length === 1) {
    if (data[0] === ChapAlgorithm.MD5) return 'chap-md5';
    if (data[0] === ChapAlgorithm.MSCHAPv1) return 'mschap-v1';
    if (data[0] === ChapAlgorithm.MSCHAPv2) return 'mschap-v2';
  }
  return undefined;
}

/** Protocol-Reject (RFC 1661 §5.7). */
export interface ProtocolRejectPacket {
  code: 8;
  identifier: number;
  protocol: number;
  rejected: Uint8Array;
}

/** Echo-Request/-Reply and Discard-Request (RFC 1661 §5.8-5.9). */
export interface EchoPacket {
  code: 9 | 10 | 11;
  identifier: number;
  magic: number;
  data: Uint8Array;
}

/** Identification (RFC 1570 §2.1), e.g. Windows' "MSRASV5.20". */
export interface IdentificationPacket {
  code: 12;
  identifier: number;
  magic: number;
  message: Uint8Array;
}

/** Time-Remaining (RFC 1570 §2.2). */
export interface TimeRemainingPacket {
  code: 13;
  identifier: number;
  magic: number;
  seconds: number;
  message: Uint8Array;
}

export type LcpPacket =
  | ConfigurePacket<LcpOption>
  | TerminatePacket
  | CodeRejectPacket
  | ProtocolRejectPacket
  | EchoPacket
  | IdentificationPacket
  | TimeRemainingPacket;

/** Decode the information field of an LCP frame. */
export function decodeLcpPacket(info: Uint8Array): Decoded<LcpPacket> {
  const packet = decodeControlPacket(info, 'LCP');
  if (packet instanceof DecodeError) return packet;
  const common = decodeCommonPacket(packet, decodeLcpOption, 'LCP');
  if (common !== undefined) return common;
  const { code, identifier, data } = packet;
  switch (code) {
    case 8:
      if (data.length < 2) return new DecodeError('LCP', 'protocol', 'Protocol-Reject has no Rejected-Protocol');
      return { code, identifier, protocol: readU16(data, 0), rejected: data.subarray(2) };
    case 9:
    case 10:
    case 11:
      if (data.length < 4) return new DecodeError('LCP', 'magic', 'Magic-Number missing');
      return { code, identifier, magic: readU32(data, 0), data: data.subarray(4) };
    case 12:
      if (data.length < 4) return new DecodeError('LCP', 'magic', 'Magic-Number missing');
      return { code, identifier, magic: readU32(data, 0), message: data.subarray(4) };
    case 13:
      if (data.length < 8) return new DecodeError('LCP', 'seconds', 'Seconds-Remaining missing');
      return { code, identifier, magic: readU32(data, 0), seconds: readU32(data, 4), message: data.subarray(8) };
  }
  return new DecodeError('LCP', 'code', `unknown code ${code}`);
}

export function encodeLcpPacket(packet: LcpPacket): Uint8Array {
  switch (packet.code) {
    case 8:
      return encodeControlPacket(8, packet.identifier, concatBytes([u16(packet.protocol), packet.rejected]));
    case 9:
    case 10:
    case 11:
      return encodeControlPacket(packet.code, packet.identifier, concatBytes([u32(packet.magic), packet.data]));
    case 12:
      return encodeControlPacket(12, packet.identifier, concatBytes([u32(packet.magic), packet.message]));
    case 13:
      return encodeControlPacket(13, packet.identifier, concatBytes([u32(packet.magic), u32(packet.seconds), packet.message]));
    default:
      return encodeCommonPacket(packet, encodeLcpOption);
  }
}
