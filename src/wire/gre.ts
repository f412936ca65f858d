/**
 * Enhanced GRE header of PPTP (RFC 2637 §4.1): C=0 R=0 K=1 S s=0 Recur=0 A Flags=0 Ver=1,
 * protocol 0x880B, Key = payload length (high 16 bits) + the peer's call id (low 16 bits), then an
 * optional Sequence Number and an optional Acknowledgment Number. Data path code: no copies.
 */
import { DecodeError, type Decoded } from './errors.js';

/** IPv4 protocol number of GRE. */
export const IP_PROTOCOL_GRE = 47;
/** GRE Protocol Type for PPP (RFC 2637 §4.1). */
export const GRE_PROTOCOL_PPP = 0x880b;
/** Largest header: 8 fixed octets, sequence and acknowledgment number. */
export const GRE_MAX_HEADER_LENGTH = 16;

const FLAG_K = 0x20;
const FLAG_S = 0x10;
const FLAG_A = 0x80;
const VERSION = 0x01;

export interface GreHeader {
  /** The call id in the key: the receiver's own call id (the sender put its peer's there). */
  callId: number;
  /** Size of the PPP payload after the header. */
  payloadLength: number;
  /** Present when S=1 (the packet carries data). */
  seq?: number;
  /** Present when A=1. */
  ack?: number;
  /** 8, 12 or 16: where the payload starts, counted from the header's first byte. */
  headerLength: number;
}

/**
 * Decodes the header at `offset`. With S=1 the whole payload must be present (extra trailing bytes
 * are allowed and ignored). Pass `into` to reuse one object per packet instead of allocating.
 */
export function decodeGreHeader(b: Uint8Array, offset = 0, into?: GreHeader): Decoded<GreHeader> {
  const available = b.length - offset;
  if (!Number.isInteger(offset) || offset < 0 || available < 8) {
    return new DecodeError('GRE', 'length', `${Math.max(available, 0)} bytes is shorter than a header`);
  }
  const flags = b[offset];
  const version = b[offset + 1];
  // C, R, s and Recur must be 0 and K must be 1; S is free (RFC 2637 §4.1).
  if ((flags & ~FLAG_S) !== FLAG_K) {
    return new DecodeError('GRE', 'flags', `0x${flags.toString(16)} is not an enhanced GRE flags octet`);
  }
  if ((version & ~FLAG_A) !== VERSION) {
    return new DecodeError('GRE', 'version', `0x${version.toString(16)}: reserved flags set or version not 1`);
  }
  const protocol = (b[offset + 2] << 8) | b[offset + 3];
  if (protocol !== GRE_PROTOCOL_PPP) {
    return new DecodeError('GRE', 'protocolType', `0x${protocol.toString(16)} is not 0x880b`);
  }
  const hasSeq = (flags & FLAG_S) !== 0;
  const hasAck = (version & FLAG_A) !== 0;
  const headerLength = 8 + (hasSeq ? 4 : 0) + (hasAck ? 4 : 0);
  if (available < headerLength) {
    return new DecodeError('GRE', 'length', `${available} bytes, header needs ${headerLength}`);
  }
  const payloadLength = (b[offset + 4] << 8) | b[offset + 5];
  if (hasSeq && available - headerLength < payloadLength) {
    return new DecodeError('GRE', 'payloadLength', `${payloadLength} but only ${available - headerLength} bytes follow`);
  }
  const h = into ?? ({} as GreHeader);
  h.callId = (b[offset + 6] << 8) | b[offset + 7];
  h.payloadLength = payloadLength;
  h.headerLength = headerLength;
  let o = offset + 8;
  if (hasSeq) {
    h.seq = readU32(b, o);
    o += 4;
  } else {
    h.seq = undefined;
  }
  // Without S the acknowledgment number sits where the sequence number would be (RFC 2637 §4.1).
  h.ack = hasAck ? readU32(b, o) : undefined;
  return h;
}

/** Header length for a packet with or without sequence and acknowledgment numbers. */
export function greHeaderLength(hasSeq: boolean, hasAck: boolean): number {
  return 8 + (hasSeq ? 4 : 0) + (hasAck ? 4 : 0);
}

/**
 * Writes a header at `offset` of `out` and returns its length. `peerCallId` goes in the key;
 * `seq` present means a data packet of `payloadLength` octets, absent means ack-only (then pass 0).
 */
export function encodeGreHeader(
  out: Uint8Array,
  offset: number,
  peerCallId: number,
  payloadLength: number,
  seq?: number,
  ack?: number,
): number {
  const hasSeq = seq !== undefined;
  const hasAck = ack !== undefined;
  out[offset] = FLAG_K | (hasSeq ? FLAG_S : 0);
  out[offset + 1] = VERSION | (hasAck ? FLAG_A : 0);
  out[offset + 2] = GRE_PROTOCOL_PPP >> 8;
  out[offset + 3] = GRE_PROTOCOL_PPP & 0xff;
  out[offset + 4] = (payloadLength >> 8) & 0xff;
  out[offset + 5] = payloadLength & 0xff;
  out[offset + 6] = (peerCallId >> 8) & 0xff;
  out[offset + 7] = peerCallId & 0xff;
  let o = offset + 8;
  if (hasSeq) {
    writeU32(out, o, seq);
    o += 4;
  }
  if (hasAck) {
    writeU32(out, o, ack);
    o += 4;
  }
  return o - offset;
}

/** A whole GRE packet (header + payload) in one new buffer. */
export function encodeGrePacket(peerCallId: number, payload: Uint8Array, seq?: number, ack?: number): Uint8Array {
  const headerLength = greHeaderLength(seq !== undefined, ack !== undefined);
  const out = new Uint8Array(headerLength + payload.length);
  encodeGreHeader(out, 0, peerCallId, payload.length, seq, ack);
  out.set(payload, headerLength);
  return out;
}

function readU32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function writeU32(b: Uint8Array, o: number, n: number): void {
  b[o] = (n >>> 24) & 0xff;
  b[o + 1] = (n >>> 16) & 0xff;
  b[o + 2] = (n >>> 8) & 0xff;
  b[o + 3] = n & 0xff;
}
