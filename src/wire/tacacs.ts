/**
 * TACACS+ (RFC 8907) packet header, body obfuscation and whole-packet encode/decode.
 * The bodies live in tacacs-authen.ts, tacacs-author.ts and tacacs-acct.ts (re-exported here).
 */
import { createHash } from 'node:crypto';
import { DecodeError, type Decoded } from './errors.js';

export * from './tacacs-authen.js';
export * from './tacacs-author.js';
export * from './tacacs-acct.js';
export * from './tacacs-fields.js';

/** RFC 8907 §4.1 */
export const TAC_PLUS_HEADER_SIZE = 12;
export const TAC_PLUS_MAJOR_VER = 0xc;
export const TAC_PLUS_MINOR_VER_DEFAULT = 0x0;
export const TAC_PLUS_MINOR_VER_ONE = 0x1;

export const TAC_PLUS_AUTHEN = 0x01;
export const TAC_PLUS_AUTHOR = 0x02;
export const TAC_PLUS_ACCT = 0x03;

export const TAC_PLUS_UNENCRYPTED_FLAG = 0x01;
export const TAC_PLUS_SINGLE_CONNECT_FLAG = 0x04;

/** RFC 8907 §4.1: recommended maximum body size, 2^16. */
export const TAC_PLUS_DEFAULT_MAX_LENGTH = 0x10000;

export type TacacsPacketType = typeof TAC_PLUS_AUTHEN | typeof TAC_PLUS_AUTHOR | typeof TAC_PLUS_ACCT;

export interface TacacsHeader {
  minorVersion: number;
  type: TacacsPacketType;
  seqNo: number;
  flags: number;
  /** 32-bit, as it appears on the wire (big-endian). */
  sessionId: number;
  /** Body length. */
  length: number;
}

/** A packet with its body already de-obfuscated. */
export interface TacacsPacket {
  header: TacacsHeader;
  body: Uint8Array;
}

const E = (field: string, message: string): DecodeError => new DecodeError('TACACS+', field, message);

/** RFC 8907 §4.1: the 12-byte header. Checks the major version and the type. */
export function decodeHeader(b: Uint8Array): Decoded<TacacsHeader> {
  if (b.length < TAC_PLUS_HEADER_SIZE) return E('header', `${b.length} bytes, need ${TAC_PLUS_HEADER_SIZE}`);
  const major = b[0] >> 4;
  if (major !== TAC_PLUS_MAJOR_VER) return E('major_version', `0x${major.toString(16)}, expected 0xc`);
  const minorVersion = b[0] & 0x0f;
  if (minorVersion !== TAC_PLUS_MINOR_VER_DEFAULT && minorVersion !== TAC_PLUS_MINOR_VER_ONE) {
    return E('minor_version', `unknown minor version ${minorVersion}`);
  }
  const type = b[1];
  if (type !== TAC_PLUS_AUTHEN && type !== TAC_PLUS_AUTHOR && type !== TAC_PLUS_ACCT) {
    return E('type', `unknown packet type ${type}`);
  }
  const seqNo = b[2];
  if (seqNo === 0) return E('seq_no', 'sequence number 0 (the first packet is 1)');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    minorVersion,
    type,
    seqNo,
    flags: b[3],
    sessionId: view.getUint32(4),
    length: view.getUint32(8),
  };
}

export function encodeHeader(h: TacacsHeader): Uint8Array {
  const out = new Uint8Array(TAC_PLUS_HEADER_SIZE);
  const view = new DataView(out.buffer);
  out[0] = (TAC_PLUS_MAJOR_VER << 4) | (h.minorVersion & 0x0f);
  out[1] = h.type;
  out[2] = h.seqNo;
  out[3] = h.flags;
  view.setUint32(4, h.sessionId >>> 0);
  view.setUint32(8, h.length >>> 0);
  return out;
}

/**
 * RFC 8907 §4.5: XOR the body with the pseudo pad MD5_1 MD5_2 ... where
 * MD5_1 = MD5{session_id, key, version, seq_no} and MD5_n = MD5{same, MD5_n-1}.
 * The operation is its own inverse. Returns a new array.
 */
export function obfuscateBody(h: TacacsHeader, key: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body);
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(h.sessionId >>> 0, 0);
  const keyBytes = Buffer.from(key, 'utf8');
  const tail = Buffer.from([(TAC_PLUS_MAJOR_VER << 4) | (h.minorVersion & 0x0f), h.seqNo]);
  let previous: Buffer | undefined;
  for (let offset = 0; offset < out.length; offset += 16) {
    const md5 = createHash('md5').update(prefix).update(keyBytes).update(tail);
    if (previous) md5.update(previous);
    previous = md5.digest();
    const end = Math.min(16, out.length - offset);
    for (let i = 0; i < end; i++) out[offset + i] ^= previous[i];
  }
  return out;
}

/** Header + (obfuscated unless TAC_PLUS_UNENCRYPTED_FLAG) body; the length field is set from the body. */
export function encodePacket(h: Omit<TacacsHeader, 'length'>, body: Uint8Array, key: string): Uint8Array {
  const header: TacacsHeader = { ...h, length: body.length };
  const wireBody = h.flags & TAC_PLUS_UNENCRYPTED_FLAG ? body : obfuscateBody(header, key, body);
  const out = new Uint8Array(TAC_PLUS_HEADER_SIZE + body.length);
  out.set(encodeHeader(header), 0);
  out.set(wireBody, TAC_PLUS_HEADER_SIZE);
  return out;
}

/**
 * One whole packet (exactly header + length bytes). The body is de-obfuscated with `key`
 * unless the packet says it is unencrypted; the body codecs then check that the inner lengths
 * add up, which is how a wrong key shows (RFC 8907 §4.5).
 */
export function decodePacket(b: Uint8Array, key: string, maxLength = TAC_PLUS_DEFAULT_MAX_LENGTH): Decoded<TacacsPacket> {
  const header = decodeHeader(b);
  if (header instanceof DecodeError) return header;
  if (header.length > maxLength) return E('length', `body of ${header.length} bytes exceeds ${maxLength}`);
  if (b.length !== TAC_PLUS_HEADER_SIZE + header.length) {
    return E('length', `header says ${header.length} body bytes, packet has ${b.length - TAC_PLUS_HEADER_SIZE}`);
  }
  const wire = b.subarray(TAC_PLUS_HEADER_SIZE);
  const body = header.flags & TAC_PLUS_UNENCRYPTED_FLAG ? new Uint8Array(wire) : obfuscateBody(header, key, wire);
  return { header, body };
}

/**
 * Stream framing: the size of the first packet in `b` when its header is complete, undefined
 * when more bytes are needed, a DecodeError when the header is bad or the body too long.
 */
export function packetSize(b: Uint8Array, maxLength = TAC_PLUS_DEFAULT_MAX_LENGTH): Decoded<number> | undefined {
  if (b.length < TAC_PLUS_HEADER_SIZE) return undefined;
  const header = decodeHeader(b);
  if (header instanceof DecodeError) return header;
  if (header.length > maxLength) return E('length', `body of ${header.length} bytes exceeds ${maxLength}`);
  return TAC_PLUS_HEADER_SIZE + header.length;
}
