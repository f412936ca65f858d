/** Minimal IPv4/UDP builder and parser for the TUN tests (RFC 791, RFC 768, RFC 1071). */
import { ipv4ToBytes, ipv4ToString } from '../../src/wire/bytes.js';

/** RFC 1071 ones' complement sum over the given byte runs, folded and complemented. */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 2) sum += (p[i] << 8) | (i + 1 < p.length ? p[i + 1] : 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function pseudoHeader(src: Uint8Array, dst: Uint8Array, udpLength: number): Uint8Array {
  return new Uint8Array([...src, ...dst, 0, 17, udpLength >> 8, udpLength & 255]);
}

export function buildUdp(src: string, dst: string, srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const udpLength = 8 + payload.length;
  const pkt = new Uint8Array(20 + udpLength);
  const v = new DataView(pkt.buffer);
  const s = ipv4ToBytes(src);
  const d = ipv4ToBytes(dst);
  pkt[0] = 0x45; // version 4, IHL 5
  v.setUint16(2, pkt.length);
  v.setUint16(4, 0x1234); // identification
  pkt[8] = 64; // TTL
  pkt[9] = 17; // UDP
  pkt.set(s, 12);
  pkt.set(d, 16);
  v.setUint16(10, internetChecksum(pkt.subarray(0, 20)));
  v.setUint16(20, srcPort);
  v.setUint16(22, dstPort);
  v.setUint16(24, udpLength);
  pkt.set(payload, 28);
  const sum = internetChecksum(pseudoHeader(s, d, udpLength), pkt.subarray(20));
  v.setUint16(26, sum === 0 ? 0xffff : sum); // RFC 768: zero is sent as all ones
  return pkt;
}

export interface UdpPacket {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  headerChecksumOk: boolean;
  udpChecksumOk: boolean;
}

/** The UDP datagram in an IPv4 packet, or undefined for anything else. */
export function parseUdp(pkt: Uint8Array): UdpPacket | undefined {
  if (pkt.length < 28 || pkt[0] >> 4 !== 4 || pkt[9] !== 17) return undefined;
  const ihl = (pkt[0] & 15) * 4;
  const v = new DataView(pkt.buffer, pkt.byteOffset, pkt.byteLength);
  const udpLength = v.getUint16(ihl + 4);
  if (ihl + udpLength > pkt.length) return undefined;
  const udp = pkt.subarray(ihl, ihl + udpLength);
  const s = pkt.subarray(12, 16);
  const d = pkt.subarray(16, 20);
  return {
    src: ipv4ToString(pkt, 12),
    dst: ipv4ToString(pkt, 16),
    srcPort: v.getUint16(ihl),
    dstPort: v.getUint16(ihl + 2),
    payload: udp.subarray(8),
    headerChecksumOk: internetChecksum(pkt.subarray(0, ihl)) === 0,
    udpChecksumOk: v.getUint16(ihl + 6) === 0 || internetChecksum(pseudoHeader(s, d, udpLength), udp) === 0,
  };
}
