import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { rangeToCidrs } from '../../src/io/cidr.js';
import { ipv4ToU32 } from '../../src/wire/bytes.js';

test('rangeToCidrs: known ranges', () => {
  assert.deepEqual(rangeToCidrs('192.168.1.0', '192.168.1.255'), ['192.168.1.0/24']);
  assert.deepEqual(rangeToCidrs('192.168.1.1', '192.168.1.254'), [
    '192.168.1.1/32', '192.168.1.2/31', '192.168.1.4/30', '192.168.1.8/29', '192.168.1.16/28', '192.168.1.32/27',
    '192.168.1.64/26', '192.168.1.128/26', '192.168.1.192/27', '192.168.1.224/28', '192.168.1.240/29',
    '192.168.1.248/30', '192.168.1.252/31', '192.168.1.254/32',
  ]);
  assert.deepEqual(rangeToCidrs('10.0.0.5', '10.0.0.5'), ['10.0.0.5/32']);
  assert.deepEqual(rangeToCidrs('10.0.0.255', '10.0.1.0'), ['10.0.0.255/32', '10.0.1.0/32']);
  assert.deepEqual(rangeToCidrs(0, 0xffffffff), ['0.0.0.0/0']);
  assert.deepEqual(rangeToCidrs('0.0.0.0', '127.255.255.255'), ['0.0.0.0/1']);
  assert.deepEqual(rangeToCidrs('255.255.255.254', '255.255.255.255'), ['255.255.255.254/31']);
  assert.deepEqual(rangeToCidrs(0xc0a80164, 0xc0a80167), ['192.168.1.100/30']);
});

test('rangeToCidrs: bad input throws RangeError', () => {
  assert.throws(() => rangeToCidrs('10.0.0.9', '10.0.0.8'), RangeError);
  assert.throws(() => rangeToCidrs('10.0.0.256', '10.0.1.0'), RangeError);
  assert.throws(() => rangeToCidrs(-1, 5), RangeError);
  assert.throws(() => rangeToCidrs(0, 2 ** 32), RangeError);
  assert.throws(() => rangeToCidrs(1.5, 5), RangeError);
});

function block(cidr: string): [number, number] {
  const [a, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return [ipv4ToU32(a)!, size];
}

test('rangeToCidrs: blocks are aligned, tile the range exactly, and no two could merge', () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  fc.assert(
    fc.property(u32, u32, (x, y) => {
      const [lo, hi] = x <= y ? [x, y] : [y, x];
      const blocks = rangeToCidrs(lo, hi).map(block);
      let next = lo;
      for (const [start, size] of blocks) {
        assert.equal(start, next);
        assert.equal(start % size, 0);
        next = start + size;
      }
      assert.equal(next, hi + 1);
      for (let i = 1; i < blocks.length; i++) {
        const [s0, z0] = blocks[i - 1];
        const [, z1] = blocks[i];
        // Two equal neighbours aligned on the double size would be one block.
        assert.ok(!(z0 === z1 && s0 % (2 * z0) === 0), `mergeable at ${i}`);
      }
      // At most two blocks per prefix length (one rising, one falling edge).
      assert.ok(blocks.length <= 62);
    }),
    { numRuns: 2000 },
  );
});
