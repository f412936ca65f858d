import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pooledRandom } from '../../../src/ppp/crypto/random.js';

test('pooledRandom gives the lengths asked for, in arrays the caller owns', () => {
  for (const n of [0, 1, 4, 16, 256, 300, 5000]) assert.equal(pooledRandom(n).length, n);
  const a = pooledRandom(16);
  const b = pooledRandom(16);
  assert.notEqual(a.buffer, b.buffer, 'copies, not views of the shared block');
  a.fill(0);
  assert.ok(b.some((x) => x !== 0) || pooledRandom(16).some((x) => x !== 0));
});

test('pooledRandom hands each byte out once: 16-byte draws across block refills do not repeat', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const hex = Buffer.from(pooledRandom(16)).toString('hex');
    assert.ok(!seen.has(hex), 'a challenge repeated');
    seen.add(hex);
  }
});
