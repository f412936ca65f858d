import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { md4 } from '../../../src/ppp/crypto/md4.js';
import { toHex } from '../../../src/wire/bytes.js';

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

test('RFC 1320 §A.5 test suite', () => {
  const suite: [string, string][] = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ];
  for (const [message, digest] of suite) assert.equal(toHex(md4(utf8(message))), digest, JSON.stringify(message));
});

test('padding boundaries: lengths 55, 56, 63, 64 and 65 give distinct 16-byte digests', () => {
  const seen = new Set<string>();
  for (const n of [55, 56, 63, 64, 65]) {
    const d = md4(new Uint8Array(n).fill(0x61));
    assert.equal(d.length, 16);
    seen.add(toHex(d));
  }
  assert.equal(seen.size, 5);
});

test('does not modify its input and is deterministic', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
      const copy = Uint8Array.from(data);
      const a = md4(data);
      assert.deepEqual(data, copy);
      assert.deepEqual(md4(copy), a);
    }),
    { numRuns: 200 },
  );
});
