/**
 * Fuzzing every decoder (issue 9): PPTP control and stream, GRE, PPP frames, LCP/IPCP/CCP/PAP/CHAP,
 * RADIUS, TACACS+, the PIX configuration parser and the management socket's line protocol, each for
 * VPDN_FUZZ_SECONDS (default 2). A failure names the seed to replay and the saved input.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure, fuzz } from './harness.js';
import { startMgmt, stopMgmt } from './targets/mgmt.js';
import { DECODER_TARGETS } from './targets/index.js';

before(startMgmt);
after(stopMgmt);

for (const target of DECODER_TARGETS) {
  test(`fuzz ${target.name}`, async (t) => {
    const r = await fuzz(target);
    t.diagnostic(`${r.runs} inputs, ${r.outcomes} outcomes, corpus ${r.corpus}, slowest ${r.slowestMs.toFixed(1)} ms, seed ${r.seed}`);
    assert.ok(!r.failure, r.failure && describeFailure(r));
    assert.ok(r.outcomes > 1, 'mutations reached more than one outcome');
  });
}
