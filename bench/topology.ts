/**
 * The bench's network: the seed topology (client — server — inside host, test/helpers/netns.ts)
 * plus what thousands of sessions need: extra client addresses (one per load generator process,
 * each with its own GRE socket and port space), a big pool routed back from the inside host, and
 * the ephemeral port range widened.
 */
import { seedTopology, type SeedTopology } from '../test/helpers/netns.js';

export const SERVER = '172.18.124.152';
export const CLIENT = '10.44.17.104';
export const INSIDE_HOST = '10.1.1.5';
export const POOL_FIRST = '10.128.0.1';
export const POOL_LAST = '10.128.39.255';
/** Further client addresses, for sharded load generators and the latency dialler. */
export const EXTRA_CLIENTS = ['10.44.17.105', '10.44.17.106', '10.44.17.107'];

export interface BenchTopology extends SeedTopology {
  clientAddresses: string[];
}

/** The interface in `ns` that carries `address`. */
function interfaceOf(topo: SeedTopology['client'], address: string): string {
  const out = topo.exec('ip', '-o', '-4', 'addr', 'show');
  const line = out.split('\n').find((l) => l.includes(` ${address}`));
  const name = line?.split(/\s+/)[1];
  if (!name) throw new Error(`no interface with ${address} in ${topo.name}`);
  return name.replace(/@.*/, '');
}

export function benchTopology(): BenchTopology {
  const topo = seedTopology();
  try {
    const clientIf = interfaceOf(topo.client, CLIENT);
    const serverIf = interfaceOf(topo.server, SERVER);
    for (const a of EXTRA_CLIENTS) {
      topo.client.exec('ip', 'addr', 'add', `${a}/32`, 'dev', clientIf);
      topo.server.exec('ip', 'route', 'add', `${a}/32`, 'dev', serverIf);
    }
    topo.inside.exec('ip', 'route', 'add', '10.128.0.0/16', 'via', '10.1.1.1');
    topo.client.exec('sysctl', '-qw', 'net.ipv4.ip_local_port_range=1024 65535', 'net.ipv4.tcp_tw_reuse=1');
    topo.server.exec('sysctl', '-qw', 'net.core.somaxconn=8192', 'net.ipv4.tcp_max_syn_backlog=8192');
  } catch (e) {
    topo.destroy();
    throw e;
  }
  return { ...topo, clientAddresses: [CLIENT, ...EXTRA_CLIENTS] };
}

/** The server configuration: the seed's addressing, MS-CHAP v2 + MPPE-128 (auto, so plain sessions work too), local users. */
export function benchConfig(maxSessions: number): string {
  return [
    'hostname bench',
    'nameif ethernet0 outside security0',
    'nameif ethernet1 inside security100',
    `ip address outside ${SERVER} 255.255.255.0`,
    'ip address inside 10.1.1.1 255.255.255.0',
    `ip local pool big ${POOL_FIRST}-${POOL_LAST}`,
    'logging on',
    'vpdn group 1 accept dialin pptp',
    'vpdn group 1 ppp authentication ms-chap-v2',
    'vpdn group 1 ppp encryption mppe 128',
    'vpdn group 1 client configuration address local big',
    'vpdn group 1 client authentication local',
    'vpdn group 1 pptp echo 30',
    'vpdn group 1 ppp lcp echo 20 3',
    `vpdn max-sessions ${maxSessions}`,
    'vpdn username bench password bench-password',
    'vpdn enable outside',
    '',
  ].join('\n');
}

export const USER = { username: 'bench', password: 'bench-password' };
