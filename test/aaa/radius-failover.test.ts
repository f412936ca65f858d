/**
 * Failover between two real FreeRADIUS servers: a silent first host costs its tries once, is then
 * skipped for deadTimeMs, probed with Status-Server and used again when it is back. A port where
 * nothing listens answers with ICMP, which ends the tries at once.
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { RadiusAuthenticator } from '../../src/aaa/radius/index.js';
import { FreeRadius, freeUdpPorts, mschapV2Login, papLogin } from '../helpers/freeradius.js';

const servers: FreeRadius[] = [];
const clients: RadiusAuthenticator[] = [];

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.stop()));
});

async function until(what: string, check: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A server that has crashed silently: the port is open, nothing ever answers. */
async function blackHole(port: number): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(port, '127.0.0.1', () => resolve()));
  return s;
}

it('fails over from a silent host, skips it while down, and returns to it after a Status-Server probe', async () => {
  const [a1, a2, a3, a4] = await freeUdpPorts(4);
  const firstPorts = { authStrict: a1, acctStrict: a2, authLax: a3, acctLax: a4 };
  const hole = await blackHole(firstPorts.authStrict);
  const second = await FreeRadius.start();
  servers.push(second);
  const c = new RadiusAuthenticator({
    hosts: [
      { address: '127.0.0.1', authPort: firstPorts.authStrict, secret: second.secret, timeoutMs: 150, retries: 1 },
      { address: '127.0.0.1', authPort: second.ports.authStrict, secret: second.secret, timeoutMs: 150, retries: 1 },
    ],
    nasIpAddress: '192.0.2.1',
    deadTimeMs: 300,
  });
  clients.push(c);

  const t = Date.now();
  const r1 = await c.authenticate(mschapV2Login('User', 'clientPass'));
  assert.equal(r1.accepted, true, r1.reason);
  assert.ok(Date.now() - t >= 290, 'two tries on the silent host first');
  assert.equal(c.hostStatus()[0].up, false);
  assert.equal(c.hostStatus()[1].up, true);
  assert.equal(c.counters.timeouts, 2);

  const r2 = await c.authenticate(papLogin('alice', 'alicepass'));
  assert.equal(r2.accepted, true, r2.reason);
  assert.equal(c.counters.timeouts, 2, 'the down host is skipped');

  await new Promise<void>((resolve) => hole.close(() => resolve()));
  const first = await FreeRadius.start({ ports: firstPorts });
  servers.push(first);
  await until('the probe to mark the first host up', () => c.hostStatus()[0].up, 3000);

  await second.stop();
  const before = { ...c.counters };
  const r3 = await c.authenticate(papLogin('alice', 'alicepass'));
  assert.equal(r3.accepted, true, r3.reason);
  assert.equal(c.counters.timeouts, before.timeouts, 'answered by the first host, which is back');
  assert.equal(c.counters.unreachable, before.unreachable);
});

it('ends tries at once on ICMP port unreachable, tries every host when all are down, and reports each', async () => {
  const [p1, p2] = await freeUdpPorts(2);
  const c = new RadiusAuthenticator({
    hosts: [
      { address: '127.0.0.1', authPort: p1, secret: 's', timeoutMs: 5000, retries: 1 },
      { address: '127.0.0.1', authPort: p2, secret: 's', timeoutMs: 5000, retries: 1 },
    ],
    nasIpAddress: '192.0.2.1',
    deadTimeMs: 10_000,
  });
  clients.push(c);
  const t = Date.now();
  const r1 = await c.authenticate(papLogin('alice', 'x'));
  assert.ok(Date.now() - t < 2000, 'no 5 s timeouts waited');
  assert.equal(r1.accepted, false);
  assert.match(r1.reason, new RegExp(`127\\.0\\.0\\.1:${p1} after 2 tries \\(ICMP port unreachable.*127\\.0\\.0\\.1:${p2} after 2 tries`));
  assert.deepEqual(
    c.hostStatus().map((h) => h.up),
    [false, false],
  );
  const requests = c.counters.requests;
  const r2 = await c.authenticate(papLogin('alice', 'x'));
  assert.equal(r2.accepted, false);
  assert.equal(c.counters.requests, requests + 2, 'both down hosts tried again');
  assert.equal(c.counters.timeouts, 0);
});
