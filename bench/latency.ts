/**
 * Issue 8 part 4: ping round trips through the tunnel (a real `vpdn dial` with a TUN, MPPE-128)
 * against the direct veth paths the tunnel runs over, p50 and p99, with the system ping.
 */
import type { BenchContext } from './context.js';
import { percentile, round } from './stats.js';
import { EXTRA_CLIENTS, INSIDE_HOST, SERVER, USER, type BenchTopology } from './topology.js';
import type { Netns } from '../test/helpers/netns.js';
import { dial } from '../test/helpers/vpdn.js';

const SECTION = '4 latency';

/** Round-trip times in ms, sorted, from `ping -c N -i 0.01` in a namespace. */
function ping(ns: Netns, target: string, count: number): number[] {
  const out = ns.exec('ping', '-n', '-c', String(count), '-i', '0.01', '-W', '1', target);
  return [...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

export async function latency(ctx: BenchContext, topo: BenchTopology): Promise<void> {
  const n = ctx.sizes.pings;
  const client = dial(topo.client, SERVER, [
    '--user', USER.username,
    '--password', USER.password,
    '--auth', 'mschapv2',
    '--mppe', 'required',
    '--mppe-bits', '128',
    '--tun', 'bench0',
    '--route', '10.1.1.0/24',
    '--local', EXTRA_CLIENTS[1]!,
  ]);
  const hangup = ctx.defer(async () => {
    client.kill('SIGTERM');
    await client.exited;
  });
  await client.waitFor(/connected: address/, 20_000);
  ping(topo.client, INSIDE_HOST, 20); // warm-up: ARP, JIT
  const tunnel = ping(topo.client, INSIDE_HOST, n);
  const direct = ping(topo.client, SERVER, n);
  const inside = ping(topo.server, INSIDE_HOST, n);
  await hangup();
  const lost = n - tunnel.length;
  for (const p of [50, 99]) {
    ctx.add({
      section: SECTION,
      name: `ping RTT p${p} through the tunnel (client → vpdn dial → server → inside host), MPPE-128`,
      value: round(percentile(tunnel, p), 3),
      unit: 'ms',
      reference: { name: 'direct client → server veth', value: round(percentile(direct, p), 3), unit: 'ms' },
      note: `${n} pings at 10 ms intervals, ${lost} lost; the tunnel also crosses the server → inside veth (direct p${p} ${round(percentile(inside, p), 3)} ms)`,
    });
  }
}
