/**
 * Fuzzing every protocol engine (issue 9): PptpControlConnection as PAC and PNS, GreChannel,
 * PppSession as server and client (random frames and random timer events) and MppeDecryptor, each
 * for VPDN_FUZZ_SECONDS (default 2). A failure names the seed to replay and the saved input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure, fuzz } from './harness.js';
import { ENGINE_TARGETS } from './targets/index.js';

for (const target of ENGINE_TARGETS) {
  test(`fuzz ${target.name}`, async (t) => {
    const r = await fuzz(target);
    t.diagnostic(`${r.runs} inputs, ${r.outcomes} outcomes, corpus ${r.corpus}, slowest ${r.slowestMs.toFixed(1)} ms, seed ${r.seed}`);
    assert.ok(!r.failure, r.failure && describeFailure(r));
    assert.ok(r.outcomes > 1, 'mutations reached more than one outcome');
  });
}
