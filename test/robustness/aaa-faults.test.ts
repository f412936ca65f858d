/**
 * AAA faults (issue 9): a RADIUS or TACACS+ server that is down, slow (answers after the timeout),
 * answers with garbage or with a wrong authenticator. RADIUS is a real FreeRADIUS behind a relay
 * that misbehaves on demand; TACACS+ is the project's test server with its failure injection.
 * With a second host configured the login fails over to it; with none left it fails with
 * Error 691 and a log line; the server stays up throughout and logins work again afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot } from '../helpers/netns.js';
import { startServer, type ServerHandle } from '../helpers/vpdn.js';
import { seedConfig } from '../e2e/config.js';
import { FreeRadius } from '../helpers/freeradius.js';
import { startTacacsServer, type InjectionMode, type TacacsTestServer } from '../tacacs-server/server.js';
import { attempt } from './attempt.js';
import { RadiusRelay, type RelayMode } from './radius-relay.js';
import { lab, type Lab } from './topology.js';

const root = !isRoot() && 'needs root for namespaces';
const TAC_KEY = 'tac-fault-key';

describe('AAA faults', { skip: root }, () => {
  let l: Lab;
  before(() => {
    l = lab();
  });
  after(() => l?.destroy());

  const serverUp = async (s: ServerHandle) => {
    assert.equal(s.proc.child.exitCode, null, 'the server is still running');
    assert.match((await s.cli('show', 'vpdn')).out, /Total tunnels=0 sessions=0/);
  };

  describe('RADIUS', () => {
    let radius: FreeRadius;
    let first: RadiusRelay;
    let second: RadiusRelay;
    let server: ServerHandle;
    const alice = () => attempt(l, { user: 'alice', password: 'alicepass' });
    const asked = (r: RadiusRelay) => r.seen.filter((s) => s.kind === 'auth').length;

    before(async () => {
      radius = await FreeRadius.start();
      const target = { address: '127.0.0.1', authPort: radius.ports.authStrict, acctPort: radius.ports.acctStrict };
      first = await RadiusRelay.start(l.labHost, { auth: 1812, acct: 1813 }, target);
      second = await RadiusRelay.start(l.labHost, { auth: 11812, acct: 11813 }, target);
      first.slowMs = second.slowMs = 2500;
      server = await startServer(
        l.server,
        seedConfig({
          extra: [
            `aaa-server RADIUS (inside) host ${l.labHost} ${radius.secret} timeout 1 retries 0`,
            `aaa-server RADIUS (inside) host ${l.labHost} ${radius.secret} timeout 1 retries 0 auth-port 11812 acct-port 11813`,
            // Try the first host again on every login, so each fault below is met afresh.
            'aaa-server RADIUS deadtime 0',
            'vpdn group 1 client authentication aaa RADIUS',
          ],
        }),
      );
    });
    after(async () => {
      await server?.stop();
      await first?.close();
      await second?.close();
      await radius?.stop();
    });

    for (const mode of ['drop', 'slow', 'garbage', 'bad-authenticator'] as RelayMode[]) {
      test(`first host ${mode === 'drop' ? 'down' : mode}: the login fails over to the second host`, async () => {
        first.mode = mode;
        second.mode = 'pass';
        const [a, b] = [asked(first), asked(second)];
        assert.equal(await alice(), 0, 'the login succeeded');
        assert.ok(asked(first) > a, 'the first host was asked');
        assert.ok(asked(second) > b, 'and then the second');
        await serverUp(server);
      });
    }

    test('every host failing (silent, garbage, forged): Error 691 with a log line, the server stays up, then recovers', async () => {
      for (const [m1, m2, line] of [
        ['drop', 'slow', /alice authentication rejected: RADIUS timeout: no valid reply from .* after 1 try; no valid reply from/],
        ['garbage', 'bad-authenticator', /alice authentication rejected: RADIUS timeout: .*invalid repl/],
      ] as [RelayMode, RelayMode, RegExp][]) {
        first.mode = m1;
        second.mode = m2;
        assert.equal(await alice(), 3, `${m1}/${m2}: Error 691`);
        await server.proc.waitFor(line, 3000);
        await serverUp(server);
      }
      first.mode = second.mode = 'pass';
      assert.equal(await alice(), 0, 'with the hosts back the login works');
    });
  });

  describe('TACACS+', () => {
    let first: TacacsTestServer;
    let second: TacacsTestServer;
    let server: ServerHandle;
    const cisco = () => attempt(l, { user: 'cisco', password: 'tacpass', auth: 'pap' });
    const users = [{ name: 'cisco', password: 'tacpass' }];

    before(async () => {
      first = await startTacacsServer({ host: l.labHost, port: 0, key: TAC_KEY, users });
      second = await startTacacsServer({ host: l.labHost, port: 0, key: TAC_KEY, users });
      server = await startServer(
        l.server,
        seedConfig({
          extra: [
            `aaa-server TACACS+ (inside) host ${l.labHost} ${TAC_KEY} timeout 1 port ${first.port}`,
            `aaa-server TACACS+ (inside) host ${l.labHost} ${TAC_KEY} timeout 1 port ${second.port}`,
            'aaa-server TACACS+ deadtime 0',
            'vpdn group 1 client authentication aaa TACACS+',
          ],
        }),
      );
    });
    after(async () => {
      await server?.stop();
      await first?.close();
      await second?.close();
    });

    for (const mode of ['silent', 'drop', 'garbage', 'delay', 'bad-length', 'error'] as InjectionMode[]) {
      test(`first host ${mode}: the login fails over to the second host`, async () => {
        first.inject({ mode, delayMs: 2500 });
        second.inject(undefined);
        const before = second.stats.packetsIn;
        assert.equal(await cisco(), 0, 'the login succeeded');
        assert.ok(second.stats.packetsIn > before, 'the second host answered');
        await serverUp(server);
      });
    }

    test('both hosts silent or garbage: Error 691 with a log line, the server stays up, then recovers', async () => {
      first.inject({ mode: 'silent' });
      second.inject({ mode: 'garbage' });
      assert.equal(await cisco(), 3);
      await server.proc.waitFor(/user: cisco authentication rejected: TACACS\+ authentication unavailable/, 3000);
      await serverUp(server);
      first.inject(undefined);
      second.inject(undefined);
      assert.equal(await cisco(), 0);
    });

    test('first host gone altogether (connection refused): the login fails over at once', async () => {
      second.inject(undefined);
      const port = first.port;
      await first.close();
      const t = Date.now();
      assert.equal(await cisco(), 0);
      assert.ok(Date.now() - t < 5000, 'no timeout waited on a refused connection');
      // Back on the same port for the after() hook.
      first = await startTacacsServer({ host: l.labHost, port, key: TAC_KEY, users });
      await serverUp(server);
    });
  });
});
