/** TacacsAuthenticator against the project's TACACS+ test server (RFC 8907). */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { TACACS_NO_MPPE_NOTE, TacacsAuthenticator } from '../../src/aaa/tacacs/index.js';
import type { TacacsOptions } from '../../src/aaa/tacacs/index.js';
import { chap, mschapV1, mschapV2, pap } from '../tacacs-server/requests.js';
import { startTacacsServer, type InjectionMode, type TacacsTestServer, type TacacsUser } from '../tacacs-server/server.js';

const KEY = 'sw0rdfish';
const USERS: TacacsUser[] = [
  { name: 'cisco', password: 'cisco123', avpairs: ['addr=192.168.1.77'] },
  { name: 'DOMAIN\\cisco', password: 'domainpw', avpairs: ['addr=192.168.1.78'] },
  { name: 'noaddr', password: 'plain' },
  { name: 'timers', password: 'plain', avpairs: ['addr=192.168.1.79', 'idletime=5', 'timeout*60', 'zonk*1'] },
  { name: 'acl', password: 'plain', avpairs: ['inacl=101'] },
  { name: 'badaddr', password: 'plain', avpairs: ['addr=not-an-address'] },
  { name: 'denied', password: 'denied1', authorize: false },
];

function auth(servers: { port: number; key?: string }[], extra: Partial<TacacsOptions> = {}, timeoutMs = 2000): TacacsAuthenticator {
  return new TacacsAuthenticator({
    hosts: servers.map((s) => ({ address: '127.0.0.1', port: s.port, key: s.key ?? KEY, timeoutMs })),
    ...extra,
  });
}

/** A port where nothing listens: bind one, then close it. */
async function deadPort(): Promise<number> {
  const s = await startTacacsServer({ key: KEY, users: [] });
  const port = s.port;
  await s.close();
  return port;
}

describe('TacacsAuthenticator against the test server', () => {
  let server: TacacsTestServer;
  let noMschap: TacacsTestServer;
  let a: TacacsAuthenticator;

  before(async () => {
    server = await startTacacsServer({ key: KEY, users: USERS });
    noMschap = await startTacacsServer({ key: KEY, users: USERS, msChap: false });
    a = auth([server]);
  });
  after(async () => {
    await a.close();
    await server.close();
    await noMschap.close();
  });

  it('advertises PAP and CHAP by default and never MPPE keys', () => {
    assert.deepEqual([...a.methods].sort(), ['chap-md5', 'pap']);
    assert.equal(a.providesMppeKeys, false);
    const all = auth([server], { methods: ['mschap-v2', 'mschap-v1', 'chap-md5', 'pap'] });
    assert.equal(all.methods.size, 4);
  });

  it('PAP: accept with addr= as framedAddress, reject a wrong password', async () => {
    const ok = await a.authenticate(pap('cisco', 'cisco123'));
    assert.equal(ok.accepted, true, ok.reason);
    assert.equal(ok.framedAddress, '192.168.1.77');
    assert.equal(ok.server, 'TACACS+ 127.0.0.1');
    assert.equal(ok.mppeKeys, undefined);
    const bad = await a.authenticate(pap('cisco', 'cisco124'));
    assert.equal(bad.accepted, false);
    assert.match(bad.reason, /authentication FAIL/);
    const pass = server.events.filter((e) => e.kind === 'authen' && e.user === 'cisco' && e.authenType === 'pap');
    assert.deepEqual(pass.slice(-2).map((e) => e.result), ['pass', 'fail']);
  });

  it('PAP: DOMAIN\\user is its own user', async () => {
    const ok = await a.authenticate(pap('DOMAIN\\cisco', 'domainpw'));
    assert.equal(ok.accepted, true, ok.reason);
    assert.equal(ok.framedAddress, '192.168.1.78');
    assert.equal((await a.authenticate(pap('DOMAIN\\cisco', 'cisco123'))).accepted, false);
  });

  it('CHAP: accept and reject (RFC 8907 §5.4.2.3)', async () => {
    const ok = await a.authenticate(chap('cisco', 'cisco123'));
    assert.equal(ok.accepted, true, ok.reason);
    assert.equal(ok.framedAddress, '192.168.1.77');
    assert.equal((await a.authenticate(chap('cisco', 'nope'))).accepted, false);
    assert.equal((await a.authenticate(chap('nobody', 'cisco123'))).accepted, false);
  });

  it('MS-CHAP v1: accept without keys, reject with E=691 (§5.4.2.4)', async () => {
    const ok = await a.authenticate(mschapV1('cisco', 'cisco123'));
    assert.equal(ok.accepted, true, ok.reason);
    assert.equal(ok.mppeKeys, undefined);
    assert.match(ok.reason, /no MPPE keys/);
    const bad = await a.authenticate(mschapV1('cisco', 'wrong'));
    assert.equal(bad.accepted, false);
    assert.equal(bad.mschapError, 691);
  });

  it('MS-CHAP v2: accept without S= or keys, saying encryption cannot be keyed (§5.4.2.5)', async () => {
    const ok = await a.authenticate(mschapV2('DOMAIN\\cisco', 'domainpw'));
    assert.equal(ok.accepted, true, ok.reason);
    assert.equal(ok.authenticatorResponse, undefined);
    assert.equal(ok.mppeKeys, undefined);
    assert.ok(ok.reason.includes(TACACS_NO_MPPE_NOTE), ok.reason);
    const bad = await a.authenticate(mschapV2('cisco', 'wrong'));
    assert.equal(bad.accepted, false);
    assert.equal(bad.mschapError, 691);
  });

  it('a server without MS-CHAP answers FAIL', async () => {
    const b = auth([noMschap]);
    const r = await b.authenticate(mschapV2('cisco', 'cisco123'));
    assert.equal(r.accepted, false);
    assert.match(r.reason, /FAIL/);
    assert.equal((await b.authenticate(pap('cisco', 'cisco123'))).accepted, true);
    await b.close();
  });

  it('authorization: no addr, FAIL, timers, unknown mandatory and bad addr (RFC 8907 §6.1)', async () => {
    const none = await a.authenticate(pap('noaddr', 'plain'));
    assert.equal(none.accepted, true, none.reason);
    assert.equal(none.framedAddress, undefined);
    const denied = await a.authenticate(pap('denied', 'denied1'));
    assert.equal(denied.accepted, false);
    assert.match(denied.reason, /authorization FAIL/);
    const timers = await a.authenticate(pap('timers', 'plain'));
    assert.equal(timers.accepted, true, timers.reason);
    assert.deepEqual([timers.framedAddress, timers.idleTimeout, timers.sessionTimeout], ['192.168.1.79', 300, 3600]);
    const acl = await a.authenticate(pap('acl', 'plain'));
    assert.equal(acl.accepted, false);
    assert.match(acl.reason, /mandatory inacl=101/);
    const badAddr = await a.authenticate(pap('badaddr', 'plain'));
    assert.equal(badAddr.accepted, false);
    assert.match(badAddr.reason, /not an IPv4 address/);
    const author = server.events.filter((e) => e.kind === 'author' && e.user === 'noaddr');
    assert.deepEqual(author.at(-1)?.args, ['service=ppp', 'protocol=ip']);
  });

  it('authorize: false skips authorization', async () => {
    const b = auth([server], { authorize: false });
    const before = server.events.filter((e) => e.kind === 'author').length;
    const r = await b.authenticate(pap('denied', 'denied1'));
    assert.equal(r.accepted, true, r.reason);
    assert.equal(server.events.filter((e) => e.kind === 'author').length, before);
    await b.close();
  });

  it('a user name longer than 255 bytes is refused without a crash', async () => {
    const r = await a.authenticate(pap('x'.repeat(300), 'p'));
    assert.equal(r.accepted, false);
    assert.match(r.reason, /at most 255/);
  });

  it('wrong key: a clear "bad key or protocol error"', async () => {
    const b = auth([{ port: server.port, key: 'not-the-key' }]);
    for (const request of [pap('cisco', 'cisco123'), chap('cisco', 'cisco123'), mschapV2('cisco', 'cisco123')]) {
      const r = await b.authenticate(request);
      assert.equal(r.accepted, false);
      assert.match(r.reason, /bad key or protocol error/);
    }
    assert.match(server.events.at(-1)?.reason ?? '', /bad key or protocol error/);
    await b.close();
  });

  it('per-client keys on the server (RFC 8907 §4.5), and the NAS source address', async () => {
    const keyed = await startTacacsServer({ key: 'default', keys: { '127.0.0.1': 'for-loopback' }, users: USERS });
    const right = auth([{ port: keyed.port, key: 'for-loopback' }], { nasAddress: '127.0.0.1' });
    assert.equal((await right.authenticate(pap('cisco', 'cisco123'))).accepted, true);
    const wrong = auth([{ port: keyed.port, key: 'default' }]);
    assert.match((await wrong.authenticate(pap('cisco', 'cisco123'))).reason, /bad key or protocol error/);
    const unbindable = auth([{ port: keyed.port, key: 'for-loopback' }], { nasAddress: '192.0.2.1' });
    const r = await unbindable.authenticate(pap('cisco', 'cisco123'));
    assert.equal(r.accepted, false);
    assert.match(r.reason, /EADDRNOTAVAIL/);
    await Promise.all([right.close(), wrong.close(), unbindable.close(), keyed.close()]);
  });

  it('no key on either side: unobfuscated bodies (RFC 8907 §4.5, deprecated); a keyed server drops them', async () => {
    const flags: number[] = [];
    const clear = await startTacacsServer({ key: '', users: USERS, onPacket: (_d, raw) => flags.push(raw[3]) });
    const b = auth([{ port: clear.port, key: '' }]);
    const r = await b.authenticate(pap('cisco', 'cisco123'));
    assert.equal(r.accepted, true, r.reason);
    assert.ok(flags.length >= 4 && flags.every((f) => f & 1), `flags ${flags}`);
    const c = auth([{ port: server.port, key: '' }]);
    const dropped = await c.authenticate(pap('cisco', 'cisco123'));
    assert.equal(dropped.accepted, false);
    assert.match(dropped.reason, /connection closed by the server/);
    assert.equal(server.events.at(-1)?.reason, 'unobfuscated request dropped');
    await Promise.all([b.close(), c.close(), clear.close()]);
  });

  it('first host down: fails over to the second', async () => {
    const b = auth([{ port: await deadPort() }, server]);
    const r = await b.authenticate(pap('cisco', 'cisco123'));
    assert.equal(r.accepted, true, r.reason);
    assert.equal(r.framedAddress, '192.168.1.77');
    await b.close();
    const onlyDead = auth([{ port: await deadPort() }]);
    const down = await onlyDead.authenticate(pap('cisco', 'cisco123'));
    assert.equal(down.accepted, false);
    assert.match(down.reason, /connection refused/);
  });

  it('wrong key on the first host: fails over to the second', async () => {
    const b = auth([{ port: server.port, key: 'wrong' }, server]);
    const r = await b.authenticate(chap('cisco', 'cisco123'));
    assert.equal(r.accepted, true, r.reason);
    await b.close();
  });
});

describe('TacacsAuthenticator timeouts and malformed replies', () => {
  let good: TacacsTestServer;
  let faulty: TacacsTestServer;

  before(async () => {
    good = await startTacacsServer({ key: KEY, users: USERS });
    faulty = await startTacacsServer({ key: KEY, users: USERS });
  });
  after(async () => {
    await good.close();
    await faulty.close();
  });

  it('a silent server times out, then the next host answers', async () => {
    faulty.inject({ mode: 'silent' });
    const one = auth([faulty], {}, 200);
    const t0 = Date.now();
    const r = await one.authenticate(pap('cisco', 'cisco123'));
    const waited = Date.now() - t0;
    assert.equal(r.accepted, false);
    assert.match(r.reason, /no reply within 200 ms/);
    assert.ok(waited >= 195 && waited < 1500, `waited ${waited} ms`);
    const two = auth([faulty, good], {}, 200);
    const ok = await two.authenticate(pap('cisco', 'cisco123'));
    assert.equal(ok.accepted, true, ok.reason);
    await one.close();
    await two.close();
  });

  it('a slow reply within the timeout is fine', async () => {
    faulty.inject({ mode: 'delay', delayMs: 100 });
    const b = auth([faulty], {}, 1000);
    const r = await b.authenticate(pap('cisco', 'cisco123'));
    assert.equal(r.accepted, true, r.reason);
    await b.close();
  });

  const cases: [InjectionMode, RegExp][] = [
    ['garbage', /bad key or protocol error/],
    ['wrong-seq', /reply seq_no 4, expected 2/],
    ['wrong-version', /reply minor version 0, request used 1/],
    ['wrong-session', /reply for session .*expected/],
    ['bad-length', /exceeds/],
    ['unencrypted', /unobfuscated reply/],
    ['drop', /connection closed by the server|connection reset/],
    ['error', /server ERROR \("injected error"\)/],
  ];
  for (const [mode, reason] of cases) {
    it(`${mode}: rejected with a clear reason, and the next host is used`, async () => {
      faulty.inject({ mode, types: ['authen'] });
      const one = auth([faulty]);
      const r = await one.authenticate(pap('cisco', 'cisco123'));
      assert.equal(r.accepted, false);
      assert.match(r.reason, reason);
      const two = auth([faulty, good]);
      const ok = await two.authenticate(pap('cisco', 'cisco123'));
      assert.equal(ok.accepted, true, ok.reason);
      await one.close();
      await two.close();
    });
  }

  it('malformed authorization reply: authorization unavailable, then the next host authorizes', async () => {
    faulty.inject({ mode: 'garbage', types: ['author'] });
    const one = auth([faulty]);
    const r = await one.authenticate(pap('cisco', 'cisco123'));
    assert.equal(r.accepted, false);
    assert.match(r.reason, /authorization unavailable: .*bad key or protocol error/);
    const two = auth([faulty, good]);
    const ok = await two.authenticate(pap('cisco', 'cisco123'));
    assert.equal(ok.accepted, true, ok.reason);
    assert.equal(ok.framedAddress, '192.168.1.77');
    await one.close();
    await two.close();
  });
});

describe('TacacsAuthenticator Single Connection Mode (RFC 8907 §4.3)', () => {
  it('one TCP connection for many sessions when the server agrees', async () => {
    const server = await startTacacsServer({ key: KEY, users: USERS, singleConnection: true });
    const a = auth([server], { singleConnection: true });
    for (let i = 0; i < 3; i++) assert.equal((await a.authenticate(pap('cisco', 'cisco123'))).accepted, true);
    const many = await Promise.all(Array.from({ length: 40 }, (_, i) => a.authenticate(i % 2 ? chap('cisco', 'cisco123') : pap('cisco', 'bad'))));
    assert.deepEqual(
      many.map((r) => r.accepted),
      Array.from({ length: 40 }, (_, i) => i % 2 === 1),
    );
    assert.equal(server.stats.connections, 1);
    await a.close();
    await server.close();
  });

  it('a connection per session when the server does not agree', async () => {
    const server = await startTacacsServer({ key: KEY, users: USERS, singleConnection: false });
    const a = auth([server], { singleConnection: true });
    const results = await Promise.all(Array.from({ length: 5 }, () => a.authenticate(pap('cisco', 'cisco123'))));
    assert.ok(results.every((r) => r.accepted));
    // authentication + authorization: two sessions per login
    assert.equal(server.stats.connections, 10);
    await a.close();
    await server.close();
  });

  it('the server closing an idle single connection is survived', async () => {
    const server = await startTacacsServer({ key: KEY, users: USERS, singleConnection: true, idleTimeoutMs: 50 });
    const a = auth([server], { singleConnection: true });
    assert.equal((await a.authenticate(pap('cisco', 'cisco123'))).accepted, true);
    await new Promise((r) => setTimeout(r, 120));
    const r = await a.authenticate(pap('cisco', 'cisco123'));
    assert.equal(r.accepted, true, r.reason);
    assert.equal(server.stats.connections, 2);
    await a.close();
    await server.close();
  });
});
