/**
 * Raw IPv4 socket for GRE (IP protocol 47; PPTP's enhanced GRE, RFC 2637 section 4.1).
 * Received packets start at the GRE header (the kernel's IPv4 header is skipped natively);
 * sent packets are a GRE header plus payload, and the kernel adds the IPv4 header.
 */
import { ipv4ToU32 } from '../wire/bytes.js';
import { asCapabilityError } from './capabilities.js';
import { loadNative, type NativeGreHandle } from './native.js';
import { PacketPort, portDefaults, type PortOptions } from './packet-port.js';

export type { PacketBatch, IoStats } from './packet-port.js';

export interface GreSocketOptions extends PortOptions {
  /** Local IPv4 address: receive only GRE sent to it, and send from it. Default: any. */
  bindAddress?: string;
  /** SO_RCVBUF request (forced past net.core.rmem_max when CAP_NET_ADMIN). Default 4 MiB. */
  recvBufferBytes?: number;
  sendBufferBytes?: number;
  /** Largest IPv4 packet accepted; longer ones are counted in rxTruncated. Default 4096. */
  maxPacketBytes?: number;
}

export class GreSocket extends PacketPort<NativeGreHandle> {
  /** Throws CapabilityError without CAP_NET_RAW. */
  static open(opts: GreSocketOptions = {}): GreSocket {
    const native = loadNative();
    let bindAddress: number | undefined;
    if (opts.bindAddress !== undefined) {
      bindAddress = ipv4ToU32(opts.bindAddress);
      if (bindAddress === undefined) throw new RangeError(`not an IPv4 address: ${opts.bindAddress}`);
    }
    try {
      const handle = native.greOpen({
        ...portDefaults(opts),
        bindAddress,
        recvBufferBytes: opts.recvBufferBytes ?? 4 << 20,
        sendBufferBytes: opts.sendBufferBytes ?? 4 << 20,
        maxPacketBytes: opts.maxPacketBytes ?? 4096,
      });
      return new GreSocket(native, handle);
    } catch (e) {
      throw asCapabilityError(e, 'CAP_NET_RAW', 'opening the raw GRE socket');
    }
  }

  /** Effective receive buffer size in bytes, as the kernel reports it. */
  get recvBufferBytes(): number {
    return this.handle.recvBufferBytes;
  }

  /**
   * Sends one GRE packet to an IPv4 address (u32); false if the socket queue was full and the
   * packet was dropped. Other errors (e.g. ENETUNREACH) throw.
   */
  send(destination: number, packet: Uint8Array): boolean {
    return this.native.greSend(this.handle, destination, packet);
  }

  /**
   * Sends packets[0..count) to destinations[0..count) with sendmmsg; returns how many the
   * kernel accepted. Drops and errors are counted in stats (txDropped, txErrors), not thrown.
   */
  sendBatch(destinations: Uint32Array, packets: readonly Uint8Array[], count: number): number {
    return this.native.greSendBatch(this.handle, destinations, packets, count);
  }
}
