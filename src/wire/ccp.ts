/**
 * CCP (RFC 1962) with the MPPE option (RFC 3078 §2.1): option type 18, four octets of Supported
 * Bits. In network order the octets are [H-octet, 0, 0, M S L D . . . C]: H (0x01000000) asks for
 * stateless mode; M 0x80 = 56-bit, S 0x40 = 128-bit, L 0x20 = 40-bit, D 0x10 obsolete, C 0x01 MPPC.
 */
import { DecodeError, type Decoded } from './errors.js';
import {
  type CodeRejectPacket,
  type ConfigurePacket,
  type RawOption,
  type TerminatePacket,
  decodeCommonPacket,
  decodeControlPacket,
  encodeCommonPacket,
  encodeControlPacket,
  encodeOption,
  readU32,
  u32,
} from './ppp-control.js';

export const CcpOptionType = {
  /** Stac LZS (RFC 1974), offered by Windows; vpdn rejects it. */
  StacLzs: 17,
  /** Microsoft PPC / MPPE (RFC 2118, RFC 3078). */
  Mppe: 18,
} as const;

/** Supported Bits of the MPPE option (RFC 3078 §2.1). */
export const MppeBits = {
  H: 0x01000000,
  M: 0x80,
  S: 0x40,
  L: 0x20,
  D: 0x10,
  C: 0x01,
} as const;

export type CcpOption = { type: 'mppe'; bits: number } | { type: 'raw'; code: number; data: Uint8Array };

/** The MPPE bit field read as flags. */
export interface MppeFlags {
  stateless: boolean;
  bits40: boolean;
  bits56: boolean;
  bits128: boolean;
  obsoleteD: boolean;
  mppc: boolean;
  /** Bits RFC 3078 does not define. */
  unknown: number;
}

export function mppeFlags(bits: number): MppeFlags {
  const known = MppeBits.H | MppeBits.M | MppeBits.S | MppeBits.L | MppeBits.D | MppeBits.C;
  return {
    stateless: (bits & MppeBits.H) !== 0,
    bits40: (bits & MppeBits.L) !== 0,
    bits56: (bits & MppeBits.M) !== 0,
    bits128: (bits & MppeBits.S) !== 0,
    obsoleteD: (bits & MppeBits.D) !== 0,
    mppc: (bits & MppeBits.C) !== 0,
    unknown: (bits & ~known) >>> 0,
  };
}

/** The bit field for a choice of strengths and mode. */
export function mppeBitsOf(choice: { bits40: boolean; bits128: boolean; stateless: boolean }): number {
  return ((choice.stateless ? MppeBits.H : 0) | (choice.bits40 ? MppeBits.L : 0) | (choice.bits128 ? MppeBits.S : 0)) >>> 0;
}

export function decodeCcpOption(raw: RawOption): CcpOption {
  if (raw.type === CcpOptionType.Mppe && raw.data.length === 4) return { type: 'mppe', bits: readU32(raw.data, 0) };
  return { type: 'raw', code: raw.type, data: raw.data };
}

export function encodeCcpOption(option: CcpOption): Uint8Array {
  if (option.type === 'mppe') return encodeOption(CcpOptionType.Mppe, u32(option.bits));
  return encodeOption(option.code, option.data);
}

/** Reset-Request/-Ack (RFC 1962 §5.1-5.2); MPPE sends them without data (RFC 3078 §3.3). */
export interface ResetPacket {
  code: 14 | 15;
  identifier: number;
  data: Uint8Array;
}

export type CcpPacket = ConfigurePacket<CcpOption> | TerminatePacket | CodeRejectPacket | ResetPacket;

export function decodeCcpPacket(info: Uint8Array): Decoded<CcpPacket> {
  const packet = decodeControlPacket(info, 'CCP');
  if (packet instanceof DecodeError) return packet;
  const common = decodeCommonPacket(packet, decodeCcpOption, 'CCP');
  if (common !== undefined) return common;
  if (packet.code === 14 || packet.code === 15) return { code: packet.code, identifier: packet.identifier, data: packet.data };
  return new DecodeError('CCP', 'code', `unknown code ${packet.code}`);
}

export function encodeCcpPacket(packet: CcpPacket): Uint8Array {
  switch (packet.code) {
    case 14:
    case 15:
      return encodeControlPacket(packet.code, packet.identifier, packet.data);
    default:
      return encodeCommonPacket(packet, encodeCcpOption);
  }
}
