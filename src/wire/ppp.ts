/**
 * PPP frames as carried in enhanced GRE (RFC 2637 §4.1): no HDLC flags, escaping or FCS; the
 * address/control octets ff 03 may be elided (ACFC, RFC 1661 §6.6) and the protocol field may be
 * one octet (PFC, RFC 1661 §6.5). LCP frames always carry ff 03 and a 2-octet protocol.
 */
import { DecodeError, type Decoded } from './errors.js';

/** PPP protocol numbers used by vpdn (RFC 1661 §2, RFC 1700 / IANA PPP DLL protocol numbers). */
export const PppProtocol = {
  IP: 0x0021,
  /** Compressed/encrypted datagram (RFC 1962 §3, MPPE RFC 3078 §3). */
  CompressedDatagram: 0x00fd,
  IPCP: 0x8021,
  CCP: 0x80fd,
  LCP: 0xc021,
  PAP: 0xc023,
  CHAP: 0xc223,
} as const;

export interface PppFrame {
  protocol: number;
  /** The information field: a view into the input, not a copy. */
  info: Uint8Array;
}

export interface PppHeaderOptions {
  /** Address-and-Control-Field-Compression: leave out ff 03 (never for LCP). */
  acfc?: boolean;
  /** Protocol-Field-Compression: one octet for protocols below 0x100 (never for LCP). */
  pfc?: boolean;
}

/** Decode a frame; info is a subarray of bytes. */
export function decodePppFrame(bytes: Uint8Array): Decoded<PppFrame> {
  let offset = 0;
  if (bytes.length >= 1 && bytes[0] === 0xff) {
    if (bytes.length < 2 || bytes[1] !== 0x03) {
      return new DecodeError('PPP', 'control', 'address ff must be followed by control 03');
    }
    offset = 2;
  }
  if (bytes.length <= offset) return new DecodeError('PPP', 'protocol', 'frame has no protocol field');
  let protocol = bytes[offset];
  if ((protocol & 1) === 1) {
    // RFC 1661 §2: an odd first octet is the whole (compressed) protocol field.
    offset += 1;
  } else {
    if (bytes.length < offset + 2) return new DecodeError('PPP', 'protocol', 'protocol field truncated');
    const low = bytes[offset + 1];
    if ((low & 1) === 0) return new DecodeError('PPP', 'protocol', 'protocol field must end in an odd octet');
    protocol = (protocol << 8) | low;
    offset += 2;
  }
  return { protocol, info: bytes.subarray(offset) };
}

/** Length of the header encodePppFrame writes for this protocol and these options. */
export function pppHeaderLength(protocol: number, options: PppHeaderOptions = {}): number {
  const control = protocol === PppProtocol.LCP;
  const acf = control || !options.acfc ? 2 : 0;
  const pf = !control && options.pfc && protocol < 0x100 ? 1 : 2;
  return acf + pf;
}

/** Write the PPP header into out at offset; returns the offset after it. */
export function writePppHeader(out: Uint8Array, offset: number, protocol: number, options: PppHeaderOptions = {}): number {
  const control = protocol === PppProtocol.LCP;
  if (control || !options.acfc) {
    out[offset++] = 0xff;
    out[offset++] = 0x03;
  }
  if (control || !options.pfc || protocol >= 0x100) out[offset++] = protocol >>> 8;
  out[offset++] = protocol & 0xff;
  return offset;
}

/** A complete frame: header + info (copied once). */
export function encodePppFrame(protocol: number, info: Uint8Array, options: PppHeaderOptions = {}): Uint8Array {
  const header = pppHeaderLength(protocol, options);
  const out = new Uint8Array(header + info.length);
  writePppHeader(out, 0, protocol, options);
  out.set(info, header);
  return out;
}
