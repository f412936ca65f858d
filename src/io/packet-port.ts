/**
 * What GreSocket and TunDevice share: a polled native fd that hands received packets to JS in
 * batches, one callback per batch, and counts its syscalls.
 */
import type { NativeAddon, NativeHandle } from './native.js';

/**
 * Packets received in one batch. Packet i is buffer[offsets[i] .. offsets[i] + lengths[i]).
 * The memory is reused for the next batch: copy what must outlive the callback.
 */
export interface PacketBatch {
  buffer: Uint8Array;
  count: number;
  offsets: Int32Array;
  lengths: Int32Array;
  /** IPv4 source of packet i as a u32 (GRE); zero for TUN. */
  sources: Uint32Array;
}

export interface IoStats {
  rxPackets: number;
  rxBatches: number;
  rxSyscalls: number;
  /** Received packets longer than maxPacketBytes, dropped. */
  rxTruncated: number;
  rxErrors: number;
  txPackets: number;
  txSyscalls: number;
  /** Sends refused because the socket or device queue was full. */
  txDropped: number;
  txErrors: number;
  /** errno of the last failed send, 0 if none. */
  lastTxErrno: number;
  /** Readiness events from the event loop. */
  wakeups: number;
}

export interface PortOptions {
  /** Packets per receive batch (1..1024); 1 disables batching. Default 64. */
  batchSize?: number;
  /** Packets drained per readiness event before other I/O gets a turn. Default 4 batches. */
  budget?: number;
}

export abstract class PacketPort<H extends NativeHandle> {
  private readonly batch: PacketBatch;
  private open = true;

  protected constructor(
    protected readonly native: NativeAddon,
    protected readonly handle: H,
  ) {
    this.batch = {
      buffer: new Uint8Array(handle.buffer),
      count: 0,
      offsets: handle.offsets,
      lengths: handle.lengths,
      sources: handle.sources,
    };
  }

  /**
   * Starts receiving; cb runs once per batch (replaces an earlier cb). A receiving port keeps
   * the process alive until pause() or close(). An exception from cb is an uncaught exception.
   */
  onBatch(cb: (batch: PacketBatch) => void): void {
    const batch = this.batch;
    this.native.start(this.handle, (count) => {
      batch.count = count;
      cb(batch);
    });
  }

  /** Stops receiving until onBatch is called again; packets wait in the kernel queue. */
  pause(): void {
    this.native.stop(this.handle);
  }

  get closed(): boolean {
    return !this.open;
  }

  /** Stops polling and closes the fd; safe to call twice. */
  close(): void {
    this.open = false;
    this.native.close(this.handle);
  }

  get stats(): IoStats {
    const out: Record<string, number> = {};
    this.native.statNames.forEach((name, i) => (out[name] = this.handle.stats[i]));
    return out as unknown as IoStats;
  }
}

export function portDefaults(opts: PortOptions): { batchSize: number; budget: number } {
  const batchSize = opts.batchSize ?? 64;
  return { batchSize, budget: opts.budget ?? batchSize * 4 };
}
