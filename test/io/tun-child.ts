/**
 * Runs inside a fresh network namespace (started by tun.test.ts) and prints one JSON line of
 * what it observed: a TUN device configured with the netlink-cmd helpers, a UDP datagram from
 * node:dgram read off the TUN, and replies written into the TUN delivered to that socket.
 */
import { createSocket } from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { TunDevice } from '../../src/io/tun.js';
import { addAddress, addRoute, delRoute, linkUp, setForwarding } from '../../src/io/netlink-cmd.js';
import { rangeToCidrs } from '../../src/io/cidr.js';
import { toHex } from '../../src/wire/bytes.js';
import { buildUdp, parseUdp, type UdpPacket } from './ipv4-udp.js';

const LOCAL = '10.99.0.1';
const PEER = '10.99.0.2';
const REMOTE = '10.98.0.15'; // inside the routed pool 10.98.0.10-10.98.0.20

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`timeout: ${what}`)), ms))]);
}

async function main(): Promise<object> {
  const tun = TunDevice.open({ name: 'vpdntun0', mtu: 1400 });
  try {
    await linkUp(tun.name, tun.mtu);
    await addAddress(tun.name, LOCAL, PEER);
    const pool = rangeToCidrs('10.98.0.10', '10.98.0.20');
    for (const cidr of pool) await addRoute(cidr, tun.name);
    await setForwarding(true);
    const forwarding = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
    const link = JSON.parse(execFileSync('ip', ['-j', '-4', 'addr', 'show', 'dev', tun.name], { encoding: 'utf8' }))[0];
    const routes = () =>
      (JSON.parse(execFileSync('ip', ['-j', 'route', 'show', 'dev', tun.name], { encoding: 'utf8' })) as { dst: string }[])
        .map((r) => r.dst)
        .sort();
    const routesBefore = routes();

    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, LOCAL, r));
    const port = sock.address().port;
    const replies: { text: string; from: string; port: number }[] = [];
    const allReplies = new Promise<void>((resolve) =>
      sock.on('message', (msg, rinfo) => {
        replies.push({ text: msg.toString(), from: rinfo.address, port: rinfo.port });
        if (replies.length === 4) resolve();
      }),
    );

    // The datagram leaves through the TUN: read it from onBatch.
    const seen = new Promise<{ udp: UdpPacket; hex: string; batchCount: number }>((resolve) =>
      tun.onBatch((b) => {
        for (let i = 0; i < b.count; i++) {
          const pkt = b.buffer.subarray(b.offsets[i], b.offsets[i] + b.lengths[i]);
          const udp = parseUdp(pkt);
          if (udp && udp.dst === REMOTE) resolve({ udp: { ...udp, payload: udp.payload.slice() }, hex: toHex(pkt), batchCount: b.count });
        }
      }),
    );
    sock.send('ping-vpdn', 7777, REMOTE);
    const got = await withTimeout(seen, 3000, 'datagram on the TUN');

    // Replies come back in through the TUN, as decapsulated PPP traffic would.
    const reply = (text: string) => buildUdp(REMOTE, LOCAL, 7777, port, new TextEncoder().encode(text));
    const wrote = tun.write(reply('pong-vpdn'));
    const batch = ['pong-1', 'pong-2', 'pong-3'].map(reply);
    const wroteBatch = tun.writeBatch(batch, batch.length);
    await withTimeout(allReplies, 3000, 'replies through the TUN');

    // Not an IP packet: the kernel refuses it (EINVAL); in a batch it is counted, not thrown.
    let badWrite = '';
    try {
      tun.write(new Uint8Array([0x00, 1, 2, 3]));
    } catch (e) {
      badWrite = (e as NodeJS.ErrnoException).code ?? String(e);
    }
    const mixed = [batch[0], new Uint8Array([0x00, 1, 2, 3]), batch[1]];
    const wroteMixed = tun.writeBatch(mixed, mixed.length);

    await delRoute(pool[0], tun.name);
    const routesAfter = routes();
    sock.close();
    return {
      name: tun.name,
      mtu: link.mtu,
      flags: link.flags,
      addr: link.addr_info.map((x: { local: string; address?: string; prefixlen: number }) => `${x.local} peer ${x.address}/${x.prefixlen}`),
      forwarding,
      pool,
      routesBefore,
      routesAfter,
      seen: { ...got.udp, payload: new TextDecoder().decode(got.udp.payload), port },
      wrote,
      wroteBatch,
      badWrite,
      wroteMixed,
      replies: replies.slice(0, 4),
      stats: tun.stats,
    };
  } finally {
    tun.close();
  }
}

main().then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  },
  (e: Error & { capability?: string }) => {
    process.stdout.write(JSON.stringify({ error: e.message, name: e.name, capability: e.capability }) + '\n');
    process.exit(1);
  },
);
