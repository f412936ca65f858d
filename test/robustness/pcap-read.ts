/**
 * Reads what tcpdump captured on a veth (classic pcap, Ethernet) back into PPP frames: IPv4 →
 * enhanced GRE (RFC 2637 §4.1) → PPP, with the source address, using the project's decoders.
 */
import { readFileSync } from 'node:fs';
import { ipv4ToString } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { decodeGreHeader } from '../../src/wire/gre.js';
import { decodePppFrame, type PppFrame } from '../../src/wire/ppp.js';

export interface CapturedFrame extends PppFrame {
  source: string;
}

export function pppFramesIn(pcapPath: string): CapturedFrame[] {
  const b = new Uint8Array(readFileSync(pcapPath));
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const little = v.getUint32(0, true) === 0xa1b2c3d4 || v.getUint32(0, true) === 0xa1b23c4d;
  const out: CapturedFrame[] = [];
  for (let at = 24; at + 16 <= b.length; ) {
    const caplen = v.getUint32(at + 8, little);
    const pkt = b.subarray(at + 16, at + 16 + caplen);
    at += 16 + caplen;
    // Ethernet II carrying IPv4 with protocol 47.
    if (pkt.length < 34 || pkt[12] !== 0x08 || pkt[13] !== 0x00) continue;
    const ip = pkt.subarray(14);
    if (ip[9] !== 47) continue;
    const gre = ip.subarray((ip[0]! & 15) * 4);
    const h = decodeGreHeader(gre);
    if (isDecodeError(h) || h.seq === undefined) continue;
    const f = decodePppFrame(gre.subarray(h.headerLength, h.headerLength + h.payloadLength));
    if (!isDecodeError(f)) out.push({ ...f, source: ipv4ToString(ip, 12) });
  }
  return out;
}
