/**
 * The lab for the robustness suite: the seed's addressing (client 10.44.17.104, server outside
 * 172.18.124.152, inside 10.1.1.1 — host 10.1.1.5, pool 192.168.1.0/24) plus what hostile tests
 * need: more client addresses on the outside link (a second customer, an attacker), a link
 * whose client end can be cut, and a "lab" link from the test process's own namespace to the
 * server namespace, over which the test speaks raw PPTP and runs AAA servers (RADIUS relay,
 * TACACS+). Everything is deleted by destroy(), the root end of the lab link with its namespace.
 */
import { ip, Netns } from '../helpers/netns.js';

export const SERVER = '172.18.124.152';
export const INSIDE_HOST = '10.1.1.5';
export const CLIENT = '10.44.17.104';
/** A second customer on the same outside link. */
export const CLIENT2 = '10.44.17.105';
/** An attacker on the same outside link. */
export const ATTACKER = '10.44.17.106';

let labs = 0;

export interface Lab {
  client: Netns;
  server: Netns;
  inside: Netns;
  /** The client-side interface of the outside link (delete it to make the client vanish). */
  clientIf: string;
  /** The test process's address on the lab link, and the server's. */
  labHost: string;
  labServer: string;
  destroy(): void;
}

export function lab(): Lab {
  const client = new Netns('c');
  const server = new Netns('s');
  const inside = new Netns('i');
  const n = labs++;
  const tag = `${process.pid % 100000}${n}`;
  // A /30 per lab in 100.64.0.0/10 (shared address space), chosen by pid so concurrent files differ.
  const base = ((process.pid % 4000) * 4 + n * 4) % 16384;
  const net = `100.${64 + (base >> 8)}.${base & 255}`;
  const labHost = `${net}.1`;
  const labServer = `${net}.2`;
  const rootIf = `vl${tag}`.slice(0, 15);
  const clientIf = `vc${tag}`.slice(0, 15);
  try {
    ip('link', 'add', clientIf, 'netns', client.name, 'type', 'veth', 'peer', 'name', `vo${tag}`.slice(0, 15), 'netns', server.name);
    for (const a of [CLIENT, CLIENT2, ATTACKER]) client.exec('ip', 'addr', 'add', `${a}/24`, 'dev', clientIf);
    client.exec('ip', 'link', 'set', clientIf, 'up');
    client.exec('ip', 'route', 'add', `${SERVER}/32`, 'dev', clientIf, 'src', CLIENT);
    server.exec('ip', 'addr', 'add', `${SERVER}/32`, 'dev', `vo${tag}`.slice(0, 15));
    server.exec('ip', 'link', 'set', `vo${tag}`.slice(0, 15), 'up');
    server.exec('ip', 'route', 'add', '10.44.17.0/24', 'dev', `vo${tag}`.slice(0, 15), 'src', SERVER);

    ip('link', 'add', `vi${tag}`.slice(0, 15), 'netns', server.name, 'type', 'veth', 'peer', 'name', `vj${tag}`.slice(0, 15), 'netns', inside.name);
    server.exec('ip', 'addr', 'add', '10.1.1.1/24', 'dev', `vi${tag}`.slice(0, 15));
    inside.exec('ip', 'addr', 'add', `${INSIDE_HOST}/24`, 'dev', `vj${tag}`.slice(0, 15));
    server.exec('ip', 'link', 'set', `vi${tag}`.slice(0, 15), 'up');
    inside.exec('ip', 'link', 'set', `vj${tag}`.slice(0, 15), 'up');
    inside.exec('ip', 'route', 'add', '192.168.1.0/24', 'via', '10.1.1.1');
    server.exec('sysctl', '-qw', 'net.ipv4.ip_forward=1');

    ip('link', 'add', rootIf, 'type', 'veth', 'peer', 'name', `vk${tag}`.slice(0, 15), 'netns', server.name);
    ip('addr', 'add', `${labHost}/30`, 'dev', rootIf);
    ip('link', 'set', rootIf, 'up');
    server.exec('ip', 'addr', 'add', `${labServer}/30`, 'dev', `vk${tag}`.slice(0, 15));
    server.exec('ip', 'link', 'set', `vk${tag}`.slice(0, 15), 'up');
  } catch (e) {
    for (const ns of [client, server, inside]) ns.destroy();
    throw e;
  }
  return {
    client,
    server,
    inside,
    clientIf,
    labHost,
    labServer,
    destroy() {
      for (const ns of [client, server, inside]) ns.destroy();
      // The root end goes with its peer; this only matters if the namespace deletion failed.
      try {
        ip('link', 'del', rootIf);
      } catch {
        /* already gone */
      }
    },
  };
}
