/**
 * One raw GRE socket shared by every dialled call in this process (the load generator runs
 * thousands), demultiplexed by our call id in the GRE key (RFC 2637 §4.1).
 */
import { GreSocket, type PacketBatch } from '../io/gre-socket.js';
import { decodeGreHeader, type GreHeader } from '../wire/gre.js';
import { isDecodeError } from '../wire/errors.js';

export interface GreEndpoint {
  readonly peerAddressU32: number;
  receiveGre(h: GreHeader, packet: Uint8Array, now: number): void;
}

/** Packets per sendmmsg. */
const TX_BATCH = 64;
/** Transmit memory per queued packet: a 1500-octet datagram with GRE, PPP and MPPE headers. */
const TX_SLOT = 1600;

export class GreMux {
  private readonly socket: GreSocket;
  private readonly endpoints = new Map<number, GreEndpoint>();
  private readonly header = {} as GreHeader;
  private nextCallId: number;
  // Packets sent in one job go out together (one sendmmsg) from a microtask, or when TX_BATCH are queued.
  private readonly tx: Uint8Array[] = [];
  private readonly txTo = new Uint32Array(TX_BATCH);
  /** Data packets are built in slot i of this when they will be tx[i]: flush() frees every slot. */
  private readonly txSlots = new Uint8Array(TX_BATCH * TX_SLOT);
  private flushQueued = false;
  dropped = 0;

  constructor(opts: { bindAddress?: string } = {}) {
    this.socket = GreSocket.open({ bindAddress: opts.bindAddress });
    this.socket.onBatch((b) => this.onBatch(b));
    // Spread by pid so several dialling processes on one host rarely pick the same ids.
    this.nextCallId = 1 + ((process.pid * 7919 + Math.floor(Math.random() * 64)) % 60000);
  }

  /** A free call id of ours (16 bits, never 0), registered to the endpoint. */
  register(endpoint: GreEndpoint): number {
    for (let i = 0; i < 65535; i++) {
      const id = this.nextCallId;
      this.nextCallId = id >= 65535 ? 1 : id + 1;
      if (!this.endpoints.has(id)) {
        this.endpoints.set(id, endpoint);
        return id;
      }
    }
    throw new Error('no free PPTP call id (65535 calls in this process)');
  }

  unregister(callId: number): void {
    this.endpoints.delete(callId);
  }

  /**
   * Room for the next packet to send(), at least `length` octets: memory of the mux, reused once
   * that packet has gone out, so it goes to send() before anything else is sent or asked for.
   */
  txBuffer(length: number): Uint8Array {
    if (length > TX_SLOT) return new Uint8Array(length);
    const at = this.tx.length * TX_SLOT;
    return this.txSlots.subarray(at, at + TX_SLOT);
  }

  /** Queues a GRE packet; it is sent before control returns to the event loop. */
  send(destination: number, packet: Uint8Array): void {
    this.txTo[this.tx.length] = destination;
    if (this.tx.push(packet) === TX_BATCH) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushTask);
    }
  }

  private readonly flushTask = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  /**
   * Sends what is queued; packets the kernel refused (full queue, unreachable) count as dropped.
   * Callers flush before writing to or closing a control connection, so GRE keeps its place.
   */
  flush(): void {
    const n = this.tx.length;
    if (n === 0) return;
    const sent = this.socket.closed ? 0 : this.socket.sendBatch(this.txTo, this.tx, n);
    this.dropped += n - sent;
    this.tx.length = 0;
  }

  private onBatch(b: PacketBatch): void {
    const now = performance.now();
    for (let i = 0; i < b.count; i++) {
      const off = b.offsets[i]!;
      const pkt = b.buffer.subarray(off, off + b.lengths[i]!);
      const h = decodeGreHeader(pkt, 0, this.header);
      if (isDecodeError(h)) {
        this.dropped++;
        continue;
      }
      const ep = this.endpoints.get(h.callId);
      if (ep === undefined || ep.peerAddressU32 !== b.sources[i]) {
        this.dropped++;
        continue;
      }
      ep.receiveGre(h, pkt, now);
    }
  }

  get size(): number {
    return this.endpoints.size;
  }

  close(): void {
    this.flush();
    this.socket.close();
  }
}
