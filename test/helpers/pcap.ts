/**
 * Builds IPv4/TCP/UDP packets with correct checksums and writes them to classic pcap files, so
 * tshark can dissect what our codecs produce. LINKTYPE_RAW (101) holds bare IPv4 packets;
 * LINKTYPE_ETHERNET (1) holds frames made with ethernetFrame().
 */
import { writeFileSync } from 'node:fs';
import { ipv4ToBytes } from '../../src/wire/bytes.js';

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;

export const IP_PROTOCOL_TCP = 6;
export const IP_PROTOCOL_UDP = 17;
export const IP_PROTOCOL_GRE = 47;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface PcapRecord {
  data: Uint8Array;
  /** Capture time in ms since the epoch; records without one are 1 ms apart from 2024-01-01. */
  timeMs?: number;
}

/** The bytes of a pcap file (microsecond timestamps, snaplen 65535). */
export function pcapBytes(records: (Uint8Array | PcapRecord)[], linkType = LINKTYPE_RAW): Uint8Array {
  const total = 24 + records.reduce((n, r) => n + 16 + ('data' in r ? r.data : r).length, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 65535, true);
  v.setUint32(20, linkType, true);
  let o = 24;
  records.forEach((r, i) => {
    const data = 'data' in r ? r.data : r;
    const timeMs = ('data' in r ? r.timeMs : undefined) ?? 1_704_067_200_000 + i;
    v.setUint32(o, Math.floor(timeMs / 1000), true);
    v.setUint32(o + 4, Math.round((timeMs % 1000) * 1000), true);
    v.setUint32(o + 8, data.length, true);
    v.setUint32(o + 12, data.length, true);
    out.set(data, o + 16);
    o += 16 + data.length;
  });
  return out;
}

export function writePcap(path: string, records: (Uint8Array | PcapRecord)[], linkType = LINKTYPE_RAW): void {
  writeFileSync(path, pcapBytes(records, linkType));
}

/** The Internet checksum (RFC 1071) over `parts`, as if they were one buffer. */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd === undefined) odd = p[i];
      else {
        sum += (odd << 8) | p[i];
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface Ipv4Options {
  id?: number;
  ttl?: number;
  /** Don't Fragment. */
  df?: boolean;
}

/**
 * An IPv4 packet (RFC 791) around `payload`, header checksum filled in. A TCP or UDP payload gets
 * its checksum (over the pseudo-header, RFC 793 §3.1 / RFC 768) filled in here too.
 */
export function ipv4Packet(src: string, dst: string, protocol: number, payload: Uint8Array, opts: Ipv4Options = {}): Uint8Array {
  const out = new Uint8Array(20 + payload.length);
  const v = new DataView(out.buffer);
  const s = ipv4ToBytes(src);
  const d = ipv4ToBytes(dst);
  out[0] = 0x45;
  v.setUint16(2, out.length);
  v.setUint16(4, opts.id ?? 1);
  v.setUint16(6, opts.df ? 0x4000 : 0);
  out[8] = opts.ttl ?? 64;
  out[9] = protocol;
  out.set(s, 12);
  out.set(d, 16);
  v.setUint16(10, internetChecksum(out.subarray(0, 20)));
  out.set(payload, 20);
  const at = protocol === IP_PROTOCOL_TCP ? 16 : protocol === IP_PROTOCOL_UDP ? 6 : -1;
  if (at >= 0) {
    const l4 = out.subarray(20);
    l4[at] = l4[at + 1] = 0;
    const pseudo = new Uint8Array(12);
    pseudo.set(s, 0);
    pseudo.set(d, 4);
    pseudo[9] = protocol;
    new DataView(pseudo.buffer).setUint16(10, l4.length);
    let sum = internetChecksum(pseudo, l4);
    if (protocol === IP_PROTOCOL_UDP && sum === 0) sum = 0xffff;
    new DataView(l4.buffer, l4.byteOffset).setUint16(at, sum);
  }
  return out;
}

export interface TcpOptions {
  ack?: number;
  /** TCP_* bits; default PSH|ACK. */
  flags?: number;
  window?: number;
}

/** A TCP segment (RFC 793) without options; ipv4Packet() fills in its checksum. */
export function tcpSegment(srcPort: number, dstPort: number, seq: number, payload: Uint8Array, opts: TcpOptions = {}): Uint8Array {
  const out = new Uint8Array(20 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, srcPort);
  v.setUint16(2, dstPort);
  v.setUint32(4, seq >>> 0);
  v.setUint32(8, (opts.ack ?? 0) >>> 0);
  out[12] = 5 << 4;
  out[13] = opts.flags ?? TCP_PSH | TCP_ACK;
  v.setUint16(14, opts.window ?? 65535);
  out.set(payload, 20);
  return out;
}

/** A UDP datagram (RFC 768); ipv4Packet() fills in its checksum. */
export function udpDatagram(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, srcPort);
  v.setUint16(2, dstPort);
  v.setUint16(4, out.length);
  out.set(payload, 8);
  return out;
}

/** An Ethernet II frame, for LINKTYPE_ETHERNET captures. */
export function ethernetFrame(dst: string, src: string, etherType: number, payload: Uint8Array): Uint8Array {
  const mac = (s: string) => Uint8Array.from(s.split(':'), (h) => parseInt(h, 16));
  const out = new Uint8Array(14 + payload.length);
  out.set(mac(dst), 0);
  out.set(mac(src), 6);
  out[12] = etherType >> 8;
  out[13] = etherType & 0xff;
  out.set(payload, 14);
  return out;
}

/**
 * Both directions of one TCP connection, so a capture has a handshake and consistent sequence and
 * acknowledgment numbers (tshark's TCP analysis then has nothing to complain about).
 */
export class TcpConversation {
  private seq = [1000, 5000];
  private readonly packets: Uint8Array[] = [];

  constructor(
    private readonly client: string,
    private readonly clientPort: number,
    private readonly server: string,
    private readonly serverPort: number,
  ) {
    this.segment(0, new Uint8Array(0), TCP_SYN);
    this.seq[0]++;
    this.segment(1, new Uint8Array(0), TCP_SYN | TCP_ACK);
    this.seq[1]++;
    this.segment(0, new Uint8Array(0), TCP_ACK);
  }

  /** Data from the client (side 0) or the server (side 1). */
  send(side: 0 | 1, payload: Uint8Array): Uint8Array {
    const p = this.segment(side, payload, TCP_PSH | TCP_ACK);
    this.seq[side] += payload.length;
    return p;
  }

  /** Every packet so far, handshake included. */
  get all(): Uint8Array[] {
    return this.packets;
  }

  private segment(side: 0 | 1, payload: Uint8Array, flags: number): Uint8Array {
    const [src, sport, dst, dport] =
      side === 0
        ? [this.client, this.clientPort, this.server, this.serverPort]
        : [this.server, this.serverPort, this.client, this.clientPort];
    const ack = flags & TCP_ACK ? this.seq[1 - side] : 0;
    const p = ipv4Packet(src, dst, IP_PROTOCOL_TCP, tcpSegment(sport, dport, this.seq[side], payload, { flags, ack }));
    this.packets.push(p);
    return p;
  }
}
