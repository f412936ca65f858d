/**
 * Loader and types for the vpdn_io addon (native/, built by scripts/build-native.mjs into
 * build/Release/vpdn_io.node). The addon only makes syscalls; everything else is TypeScript.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A native port: an fd plus the receive memory it shares with JS. */
export interface NativeHandle {
  /** batchSize slots of maxPacketBytes each; packets start at offsets[i]. */
  readonly buffer: ArrayBuffer;
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;
  /** IPv4 source per packet as a u32 (GRE); zero for TUN. */
  readonly sources: Uint32Array;
  /** Counters, indexed as NativeAddon.statNames. */
  readonly stats: Float64Array;
}

export interface NativeGreHandle extends NativeHandle {
  /** What the kernel granted (it doubles the request for bookkeeping). */
  readonly recvBufferBytes: number;
  readonly sendBufferBytes: number;
}

export interface NativeTunHandle extends NativeHandle {
  readonly name: string;
}

export interface NativePortOptions {
  batchSize: number;
  maxPacketBytes: number;
  /** Packets drained per readiness event before yielding to the event loop. */
  budget: number;
}

export interface NativeAddon {
  readonly statNames: readonly string[];
  greOpen(
    opts: NativePortOptions & { bindAddress?: number; recvBufferBytes: number; sendBufferBytes: number },
  ): NativeGreHandle;
  greSend(h: NativeGreHandle, destination: number, packet: Uint8Array): boolean;
  greSendBatch(h: NativeGreHandle, destinations: Uint32Array, packets: readonly Uint8Array[], count: number): number;
  tunOpen(opts: NativePortOptions & { name?: string }): NativeTunHandle;
  tunWrite(h: NativeTunHandle, packet: Uint8Array): boolean;
  tunWriteBatch(h: NativeTunHandle, packets: readonly Uint8Array[], count: number): number;
  start(h: NativeHandle, onBatch: (count: number) => void): void;
  stop(h: NativeHandle): void;
  close(h: NativeHandle): void;
}

function findAddon(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dir, 'build', 'Release', 'vpdn_io.node');
}

let addon: NativeAddon | undefined;

/** The addon, loaded once; throws if it was not built. */
export function loadNative(): NativeAddon {
  if (addon) return addon;
  const path = findAddon();
  if (!existsSync(path)) {
    throw new Error(`native I/O addon missing at ${path}: build it with "node scripts/build-native.mjs"`);
  }
  addon = createRequire(import.meta.url)(path) as NativeAddon;
  return addon;
}
