/**
 * A TUN device (IFF_TUN | IFF_NO_PI): reads and writes bare IP packets. Configure it with the
 * iproute2 helpers in netlink-cmd.ts, e.g. `await linkUp(tun.name, tun.mtu)`.
 */
import { asCapabilityError } from './capabilities.js';
import { loadNative, type NativeAddon, type NativeTunHandle } from './native.js';
import { PacketPort, portDefaults, type PortOptions } from './packet-port.js';

export type { PacketBatch, IoStats } from './packet-port.js';

export interface TunOptions extends PortOptions {
  /** Interface name (at most 15 bytes); default: the kernel picks tunN. */
  name?: string;
  /** The MTU this device is meant to run with (applied by linkUp). Default 1500. */
  mtu?: number;
  /** Receive slot size; default max(mtu, 1500). Longer packets count as rxTruncated. */
  maxPacketBytes?: number;
}

export class TunDevice extends PacketPort<NativeTunHandle> {
  readonly name: string;
  readonly mtu: number;

  private constructor(native: NativeAddon, handle: NativeTunHandle, mtu: number) {
    super(native, handle);
    this.name = handle.name;
    this.mtu = mtu;
  }

  /** Throws CapabilityError without CAP_NET_ADMIN. The device goes away on close(). */
  static open(opts: TunOptions = {}): TunDevice {
    const native = loadNative();
    const mtu = opts.mtu ?? 1500;
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw new RangeError(`bad MTU ${mtu}`);
    try {
      const handle = native.tunOpen({
        ...portDefaults(opts),
        name: opts.name,
        maxPacketBytes: opts.maxPacketBytes ?? Math.max(mtu, 1500),
      });
      return new TunDevice(native, handle, mtu);
    } catch (e) {
      throw asCapabilityError(e, 'CAP_NET_ADMIN', 'creating a TUN device');
    }
  }

  /** Injects one IP packet; false if the kernel dropped it. Malformed packets throw (EINVAL). */
  write(packet: Uint8Array): boolean {
    return this.native.tunWrite(this.handle, packet);
  }

  /** Injects packets[0..count), one write() each; returns how many were accepted. */
  writeBatch(packets: readonly Uint8Array[], count: number): number {
    return this.native.tunWriteBatch(this.handle, packets, count);
  }
}
