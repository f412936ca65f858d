/** The shared deadline queue: earliest first, moves and removals, one Node timer. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeadlineQueue, type DeadlineHolder } from '../../src/server/deadlines.js';

class Holder implements DeadlineHolder {
  deadlineAt = Infinity;
  deadlineSlot = -1;
  constructor(
    readonly name: string,
    private readonly fired: string[],
    private readonly then?: () => void,
  ) {}
  onDeadline(): void {
    this.fired.push(this.name);
    this.then?.();
  }
}

test('fires due holders earliest first, after moves and removals', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let now = 0;
  const q = new DeadlineQueue(() => now);
  const fired: string[] = [];
  const hs = Array.from({ length: 40 }, (_, i) => new Holder(`h${i}`, fired));
  // Deadlines 1000, 990, ... then move every third and remove every fifth.
  hs.forEach((h, i) => q.set(h, 1000 - i * 10));
  hs.forEach((h, i) => i % 3 === 0 && q.set(h, 2000 + i));
  hs.forEach((h, i) => i % 5 === 0 && q.set(h, Infinity));
  const expected = hs
    .map((h, i) => ({ name: h.name, at: i % 5 === 0 ? Infinity : i % 3 === 0 ? 2000 + i : 1000 - i * 10 }))
    .filter((e) => e.at !== Infinity)
    .sort((a, b) => a.at - b.at);
  assert.equal(q.size, expected.length);
  now = 1000;
  t.mock.timers.tick(1000);
  assert.deepEqual(fired, expected.filter((e) => e.at <= 1000).map((e) => e.name));
  now = 3000;
  t.mock.timers.tick(2000);
  assert.deepEqual(fired, expected.map((e) => e.name));
  assert.equal(q.size, 0);
  assert.ok(hs.every((h) => h.deadlineSlot === -1 && h.deadlineAt === Infinity));
});

test('a holder may set a new deadline from its own onDeadline', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let now = 0;
  const q = new DeadlineQueue(() => now);
  const fired: string[] = [];
  let rounds = 0;
  const h: Holder = new Holder('echo', fired, () => {
    if (++rounds < 3) q.set(h, now + 20_000);
  });
  q.set(h, 20_000);
  for (let i = 1; i <= 4; i++) {
    now = i * 20_000;
    t.mock.timers.tick(20_000);
  }
  assert.deepEqual(fired, ['echo', 'echo', 'echo']);
  assert.equal(q.size, 0);
});

test('nothing fires before its deadline, even when the timer runs early', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let now = 0;
  const q = new DeadlineQueue(() => now);
  const fired: string[] = [];
  q.set(new Holder('a', fired), 100);
  now = 99; // the clock read lags the timer
  t.mock.timers.tick(100);
  assert.deepEqual(fired, []);
  now = 101;
  t.mock.timers.tick(5);
  assert.deepEqual(fired, ['a']);
});
