import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { LocalAuthenticator } from '../../src/aaa/local.js';
import type { AuthContext, AuthRequest, AuthResult } from '../../src/aaa/authenticator.js';
import {
  generateAuthenticatorResponse,
  generateNtResponse,
  hashNtPasswordHash,
  mschapV1NtResponse,
  ntPasswordHash,
} from '../../src/ppp/mschap.js';
import { mschapV1MasterKeys, mschapV2MasterKeys } from '../../src/ppp/mppe-keys.js';
import { MppeDecryptor, MppeEncryptor } from '../../src/ppp/mppe.js';
import { fromHex } from '../../src/wire/bytes.js';

const context: AuthContext = { sessionId: 's1', callingStationId: '10.0.0.2', calledStationId: '10.0.0.1', nasPort: 1, group: 'g' };
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

/** What each client sends for `username`/`password` (a Windows client computes exactly this). */
const client = {
  pap: (username: string, password: string): AuthRequest => ({ method: 'pap', username, context, password: utf8(password) }),
  chap: (username: string, password: string): AuthRequest => {
    const id = 7;
    const challenge = randomBytes(16);
    const response = createHash('md5').update(Uint8Array.of(id)).update(password).update(challenge).digest();
    return { method: 'chap-md5', username, context, id, challenge, response };
  },
  v1: (username: string, password: string, challenge: Uint8Array = new Uint8Array(randomBytes(8))): AuthRequest => ({
    method: 'mschap-v1',
    username,
    context,
    id: 1,
    challenge,
    lmResponse: new Uint8Array(24),
    ntResponse: mschapV1NtResponse(challenge, password),
    useNtResponse: true,
  }),
  v2: (
    username: string,
    password: string,
    authenticatorChallenge: Uint8Array = new Uint8Array(randomBytes(16)),
    peerChallenge: Uint8Array = new Uint8Array(randomBytes(16)),
  ): AuthRequest => ({
    method: 'mschap-v2',
    username,
    context,
    id: 1,
    authenticatorChallenge,
    peerChallenge,
    ntResponse: generateNtResponse(authenticatorChallenge, peerChallenge, username, password),
    flags: 0,
  }),
};
const methods = ['pap', 'chap', 'v1', 'v2'] as const;

function assertRejected(r: AuthResult, reason: string, secret: string): void {
  assert.equal(r.accepted, false);
  assert.equal(r.reason, reason);
  assert.equal(r.mschapError, 691);
  assert.equal(r.mppeKeys, undefined);
  assert.equal(r.authenticatorResponse, undefined);
  assert.ok(!JSON.stringify(r).includes(secret), 'no secret in the result');
}

test('every method: right password accepted, wrong password and unknown user rejected', async () => {
  const auth = new LocalAuthenticator([{ username: 'cisco', password: 'cisco123' }]);
  assert.deepEqual([...auth.methods].sort(), ['chap-md5', 'mschap-v1', 'mschap-v2', 'pap']);
  assert.equal(auth.providesMppeKeys, true);
  for (const m of methods) {
    const ok = await auth.authenticate(client[m]('cisco', 'cisco123'));
    assert.equal(ok.accepted, true, m);
    assert.equal(ok.server, 'LOCAL');
    assertRejected(await auth.authenticate(client[m]('cisco', 'cisco124')), 'bad password', 'cisco124');
    assertRejected(await auth.authenticate(client[m]('cisco', '')), 'bad password', 'cisco123');
    assertRejected(await auth.authenticate(client[m]('nobody', 'cisco123')), 'no such user', 'cisco123');
  }
  // PAP with a password that is a prefix of the real one.
  assertRejected(await auth.authenticate(client.pap('cisco', 'cisco12')), 'bad password', 'cisco123');
});

test('MS-CHAP v2: S= and MPPE keys are what the client computes; MPPE runs on them both ways', async () => {
  const auth = new LocalAuthenticator([{ username: 'john', password: 'pässword' }]);
  const req = client.v2('john', 'pässword');
  assert.equal(req.method, 'mschap-v2');
  if (req.method !== 'mschap-v2') return;
  const r = await auth.authenticate(req);
  assert.equal(r.accepted, true);
  const hash = ntPasswordHash('pässword');
  assert.equal(r.authenticatorResponse, generateAuthenticatorResponse(hash, req.ntResponse, req.peerChallenge, req.authenticatorChallenge, 'john'));
  const clientKeys = mschapV2MasterKeys(hashNtPasswordHash(hash), req.ntResponse, 'client');
  assert.deepEqual(r.mppeKeys?.sendKey, clientKeys.recvKey);
  assert.deepEqual(r.mppeKeys?.recvKey, clientKeys.sendKey);
  const down = new MppeEncryptor(r.mppeKeys!.sendKey, 128, true);
  const up = new MppeEncryptor(clientKeys.sendKey, 128, true);
  const packet = Uint8Array.of(0, 0x21, 0x45, 1, 2, 3);
  assert.deepEqual(new MppeDecryptor(clientKeys.recvKey, 128, true).decrypt(down.encrypt(packet)), packet);
  assert.deepEqual(new MppeDecryptor(r.mppeKeys!.recvKey, 128, true).decrypt(up.encrypt(packet)), packet);
});

test('MS-CHAP v2: RFC 2759 §9.2 exchange gives its published S= and RFC 3079 keys', async () => {
  const auth = new LocalAuthenticator([{ username: 'User', password: 'clientPass' }]);
  const r = await auth.authenticate(
    client.v2('User', 'clientPass', fromHex('5B5D7C7D7B3F2F3E3C2C602132262628'), fromHex('21402324255E262A28295F2B3A337C7E')),
  );
  assert.equal(r.authenticatorResponse, 'S=407A5589115FD0D6209F510FE9C04566932CDA56');
  assert.deepEqual(r.mppeKeys?.sendKey, fromHex('8B7CDC149B993A1BA118CB153F56DCCB'));
});

test('MS-CHAP v1: MPPE keys from the challenge, same both ways; LM-only responses refused', async () => {
  const auth = new LocalAuthenticator([{ username: 'cisco', password: 'clientPass' }]);
  const challenge = fromHex('102DB5DF085D3041');
  const r = await auth.authenticate(client.v1('cisco', 'clientPass', challenge));
  assert.equal(r.accepted, true);
  assert.deepEqual(r.mppeKeys, mschapV1MasterKeys(hashNtPasswordHash(ntPasswordHash('clientPass')), challenge));
  assert.deepEqual(r.mppeKeys?.sendKey, fromHex('a8947850cfc0acc1d1789fb62ddcddb0'));
  const lmOnly = client.v1('cisco', 'clientPass', challenge);
  if (lmOnly.method === 'mschap-v1') lmOnly.useNtResponse = false;
  assertRejected(await auth.authenticate(lmOnly), 'LAN Manager response not supported', 'clientPass');
});

test('user names are exact: DOMAIN\\cisco is another user unless stripDomain is set (SPEC §5.5)', async () => {
  const plain = new LocalAuthenticator([{ username: 'cisco', password: 'cisco' }]);
  for (const m of methods) assertRejected(await plain.authenticate(client[m]('DOMAIN\\cisco', 'cisco')), 'no such user', 'cisco');
  assertRejected(await plain.authenticate(client.pap('CISCO', 'cisco')), 'no such user', 'cisco');

  const both = new LocalAuthenticator([
    { username: 'cisco', password: 'cisco' },
    { username: 'DOMAIN\\cisco', password: 'other' },
  ]);
  for (const m of methods) {
    assert.equal((await both.authenticate(client[m]('DOMAIN\\cisco', 'other'))).accepted, true, `${m} exact entry`);
    assert.equal((await both.authenticate(client[m]('DOMAIN\\cisco', 'cisco'))).accepted, false, `${m} no fallback`);
  }

  const stripping = new LocalAuthenticator(
    [
      { username: 'cisco', password: 'cisco' },
      { username: 'EXACT\\cisco', password: 'exact' },
    ],
    { stripDomain: true },
  );
  for (const m of methods) {
    assert.equal((await stripping.authenticate(client[m]('DOMAIN\\cisco', 'cisco'))).accepted, true, `${m} falls back`);
    assert.equal((await stripping.authenticate(client[m]('EXACT\\cisco', 'exact'))).accepted, true, `${m} exact first`);
    assert.equal((await stripping.authenticate(client[m]('EXACT\\cisco', 'cisco'))).accepted, false, `${m} exact wins`);
  }
});

test('FreeRADIUS vector: example\\john / secret, with the domain stripped to find the user', async () => {
  const auth = new LocalAuthenticator([{ username: 'john', password: 'secret' }], { stripDomain: true });
  const response = fromHex('0001502feeee9495a353cddbd1efc40072820000000000000000e866286bb30d0215ed16cf425b6a29d206667a9853e23ca4');
  const r = await auth.authenticate({
    method: 'mschap-v2',
    username: 'example\\john',
    context,
    id: 0,
    authenticatorChallenge: fromHex('16d2833f4239256dd2b2bb26f2ecb2a3'),
    peerChallenge: response.subarray(2, 18),
    ntResponse: response.subarray(26, 50),
    flags: 0,
  });
  assert.equal(r.accepted, true);
  assert.equal(r.authenticatorResponse, 'S=68649B6763301DD65FC2559F2D172943196EA88A');
});

test('malformed requests and a later duplicate line', async () => {
  const auth = new LocalAuthenticator([
    { username: 'u', password: 'old' },
    { username: 'u', password: 'new' },
  ]);
  assert.equal((await auth.authenticate(client.pap('u', 'new'))).accepted, true, 'the later line wins');
  assert.equal((await auth.authenticate(client.pap('u', 'old'))).accepted, false);
  const v2 = client.v2('u', 'new');
  if (v2.method === 'mschap-v2') v2.ntResponse = v2.ntResponse.subarray(0, 20);
  assertRejected(await auth.authenticate(v2), 'malformed response', 'new');
  const v1 = client.v1('u', 'new');
  if (v1.method === 'mschap-v1') v1.challenge = new Uint8Array(16);
  assertRejected(await auth.authenticate(v1), 'malformed response', 'new');
  const bogus = { ...client.pap('u', 'new'), method: 'eap' } as unknown as AuthRequest;
  assertRejected(await auth.authenticate(bogus), 'unsupported method', 'new');
});
