/** ServerMetrics (src/server/metrics.ts): event-loop delay windows and memory readings for `show counters`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServerMetrics } from '../../src/server/metrics.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* block the event loop */
  }
}

test('no window before the first one closes; memory is read at once', () => {
  const m = new ServerMetrics({ windowMs: 10_000 });
  m.start();
  try {
    const r = m.read();
    assert.equal(r.loopDelayWindowEnd, 0);
    assert.equal(r.loopDelaySamples, 0);
    assert.equal(r.loopDelayWindowMs, 10_000);
    assert.ok(r.rssBytes > 1 << 20, 'RSS in bytes');
    assert.ok(r.heapUsedBytes > 0 && r.heapUsedBytes < r.rssBytes);
  } finally {
    m.stop();
  }
});

test('a blocked event loop shows in the closed window, and the next window starts afresh', async () => {
  const m = new ServerMetrics({ windowMs: 200, resolutionMs: 5 });
  m.start();
  try {
    await new Promise((r) => setTimeout(r, 20));
    busy(60); // one stall of ~60 ms inside the first window
    await new Promise((r) => setTimeout(r, 250));
    const first = m.read();
    assert.ok(first.loopDelayWindowEnd > 0, 'a window has closed');
    assert.ok(first.loopDelaySamples > 0);
    assert.ok(first.loopDelayMaxMs >= 40, `max delay ${first.loopDelayMaxMs} ms reflects the stall`);
    assert.ok(first.loopDelayP50Ms < first.loopDelayMaxMs);
    // Later windows without a stall.
    await new Promise((r) => setTimeout(r, 450));
    const later = m.read();
    assert.ok(later.loopDelayWindowEnd > first.loopDelayWindowEnd);
    assert.ok(later.loopDelayMaxMs < 40, `quiet window max ${later.loopDelayMaxMs} ms`);
  } finally {
    m.stop();
  }
});
