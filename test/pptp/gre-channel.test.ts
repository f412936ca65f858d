import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GreChannel, type GreChannelOptions } from '../../src/pptp/gre-channel.js';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { decodeGreHeader, type GreHeader } from '../../src/wire/gre.js';

function decode(packet: Uint8Array): GreHeader {
  const h = decodeGreHeader(packet);
  assert.ok(!isDecodeError(h), String(h));
  return h;
}

/** Two ends of one call: a (call id 0x4000 at b's side) and b (call id 9 at a's side). */
function pair(a: Partial<GreChannelOptions> = {}, b: Partial<GreChannelOptions> = {}) {
  return {
    a: new GreChannel({ peerCallId: 9, peerReceiveWindow: 64, ...a }),
    b: new GreChannel({ peerCallId: 0x4000, peerReceiveWindow: 64, ...b }),
  };
}

/** A payload that says which packet it was. */
const payload = (i: number) => Uint8Array.from([0x00, 0x21, i >> 8, i & 0xff]);
const index = (p: Uint8Array) => (p[2] << 8) | p[3];

describe('GreChannel', () => {
  it('numbers data from 1 by default (Linux, pptp-linux, PIX) and from 0 when asked (RFC 2637 §4.1 as pptpd reads it)', () => {
    const one = new GreChannel({ peerCallId: 9, peerReceiveWindow: 64 });
    assert.equal(decode(one.encapsulate(payload(0), 0)!).seq, 1);
    assert.equal(one.stats.seqSent, 1);
    const zero = new GreChannel({ peerCallId: 9, peerReceiveWindow: 64, firstSequenceNumber: 0 });
    assert.equal(decode(zero.encapsulate(payload(0), 0)!).seq, 0);
  });

  it('accepts a peer that starts at 0 and one that starts at 1', () => {
    for (const first of [0, 1]) {
      const { a, b } = pair({ firstSequenceNumber: first });
      for (let i = 0; i < 3; i++) {
        const p = a.encapsulate(payload(i), 0)!;
        assert.deepEqual(b.receive(decode(p), p, 0), payload(i));
      }
      assert.equal(b.stats.ackSent, first + 2);
      assert.equal(b.stats.packetsIn, 3);
    }
  });

  it('puts the peer call id in the key and returns the payload as a view', () => {
    const { a, b } = pair();
    const p = a.encapsulate(fromHex('ff03c021'), 0)!;
    assert.equal(toHex(p), '3001880b0004000900000001ff03c021');
    const out = b.receive(decode(p), p, 0)!;
    assert.equal(out.buffer, p.buffer);
    assert.equal(toHex(out), 'ff03c021');
  });

  it('piggy-backs the owed ack on the next data packet (RFC 2637 §4.2)', () => {
    const { a, b } = pair();
    for (let i = 0; i < 3; i++) {
      const p = a.encapsulate(payload(i), 0)!;
      b.receive(decode(p), p, 0);
    }
    assert.ok(b.ackOwed);
    const reply = b.encapsulate(payload(100), 1)!;
    const h = decode(reply);
    assert.equal(h.ack, 3);
    assert.equal(h.headerLength, 16);
    assert.ok(!b.ackOwed);
    assert.equal(b.pollAck(1000), undefined);
    a.receive(h, reply, 2);
    assert.equal(a.stats.ackReceived, 3);
    assert.equal(a.unacknowledged, 0);
    const next = b.encapsulate(payload(101), 3)!;
    assert.equal(decode(next).ack, undefined);
  });

  it('sends a 12-byte ack-only packet when no data carried the ack within the ack delay', () => {
    const { a, b } = pair({}, { ackDelay: 50 });
    const p = a.encapsulate(payload(0), 0)!;
    b.receive(decode(p), p, 1000);
    assert.equal(b.nextTimeout(), 1050);
    assert.equal(b.pollAck(1049), undefined);
    const ack = b.pollAck(1050)!;
    assert.equal(toHex(ack), '2081880b0000400000000001');
    assert.equal(b.stats.acksOut, 1);
    assert.equal(b.nextTimeout(), undefined);
    assert.equal(a.receive(decode(ack), ack, 1051), undefined);
    assert.equal(a.stats.ackReceived, 1);
    assert.equal(a.stats.acksIn, 1);
  });

  it('acks at once when half of its receive window is owed', () => {
    const { a, b } = pair({}, { receiveWindow: 8, ackDelay: 500 });
    for (let i = 0; i < 3; i++) {
      const p = a.encapsulate(payload(i), 0)!;
      b.receive(decode(p), p, 10);
    }
    assert.equal(b.pollAck(10), undefined);
    const p = a.encapsulate(payload(3), 0)!;
    b.receive(decode(p), p, 10);
    assert.equal(b.nextTimeout(), 10);
    assert.equal(decode(b.pollAck(10)!).ack, 4);
  });

  it('respects the peer window when told to: drops and counts (RFC 2637 §4.2)', () => {
    const { a, b } = pair({ peerReceiveWindow: 4, respectPeerWindow: true });
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 6; i++) {
      const p = a.encapsulate(payload(i), 0);
      if (p) sent.push(p);
    }
    assert.equal(sent.length, 4);
    assert.equal(a.stats.windowDrops, 2);
    for (const p of sent) b.receive(decode(p), p, 0);
    const ack = b.pollAck(1000)!;
    a.receive(decode(ack), ack, 1000);
    assert.ok(a.encapsulate(payload(6), 1000));
    a.respectPeerWindow = false;
    for (let i = 0; i < 10; i++) assert.ok(a.encapsulate(payload(7 + i), 1000));
  });

  it('ignores acknowledgments of sequence numbers it never sent', () => {
    const { a } = pair();
    a.encapsulate(payload(0), 0);
    const bogus = fromHex('2081880b0000000900000005');
    a.receive(decode(bogus), bogus, 0);
    assert.equal(a.stats.ackReceived, 0);
    const stale = fromHex('2081880bffff0009ffffff00');
    a.receive(decode(stale), stale, 0);
    assert.equal(a.stats.ackReceived, 0);
  });

  it('discards late packets and duplicates (RFC 2637 §4.3) and counts them', () => {
    const { a, b } = pair();
    const p = Array.from({ length: 40 }, (_, i) => a.encapsulate(payload(i), 0)!);
    const rx = (i: number) => b.receive(decode(p[i]), p[i], 0);
    assert.ok(rx(0));
    assert.ok(rx(2));
    assert.equal(rx(2), undefined);
    assert.equal(b.stats.duplicates, 1);
    assert.equal(rx(1), undefined);
    assert.equal(b.stats.outOfOrder, 1);
    assert.equal(rx(1), undefined);
    assert.equal(b.stats.duplicates, 2);
    assert.ok(rx(39));
    assert.equal(b.stats.gaps, 1 + 36);
    assert.equal(rx(3), undefined);
    assert.equal(b.stats.stale, 1);
    assert.equal(rx(38), undefined);
    assert.equal(b.stats.outOfOrder, 2);
  });

  it('lets a late LCP Echo through, as Linux does, so a keepalive is not lost to reordering', () => {
    const { a, b } = pair();
    const echo = a.encapsulate(fromHex('ff03c0210901000800000000'), 0)!;
    const data = a.encapsulate(payload(1), 0)!;
    b.receive(decode(data), data, 0);
    assert.equal(toHex(b.receive(decode(echo), echo, 0)!), 'ff03c0210901000800000000');
    assert.equal(b.stats.outOfOrder, 1);
  });

  it('carries sequence and acknowledgment numbers across the 32-bit wrap', () => {
    const { a, b } = pair({ firstSequenceNumber: 0xfffffffd });
    const seqs: number[] = [];
    for (let i = 0; i < 6; i++) {
      const p = a.encapsulate(payload(i), 0)!;
      seqs.push(decode(p).seq!);
      assert.deepEqual(b.receive(decode(p), p, 0), payload(i));
    }
    assert.deepEqual(seqs, [0xfffffffd, 0xfffffffe, 0xffffffff, 0, 1, 2]);
    const ack = b.pollAck(1000)!;
    a.receive(decode(ack), ack, 1000);
    assert.equal(a.stats.ackReceived, 2);
    assert.equal(a.unacknowledged, 0);
    const late = fromHex('3001880b0004000ffffffffe00210000');
    assert.equal(b.receive(decode(late), late, 0), undefined);
    assert.equal(b.stats.duplicates, 1);
  });

  it('encapsulateInto writes the same packet in front of a payload already in place', () => {
    const { a } = pair();
    const { a: twin } = pair();
    const buf = new Uint8Array(32);
    buf.set(payload(7), 20);
    const start = a.encapsulateInto(buf, 20, 4, 0);
    assert.equal(start, 8);
    assert.equal(toHex(buf.subarray(start, 24)), toHex(twin.encapsulate(payload(7), 0)!));
    assert.throws(() => a.encapsulateInto(buf, 4, 4, 0), RangeError);
  });

  it('loss, reordering and duplication: PPP sees a strictly increasing subsequence, every count adds up', () => {
    const schedule = fc.array(
      fc.record({ drop: fc.boolean(), copies: fc.integer({ min: 1, max: 2 }), delay: fc.integer({ min: 0, max: 40 }) }),
      { minLength: 1, maxLength: 150 },
    );
    const firsts = fc.constantFrom(0, 1, 0xffffff80, 0xfffffff0);
    fc.assert(
      fc.property(schedule, firsts, (plan, first) => {
        const { a, b } = pair({ firstSequenceNumber: first });
        const arrivals: { at: number; i: number; packet: Uint8Array }[] = [];
        plan.forEach((step, i) => {
          const packet = a.encapsulate(payload(i), i)!;
          if (step.drop) return;
          for (let c = 0; c < step.copies; c++) arrivals.push({ at: i + step.delay + c, i, packet });
        });
        arrivals.sort((x, y) => x.at - y.at);

        const delivered: number[] = [];
        const model = { delivered: [] as number[], outOfOrder: 0, duplicates: 0, stale: 0 };
        const seen = new Set<number>();
        let max = -1;
        for (const { at, i, packet } of arrivals) {
          const out = b.receive(decode(packet), packet, at);
          if (out) delivered.push(index(out));
          if (max < 0 || i > max) {
            model.delivered.push(i);
            max = i;
          } else if (i === max) model.duplicates++;
          else if (max - i > 32) model.stale++;
          else if (seen.has(i)) model.duplicates++;
          else model.outOfOrder++;
          seen.add(i);
        }
        assert.deepEqual(delivered, model.delivered);
        assert.equal(b.stats.outOfOrder, model.outOfOrder);
        assert.equal(b.stats.duplicates, model.duplicates);
        assert.equal(b.stats.stale, model.stale);
        assert.equal(b.stats.packetsIn + b.stats.outOfOrder + b.stats.duplicates + b.stats.stale, arrivals.length);
        if (max >= 0) {
          assert.equal(b.stats.ackSent, (first + max) >>> 0);
          const ack = b.pollAck(1e9)!;
          a.receive(decode(ack), ack, 1e9);
          assert.equal(a.stats.ackReceived, (first + max) >>> 0);
        }
      }),
      { numRuns: 400 },
    );
  });
});
