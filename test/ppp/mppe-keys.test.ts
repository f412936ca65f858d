import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { initialSessionKey, mschapV1MasterKeys, mschapV2MasterKeys, nextSessionKey } from '../../src/ppp/mppe-keys.js';
import { generateNtResponse, hashNtPasswordHash, lmPasswordHash, ntPasswordHash } from '../../src/ppp/mschap.js';
import { Rc4 } from '../../src/ppp/crypto/rc4.js';
import { fromHex, toHex } from '../../src/wire/bytes.js';

const HEX = (s: string): string => s.replace(/\s+/g, '').toLowerCase();
const rc4 = (key: Uint8Array, text: string): string => {
  const b = new Uint8Array(Buffer.from(text, 'latin1'));
  new Rc4(key).process(b);
  return toHex(b);
};

// RFC 3079 §3.5: user "User", password "clientPass" (the RFC 2759 §9.2 exchange).
const HASH_HASH = hashNtPasswordHash(ntPasswordHash('clientPass'));
const NT_RESPONSE = generateNtResponse(fromHex('5B5D7C7D7B3F2F3E3C2C602132262628'), fromHex('21402324255E262A28295F2B3A337C7E'), 'User', 'clientPass');

test('RFC 3079 §3.5.3: MS-CHAP v2 128-bit keys; the published "send" key is the server\'s (Magic3)', () => {
  const server = mschapV2MasterKeys(HASH_HASH, NT_RESPONSE, 'server');
  assert.equal(toHex(server.sendKey), HEX('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB'));
  const send = initialSessionKey(server.sendKey, 128);
  assert.equal(toHex(send), HEX('40 5C B2 24 7A 79 56 E6 E2 11 00 7A E2 7B 22 D4'));
  assert.equal(rc4(send, 'test message'), HEX('81 84 83 17 DF 68 84 62 72 FB 5A BE'));
  // The server's receive key (Magic2), not published by the RFC; computed in research/anchors.md §5.
  assert.equal(toHex(server.recvKey), HEX('D5F0E9521E3EA9589645E86051C82226'));
  assert.equal(toHex(initialSessionKey(server.recvKey, 128)), HEX('49D11D0F0CC6BEFBA2A9B4B688F91EEE'));
});

test('RFC 3079 §3.5.1-3.5.2: 40- and 56-bit session keys from the same master key', () => {
  const { sendKey } = mschapV2MasterKeys(HASH_HASH, NT_RESPONSE, 'server');
  const k40 = initialSessionKey(sendKey, 40);
  assert.equal(toHex(k40), HEX('D1 26 9E C4 9F A6 2E 3E'));
  assert.equal(rc4(k40, 'test message'), HEX('92 91 37 91 7E 58 03 D6 68 D7 58 98'));
  const k56 = initialSessionKey(sendKey, 56);
  assert.equal(toHex(k56), HEX('D1 5C 00 C4 9F A6 2E 3E'));
  // The RFC prints ... 57 58 as the last two bytes; OpenSSL RC4 under this key gives ... 57 B8 (an RFC typo).
  assert.equal(rc4(k56, 'test message'), HEX('3F 10 68 33 FA 44 8D A8 42 BC 57 B8'));
});

test('client keys are the server keys swapped', () => {
  const server = mschapV2MasterKeys(HASH_HASH, NT_RESPONSE, 'server');
  const client = mschapV2MasterKeys(HASH_HASH, NT_RESPONSE, 'client');
  assert.deepEqual(client.sendKey, server.recvKey);
  assert.deepEqual(client.recvKey, server.sendKey);
});

test('RFC 3079 §2.5.3: MS-CHAP v1 128-bit keys (the RFC\'s step 3 "ac ca" is its typo: step 4\'s "ac c1" is right)', () => {
  const keys = mschapV1MasterKeys(HASH_HASH, fromHex('102DB5DF085D3041'));
  assert.equal(toHex(keys.sendKey), HEX('a8 94 78 50 cf c0 ac c1 d1 78 9f b6 2d dc dd b0'));
  assert.deepEqual(keys.recvKey, keys.sendKey);
  assert.notEqual(keys.recvKey, keys.sendKey, 'separate buffers');
  assert.equal(toHex(initialSessionKey(keys.sendKey, 128)), HEX('59 d1 59 bc 09 f7 6f 1d a2 a8 6a 28 ff ec 0b 1e'));
  // Only "ac c1" leads to the published CurrentSessionKey.
  assert.notEqual(toHex(initialSessionKey(fromHex('a8947850cfc0accad1789fb62ddcddb0'), 128)), HEX('59d159bc09f76f1da2a86a28ffec0b1e'));
});

test('RFC 3079 §2.5.1-2.5.2: MS-CHAP v1 40- and 56-bit keys from the LAN Manager hash', () => {
  const lm = lmPasswordHash('clientPass');
  assert.equal(toHex(initialSessionKey(lm, 40)), HEX('d1 26 9e 53 8c ec 4a 08'));
  assert.equal(toHex(initialSessionKey(lm, 56)), HEX('d1 08 01 53 8c ec 4a 08'));
});

test('nextSessionKey is RFC 3078 §7.3: SHA-1 interim key, RC4-encrypted under itself, then reduced', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.constantFrom<40 | 56 | 128>(40, 56, 128), (master, bits) => {
      const n = bits === 128 ? 16 : 8;
      const current = initialSessionKey(master, bits);
      const next = nextSessionKey(master, current, bits);
      assert.equal(next.length, n);
      // Recompute from the definition with independent pieces.
      const digest = createHash('sha1')
        .update(master.subarray(0, n))
        .update(new Uint8Array(40))
        .update(current)
        .update(new Uint8Array(40).fill(0xf2))
        .digest();
      const interim = new Uint8Array(digest.subarray(0, n));
      const expected = Uint8Array.from(interim);
      new Rc4(interim).process(expected);
      if (bits !== 128) expected[0] = 0xd1;
      if (bits === 40) expected.set([0xd1, 0x26, 0x9e]);
      assert.deepEqual(next, expected);
    }),
    { numRuns: 60 },
  );
});

test('inputs are never modified, even when they are Buffers', () => {
  const master = Buffer.from('8B7CDC149B993A1BA118CB153F56DCCB', 'hex');
  const copy = Buffer.from(master);
  const s = initialSessionKey(master, 128);
  const s2 = Buffer.from(s);
  nextSessionKey(master, s, 128);
  assert.deepEqual(master, copy);
  assert.deepEqual(Buffer.from(s), s2);
  assert.throws(() => initialSessionKey(new Uint8Array(8), 128), RangeError);
});
