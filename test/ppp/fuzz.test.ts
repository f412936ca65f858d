/** The engine under hostile input: random frames in every phase never throw and never corrupt a session. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LocalAuthenticator } from '../../src/aaa/local.js';
import { PppSession } from '../../src/ppp/session.js';
import { Pair, Rng } from './link.js';

const PROTOCOLS = [0xc021, 0xc023, 0xc223, 0x8021, 0x80fd, 0x0021, 0x00fd, 0x8057];

/** A frame of a known protocol with a random body, or plain random bytes. */
const frame = fc.oneof(
  fc.uint8Array({ maxLength: 80 }).map((b) => new Uint8Array(b)),
  fc.tuple(fc.constantFrom(...PROTOCOLS), fc.uint8Array({ maxLength: 80 })).map(([p, body]) => new Uint8Array([0xff, 0x03, p >> 8, p & 255, ...body])),
  fc
    .tuple(fc.constantFrom(0xc021, 0x8021, 0x80fd, 0xc223, 0xc023), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }))
    .map(([p, code, id, body]) => new Uint8Array([0xff, 0x03, p >> 8, p & 255, code, id, 0, 4 + body.length, ...body])),
);

for (const role of ['server', 'client'] as const) {
  test(`${role}: random frames in the Establish phase never throw`, () => {
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 30 }), fc.integer(), (frames, seed) => {
        const rng = new Rng(seed);
        const s = new PppSession({ role, authTypes: ['mschap-v2', 'pap'], username: 'u', password: 'p', localAddress: '10.1.1.1', serverMppe: { mode: 'auto', bits: 'auto' }, random: (n) => rng.bytes(n) });
        s.open(0);
        let now = 0;
        for (const f of frames) {
          s.input(f, now);
          now += 500;
          s.handleTimeout(now);
          s.drain();
        }
      }),
      { numRuns: 400 },
    );
  });
}

test('random frames injected into an open, encrypted session never throw; the session stays usable or goes down cleanly', async () => {
  const samples = fc.sample(fc.array(frame, { minLength: 1, maxLength: 20 }), { numRuns: 40, seed: 99 });
  for (const [i, frames] of samples.entries()) {
    const p = new Pair(
      { authTypes: ['mschap-v2'], localAddress: '10.1.1.1', serverMppe: { mode: 'auto', bits: 'auto' } },
      { authTypes: ['mschap-v2'], username: 'john', password: 'secret' },
      new LocalAuthenticator([{ username: 'john', password: 'secret' }]),
      { seed: i + 1 },
    );
    p.start();
    await p.run();
    assert.equal(p.server.state, 'open');
    for (const f of frames) p.server.input(f, p.now);
    await p.run();
    const downs = p.events.server.filter((e) => e.type === 'down').length;
    assert.ok(downs <= 1, 'at most one down');
    if (downs === 0 && p.server.state === 'open') assert.ok(p.server.encapsulateIp(new Uint8Array([0x45, 0, 0, 20])));
  }
});
