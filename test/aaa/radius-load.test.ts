/**
 * Many logins at once: more than 256 in flight need several source ports; none may wait for
 * another to finish, none may get another's answer.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { RadiusAuthenticator } from '../../src/aaa/radius/index.js';
import { FreeRadius, mschapV2Login, papLogin } from '../helpers/freeradius.js';
import { generateAuthenticatorResponse, ntPasswordHash } from '../../src/ppp/mschap.js';

let server: FreeRadius;
let client: RadiusAuthenticator;

before(async () => {
  server = await FreeRadius.start();
  client = new RadiusAuthenticator({
    hosts: [{ address: '127.0.0.1', authPort: server.ports.authStrict, secret: server.secret, timeoutMs: 2000, retries: 2 }],
    nasIpAddress: '192.0.2.1',
  });
});

after(async () => {
  await client.close();
  await server.stop();
});

it('1000 logins in flight at once, each with its own answer', async () => {
  const logins = Array.from({ length: 1000 }, (_, i) =>
    i % 4 === 0 ? papLogin('alice', i % 8 === 0 ? 'alicepass' : 'wrong', i) : mschapV2Login('User', 'clientPass', i),
  );
  const started = Date.now();
  const results = await Promise.all(logins.map((l) => client.authenticate(l)));
  const elapsed = Date.now() - started;
  results.forEach((r, i) => {
    const login = logins[i];
    if (login.method === 'pap') {
      assert.equal(r.accepted, i % 8 === 0, `${i}: ${r.reason}`);
    } else if (login.method === 'mschap-v2') {
      assert.equal(r.accepted, true, `${i}: ${r.reason}`);
      // The S= proves this reply belongs to this login's challenges.
      const s = generateAuthenticatorResponse(
        ntPasswordHash('clientPass'),
        login.ntResponse,
        login.peerChallenge,
        login.authenticatorChallenge,
        'User',
      );
      assert.equal(r.authenticatorResponse, s);
    }
  });
  assert.ok(client.sockets >= 4, 'more than 256 in flight needs more source ports');
  assert.equal(client.counters.responses, 1000);
  assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
});

it('queues logins beyond maxSockets × 256 instead of failing them', async () => {
  const one = new RadiusAuthenticator({
    hosts: [{ address: '127.0.0.1', authPort: server.ports.authStrict, secret: server.secret, timeoutMs: 2000, retries: 2 }],
    nasIpAddress: '192.0.2.1',
    maxSockets: 1,
  });
  try {
    const results = await Promise.all(Array.from({ length: 600 }, (_, i) => one.authenticate(papLogin('alice', 'alicepass', i))));
    assert.ok(results.every((r) => r.accepted));
    assert.equal(one.sockets, 1);
  } finally {
    await one.close();
  }
});
