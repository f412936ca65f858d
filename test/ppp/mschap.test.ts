import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  challengeHash,
  challengeResponse,
  generateAuthenticatorResponse,
  generateNtResponse,
  hashNtPasswordHash,
  lmPasswordHash,
  mschapV1NtResponse,
  ntPasswordHash,
  stripDomain,
  timingSafeEqualBytes,
} from '../../src/ppp/mschap.js';
import { fromHex, toHex } from '../../src/wire/bytes.js';

const HEX = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

// RFC 2759 §9.2: user "User", password "clientPass".
const AUTH_CHALLENGE = fromHex('5B5D7C7D7B3F2F3E3C2C602132262628');
const PEER_CHALLENGE = fromHex('21402324255E262A28295F2B3A337C7E');

test('RFC 2759 §9.2 hash example, every intermediate value', () => {
  assert.equal(toHex(challengeHash(PEER_CHALLENGE, AUTH_CHALLENGE, 'User')), HEX('D0 2E 43 86 BC E9 12 26'));
  const hash = ntPasswordHash('clientPass');
  assert.equal(toHex(hash), HEX('44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE'));
  const nt = generateNtResponse(AUTH_CHALLENGE, PEER_CHALLENGE, 'User', 'clientPass');
  assert.equal(toHex(nt), HEX('82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF'));
  assert.equal(toHex(hashNtPasswordHash(hash)), HEX('41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F'));
  assert.equal(
    generateAuthenticatorResponse(hash, nt, PEER_CHALLENGE, AUTH_CHALLENGE, 'User'),
    'S=407A5589115FD0D6209F510FE9C04566932CDA56',
  );
});

test('RFC 2433 B.2: MS-CHAP v1 NT response for "MyPw"', () => {
  const challenge = fromHex('102DB5DF085D3041');
  assert.equal(toHex(ntPasswordHash('MyPw')), HEX('FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC'));
  assert.equal(
    toHex(mschapV1NtResponse(challenge, 'MyPw')),
    HEX('4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C A4 C3 51 AB 40 9A 3D 61'),
  );
});

test('RFC 3079 §2.5.1: LmPasswordHash("clientPass")', () => {
  assert.equal(toHex(lmPasswordHash('clientPass')), HEX('76 a1 52 93 60 96 d7 83 0e 23 90 22 74 04 af d2'));
  assert.deepEqual(lmPasswordHash('CLIENTPASS'), lmPasswordHash('clientPass'), 'case-insensitive');
});

// FreeRADIUS src/tests/modules/mschap/auth_mschapv2: a Windows-style "example\john" login.
test('FreeRADIUS vector: user example\\john, password secret — the hash uses the name without its domain', () => {
  const authChallenge = fromHex('16d2833f4239256dd2b2bb26f2ecb2a3');
  const response = fromHex('0001502feeee9495a353cddbd1efc40072820000000000000000e866286bb30d0215ed16cf425b6a29d206667a9853e23ca4');
  const peerChallenge = response.subarray(2, 18);
  const nt = response.subarray(26, 50);
  assert.deepEqual(generateNtResponse(authChallenge, peerChallenge, 'example\\john', 'secret'), nt);
  const s = generateAuthenticatorResponse(ntPasswordHash('secret'), nt, peerChallenge, authChallenge, 'example\\john');
  assert.equal(s, 'S=68649B6763301DD65FC2559F2D172943196EA88A');
  // The same with the bare name, and not with the domain left in the hash.
  assert.equal(generateAuthenticatorResponse(ntPasswordHash('secret'), nt, peerChallenge, authChallenge, 'john'), s);
  assert.notDeepEqual(challengeHash(peerChallenge, authChallenge, 'john'), fromHex('0000000000000000'));
});

test('stripDomain', () => {
  assert.equal(stripDomain('DOMAIN\\cisco'), 'cisco');
  assert.equal(stripDomain('cisco'), 'cisco');
  assert.equal(stripDomain('a\\b\\c'), 'c');
  assert.equal(stripDomain('DOMAIN\\'), '');
});

test('ChallengeResponse is three DES blocks over the zero-padded hash; sizes are checked', () => {
  const r = challengeResponse(fromHex('0102030405060708'), new Uint8Array(16));
  assert.equal(r.length, 24);
  assert.deepEqual(r.subarray(16), r.subarray(8, 16), 'last two keys are all-zero');
  assert.throws(() => challengeResponse(new Uint8Array(7), new Uint8Array(16)), RangeError);
});

test('timingSafeEqualBytes', () => {
  assert.equal(timingSafeEqualBytes(fromHex('0102'), fromHex('0102')), true);
  assert.equal(timingSafeEqualBytes(fromHex('0102'), fromHex('0103')), false);
  assert.equal(timingSafeEqualBytes(fromHex('0102'), fromHex('010203')), false);
  assert.equal(timingSafeEqualBytes(new Uint8Array(0), new Uint8Array(0)), true);
});

test('a different password, user or challenge changes the NT response', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.string({ maxLength: 20 }),
      (auth, peer, user, password) => {
        const nt = generateNtResponse(auth, peer, user, password);
        assert.equal(nt.length, 24);
        assert.notDeepEqual(generateNtResponse(auth, peer, user, password + 'x'), nt);
        assert.notDeepEqual(generateNtResponse(auth, peer, user + 'x', password), nt);
        assert.deepEqual(generateNtResponse(auth, peer, 'DOM\\' + user.replace(/\\/g, ''), password), generateNtResponse(auth, peer, user.replace(/\\/g, ''), password));
      },
    ),
    { numRuns: 50 },
  );
});
