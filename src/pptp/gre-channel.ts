/**
 * One call's enhanced GRE data channel (RFC 2637 §4): sequence numbers on what we send, the
 * acknowledgment state of what we receive, piggy-backed and ack-only acknowledgments, and the
 * counters `show vpdn` prints. Sans-IO: packets in and out as bytes, time passed in as `now` (ms).
 * Hot path: encapsulate() allocates only the packet it returns; encapsulateInto() and receive()
 * allocate nothing.
 */
import { encodeGreHeader, greHeaderLength, type GreHeader } from '../wire/gre.js';

export interface GreChannelOptions {
  /** The peer's call id: carried in the key of every packet we send (RFC 2637 §4.1). */
  peerCallId: number;
  /** The peer's Packet Recv. Window Size from its OCRQ/OCRP (RFC 2637 §2.7-2.8). */
  peerReceiveWindow: number;
  /** The window we advertised; an ack-only packet goes out at once when half of it is owed. Default 64. */
  receiveWindow?: number;
  /** Drop (and count) packets while the peer's window is full (RFC 2637 §4.2). Default false. */
  respectPeerWindow?: boolean;
  /** How long an owed acknowledgment may wait for outgoing data to carry it, in ms. Default 50. */
  ackDelay?: number;
  /** Sequence number of our first data packet: 1 (default; Linux, pptp-linux, PIX) or 0 (pptpd). */
  firstSequenceNumber?: number;
}

/** Counters, named as `show vpdn` prints them where it does. */
export interface GreChannelStats {
  /** "Seq": sequence number of the last data packet sent (first - 1 before any). */
  seqSent: number;
  /** "Ack": highest sequence number received, the value our acks carry (0 before any). */
  ackSent: number;
  /** "Ack_Rcvd": highest of our sequence numbers the peer acknowledged. */
  ackReceived: number;
  /** "peer RWS". */
  peerReceiveWindow: number;
  /** "out of order packets": arrived after a higher sequence number, discarded (RFC 2637 §4.3). */
  outOfOrder: number;
  /** Same sequence number seen twice, discarded (RFC 2637 §4.3). */
  duplicates: number;
  /** Older than the duplicate-detection range behind the highest received, discarded. */
  stale: number;
  /** Further ahead than any loss explains (forged or corrupt), discarded unless the next one follows it. */
  farAhead: number;
  /** Sequence numbers skipped over when a higher one arrived (lost or still in flight). */
  gaps: number;
  /** Not sent because the peer's receive window was full. */
  windowDrops: number;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Ack-only packets sent and received. */
  acksOut: number;
  acksIn: number;
}

/** How far behind the highest sequence number duplicates are told apart from late packets. */
const HISTORY = 32;
/**
 * A jump further than this is taken only when the next packet follows it: one forged or corrupt
 * sequence number must not make every later genuine packet look stale (RFC 2637 §4.3).
 */
const MAX_JUMP = 4096;
const HALF = 0x80000000;

export class GreChannel {
  readonly stats: GreChannelStats;
  readonly peerCallId: number;
  respectPeerWindow: boolean;
  private readonly ackDelay: number;
  private readonly ackThreshold: number;
  private received = false;
  /** Highest sequence number received. */
  private seqRecv = 0;
  /** Bit i set: sequence number seqRecv-1-i was received. */
  private history = 0;
  /** Data packets received and not yet acknowledged, and since when the oldest waits. */
  private owed = 0;
  private owedSince = 0;
  /** The last far-ahead sequence number discarded; a packet right after it confirms the jump. */
  private jumpFrom: number | undefined;

  constructor(options: GreChannelOptions) {
    const first = options.firstSequenceNumber ?? 1;
    this.peerCallId = options.peerCallId;
    this.respectPeerWindow = options.respectPeerWindow ?? false;
    this.ackDelay = options.ackDelay ?? 50;
    this.ackThreshold = Math.max(1, Math.floor((options.receiveWindow ?? 64) / 2));
    this.stats = {
      seqSent: (first - 1) >>> 0,
      ackSent: 0,
      ackReceived: (first - 1) >>> 0,
      peerReceiveWindow: options.peerReceiveWindow,
      outOfOrder: 0,
      duplicates: 0,
      stale: 0,
      farAhead: 0,
      gaps: 0,
      windowDrops: 0,
      packetsIn: 0,
      packetsOut: 0,
      bytesIn: 0,
      bytesOut: 0,
      acksOut: 0,
      acksIn: 0,
    };
  }

  /** Our data packets the peer has not acknowledged yet. */
  get unacknowledged(): number {
    return (this.stats.seqSent - this.stats.ackReceived) >>> 0;
  }

  /** True while an acknowledgment is owed to the peer. */
  get ackOwed(): boolean {
    return this.owed > 0;
  }

  /** A new GRE packet carrying `payload` (and the owed ack), or undefined when the window is full. */
  encapsulate(payload: Uint8Array, _now: number): Uint8Array | undefined {
    if (this.windowFull()) return undefined;
    const withAck = this.owed > 0;
    // From Node's pool and not zero-filled (every byte is written below); a plain Uint8Array view.
    const pooled = Buffer.allocUnsafe(greHeaderLength(true, withAck) + payload.length);
    const out = new Uint8Array(pooled.buffer, pooled.byteOffset, pooled.length);
    this.writeHeader(out, 0, payload.length, withAck);
    out.set(payload, out.length - payload.length);
    return out;
  }

  /**
   * Writes the header just before a payload already in `buffer` at `payloadOffset`, which needs
   * 16 free bytes in front. Returns where the packet starts, or -1 when the window is full.
   */
  encapsulateInto(buffer: Uint8Array, payloadOffset: number, payloadLength: number, _now: number): number {
    if (this.windowFull()) return -1;
    const withAck = this.owed > 0;
    const start = payloadOffset - greHeaderLength(true, withAck);
    if (start < 0) throw new RangeError(`GRE header needs ${payloadOffset - start} bytes before the payload`);
    this.writeHeader(buffer, start, payloadLength, withAck);
    return start;
  }

  /**
   * Takes a packet addressed to this call, decoded by decodeGreHeader(packet, offset). Returns the
   * PPP payload (a view into `packet`) when it is new data, undefined when it was ack-only or is
   * discarded.
   */
  receive(h: GreHeader, packet: Uint8Array, now: number, offset = 0): Uint8Array | undefined {
    if (h.ack !== undefined) this.takeAck(h.ack);
    const seq = h.seq;
    if (seq === undefined) {
      this.stats.acksIn++;
      return undefined;
    }
    const start = offset + h.headerLength;
    if (!this.received) {
      // Peers start at 0 (RFC 2637 §4.1, pptpd) or 1 (Linux, pptp-linux, PIX): take the first as it is.
      this.received = true;
      this.seqRecv = seq;
      this.history = 0;
      return this.accept(packet, start, h, now);
    }
    const ahead = (seq - this.seqRecv) >>> 0;
    if (ahead > MAX_JUMP && ahead < HALF) {
      const step = this.jumpFrom === undefined ? 0 : (seq - this.jumpFrom) >>> 0;
      const follows = step >= 1 && step <= HISTORY;
      this.jumpFrom = seq;
      if (!follows) {
        this.stats.farAhead++;
        return undefined;
      }
    }
    if (ahead !== 0 && ahead < HALF) {
      this.stats.gaps += ahead - 1;
      this.history = ahead > HISTORY ? 0 : ahead === HISTORY ? 0x80000000 : ((this.history << ahead) | (1 << (ahead - 1))) >>> 0;
      this.seqRecv = seq;
      return this.accept(packet, start, h, now);
    }
    if (ahead === 0) {
      this.stats.duplicates++;
      return undefined;
    }
    const behind = (this.seqRecv - seq) >>> 0;
    if (behind > HISTORY) {
      this.stats.stale++;
      return undefined;
    }
    const bit = (1 << (behind - 1)) >>> 0;
    if ((this.history & bit) !== 0) {
      this.stats.duplicates++;
      return undefined;
    }
    this.history = (this.history | bit) >>> 0;
    this.stats.outOfOrder++;
    // Late packets must not reach PPP (RFC 2637 §4.3); Linux lets LCP Echo through so a keepalive
    // stuck behind data does not look like a dead link.
    return isLcpEcho(packet, start, h.payloadLength) ? packet.subarray(start, start + h.payloadLength) : undefined;
  }

  /** An ack-only packet (RFC 2637 §4.1, S=0 A=1, 12 bytes) when one is due at `now`. */
  pollAck(now: number): Uint8Array | undefined {
    if (this.owed === 0) return undefined;
    if (this.owed < this.ackThreshold && now - this.owedSince < this.ackDelay) return undefined;
    const out = new Uint8Array(12);
    encodeGreHeader(out, 0, this.peerCallId, 0, undefined, this.seqRecv);
    this.owed = 0;
    this.stats.acksOut++;
    return out;
  }

  /** When pollAck() will have a packet, or undefined when no acknowledgment is owed. */
  nextTimeout(): number | undefined {
    if (this.owed === 0) return undefined;
    return this.owed >= this.ackThreshold ? this.owedSince : this.owedSince + this.ackDelay;
  }

  /** The peer's window can change with a new OCRP/ICCN (RFC 2637 §2.8). */
  setPeerReceiveWindow(window: number): void {
    this.stats.peerReceiveWindow = window;
  }

  private windowFull(): boolean {
    const window = this.stats.peerReceiveWindow;
    if (!this.respectPeerWindow || window <= 0 || this.unacknowledged < window) return false;
    this.stats.windowDrops++;
    return true;
  }

  private writeHeader(out: Uint8Array, offset: number, payloadLength: number, withAck: boolean): void {
    const seq = (this.stats.seqSent + 1) >>> 0;
    encodeGreHeader(out, offset, this.peerCallId, payloadLength, seq, withAck ? this.seqRecv : undefined);
    this.stats.seqSent = seq;
    this.stats.packetsOut++;
    this.stats.bytesOut += payloadLength;
    if (withAck) this.owed = 0;
  }

  private accept(packet: Uint8Array, start: number, h: GreHeader, now: number): Uint8Array {
    if (this.owed === 0) this.owedSince = now;
    this.owed++;
    this.stats.ackSent = this.seqRecv;
    this.stats.packetsIn++;
    this.stats.bytesIn += h.payloadLength;
    return packet.subarray(start, start + h.payloadLength);
  }

  /** All packets up to `ack` arrived (RFC 2637 §4.2.5); acks beyond what we sent are ignored. */
  private takeAck(ack: number): void {
    const advance = (ack - this.stats.ackReceived) >>> 0;
    if (advance !== 0 && advance <= this.unacknowledged) this.stats.ackReceived = ack;
  }
}

/** ff 03 c0 21 then code 9 or 10: LCP Echo-Request/Reply (RFC 1661 §5.8). */
function isLcpEcho(b: Uint8Array, o: number, length: number): boolean {
  return (
    length >= 8 && b[o] === 0xff && b[o + 1] === 0x03 && b[o + 2] === 0xc0 && b[o + 3] === 0x21 &&
    (b[o + 4] === 9 || b[o + 4] === 10)
  );
}
