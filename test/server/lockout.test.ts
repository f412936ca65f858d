import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lockout } from '../../src/server/lockout.js';

test('locks a user after N failures within the window, for the duration', () => {
  const l = new Lockout({ attempts: 3, windowMs: 60_000, durationMs: 300_000 });
  assert.equal(l.failure('cisco', '10.0.0.1', 0), false);
  assert.equal(l.failure('cisco', '10.0.0.2', 1000), false);
  assert.equal(l.failure('cisco', '10.0.0.3', 2000), true);
  assert.ok(l.lockedFor('cisco', '10.9.9.9', 3000) > 0, 'user locked from any source');
  assert.equal(l.lockedFor('other', '10.9.9.9', 3000), 0);
  assert.equal(l.lockedFor('cisco', '10.9.9.9', 302_001), 0, 'lock expires');
});

test('locks a source that tries many user names', () => {
  const l = new Lockout({ attempts: 3, windowMs: 60_000, durationMs: 1000 });
  l.failure('a', '10.0.0.1', 0);
  l.failure('b', '10.0.0.1', 0);
  l.failure('c', '10.0.0.1', 0);
  assert.ok(l.lockedFor('d', '10.0.0.1', 10) > 0);
  assert.equal(l.lockedFor('d', '10.0.0.2', 10), 0);
});

test('failures spread wider than the window do not lock; success clears', () => {
  const l = new Lockout({ attempts: 2, windowMs: 1000, durationMs: 1000 });
  l.failure('u', 's', 0);
  assert.equal(l.failure('u', 's2', 5000), false);
  l.success('u', 's2');
  assert.equal(l.failure('u', 's3', 5100), false);
});

test('no policy: never locks; the table stays bounded under a flood of sources', () => {
  assert.equal(new Lockout(null).failure('u', 's', 0), false);
  const l = new Lockout({ attempts: 5, windowMs: 60_000, durationMs: 60_000 }, 1000);
  for (let i = 0; i < 10_000; i++) l.failure(`user${i}`, `src${i}`, i);
  // @ts-expect-error reading private maps to check the bound
  assert.ok(l.users.size <= 1000 && l.sources.size <= 1000);
});
