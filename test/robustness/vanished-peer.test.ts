/**
 * A client that vanishes without a TCP FIN or a GRE packet (issue 9): its end of the link is
 * deleted. The keepalives (`ppp lcp echo`, `pptp echo`) end the session within the configured
 * time, the address goes back to the pool and RADIUS accounting gets its Stop (Lost-Carrier).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot } from '../helpers/netns.js';
import { dial, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { seedConfig } from '../e2e/config.js';
import { AcctStatusType, AcctTerminateCause, RadiusAttr } from '../../src/wire/radius-codes.js';
import { getAttribute } from '../../src/wire/radius-packet.js';
import { radiusLab, type RadiusLab } from './radius-lab.js';
import { userOf } from './radius-relay.js';
import { INSIDE_HOST, lab, SERVER, type Lab } from './topology.js';

const root = !isRoot() && 'needs root for namespaces';

describe('vanished peer', { skip: root }, () => {
  let l: Lab;
  let aaa: RadiusLab;
  let server: ServerHandle;

  before(async () => {
    l = lab();
    aaa = await radiusLab(l);
    // LCP echo every 2 s, down after 2 unanswered; PPTP echo after 4 s quiet.
    server = await startServer(l.server, seedConfig({ extra: [...aaa.config, 'vpdn group 1 ppp lcp echo 2 2', 'vpdn group 1 pptp echo 4', 'vpdn idle-timeout 3'] }));
  });

  after(async () => {
    await server?.stop();
    await aaa?.stop();
    l?.destroy();
  });

  test('the link to the client disappears: the session ends on the keepalive, the address returns, accounting Stop is sent', async () => {
    const c = dial(l.client, SERVER, ['--user', 'alice', '--password', 'alicepass', '--auth', 'mschapv2', '--tun', 'vd0']);
    try {
      await c.waitFor(/connected: address (\S+)/);
      assert.match(l.client.exec('ping', '-I', 'vd0', '-c', '1', '-W', '3', INSIDE_HOST), /1 received/);
      assert.match((await server.cli('show', 'ip', 'local', 'pool')).out, /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.50\s+49\s+1/);
      const deadline = Date.now() + 5000;
      while (aaa.relay.accounting(AcctStatusType.Start).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(userOf(aaa.relay.accounting(AcctStatusType.Start)[0]!), 'alice', 'accounting Start for alice');

      // No FIN, no GRE, no ICMP: the client's end of the link is simply gone.
      const mark = server.proc.all.length;
      const cut = Date.now();
      l.client.exec('ip', 'link', 'del', l.clientIf);
      await server.proc.waitFor(/603105: PPTP Tunnel deleted, tunnel_id = \d+, remote_peer_ip = 10\.44\.17\.104/, 15_000);
      const took = (Date.now() - cut) / 1000;
      assert.ok(took <= 10, `session ended ${took.toFixed(1)} s after the cut (LCP echo 2 s x 2)`);
      assert.match(server.proc.all.slice(mark), /no answer to 2 LCP Echo-Requests|no Echo-Reply/);

      const pool = await server.cli('show', 'ip', 'local', 'pool');
      assert.match(pool.out, /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.50\s+50\s+0/, 'the address is back in the pool');
      const stopDeadline = Date.now() + 5000;
      while (aaa.relay.accounting(AcctStatusType.Stop).length === 0 && Date.now() < stopDeadline) await new Promise((r) => setTimeout(r, 100));
      const stop = aaa.relay.accounting(AcctStatusType.Stop)[0];
      assert.ok(stop, 'accounting Stop sent');
      assert.equal(userOf(stop), 'alice');
      const cause = getAttribute(stop.attributes, RadiusAttr.AcctTerminateCause)!;
      assert.equal(Buffer.from(cause).readUInt32BE(0), AcctTerminateCause['Lost-Carrier']);
      // FreeRADIUS took it: its detail file has the Stop.
      const detailDeadline = Date.now() + 3000;
      while (!/Acct-Status-Type = Stop/.test(aaa.radius.readDetail()) && Date.now() < detailDeadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(aaa.radius.readDetail(), /Acct-Status-Type = Stop/);
      // The control connection goes too (its Stop-Control-Connection-Request is never answered).
      const showDeadline = Date.now() + 8000;
      for (;;) {
        const show = (await server.cli('show', 'vpdn')).out;
        if (/Total tunnels=0 sessions=0/.test(show)) break;
        assert.ok(Date.now() < showDeadline, `tunnel still there:\n${show}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      c.kill('SIGKILL');
      await c.exited;
    }
  });
});
