/** The Authenticate phase between the two engines: failures, message formats, mutual authentication, loss. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalAuthenticator } from '../../src/aaa/local.js';
import type { AuthType, Authenticator } from '../../src/aaa/authenticator.js';
import { AuthAnswer } from '../../src/ppp/auth-server.js';
import type { PppOutput } from '../../src/ppp/session.js';
import { decodeChapPacket, encodeChapPacket } from '../../src/wire/chap.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { decodePapPacket, encodePapPacket } from '../../src/wire/pap.js';
import { decodePppFrame } from '../../src/wire/ppp.js';
import { Pair, editedAuthenticator } from './link.js';

const USERS = [{ username: 'john', password: 'secret' }];

function pair(auth: AuthType, o: { password?: string; authenticator?: Authenticator; pool?: string | null } = {}): Pair {
  return new Pair(
    { authTypes: [auth], localAddress: '10.1.1.1', serverMppe: { mode: 'auto', bits: 'auto' } },
    { authTypes: [auth], username: 'john', password: o.password ?? 'secret' },
    o.authenticator ?? new LocalAuthenticator(USERS),
    { seed: 17, delayMs: 5, clearCallMs: 50 },
    o.pool === undefined ? '192.168.1.1' : o.pool,
  );
}

function down(events: PppOutput[]): Extract<PppOutput, { type: 'down' }> {
  const d = events.find((e) => e.type === 'down');
  assert.ok(d && d.type === 'down', JSON.stringify(events));
  return d;
}

/** Messages of the CHAP packets with this code the server sent. */
function chapMessages(p: Pair, code: 3 | 4): string[] {
  return p.sent.server.flatMap((frame) => {
    const f = decodePppFrame(frame);
    if (isDecodeError(f) || f.protocol !== 0xc223) return [];
    const c = decodeChapPacket(f.info);
    return !isDecodeError(c) && c.code === code ? [Buffer.from(c.message).toString('latin1')] : [];
  });
}

for (const auth of ['pap', 'chap-md5', 'mschap-v1', 'mschap-v2'] as const) {
  test(`${auth}: a wrong password fails on both ends; the client reports Windows error 691`, async () => {
    const p = pair(auth, { password: 'wrong' });
    p.start();
    await p.run();
    assert.equal(down(p.events.server).cause, 'auth-failed');
    const c = down(p.events.client);
    assert.equal(c.cause, 'auth-failed');
    assert.equal(c.windowsError, 691);
    assert.equal(p.events.client.some((e) => e.type === 'up'), false);
  });
}

test('MS-CHAP v2 Failure reads "E=691 R=0 C=<32 hex> V=3 M=Authentication failure"', async () => {
  const p = pair('mschap-v2', { password: 'wrong' });
  p.start();
  await p.run();
  const [failure] = chapMessages(p, 4);
  assert.match(failure, /^E=691 R=0 C=[0-9A-F]{32} V=3 M=Authentication failure$/);
});

test('MS-CHAP v1 Failure carries the 8-octet challenge as 16 hex digits', async () => {
  const p = pair('mschap-v1', { password: 'wrong' });
  p.start();
  await p.run();
  assert.match(chapMessages(p, 4)[0], /^E=691 R=0 C=[0-9A-F]{16} V=3 M=/);
});

test('MS-CHAP v2 Success reads "S=<40 hex> M=Access granted"', async () => {
  const p = pair('mschap-v2');
  p.start();
  await p.run();
  assert.match(chapMessages(p, 3)[0], /^S=[0-9A-F]{40} M=Access granted$/);
  assert.equal(p.client.state, 'open');
});

test('MS-CHAP v2: a server that does not know the password (wrong S=) is refused by the client', async () => {
  const fake = editedAuthenticator(new LocalAuthenticator(USERS), (r) => ({ ...r, authenticatorResponse: 'S=' + '0'.repeat(40) }));
  const p = pair('mschap-v2', { authenticator: fake });
  p.start();
  await p.run();
  const c = down(p.events.client);
  assert.equal(c.cause, 'auth-failed');
  assert.equal(c.windowsError, 691);
  assert.match(c.reason, /mutual authentication/);
  assert.equal(p.events.client.some((e) => e.type === 'up'), false);
});

test('MS-CHAP v2: an accept without an authenticator response is refused by the server', async () => {
  const noS = editedAuthenticator(new LocalAuthenticator(USERS), (r) => ({ ...r, authenticatorResponse: undefined }));
  const p = pair('mschap-v2', { authenticator: noS });
  p.start();
  await p.run();
  assert.match(down(p.events.server).reason, /no MS-CHAP v2 authenticator response/);
  assert.equal(down(p.events.client).windowsError, 691);
});

test('the authenticate output carries what the back end needs (v2: both challenges, NT response)', async () => {
  const p = pair('mschap-v2');
  p.start();
  await p.run();
  const a = p.events.server.find((e) => e.type === 'authenticate');
  assert.ok(a && a.type === 'authenticate' && a.request.method === 'mschap-v2');
  assert.equal(a.request.username, 'john');
  assert.equal(a.request.authenticatorChallenge.length, 16);
  assert.equal(a.request.peerChallenge.length, 16);
  assert.equal(a.request.ntResponse.length, 24);
});

test('CHAP: the server retransmits its Challenge; the client answers the first one that arrives', async () => {
  const p = pair('chap-md5');
  let dropped = 0;
  p.filter = (from, frame) => !(from === 'server' && frame[2] === 0xc2 && frame[3] === 0x23 && frame[4] === 1 && dropped++ < 2);
  p.start();
  await p.run();
  assert.equal(dropped, 3);
  assert.equal(p.client.state, 'open');
  assert.ok(p.now >= 6000, 'two restart periods passed');
});

test('CHAP: a peer that never answers fails after Max-Configure challenges', async () => {
  const p = pair('mschap-v2');
  p.filter = (from, frame) => !(from === 'client' && frame[2] === 0xc2 && frame[3] === 0x23);
  p.start();
  await p.run();
  const s = down(p.events.server);
  assert.equal(s.cause, 'auth-failed');
  assert.match(s.reason, /did not authenticate/);
  const challenges = p.sent.server.filter((f) => f[2] === 0xc2 && f[3] === 0x23 && f[4] === 1);
  assert.equal(challenges.length, 10);
});

for (const auth of ['pap', 'mschap-v2'] as const) {
  test(`${auth}: a lost Success is recovered: the client repeats, the server answers the same again`, async () => {
    const p = pair(auth);
    let dropped = 0;
    p.filter = (from, frame) => {
      // PAP Authenticate-Ack is c023 code 2; CHAP Success is c223 code 3.
      const success = from === 'server' && frame[2] === (auth === 'pap' ? 0xc0 : 0xc2) && frame[3] === 0x23 && frame[4] === (auth === 'pap' ? 2 : 3);
      return !(success && dropped++ === 0);
    };
    p.start();
    await p.run();
    assert.equal(dropped, 2, 'the answer went out twice');
    assert.equal(p.client.state, 'open');
    assert.equal(p.server.state, 'open');
    assert.equal(p.events.server.filter((e) => e.type === 'authenticate').length, 1, 'the aaa server was asked once');
  });
}

test('PAP: the request carries the name and password as sent (RFC 1334)', async () => {
  const p = pair('pap');
  p.start();
  await p.run();
  const req = p.sent.client.map((f) => decodePppFrame(f)).find((f) => !isDecodeError(f) && f.protocol === 0xc023);
  assert.ok(req && !isDecodeError(req));
  const pap = decodePapPacket(req.info);
  assert.ok(!isDecodeError(pap) && pap.code === 1);
  assert.equal(Buffer.from(pap.peerId).toString(), 'john');
  assert.equal(Buffer.from(pap.password).toString(), 'secret');
});

test('an empty address pool ends the session after authentication (client sees a Failure)', async () => {
  const p = pair('mschap-v2', { pool: null });
  p.start();
  await p.run();
  const s = down(p.events.server);
  assert.equal(s.cause, 'ipcp-failed');
  assert.match(s.reason, /no IP address/);
  assert.equal(down(p.events.client).windowsError, 691);
});

test('the kept answer repeats only for a repeat of the answered Response / Authenticate-Request', () => {
  const success = encodeChapPacket({ code: 3, identifier: 7, message: new Uint8Array([0x53]) });
  const chap = new AuthAnswer(0xc223, 7, success);
  const response = (identifier: number, code: 1 | 2 = 2): Uint8Array => encodeChapPacket({ code, identifier, value: new Uint8Array(49), name: new Uint8Array([0x6a]) });
  assert.equal(chap.repeatFor(0xc223, response(7)), success);
  assert.equal(chap.repeatFor(0xc223, response(8)), undefined, 'another identifier');
  assert.equal(chap.repeatFor(0xc223, response(7, 1)), undefined, 'not a Response');
  assert.equal(chap.repeatFor(0xc023, response(7)), undefined, 'another protocol');
  assert.equal(chap.repeatFor(0xc223, new Uint8Array([2, 7])), undefined, 'malformed');
  const ack = encodePapPacket({ code: 2, identifier: 3, message: new Uint8Array(0) });
  const pap = new AuthAnswer(0xc023, 3, ack);
  const request = (identifier: number): Uint8Array => encodePapPacket({ code: 1, identifier, peerId: new Uint8Array([0x6a]), password: new Uint8Array([0x73]) });
  assert.equal(pap.repeatFor(0xc023, request(3)), ack);
  assert.equal(pap.repeatFor(0xc023, request(4)), undefined);
});
