/**
 * The seed's failure cases (SPEC §5.1, 5.2, 5.3, 5.5) end to end, with the Windows error number the
 * client reports and the server's log line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot, seedTopology, type SeedTopology } from '../helpers/netns.js';
import { dial, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { SERVER, seedConfig } from './config.js';

const root = !isRoot() && 'needs root for namespaces';

async function withServer(topo: SeedTopology, config: string, fn: (s: ServerHandle) => Promise<void>): Promise<void> {
  const s = await startServer(topo.server, config);
  try {
    await fn(s);
  } finally {
    await s.stop();
  }
}

function dialArgs(...extra: string[]): string[] {
  return ['--user', 'cisco', '--password', 'cisco', '--tun', 'vd0', '--timeout', '15', ...extra];
}

describe('seed failure cases', { skip: root }, () => {
  let topo: SeedTopology;
  before(() => {
    topo = seedTopology();
  });
  after(() => topo?.destroy());

  test('seed 5.1: PC allows only MS-CHAP, server only PAP → no agreement, Error 732, server logs why', async () => {
    await withServer(topo, seedConfig({ auth: ['pap'] }), async (s) => {
      const c = dial(topo.client, SERVER, dialArgs('--auth', 'mschap,mschapv2'));
      assert.equal(await c.exited, 4);
      assert.match(c.err, /Error 732/);
      await s.proc.waitFor(/no common authentication protocol|authentication protocol.*(reject|refus)/i);
      assert.match((await s.cli('show', 'vpdn')).out, /Total tunnels=0 sessions=0/);
    });
  });

  test('seed 5.2: PC requires encryption, server has no mppe line → CCP rejected, Error 742', async () => {
    await withServer(topo, seedConfig(), async () => {
      const c = dial(topo.client, SERVER, dialArgs('--auth', 'mschapv2', '--mppe', 'required'));
      assert.equal(await c.exited, 5);
      assert.match(c.err, /Error 742/);
    });
  });

  test('seed 5.3: server mppe 40 required, PC without encryption → "mppe required but not active, tunnel terminated", 603105', async () => {
    await withServer(topo, seedConfig({ extra: ['vpdn group 1 ppp encryption mppe 40 required'] }), async (s) => {
      const c = dial(topo.client, SERVER, dialArgs('--auth', 'mschapv2', '--mppe', 'none'));
      assert.notEqual(await c.exited, 0);
      await s.proc.waitFor(/PPTP: Call id \d+, no session id protocol: 21, reason: mppe required but not active, tunnel terminated/);
      await s.proc.waitFor(/603105: PPTP Tunnel deleted, tunnel_id = \d+, remote_peer_ip = 10\.44\.17\.104/);
    });
  });

  test('seed 5.5: Windows sends DOMAIN\\cisco; only cisco configured → Error 691; adding DOMAIN\\cisco makes it work', async () => {
    await withServer(topo, seedConfig({ extra: ['vpdn group 1 ppp encryption mppe auto'] }), async (s) => {
      const c = dial(topo.client, SERVER, dialArgs('--auth', 'mschapv2', '--domain', 'DOMAIN'));
      assert.equal(await c.exited, 3);
      assert.match(c.err, /Error 691/);
      await s.proc.waitFor(/603103: PPP virtual interface \d+ - user: DOMAIN\\cisco aaa authentication failed/);
    });
    await withServer(topo, seedConfig({ extra: ['vpdn group 1 ppp encryption mppe auto', 'vpdn username DOMAIN\\cisco password cisco'] }), async () => {
      const c = dial(topo.client, SERVER, dialArgs('--auth', 'mschapv2', '--domain', 'DOMAIN'));
      try {
        await c.waitFor(/connected: address 192\.168\.1\.1 .* auth mschap-v2 MPPE 128-bit/);
      } finally {
        c.kill();
        await c.exited;
      }
    });
  });

  test('beyond seed 5.5: `client authentication strip-domain` lets DOMAIN\\cisco log in as cisco', async () => {
    await withServer(topo, seedConfig({ extra: ['vpdn group 1 client authentication strip-domain'] }), async () => {
      const c = dial(topo.client, SERVER, dialArgs('--auth', 'mschapv2', '--domain', 'DOMAIN'));
      try {
        await c.waitFor(/connected: address 192\.168\.1\.1 .* auth mschap-v2/);
      } finally {
        c.kill();
        await c.exited;
      }
    });
  });

  test('wrong password → Error 691 for each authentication type, nothing left behind', async () => {
    await withServer(topo, seedConfig(), async (s) => {
      for (const auth of ['pap', 'chap', 'mschap', 'mschapv2']) {
        const c = dial(topo.client, SERVER, ['--user', 'cisco', '--password', 'wrong', '--auth', auth, '--timeout', '15']);
        assert.equal(await c.exited, 3, `${auth}: ${c.all}`);
        assert.match(c.err, /Error 691/);
      }
      assert.doesNotMatch(s.proc.all, /wrong/, 'the password never appears in the log');
      assert.match((await s.cli('show', 'ip', 'local', 'pool')).out, /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.50\s+50\s+0/);
    });
  });
});
