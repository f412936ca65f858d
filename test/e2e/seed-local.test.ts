/**
 * End to end in network namespaces with the seed's addressing (SPEC §7, issue 4): `vpdn serve`
 * with the seed's local-authentication configuration, `vpdn dial` from the client namespace,
 * ping and 10 MB TCP both ways to the inside host, `show vpdn`, `clear vpdn tunnel id N`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isRoot, seedTopology, type SeedTopology } from '../helpers/netns.js';
import { fixture } from '../helpers/paths.js';
import { dial, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { tcpExchange } from '../helpers/traffic.js';

const SERVER = '172.18.124.152';

/** The seed's first configuration (local users), plus what a test needs: messages on the console. */
function seedConfig(extra: string[] = []): string {
  const text = readFileSync(fixture('config', 'seed1-unfolded.cfg'), 'utf8');
  return text.replace('vpdn enable outside', ['vpdn enable outside', 'logging console debugging', ...extra].join('\n'));
}

describe('seed topology, local authentication', { skip: !isRoot() && 'needs root for namespaces' }, () => {
  let topo: SeedTopology;
  let server: ServerHandle;

  before(async () => {
    topo = seedTopology();
    server = await startServer(topo.server, seedConfig(['vpdn group 1 ppp encryption mppe auto']));
  });

  after(async () => {
    await server?.stop();
    topo?.destroy();
  });

  test('dial, ping the inside host, 10 MB TCP each way, show vpdn, clear vpdn tunnel id N', async () => {
    const client = dial(topo.client, SERVER, ['--user', 'cisco', '--password', 'cisco', '--tun', 'vd0', '--route', '10.1.1.0/24']);
    try {
      const m = await client.waitFor(/connected: address (\S+) server (\S+) auth (\S+) (.*) interface/);
      assert.equal(m[1], '192.168.1.1');
      assert.equal(m[2], '10.1.1.1');
      assert.equal(m[3], 'mschap-v2');
      assert.match(m[4]!, /MPPE 128-bit/);
      const ping = topo.client.exec('ping', '-c', '3', '-i', '0.2', '-W', '2', '10.1.1.5');
      assert.match(ping, /3 received/);
      const r = await tcpExchange(topo.client, topo.inside, '10.1.1.5', 10 * 1024 * 1024);
      assert.equal(r.sentOk, true, 'client→inside bytes arrived intact');
      assert.equal(r.receivedOk, true, 'inside→client bytes arrived intact');

      const show = await server.cli('show', 'vpdn');
      assert.equal(show.code, 0, show.err);
      assert.match(show.out, /Total tunnels=1 sessions=1/);
      assert.match(show.out, /Session username is cisco, state is estabd/);
      const tunnelId = Number(show.out.match(/Tunnel id (\d+)/)![1]);
      const pkts = Number(show.out.match(/Call id \d+ is up[\s\S]*?(\d+) packets sent/)![1]);
      assert.ok(pkts > 7000, `packets sent counted (${pkts})`);

      const clear = await server.cli('clear', 'vpdn', 'tunnel', 'id', String(tunnelId));
      assert.equal(clear.code, 0, clear.err);
      assert.equal(await client.exited, 1, 'dial exits when the server clears the tunnel');
      assert.match(client.all, /disconnected/);
      const after = await server.cli('show', 'vpdn');
      assert.match(after.out, /Total tunnels=0 sessions=0/);
      await server.proc.waitFor(/603105: PPTP Tunnel deleted, tunnel_id = \d+, remote_peer_ip = 10\.44\.17\.104/);
    } finally {
      client.kill();
      await client.exited;
    }
  });
});
