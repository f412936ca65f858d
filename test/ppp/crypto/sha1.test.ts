import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { Sha1Fixed, sha1Concat } from '../../../src/ppp/crypto/sha1.js';
import { toHex } from '../../../src/wire/bytes.js';

test('FIPS 180 "abc" and the two-block message', () => {
  const abc = new Sha1Fixed(3);
  abc.message.set(Buffer.from('abc'));
  const out = new Uint8Array(20);
  abc.digest(out);
  assert.equal(toHex(out), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  const text = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
  const two = new Sha1Fixed(text.length);
  two.message.set(Buffer.from(text));
  two.digest(out);
  assert.equal(toHex(out), '84983e441c3bd26ebaae4aa1f95129e5e54670f1');
});

test('Sha1Fixed matches node:crypto at every length around the block boundaries, and repeats', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 20 }), (data, n) => {
      const h = new Sha1Fixed(data.length);
      h.message.set(data);
      const expected = createHash('sha1').update(data).digest().subarray(0, n);
      for (let round = 0; round < 2; round++) {
        const out = new Uint8Array(20);
        h.digest(out, n);
        assert.deepEqual(out.subarray(0, n), new Uint8Array(expected));
        assert.ok(out.subarray(n).every((b) => b === 0), 'writes only n bytes');
      }
    }),
    { numRuns: 300 },
  );
});

test('sha1Concat hashes the concatenation', () => {
  assert.equal(toHex(sha1Concat(Buffer.from('a'), Buffer.from('bc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
});

test('sha1Concat matches node:crypto for any split, past the cached lengths, and returns its own array', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 150 }), { maxLength: 5 }), (parts) => {
      const expected = new Uint8Array(createHash('sha1').update(Buffer.concat(parts)).digest());
      const a = sha1Concat(...parts);
      assert.deepEqual(a, expected);
      assert.deepEqual(sha1Concat(...parts), expected, 'the same again (a reused hasher keeps nothing)');
      a.fill(0);
      assert.deepEqual(sha1Concat(...parts), expected);
    }),
    { numRuns: 300 },
  );
});
