/**
 * Crash safety (issue 9): `vpdn serve` killed with SIGKILL while a session is up, then started
 * again with the same configuration and control socket. It comes back with a clean TUN, pool and
 * routes, and sends RADIUS Accounting-On (RFC 2866 §5.1) so the accounting server can close the
 * sessions the crash left open; a client can dial in and pass traffic again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isRoot } from '../helpers/netns.js';
import { vpdnBin } from '../helpers/paths.js';
import { dial, Proc, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { seedConfig } from '../e2e/config.js';
import { AcctStatusType } from '../../src/wire/radius-codes.js';
import { radiusLab, type RadiusLab } from './radius-lab.js';
import { INSIDE_HOST, lab, SERVER, type Lab } from './topology.js';

const root = !isRoot() && 'needs root for namespaces';

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('crash and restart', { skip: root }, () => {
  let l: Lab;
  let aaa: RadiusLab;
  let server: ServerHandle;
  let again: Proc | undefined;

  before(async () => {
    l = lab();
    aaa = await radiusLab(l);
    server = await startServer(l.server, seedConfig({ extra: aaa.config }));
  });

  after(async () => {
    again?.kill('SIGKILL');
    if (again) await again.exited;
    await server?.stop();
    await aaa?.stop();
    l?.destroy();
  });

  test('SIGKILL with a session up, restart: clean TUN, pool and routes, Accounting-On, and a new session works', async () => {
    await until('Accounting-On at start', () => aaa.relay.accounting(AcctStatusType.AccountingOn).length === 1);
    const c = dial(l.client, SERVER, ['--user', 'alice', '--password', 'alicepass', '--auth', 'mschapv2', '--tun', 'vd0']);
    await c.waitFor(/connected: address 192\.168\.1\.1 /);
    // The pool 192.168.1.1-50 as CIDR blocks on the TUN.
    const poolRoutes = l.server.exec('ip', 'route', 'show', 'dev', 'vpdn0');
    assert.match(poolRoutes, /^192\.168\.1\.1 scope link[\s\S]*192\.168\.1\.50 scope link/);

    server.proc.kill('SIGKILL');
    await server.proc.exited;
    // The kernel closed the TCP connection for the dead process: the client notices.
    assert.equal(await c.exited, 1);
    assert.throws(() => l.server.exec('ip', 'link', 'show', 'vpdn0'), 'the TUN went with the process');
    assert.doesNotMatch(l.server.exec('ip', 'route'), /192\.168\.1\./, 'and its routes with it');
    assert.ok(existsSync(server.control), 'a stale control socket is left behind');

    // Same configuration, same control socket path.
    again = new Proc(l.server.spawn(process.execPath, [vpdnBin, 'serve', '--config', join(server.dir, 'vpdn.cfg'), '--control', server.control]));
    await again.waitFor(/listening on/, 20_000);
    await until('Accounting-On after the restart', () => aaa.relay.accounting(AcctStatusType.AccountingOn).length === 2);
    await until('FreeRADIUS logged both', () => (aaa.radius.readDetail().match(/Acct-Status-Type = Accounting-On/g) ?? []).length === 2);
    const cli = async (...args: string[]) => {
      const p = new Proc(l.server.spawn(process.execPath, [vpdnBin, ...args, '--control', server.control]));
      assert.equal(await p.exited, 0, p.all);
      return p.out;
    };
    assert.match(await cli('show', 'vpdn'), /Total tunnels=0 sessions=0/);
    assert.match(await cli('show', 'ip', 'local', 'pool'), /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.50\s+50\s+0/);
    assert.equal(l.server.exec('ip', 'route', 'show', 'dev', 'vpdn0'), poolRoutes, 'the same routes, once each');
    assert.match(l.server.exec('ip', 'link', 'show', 'vpdn0'), /UP/);

    const d = dial(l.client, SERVER, ['--user', 'alice', '--password', 'alicepass', '--auth', 'mschapv2', '--tun', 'vd0']);
    try {
      await d.waitFor(/connected: address 192\.168\.1\.1 /);
      assert.match(l.client.exec('ping', '-I', 'vd0', '-c', '2', '-i', '0.3', '-W', '3', INSIDE_HOST), /2 received/);
      await until('accounting Start of the new session', () => aaa.relay.accounting(AcctStatusType.Start).length === 2);
    } finally {
      d.kill();
      await d.exited;
    }
    again.kill('SIGTERM');
    assert.equal(await again.exited, 0);
  });
});
