import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryPool } from '../../src/server/pool.js';

test('pool hands out every address once, then reports exhaustion', async () => {
  const p = new MemoryPool('pptp-pool', '192.168.1.1', '192.168.1.50');
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const a = await p.allocate();
    assert.ok(a);
    assert.ok(!seen.has(a), `duplicate ${a}`);
    seen.add(a);
  }
  assert.equal(await p.allocate(), undefined);
  assert.deepEqual(p.stats(), { name: 'pptp-pool', first: '192.168.1.1', last: '192.168.1.50', size: 50, inUse: 50, free: 0 });
});

test('released addresses come back last (least recently used first)', async () => {
  const p = new MemoryPool('p', '10.0.0.1', '10.0.0.3');
  const a = (await p.allocate())!;
  await p.release(a);
  assert.equal(await p.allocate(), '10.0.0.2');
  assert.equal(await p.allocate(), '10.0.0.3');
  assert.equal(await p.allocate(), a);
});

test('claim marks a specific address used and refuses a second claim', async () => {
  const p = new MemoryPool('p', '10.0.0.1', '10.0.0.3');
  assert.equal(await p.claim('10.0.0.2'), true);
  assert.equal(await p.claim('10.0.0.2'), false);
  const got = [await p.allocate(), await p.allocate(), await p.allocate()];
  assert.deepEqual(got, ['10.0.0.1', '10.0.0.3', undefined]);
  await p.release('10.0.0.2');
  assert.equal(await p.allocate(), '10.0.0.2');
  // Outside the range: tracked so that a second session cannot take the same Framed-IP.
  assert.equal(await p.claim('172.16.0.9'), true);
  assert.equal(await p.claim('172.16.0.9'), false);
  await p.release('172.16.0.9');
  assert.equal(await p.claim('172.16.0.9'), true);
});

test('claim, release and allocate never duplicate an address (random sequences)', async () => {
  const p = new MemoryPool('p', '10.0.0.1', '10.0.0.8');
  const held = new Set<string>();
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 1000) / 1000;
  for (let i = 0; i < 5000; i++) {
    const r = rnd();
    if (r < 0.4) {
      const a = await p.allocate();
      if (a) {
        assert.ok(!held.has(a));
        held.add(a);
      } else assert.equal(held.size, 8);
    } else if (r < 0.6) {
      const a = `10.0.0.${1 + Math.floor(rnd() * 8)}`;
      assert.equal(await p.claim(a), !held.has(a));
      held.add(a);
    } else if (held.size > 0) {
      const a = [...held][Math.floor(rnd() * held.size)]!;
      held.delete(a);
      await p.release(a);
    }
    assert.equal(p.stats().inUse, held.size);
  }
});
