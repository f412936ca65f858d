/**
 * Operating the server the PIX way (SPEC §6, issue 4): 20 concurrent clients, show commands with
 * real counters and --json, clear vpdn tunnel all, debug switches, the console, syslog over UDP,
 * the session limit, SIGTERM teardown, and the capability check.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isRoot, seedTopology, type SeedTopology } from '../helpers/netns.js';
import { vpdnBin } from '../helpers/paths.js';
import { dial, Proc, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { INSIDE_HOST, SERVER, seedConfig } from './config.js';

const root = !isRoot() && 'needs root for namespaces';

async function waitShow(s: ServerHandle, re: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = (await s.cli('show', 'vpdn')).out;
    if (re.test(out)) return out;
    if (Date.now() > deadline) throw new Error(`show vpdn never matched ${re}:\n${out}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('operations', { skip: root }, () => {
  let topo: SeedTopology;
  let server: ServerHandle;
  before(async () => {
    topo = seedTopology();
    // A syslog receiver on the inside host (logging host inside 10.1.1.5 udp/5514).
    server = await startServer(topo.server, seedConfig({ extra: ['vpdn group 1 ppp encryption mppe auto', 'logging host inside 10.1.1.5 udp/5514', 'logging trap informational'] }));
  });
  after(async () => {
    await server?.stop();
    topo?.destroy();
  });

  test('20 concurrent clients come up, each pings the inside host; show vpdn/uauth/pool agree; clear vpdn tunnel all ends them', async () => {
    const syslog = new Proc(topo.inside.spawn(process.execPath, ['-e', "const s=require('node:dgram').createSocket('udp4');s.on('message',(m)=>console.log(m.toString()));s.bind(5514,()=>console.log('BOUND'))"]));
    await syslog.waitFor(/BOUND/);
    const clients: Proc[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        clients.push(dial(topo.client, SERVER, ['--user', 'cisco', '--password', 'cisco', '--tun', `vd${i}`, '--timeout', '60']));
      }
      const addresses = new Set<string>();
      for (const c of clients) addresses.add((await c.waitFor(/connected: address (\S+)/, 60_000))[1]!);
      assert.equal(addresses.size, 20, 'each client has its own address');
      for (let i = 0; i < 20; i += 4) {
        assert.match(topo.client.exec('ping', '-I', `vd${i}`, '-c', '1', '-W', '3', INSIDE_HOST), /1 received/);
      }
      const show = await server.cli('show', 'vpdn');
      assert.match(show.out, /Total tunnels=20 sessions=20/);
      assert.equal((show.out.match(/Session username is cisco, state is estabd/g) ?? []).length, 20);
      const uauth = await server.cli('show', 'uauth');
      assert.match(uauth.out, /Authenticated Users\s+20/);
      const pool = await server.cli('show', 'ip', 'local', 'pool', 'pptp-pool');
      assert.match(pool.out, /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.50\s+30\s+20/);
      const json = JSON.parse((await server.cli('show', 'vpdn', 'session', '--json')).out) as { tunnels: unknown[] };
      assert.equal(json.tunnels.length, 20);
      await syslog.waitFor(/<1\d\d>.*%PIX-6-603104: PPTP Tunnel created/);

      const clear = await server.cli('clear', 'vpdn', 'tunnel', 'all');
      assert.equal(clear.code, 0);
      assert.match(clear.out, /20 tunnel\(s\) cleared/);
      for (const c of clients) assert.equal(await c.exited, 1);
      await waitShow(server, /Total tunnels=0 sessions=0/);
      assert.match((await server.cli('show', 'ip', 'local', 'pool')).out, /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.50\s+50\s+0/);
    } finally {
      for (const c of clients) c.kill('SIGKILL');
      syslog.kill('SIGKILL');
    }
  });

  test('debug switches trace live and cost nothing when off; show debug lists them', async () => {
    assert.equal((await server.cli('debug', 'ppp', 'io')).code, 0);
    assert.equal((await server.cli('debug', 'vpdn', 'events')).code, 0);
    assert.match((await server.cli('show', 'debug')).out, /debug ppp io\ndebug vpdn events/);
    const mark = server.proc.all.length;
    const c = dial(topo.client, SERVER, ['--user', 'cisco', '--password', 'cisco', '--tun', 'vd0']);
    try {
      await c.waitFor(/connected/);
      const traced = server.proc.all.slice(mark);
      assert.match(traced, /PPP xmit, ifc = \d+, Len: \d+ data: ff03c021/);
      assert.match(traced, /SCCRQ-ok -> state change wt-sccrq to estabd/);
      assert.doesNotMatch(traced, /cisco\b.*password|password.*cisco/i);
    } finally {
      c.kill();
      await c.exited;
    }
    assert.equal((await server.cli('no', 'debug', 'ppp', 'io')).code, 0);
    assert.equal((await server.cli('undebug', 'all')).code, 0);
    assert.equal((await server.cli('show', 'debug')).out.trim(), '');
    const bad = await server.cli('debug', 'ppp', 'nonsense');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /unknown debug category/);
  });

  test('vpdn console: HOSTNAME# prompt, commands, ? help', async () => {
    const con = new Proc(spawn(process.execPath, [vpdnBin, 'console', '--control', server.control], { stdio: 'pipe' }));
    con.child.stdin!.write('show vpdn\nshow ?\nclear vpdn tunnel id 99999\nexit\n');
    assert.equal(await con.exited, 0);
    assert.match(con.out, /PIX# /);
    assert.match(con.out, /PPTP Tunnel and Session Information \(Total tunnels=0 sessions=0\)/);
    assert.match(con.out, /show ip local pool \[NAME\]/);
    assert.match(con.out, /ERROR: tunnel id 99999 does not exist/);
  });
});

describe('limits and lifecycle', { skip: root }, () => {
  let topo: SeedTopology;
  before(() => {
    topo = seedTopology();
  });
  after(() => topo?.destroy());

  test('session limit: the third client is refused with a 213001 message; the first two stay up', async () => {
    const s = await startServer(topo.server, seedConfig({ extra: ['vpdn max-sessions 2'] }));
    const clients: Proc[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        clients.push(dial(topo.client, SERVER, ['--user', 'cisco', '--password', 'cisco', '--tun', `vd${i}`]));
        await clients[i]!.waitFor(/connected/);
      }
      const third = dial(topo.client, SERVER, ['--user', 'cisco', '--password', 'cisco', '--tun', 'vd2', '--timeout', '10']);
      assert.notEqual(await third.exited, 0);
      await s.proc.waitFor(/%PIX-3-213001: PPTP control daemon socket io accept refused for 10\.44\.17\.104: session limit 2 reached, errno = 5/);
      assert.match(topo.client.exec('ping', '-I', 'vd1', '-c', '1', '-W', '3', INSIDE_HOST), /1 received/);
      assert.match((await s.cli('show', 'vpdn')).out, /Total tunnels=2 sessions=2/);
    } finally {
      for (const c of clients) c.kill('SIGKILL');
      await s.stop();
    }
  });

  test('SIGTERM tears every session down (the client sees the hang-up) and exits 0', async () => {
    const s = await startServer(topo.server, seedConfig());
    const c = dial(topo.client, SERVER, ['--user', 'cisco', '--password', 'cisco', '--tun', 'vd0']);
    try {
      await c.waitFor(/connected/);
      assert.equal(await s.stop(), 0);
      assert.equal(await c.exited, 1);
      assert.match(c.err, /disconnected/);
      assert.match(s.proc.all, /SIGTERM received: tearing down every session/);
      assert.match(s.proc.all, /603105: PPTP Tunnel deleted/);
    } finally {
      c.kill('SIGKILL');
    }
  });

  test('without CAP_NET_RAW the server exits 1 and names the capability', async () => {
    const p = new Proc(
      spawn('setpriv', ['--inh-caps=-all', '--bounding-set=-net_raw', process.execPath, vpdnBin, 'serve', '--config', 'config/default.cfg', '--control', '/tmp/vpdn-nocap.sock'], { stdio: 'pipe' }),
    );
    assert.equal(await p.exited, 1);
    assert.match(p.err, /CAP_NET_RAW/);
  });
});
