/**
 * The seed's server topology around the guest bridge: the bridge carries the configuration's
 * outside address (172.18.124.152), so `vpdn serve` listens where `vpdn enable outside` says; a
 * veth to a second namespace is the inside network with the inside host 10.1.1.5, which routes
 * the pool (192.168.1.0/24) back through the server's inside address 10.1.1.1.
 */
import { Netns, link } from '../helpers/netns.js';
import { startServer, type ServerHandle } from '../helpers/vpdn.js';
import { seedConfig } from '../e2e/config.js';
import { GuestNetwork } from './harness.js';

export const OUTSIDE = '172.18.124.152';
export const INSIDE_HOST = '10.1.1.5';
/** The server's own IPCP address: the inside interface's (SPEC §7). */
export const SERVER_PPP_ADDRESS = '10.1.1.1';
export const POOL = /^192\.168\.1\.(\d+)$/;

export class ServeNet {
  private constructor(
    readonly net: GuestNetwork,
    readonly inside: Netns,
  ) {}

  static create(): ServeNet {
    const net = GuestNetwork.create({ bridgeAddress: `${OUTSIDE}/24` });
    let inside: Netns | undefined;
    try {
      inside = new Netns('i');
      link(net.netns, '10.1.1.1/24', inside, `${INSIDE_HOST}/24`);
      inside.exec('ip', 'route', 'add', '192.168.1.0/24', 'via', SERVER_PPP_ADDRESS);
      net.netns.exec('sysctl', '-qw', 'net.ipv4.ip_forward=1');
    } catch (e) {
      inside?.destroy();
      net.destroy();
      throw e;
    }
    return new ServeNet(net, inside);
  }

  /** `vpdn serve` with the seed configuration plus `extra` lines, in the bridge's namespace. */
  startServer(extra: string[], users: string[] = []): Promise<ServerHandle> {
    return startServer(this.net.netns, seedConfig({ extra: [...extra, ...users] }));
  }

  destroy(): void {
    this.net.destroy();
    this.inside.destroy();
  }
}

/** Client source addresses on the guest's eth0, one per session (pptp --localbind). */
export function clientAddresses(count: number, first = 100): string[] {
  return Array.from({ length: count }, (_, i) => `172.18.124.${first + i}`);
}

export interface VpdnCall {
  tunnelId: number;
  remoteAddress: string;
  username: string;
  clientAddress: string | null;
  authType: string | null;
  mppeBits: number | null;
  mppeStateless: boolean | null;
  traffic: { packetsIn: number; packetsOut: number; bytesIn: number; bytesOut: number };
}

/** `show vpdn` as data: one entry per call with its tunnel's id and remote address. */
export async function vpdnCalls(server: ServerHandle): Promise<VpdnCall[]> {
  const r = await server.cli('show', 'vpdn', '--json');
  if (r.code !== 0) throw new Error(`vpdn show vpdn --json failed: ${r.err}`);
  const data = JSON.parse(r.out) as { tunnels: { tunnelId: number; remoteAddress: string; calls: Omit<VpdnCall, 'tunnelId' | 'remoteAddress'>[] }[] };
  return data.tunnels.flatMap((t) => t.calls.map((c) => ({ ...c, tunnelId: t.tunnelId, remoteAddress: t.remoteAddress })));
}
