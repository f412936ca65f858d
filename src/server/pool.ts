/**
 * Address pools (`ip local pool NAME FIRST-LAST`) behind a small async interface, so a cluster
 * can later back them with a shared store. The in-memory pool hands out the least recently
 * released address first, so a just-freed address is not reused at once.
 */
import { ipv4FromU32, ipv4ToU32 } from '../wire/bytes.js';

export interface PoolStats {
  name: string;
  first: string;
  last: string;
  size: number;
  inUse: number;
  free: number;
}

export interface AddressPool {
  readonly name: string;
  /** A free address, or undefined when the pool is exhausted. */
  allocate(): Promise<string | undefined>;
  /** Claims a specific address (e.g. RADIUS Framed-IP-Address); false if it is in use. */
  claim(address: string): Promise<boolean>;
  release(address: string): Promise<void>;
  contains(address: string): boolean;
  stats(): PoolStats;
  inUse(): string[];
}

export class MemoryPool implements AddressPool {
  private readonly first: number;
  private readonly size: number;
  private readonly used: Uint8Array;
  /** Whether an offset currently sits in the ring (so it is never queued twice). */
  private readonly inRing: Uint8Array;
  /** Free offsets in allocation order (a ring: take from head, return to tail). */
  private readonly ring: Uint32Array;
  private head = 0;
  private count: number;
  private inUseCount = 0;
  /** Addresses claimed from outside this pool's range (Framed-IP), to detect collisions. */
  private readonly external = new Set<number>();

  constructor(
    readonly name: string,
    firstAddress: string,
    lastAddress: string,
  ) {
    const a = ipv4ToU32(firstAddress);
    const b = ipv4ToU32(lastAddress);
    if (a === undefined || b === undefined || b < a) throw new RangeError(`bad pool range ${firstAddress}-${lastAddress}`);
    this.first = a;
    this.size = b - a + 1;
    this.used = new Uint8Array(this.size);
    this.ring = new Uint32Array(this.size);
    this.inRing = new Uint8Array(this.size).fill(1);
    for (let i = 0; i < this.size; i++) this.ring[i] = i;
    this.count = this.size;
  }

  async allocate(): Promise<string | undefined> {
    return this.allocateSync();
  }

  allocateSync(): string | undefined {
    while (this.count > 0) {
      const off = this.ring[this.head]!;
      this.head = (this.head + 1) % this.size;
      this.count--;
      this.inRing[off] = 0;
      // A claimed address may still sit in the ring; skip it.
      if (this.used[off]) continue;
      this.used[off] = 1;
      this.inUseCount++;
      return ipv4FromU32(this.first + off);
    }
    return undefined;
  }

  async claim(address: string): Promise<boolean> {
    const n = ipv4ToU32(address);
    if (n === undefined) return false;
    const off = n - this.first;
    if (off < 0 || off >= this.size) {
      if (this.external.has(n)) return false;
      this.external.add(n);
      return true;
    }
    if (this.used[off]) return false;
    this.used[off] = 1;
    this.inUseCount++;
    return true;
  }

  async release(address: string): Promise<void> {
    const n = ipv4ToU32(address);
    if (n === undefined) return;
    const off = n - this.first;
    if (off < 0 || off >= this.size) {
      this.external.delete(n);
      return;
    }
    if (!this.used[off]) return;
    this.used[off] = 0;
    this.inUseCount--;
    if (!this.inRing[off]) {
      this.ring[(this.head + this.count) % this.size] = off;
      this.inRing[off] = 1;
      this.count++;
    }
  }

  contains(address: string): boolean {
    const n = ipv4ToU32(address);
    return n !== undefined && n >= this.first && n < this.first + this.size;
  }

  stats(): PoolStats {
    return {
      name: this.name,
      first: ipv4FromU32(this.first),
      last: ipv4FromU32(this.first + this.size - 1),
      size: this.size,
      inUse: this.inUseCount,
      free: this.size - this.inUseCount,
    };
  }

  inUse(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.size; i++) if (this.used[i]) out.push(ipv4FromU32(this.first + i));
    for (const n of this.external) out.push(ipv4FromU32(n));
    return out;
  }
}
