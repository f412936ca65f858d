/**
 * PPP engine throughput in one process, no sockets: MS-CHAP v2 + MPPE-128 handshakes between a
 * client and a server engine (with the local user table as the back end), and IP datagrams through
 * encapsulateIp → input with MPPE-128 stateless.
 */
import { randomBytes } from 'node:crypto';
import { LocalAuthenticator } from '../src/aaa/local.js';
import type { AuthRequest } from '../src/aaa/authenticator.js';
import { PppSession, type PppSessionOptions } from '../src/ppp/session.js';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
}

const USERS = new LocalAuthenticator([{ username: 'bench', password: 'bench-password' }]);
const CONTEXT = { sessionId: 'bench', callingStationId: '192.0.2.1', calledStationId: '192.0.2.2', nasPort: 1, group: '1' };
/** Randomness from a pool refilled 4 KiB at a time (one OpenSSL call instead of one per challenge). */
const pool = { bytes: new Uint8Array(4096), used: 4096 };
function random(n: number): Uint8Array {
  if (pool.used + n > pool.bytes.length) {
    pool.bytes = new Uint8Array(randomBytes(4096));
    pool.used = 0;
  }
  pool.used += n;
  return pool.bytes.slice(pool.used - n, pool.used);
}

function sessions(): { server: PppSession; client: PppSession } {
  const common: Pick<PppSessionOptions, 'random' | 'authTypes'> = { random, authTypes: ['mschap-v2'] };
  return {
    server: new PppSession({ ...common, role: 'server', serverMppe: { mode: 'required', bits: 128 }, localAddress: '10.0.0.1' }),
    client: new PppSession({
      ...common,
      role: 'client',
      username: 'bench',
      password: 'bench-password',
      clientMppe: { mode: 'required', allow40: false, allow128: true, stateless: 'prefer' },
    }),
  };
}

/** One complete handshake over a perfect in-memory link; resolves with the two open sessions. */
async function handshake(): Promise<{ server: PppSession; client: PppSession }> {
  const pair = sessions();
  const { server, client } = pair;
  server.open(0);
  client.open(0);
  for (let round = 0; round < 100; round++) {
    let moved = false;
    for (const out of server.drain()) {
      moved = true;
      if (out.type === 'frame') client.input(out.frame, 0);
      else if (out.type === 'authenticate') {
        const result = await USERS.authenticate({ ...out.request, context: CONTEXT } as AuthRequest);
        server.authResult(result, '10.0.0.2', 0);
      }
    }
    for (const out of client.drain()) {
      moved = true;
      if (out.type === 'frame') server.input(out.frame, 0);
    }
    if (server.state === 'open' && client.state === 'open') return pair;
    if (!moved) break;
  }
  throw new Error(`handshake did not complete (server ${server.state}, client ${client.state})`);
}

export async function benchHandshakes(opts: { seconds: number }): Promise<BenchFigure[]> {
  const budget = opts.seconds * 1000;
  // Handshakes: half the time.
  let handshakes = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < budget / 2) {
    await handshake();
    handshakes++;
  }
  const handshakeSeconds = (performance.now() - t0) / 1000;

  // Data path: the other half, 1400-octet datagrams client → server, MPPE-128 stateless.
  const { server, client } = await handshake();
  const datagram = new Uint8Array(1400);
  datagram.set([0x45, 0, 0x05, 0x78, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1]);
  let packets = 0;
  let delivered = 0;
  const t1 = performance.now();
  while (performance.now() - t1 < budget / 2) {
    for (let i = 0; i < 1000; i++) {
      const frame = client.encapsulateIp(datagram)!;
      if (server.input(frame, 0) !== undefined) delivered++;
    }
    packets += 1000;
  }
  const dataSeconds = (performance.now() - t1) / 1000;
  if (delivered !== packets) throw new Error(`only ${delivered} of ${packets} datagrams came through`);

  return [
    { name: 'PPP handshakes, MS-CHAP v2 + MPPE-128 (client engine to server engine)', value: Math.round(handshakes / handshakeSeconds), unit: 'handshakes/s' },
    { name: 'PPP IP datagrams 1400 B, MPPE-128 stateless, encapsulateIp→input', value: Math.round(packets / dataSeconds), unit: 'packets/s' },
    { name: 'PPP IP throughput 1400 B, MPPE-128 stateless', value: Math.round(((packets / dataSeconds) * 1400 * 8) / 1e6), unit: 'Mbit/s' },
  ];
}
