/**
 * Exhaustion (issue 9): an empty pool, the session limit and the file-descriptor limit. Each is a
 * clean refusal with a log line — IPCP refused and the session ended, SCCRP "No-Resource", accept
 * errors — never a crash; the sessions already up keep passing traffic and the server takes new
 * ones once resources are free again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRoot } from '../helpers/netns.js';
import { vpdnBin } from '../helpers/paths.js';
import { dial, Proc, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { seedConfig } from '../e2e/config.js';
import { ControlMessageType as T } from '../../src/wire/pptp.js';
import { SCCRQ } from '../fuzz/targets/pptp-samples.js';
import { RawControl } from './raw-pptp.js';
import { CLIENT2, INSIDE_HOST, lab, SERVER, type Lab } from './topology.js';

const root = !isRoot() && 'needs root for namespaces';
const first = ['--user', 'cisco', '--password', 'cisco', '--tun', 'vd0'];
const second = ['--user', 'cisco', '--password', 'cisco', '--tun', 'vd1', '--local', CLIENT2, '--timeout', '15'];

describe('exhaustion', { skip: root }, () => {
  let l: Lab;
  before(() => {
    l = lab();
  });
  after(() => l?.destroy());

  async function withServer(config: string, fn: (s: ServerHandle) => Promise<void>): Promise<void> {
    const s = await startServer(l.server, config, ['--listen', '0.0.0.0']);
    try {
      await fn(s);
    } finally {
      await s.stop();
    }
  }

  test('pool empty: IPCP has no address to give, the login ends cleanly with 213004, the first session is unaffected', async () => {
    const config = seedConfig().replace('ip local pool pptp-pool 192.168.1.1-192.168.1.50', 'ip local pool pptp-pool 192.168.1.1-192.168.1.1');
    await withServer(config, async (s) => {
      const a = dial(l.client, SERVER, first);
      try {
        await a.waitFor(/connected: address 192\.168\.1\.1 /);
        const b = dial(l.client, SERVER, second);
        assert.notEqual(await b.exited, 0, 'the second login fails');
        await s.proc.waitFor(/%PIX-3-213004: PPP virtual interface \d+ client ip allocation failed/);
        await s.proc.waitFor(/603105: PPTP Tunnel deleted, tunnel_id = \d+, remote_peer_ip = 10\.44\.17\.105/);
        assert.match((await s.cli('show', 'vpdn')).out, /Total tunnels=1 sessions=1/);
        assert.match((await s.cli('show', 'ip', 'local', 'pool')).out, /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.1\s+0\s+1/);
        assert.match(l.client.exec('ping', '-I', 'vd0', '-c', '1', '-W', '3', INSIDE_HOST), /1 received/);
      } finally {
        a.kill();
        await a.exited;
      }
      // Its address back, the pool serves the next login.
      const b = dial(l.client, SERVER, second);
      try {
        await b.waitFor(/connected: address 192\.168\.1\.1 /);
      } finally {
        b.kill();
        await b.exited;
      }
    });
  });

  test('session limit: SCCRP General error / No-Resource (RFC 2637 §2.2) and a 213001 line; the session up is unaffected', async () => {
    await withServer(seedConfig({ extra: ['vpdn max-sessions 1'] }), async (s) => {
      const a = dial(l.client, SERVER, first);
      try {
        await a.waitFor(/connected/);
        const c = await RawControl.connect(l.labServer);
        c.send(SCCRQ);
        const reply = await c.next(T.StartControlConnectionReply);
        assert.deepEqual([reply.resultCode, reply.errorCode], [2, 4]);
        assert.ok(await c.waitClosed(3000), 'and the connection is closed');
        const b = dial(l.client, SERVER, second);
        assert.notEqual(await b.exited, 0);
        await s.proc.waitFor(/%PIX-3-213001: PPTP control daemon socket io accept refused for 10\.44\.17\.105: session limit 1 reached, errno = 5/);
        assert.match(l.client.exec('ping', '-I', 'vd0', '-c', '1', '-W', '3', INSIDE_HOST), /1 received/);
      } finally {
        a.kill();
        await a.exited;
      }
    });
  });

  test('file-descriptor limit (RLIMIT_NOFILE 64): connections beyond it are refused with a log line, nothing crashes, the session up keeps working, new logins work once fds are free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpdn-nofile-'));
    const cfg = join(dir, 'vpdn.cfg');
    const control = join(dir, 'vpdn.sock');
    writeFileSync(cfg, seedConfig({ extra: ['vpdn idle-timeout 3'] }));
    // Node raises its soft limit to the hard one at start, so both are 64.
    const proc = new Proc(l.server.spawn('prlimit', ['--nofile=64:64', process.execPath, vpdnBin, 'serve', '--config', cfg, '--control', control, '--listen', '0.0.0.0']));
    const flood: RawControl[] = [];
    try {
      await proc.waitFor(/listening on/, 20_000);
      const a = dial(l.client, SERVER, first);
      try {
        await a.waitFor(/connected/);
        // Far more connections than descriptors: the kernel completes them, the server cannot take them all.
        for (let i = 0; i < 150; i++) {
          try {
            flood.push(await RawControl.connect(l.labServer));
          } catch {
            /* refused: fine */
          }
        }
        await proc.waitFor(/%PIX-3-213001: PPTP control daemon socket io accept refused for [\d.]+: file descriptors nearly exhausted \(limit 64\), \d+ connection\(s\) refused, errno = 24/, 5000);
        const refused = flood.filter((c) => c.closed).length;
        assert.ok(refused > 50, `${refused} of ${flood.length} connections refused at once`);
        assert.match(l.client.exec('ping', '-I', 'vd0', '-c', '2', '-i', '0.3', '-W', '3', INSIDE_HOST), /2 received/, 'the session up passes traffic');
        // The silent connections it did take end on the idle timeout; then there is room again.
        const deadline = Date.now() + 10_000;
        for (const c of flood) await c.waitClosed(Math.max(1, deadline - Date.now()));
        for (const c of flood) c.destroy();
        const b = dial(l.client, SERVER, second);
        try {
          await b.waitFor(/connected/, 15_000);
          assert.match(l.client.exec('ping', '-I', 'vd1', '-c', '1', '-W', '3', INSIDE_HOST), /1 received/);
        } finally {
          b.kill();
          await b.exited;
        }
        assert.equal(proc.child.exitCode, null, 'the server is still running');
      } finally {
        a.kill();
        await a.exited;
      }
      proc.kill('SIGTERM');
      assert.equal(await proc.exited, 0, 'and stops cleanly');
    } finally {
      for (const c of flood) c.destroy();
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
