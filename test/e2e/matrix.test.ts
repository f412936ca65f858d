/**
 * Every authentication type × every MPPE setting end to end (issue 4): `vpdn dial` in the client
 * namespace against `vpdn serve` with the seed's configuration; each case pings the inside host
 * and moves 10 MB each way over TCP.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot, seedTopology, type SeedTopology } from '../helpers/netns.js';
import { dial, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { tcpExchange } from '../helpers/traffic.js';
import { INSIDE_HOST, SERVER, seedConfig } from './config.js';

interface Case {
  auth: string;
  expectAuth: string;
  mppe: 'none' | 'optional' | 'required';
  bits: string;
  stateful?: boolean;
  expectMppe: RegExp;
}

const serverSettings: { name: string; line: string | null; cases: Case[] }[] = [
  {
    name: 'no mppe line',
    line: null,
    cases: [
      { auth: 'pap', expectAuth: 'pap', mppe: 'none', bits: '128', expectMppe: /no encryption/ },
      { auth: 'chap', expectAuth: 'chap-md5', mppe: 'optional', bits: '128', expectMppe: /no encryption/ },
      { auth: 'mschap', expectAuth: 'mschap-v1', mppe: 'optional', bits: '40,128', expectMppe: /no encryption/ },
      { auth: 'mschapv2', expectAuth: 'mschap-v2', mppe: 'none', bits: '128', expectMppe: /no encryption/ },
    ],
  },
  {
    name: 'mppe 40',
    line: 'vpdn group 1 ppp encryption mppe 40',
    cases: [
      { auth: 'mschap', expectAuth: 'mschap-v1', mppe: 'optional', bits: '40,128', expectMppe: /MPPE 40-bit stateless/ },
      { auth: 'mschapv2', expectAuth: 'mschap-v2', mppe: 'required', bits: '40', stateful: true, expectMppe: /MPPE 40-bit stateful/ },
      { auth: 'pap', expectAuth: 'pap', mppe: 'optional', bits: '40', expectMppe: /no encryption/ },
    ],
  },
  {
    name: 'mppe 128',
    line: 'vpdn group 1 ppp encryption mppe 128',
    cases: [
      { auth: 'mschap', expectAuth: 'mschap-v1', mppe: 'required', bits: '128', stateful: true, expectMppe: /MPPE 128-bit stateful/ },
      { auth: 'mschapv2', expectAuth: 'mschap-v2', mppe: 'required', bits: '128', expectMppe: /MPPE 128-bit stateless/ },
      { auth: 'chap', expectAuth: 'chap-md5', mppe: 'none', bits: '128', expectMppe: /no encryption/ },
    ],
  },
  {
    name: 'mppe auto',
    line: 'vpdn group 1 ppp encryption mppe auto',
    cases: [
      { auth: 'mschapv2', expectAuth: 'mschap-v2', mppe: 'optional', bits: '40', expectMppe: /MPPE 40-bit/ },
      { auth: 'mschapv2', expectAuth: 'mschap-v2', mppe: 'optional', bits: '40,128', expectMppe: /MPPE 128-bit/ },
    ],
  },
  {
    name: 'mppe 128 required',
    line: 'vpdn group 1 ppp encryption mppe 128 required',
    cases: [
      { auth: 'mschapv2', expectAuth: 'mschap-v2', mppe: 'optional', bits: '40,128', expectMppe: /MPPE 128-bit stateless/ },
      { auth: 'mschap', expectAuth: 'mschap-v1', mppe: 'required', bits: '128', expectMppe: /MPPE 128-bit/ },
    ],
  },
];

describe('auth type × MPPE setting, end to end', { skip: !isRoot() && 'needs root for namespaces' }, () => {
  let topo: SeedTopology;
  before(() => {
    topo = seedTopology();
  });
  after(() => topo?.destroy());

  for (const setting of serverSettings) {
    describe(`server: ${setting.name}`, () => {
      let server: ServerHandle;
      before(async () => {
        server = await startServer(topo.server, seedConfig({ extra: setting.line ? [setting.line] : [] }));
      });
      after(async () => {
        await server?.stop();
      });
      for (const c of setting.cases) {
        test(`client ${c.auth}, mppe ${c.mppe} ${c.bits}${c.stateful ? ' stateful' : ''} → ${c.expectAuth} ${c.expectMppe.source}`, async () => {
          const args = ['--user', 'cisco', '--password', 'cisco', '--auth', c.auth, '--mppe', c.mppe, '--mppe-bits', c.bits, '--tun', 'vd0', '--route', '10.1.1.0/24'];
          if (c.stateful) args.push('--stateful');
          const client = dial(topo.client, SERVER, args);
          try {
            const m = await client.waitFor(/connected: address (\S+) server (\S+) auth (\S+) (.*) interface/);
            assert.equal(m[3], c.expectAuth);
            assert.match(m[4]!, c.expectMppe);
            assert.match(topo.client.exec('ping', '-c', '2', '-i', '0.2', '-W', '2', INSIDE_HOST), /2 received/);
            const r = await tcpExchange(topo.client, topo.inside, INSIDE_HOST, 10 * 1024 * 1024);
            assert.ok(r.sentOk && r.receivedOk, '10 MB each way arrived intact');
            const show = await server.cli('show', 'vpdn', '--json');
            const data = JSON.parse(show.out) as { tunnels: { calls: { username: string; mppeBits: number | null; traffic: { bytesIn: number } }[] }[] };
            const call = data.tunnels[0]!.calls[0]!;
            assert.equal(call.username, 'cisco');
            assert.ok(call.traffic.bytesIn > 10 * 1024 * 1024, 'bytes counted');
          } finally {
            client.kill('SIGTERM');
            await client.exited;
          }
          // The hang-up returns the address and leaves no session behind.
          for (let i = 0; i < 50; i++) {
            const s = await server.cli('show', 'vpdn');
            if (/Total tunnels=0 sessions=0/.test(s.out)) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          assert.match((await server.cli('show', 'ip', 'local', 'pool', 'pptp-pool')).out, /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.50\s+50\s+0/);
        });
      }
    });
  }
});
