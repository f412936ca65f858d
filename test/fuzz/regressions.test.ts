/**
 * Every stored input of every fuzz target, replayed on each run: the seeds of the corpus and each
 * crash-*.bin a fuzz run ever saved. Plus the bugs fuzzing found, each pinned by name.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { MppeDecryptor } from '../../src/ppp/mppe.js';
import { GreChannel } from '../../src/pptp/gre-channel.js';
import { decodeGreHeader, encodeGrePacket, type GreHeader } from '../../src/wire/gre.js';
import { loadCorpus, runOne } from './harness.js';
import { ALL_TARGETS } from './targets/index.js';
import { MgmtFixture, startMgmt, stopMgmt } from './targets/mgmt.js';

before(startMgmt);
after(stopMgmt);

describe('stored corpus', () => {
  for (const target of ALL_TARGETS) {
    test(`${target.name}: seeds and stored inputs run clean`, async () => {
      const inputs = [...target.seeds().map((bytes, i) => ({ file: `seed ${i}`, bytes })), ...loadCorpus(target.name)];
      for (const { file, bytes } of inputs) {
        const r = await runOne(target, bytes);
        assert.equal(r.error, undefined, `${target.name} ${file}: ${r.error}`);
      }
    });
  }
});

describe('found by fuzzing', () => {
  test('management socket: a request that is JSON but not an object (null) is answered, not an unhandled rejection', async () => {
    const m = new MgmtFixture();
    await m.start();
    try {
      for (const line of ['null', '7', '"show vpdn"', '[]', 'true']) {
        assert.match(await m.exchange(new Uint8Array(Buffer.from(line + '\n'))), /^answered/);
      }
    } finally {
      await m.stop();
    }
  });

  test('GRE: one forged sequence number far ahead does not make every later genuine packet stale', () => {
    const g = new GreChannel({ peerCallId: 1, peerReceiveWindow: 64 });
    const rx = (seq: number) => {
      const p = encodeGrePacket(9, new Uint8Array([0xff, 0x03, 0x00, 0x21, 0x45]), seq >>> 0);
      return g.receive(decodeGreHeader(p) as GreHeader, p, 0);
    };
    for (let s = 1; s <= 10; s++) assert.ok(rx(s));
    assert.equal(rx(1_000_000), undefined, 'the forged packet is dropped');
    assert.equal(g.stats.farAhead, 1);
    for (let s = 11; s <= 20; s++) assert.ok(rx(s), `genuine packet ${s} still delivered`);
    assert.equal(g.stats.ackSent, 20);
    // A peer that really jumped (a long outage) is followed after one more packet.
    assert.equal(rx(50_000), undefined);
    assert.ok(rx(50_001));
    assert.equal(g.stats.ackSent, 50_001);
    // A duplicate of the far packet does not count as following it.
    assert.equal(rx(900_000), undefined);
    assert.equal(rx(900_000), undefined);
    assert.equal(g.stats.ackSent, 50_001);
  });

  test('MPPE stateless: a coherency count 2047 ahead costs bounded time and opens nothing', () => {
    const d = new MppeDecryptor(new Uint8Array(16).fill(1), 128, true);
    const worst = new Uint8Array(64);
    let slowest = 0;
    for (let i = 0; i < 50; i++) {
      // Each packet claims to be half the count space ahead of the one before.
      const count = (2047 * (i + 1)) & 0xfff;
      worst[0] = 0x90 | (count >> 8);
      worst[1] = count & 0xff;
      const t = performance.now();
      const r = d.decrypt(worst);
      slowest = Math.max(slowest, performance.now() - t);
      assert.ok(!(r instanceof Uint8Array) || r.length >= 2);
    }
    assert.ok(slowest < 50, `one packet took ${slowest.toFixed(1)} ms`);
  });
});
