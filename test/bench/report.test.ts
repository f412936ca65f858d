/** The bench's pure parts: percentiles, the table and Markdown, CPU profile summaries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, median } from '../../bench/stats.js';
import { formatMarkdown, formatTable, type Figure } from '../../bench/report.js';
import { summariseProfile } from '../../bench/cpu-profile.js';

test('percentile is nearest-rank on sorted values', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.equal(median([3, 1, 2]), 2);
});

const figures: Figure[] = [
  { section: '1 setup rate', name: 'sessions up per second', value: 812, unit: 'sessions/s', reference: { name: 'engine', value: 950, unit: 'handshakes/s' }, aim: '≥ 1,000/s', met: false, note: 'why it missed' },
  { section: '1 setup rate', name: 'server CPU per session', value: 1.2, unit: 'ms' },
  { section: '2 scale', name: 'held', value: '10000 of 10000', unit: '', aim: '10000 of 10000', met: true },
];

test('the table shows each figure, its reference, the aim verdict and notes; a section name once', () => {
  const t = formatTable(figures);
  const lines = t.split('\n');
  assert.match(lines[0]!, /^section\s+\| figure/);
  assert.match(t, /812 sessions\/s \| 950 handshakes\/s \(engine\)\s+\| ≥ 1,000\/s: MISSED/);
  assert.match(t, /10000 of 10000.*: met/);
  assert.match(t, /\|\s+why it missed/);
  assert.equal(lines.filter((l) => l.startsWith('1 setup rate')).length, 1);
});

test('Markdown rows escape pipes and mark missed aims', () => {
  const md = formatMarkdown([{ ...figures[0]!, name: 'a | b' }]);
  assert.match(md, /\| 1 setup rate \| a \\\| b — why it missed \| 812 sessions\/s \| 950 handshakes\/s \(engine\) \| ≥ 1,000\/s: \*\*missed\*\* \|/);
});

test('a CPU profile is summarised by self time, idle and GC apart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vpdn-prof-test-'));
  try {
    const file = join(dir, 'x.cpuprofile');
    const frame = (id: number, functionName: string, url = '') => ({ id, callFrame: { functionName, url, lineNumber: 9, columnNumber: 0, scriptId: '0' }, children: [] as number[] });
    const nodes = [frame(1, '(root)'), frame(2, '(idle)'), frame(3, 'hot', 'node:net'), frame(4, 'cold', 'node:net'), frame(5, '(garbage collector)')];
    nodes[0]!.children = [2, 3, 4, 5];
    // A sample lasts until the next one (as in Chrome's profiler): 600 µs hot, 200 µs cold, 200 µs GC, 1000 µs idle.
    const samples = [3, 3, 3, 4, 5, 2, 2];
    const timeDeltas = [0, 200, 200, 200, 200, 200, 1000];
    writeFileSync(file, JSON.stringify({ nodes, startTime: 0, endTime: 2000, samples, timeDeltas }));
    const s = summariseProfile(file, 5);
    assert.deepEqual(
      s.top.map((f) => [f.name, f.selfPercent]),
      [['hot node:net:10', 60], ['cold node:net:10', 20], ['(garbage collector)', 20]],
    );
    assert.equal(s.gcPercent, 20);
    assert.equal(s.busyMs, 1);
    assert.equal(s.idleMs, 1);
    assert.equal(s.top.find((f) => f.name === '(idle)'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
