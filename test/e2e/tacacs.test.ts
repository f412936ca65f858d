/**
 * TACACS+ end to end (SPEC §4; issue 7): `vpdn dial` → `vpdn serve` → the project's TACACS+ test
 * server (checked against Authen::TacacsPlus in test/aaa/tacacs-perl.test.ts), in the server namespace.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRoot, seedTopology, type SeedTopology } from '../helpers/netns.js';
import { repoRoot } from '../helpers/paths.js';
import { dial, Proc, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { INSIDE_HOST, SERVER, seedConfig } from './config.js';

const root = !isRoot() && 'needs root for namespaces';
const KEY = 'tac-key-1';

interface Tac {
  proc: Proc;
  port: number;
  accounting: string;
  stop(): Promise<void>;
}

async function startTacacs(topo: SeedTopology, port: number, dir: string): Promise<Tac> {
  const users = join(dir, `users-${port}.json`);
  writeFileSync(
    users,
    JSON.stringify([
      { name: 'alice', password: 'alicepass', avpairs: ['addr=192.168.1.40'] },
      { name: 'bob', password: 'bobpass' },
    ]),
  );
  const accounting = join(dir, `acct-${port}.log`);
  const proc = new Proc(
    topo.server.spawn(process.execPath, [join(repoRoot, 'dist/test/tacacs-server/main.js'), '--host', '127.0.0.1', '--port', String(port), '--key', KEY, '--users', users, '--accounting-file', accounting]),
  );
  await proc.waitFor(/listening \d+/);
  return {
    proc,
    port,
    accounting,
    async stop() {
      proc.kill();
      await proc.exited;
    },
  };
}

function tacacsConfig(ports: number[], extra: string[] = [], key = KEY): string {
  return seedConfig({
    extra: [
      'aaa-server TAC protocol tacacs+',
      ...ports.map((p) => `aaa-server TAC (inside) host 127.0.0.1 ${key} timeout 2 port ${p}`),
      'vpdn group 1 client authentication aaa TAC',
      'vpdn group 1 client accounting TAC',
      ...extra,
    ],
  });
}

describe('TACACS+ end to end', { skip: root }, () => {
  let topo: SeedTopology;
  let dir: string;
  let tac: Tac;
  before(async () => {
    topo = seedTopology();
    dir = mkdtempSync(join(tmpdir(), 'vpdn-tac-'));
    tac = await startTacacs(topo, 4949, dir);
  });
  after(async () => {
    await tac?.stop();
    topo?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('mppe auto', () => {
    let server: ServerHandle;
    before(async () => {
      server = await startServer(topo.server, tacacsConfig([4949], ['vpdn group 1 ppp encryption mppe auto']));
    });
    after(async () => server?.stop());

    for (const [auth, expect] of [
      ['pap', 'pap'],
      ['chap', 'chap-md5'],
    ] as const) {
      test(`${auth}: accepted (unencrypted, the log says why), authorization addr= overrides the pool, accounting START/STOP recorded; wrong password → 691`, async () => {
        const c = dial(topo.client, SERVER, ['--user', 'alice', '--password', 'alicepass', '--auth', auth, '--tun', 'vd0', '--route', '10.1.1.0/24']);
        try {
          const m = await c.waitFor(/connected: address (\S+) server \S+ auth (\S+) no encryption/);
          assert.equal(m[1], '192.168.1.40', 'addr= from TACACS+ authorization');
          assert.equal(m[2], expect);
          assert.match(topo.client.exec('ping', '-c', '2', '-i', '0.2', '-W', '2', INSIDE_HOST), /2 received/);
          await server.proc.waitFor(/user: alice: session will not be encrypted: .*(no MPPE keys|MPPE needs MS-CHAP)/);
        } finally {
          c.kill();
          await c.exited;
        }
        const deadline = Date.now() + 10_000;
        while (!(existsSync(tac.accounting) && /stop[\s\S]*alice/i.test(readFileSync(tac.accounting, 'utf8'))) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
        }
        const acct = readFileSync(tac.accounting, 'utf8');
        assert.match(acct, /start/i);
        assert.match(acct, /stop/i);
        assert.match(acct, /alice/);
        const bad = dial(topo.client, SERVER, ['--user', 'alice', '--password', 'wrong', '--auth', auth, '--timeout', '15']);
        assert.equal(await bad.exited, 3, bad.all);
        assert.match(bad.err, /Error 691/);
      });
    }

    test('MS-CHAP v2 is not offered with a TACACS+ back end (no authenticator response, no MPPE keys): a v2-only client gets 732 and the log says why', async () => {
      assert.match(server.proc.all, /mschap-v2 not offered: TAC \(tacacs\+\) cannot check it/);
      const c = dial(topo.client, SERVER, ['--user', 'alice', '--password', 'alicepass', '--auth', 'mschapv2', '--timeout', '15']);
      assert.equal(await c.exited, 4, c.all);
      assert.match(c.err, /Error 732/);
    });
  });

  test('mppe 40 required with TACACS+: the login is refused and the log says exactly why', async () => {
    const server = await startServer(topo.server, tacacsConfig([4949], ['vpdn group 1 ppp encryption mppe 40 required']));
    try {
      const c = dial(topo.client, SERVER, ['--user', 'bob', '--password', 'bobpass', '--auth', 'chap', '--timeout', '15']);
      assert.notEqual(await c.exited, 0);
      await server.proc.waitFor(/user: bob: refused: encryption is required but chap-md5 yields no MPPE keys/);
      await server.proc.waitFor(/403110: PPP virtual interface \d+, user: bob missing MPPE key from aaa server/);
    } finally {
      await server.stop();
    }
  });

  test('a wrong key: the login fails with a clear reason', async () => {
    const server = await startServer(topo.server, tacacsConfig([4949], [], 'not-the-key'));
    try {
      const c = dial(topo.client, SERVER, ['--user', 'bob', '--password', 'bobpass', '--auth', 'pap', '--timeout', '20']);
      assert.equal(await c.exited, 3, c.all);
      await server.proc.waitFor(/authentication rejected: .*(bad key|protocol error)/i);
    } finally {
      await server.stop();
    }
  });

  test('the first TACACS+ server is down → failover to a second one', async () => {
    const second = await startTacacs(topo, 4950, dir);
    const server = await startServer(topo.server, tacacsConfig([4951, 4950]));
    try {
      const c = dial(topo.client, SERVER, ['--user', 'bob', '--password', 'bobpass', '--auth', 'pap', '--tun', 'vd0', '--timeout', '20']);
      try {
        await c.waitFor(/connected: .* auth pap/, 20_000);
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
