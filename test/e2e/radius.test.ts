/**
 * RADIUS end to end (SPEC §4, §5.4; issue 6): `vpdn dial` → `vpdn serve` → a real FreeRADIUS running
 * in the server's namespace, with the seed's addressing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot, seedTopology, type SeedTopology } from '../helpers/netns.js';
import { FreeRadius } from '../helpers/freeradius.js';
import { dial, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { tcpExchange } from '../helpers/traffic.js';
import { INSIDE_HOST, SERVER, seedConfig } from './config.js';

const root = !isRoot() && 'needs root for namespaces';

function radiusConfig(hosts: FreeRadius[], extra: string[] = [], strict = true): string {
  return seedConfig({
    extra: [
      'aaa-server RAD protocol radius',
      ...hosts.map(
        (h) => `aaa-server RAD (inside) host 127.0.0.1 ${h.secret} timeout 2 retries 1 auth-port ${strict ? h.ports.authStrict : h.ports.authLax} acct-port ${strict ? h.ports.acctStrict : h.ports.acctLax}`,
      ),
      'vpdn group 1 client authentication aaa RAD',
      'vpdn group 1 client accounting RAD',
      ...extra,
    ],
  });
}

async function waitFor(fn: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('RADIUS end to end with FreeRADIUS', { skip: root }, () => {
  let topo: SeedTopology;
  let radius: FreeRadius;
  before(async () => {
    topo = seedTopology();
    radius = await FreeRadius.start({ netns: topo.server });
  });
  after(async () => {
    await radius?.stop();
    topo?.destroy();
  });

  describe('mppe auto', () => {
    let server: ServerHandle;
    before(async () => {
      server = await startServer(topo.server, radiusConfig([radius], ['vpdn group 1 ppp encryption mppe auto', 'aaa-server RAD dynamic-authorization port 3799']));
    });
    after(async () => {
      await server?.stop();
    });

    for (const [auth, expect] of [
      ['pap', /auth pap no encryption/],
      ['chap', /auth chap-md5 no encryption/],
      ['mschap', /auth mschap-v1 MPPE 128-bit/],
      ['mschapv2', /auth mschap-v2 MPPE 128-bit/],
    ] as const) {
      test(`${auth}: accepted by FreeRADIUS (${expect.source}); a wrong password is rejected with Error 691`, async () => {
        const ok = dial(topo.client, SERVER, ['--user', 'alice', '--password', 'alicepass', '--auth', auth, '--tun', 'vd0', '--route', '10.1.1.0/24']);
        try {
          await ok.waitFor(expect);
          assert.match(topo.client.exec('ping', '-c', '2', '-i', '0.2', '-W', '2', INSIDE_HOST), /2 received/);
        } finally {
          ok.kill();
          await ok.exited;
        }
        const bad = dial(topo.client, SERVER, ['--user', 'alice', '--password', 'nope', '--auth', auth, '--timeout', '15']);
        assert.equal(await bad.exited, 3, bad.all);
        assert.match(bad.err, /Error 691/);
      });
    }

    test('MS-CHAP v2 keys from FreeRADIUS give a working MPPE-128 session; accounting Start/Stop with octets lands in the detail file', async () => {
      const c = dial(topo.client, SERVER, ['--user', 'alice', '--password', 'alicepass', '--auth', 'mschapv2', '--mppe', 'required', '--mppe-bits', '128', '--tun', 'vd0', '--route', '10.1.1.0/24']);
      try {
        await c.waitFor(/auth mschap-v2 MPPE 128-bit/);
        const r = await tcpExchange(topo.client, topo.inside, INSIDE_HOST, 2 * 1024 * 1024);
        assert.ok(r.sentOk && r.receivedOk, '2 MB each way intact through MPPE keyed by RADIUS');
        await waitFor(() => /Acct-Status-Type = Start[\s\S]*User-Name = "alice"/.test(radius.readDetail()), 'accounting Start');
      } finally {
        c.kill();
        await c.exited;
      }
      await waitFor(() => /Acct-Status-Type = Stop/.test(radius.readDetail()), 'accounting Stop');
      const stop = radius.readDetail().split(/\n\n/).filter((r) => /Acct-Status-Type = Stop/.test(r)).pop()!;
      const inOctets = Number(stop.match(/Acct-Input-Octets = (\d+)/)![1]);
      const outOctets = Number(stop.match(/Acct-Output-Octets = (\d+)/)![1]);
      assert.ok(inOctets > 2 * 1024 * 1024 && inOctets < 3 * 1024 * 1024, `input octets ${inOctets}`);
      assert.ok(outOctets > 2 * 1024 * 1024 && outOctets < 3 * 1024 * 1024, `output octets ${outOctets}`);
      assert.match(stop, /Acct-Session-Time = \d+/);
      assert.match(stop, /Framed-IP-Address = 192\.168\.1\.\d+/);
      assert.match(stop, /Acct-Terminate-Cause = User-Request/);
    });

    test('Framed-IP-Address from RADIUS overrides the pool and is routed', async () => {
      const c = dial(topo.client, SERVER, ['--user', 'bob', '--password', 'bobpass', '--auth', 'mschapv2', '--tun', 'vd0', '--route', '10.1.1.0/24']);
      try {
        await c.waitFor(/connected: address 192\.168\.7\.42 /);
        topo.inside.exec('ip', 'route', 'replace', '192.168.7.42/32', 'via', '10.1.1.1');
        assert.match(topo.client.exec('ping', '-c', '2', '-i', '0.2', '-W', '2', INSIDE_HOST), /2 received/);
      } finally {
        c.kill();
        await c.exited;
      }
    });

    test('radclient Disconnect-Request ends the named session (RFC 5176) and gets an ACK', async () => {
      const c = dial(topo.client, SERVER, ['--user', 'alice', '--password', 'alicepass', '--tun', 'vd0']);
      try {
        await c.waitFor(/connected/);
        const out = topo.server.exec('sh', '-c', `echo 'User-Name = "alice"' | radclient -x 127.0.0.1:3799 disconnect ${radius.secret}`);
        assert.match(out, /Disconnect-ACK/);
        assert.equal(await c.exited, 1);
        await server.proc.waitFor(/RADIUS Disconnect-Request/);
      } finally {
        c.kill();
        await c.exited;
      }
    });
  });

  test('seed 5.4: mppe 128 required, FreeRADIUS returns no MPPE keys → 403110 and Error 691', async () => {
    const server = await startServer(topo.server, radiusConfig([radius], ['vpdn group 1 ppp encryption mppe 128 required']));
    try {
      const c = dial(topo.client, SERVER, ['--user', 'nokeys-dave', '--password', 'davepass', '--auth', 'mschapv2', '--timeout', '15']);
      assert.equal(await c.exited, 3, c.all);
      assert.match(c.err, /Error 691/);
      await server.proc.waitFor(/%PIX-3-403110: PPP virtual interface \d+, user: nokeys-dave missing MPPE key from aaa server/);
    } finally {
      await server.stop();
    }
  });

  test('the first RADIUS server is down → failover to a second FreeRADIUS', async () => {
    const second = await FreeRadius.start({ netns: topo.server });
    const dead = await FreeRadius.start({ netns: topo.server });
    await dead.stop();
    const server = await startServer(topo.server, radiusConfig([dead, second]));
    try {
      const c = dial(topo.client, SERVER, ['--user', 'alice', '--password', 'alicepass', '--auth', 'mschapv2', '--tun', 'vd0']);
      try {
        await c.waitFor(/connected: .* auth mschap-v2/, 30_000);
      } finally {
        c.kill();
        await c.exited;
      }
    } finally {
      await server.stop();
      await second.stop();
    }
  });
});
