import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { isDecodeError, type DecodeError } from '../../src/wire/errors.js';
import {
  decodeGreHeader,
  encodeGreHeader,
  encodeGrePacket,
  greHeaderLength,
  type GreHeader,
} from '../../src/wire/gre.js';
import { fixture } from '../helpers/paths.js';

interface GreVector {
  name: string;
  hex: string;
  callId: number;
  payloadLength: number;
  seq: number | null;
  ack: number | null;
  greOffset?: number;
  length?: number;
}
const scapy = JSON.parse(readFileSync(fixture('pptp', 'scapy-vectors.json'), 'utf8')) as { ipGre: GreVector[] };
const seed = JSON.parse(readFileSync(fixture('pptp', 'seed-vectors.json'), 'utf8')) as { gre: GreVector[] };

function check(v: GreVector): void {
  const bytes = fromHex(v.hex);
  const offset = v.greOffset ?? 0;
  const h = decodeGreHeader(bytes, offset);
  assert.ok(!isDecodeError(h), String(h));
  assert.equal(h.callId, v.callId);
  assert.equal(h.payloadLength, v.payloadLength);
  assert.equal(h.seq, v.seq ?? undefined);
  assert.equal(h.ack, v.ack ?? undefined);
  if (v.length !== undefined) assert.equal(bytes.length, v.length);
  const payload = bytes.subarray(offset + h.headerLength, offset + h.headerLength + h.payloadLength);
  const again = encodeGrePacket(h.callId, payload, h.seq, h.ack);
  assert.equal(toHex(again), toHex(bytes.subarray(offset)));
}

describe('enhanced GRE header (RFC 2637 §4.1)', () => {
  for (const v of scapy.ipGre) it(`scapy: ${v.name}`, () => check(v));
  for (const v of seed.gre) it(`seed: ${v.name}`, () => check(v));

  it('an ack-only packet is 12 bytes: S=0 A=1, the ack where the sequence number would be', () => {
    const b = encodeGrePacket(0x4000, new Uint8Array(0), undefined, 7);
    assert.equal(toHex(b), '2081880b0000400000000007');
    const h = decodeGreHeader(b) as GreHeader;
    assert.deepEqual({ ...h }, { callId: 0x4000, payloadLength: 0, headerLength: 12, seq: undefined, ack: 7 });
  });

  it('a data packet without ack has an 12-byte header (S=1 A=0)', () => {
    const b = encodeGrePacket(9, fromHex('c021'), 0);
    assert.equal(toHex(b), '3001880b0002000900000000c021');
    assert.equal((decodeGreHeader(b) as GreHeader).headerLength, 12);
  });

  it('writes into a caller buffer and reuses a caller object', () => {
    const out = new Uint8Array(20).fill(0xee);
    assert.equal(encodeGreHeader(out, 2, 1, 2, 3, 4), 16);
    assert.equal(toHex(out), 'eeee' + '3081880b000200010000000300000004' + 'eeee');
    const into = {} as GreHeader;
    assert.equal(decodeGreHeader(out.subarray(0, 20), 2, into), into);
    assert.deepEqual({ ...into }, { callId: 1, payloadLength: 2, headerLength: 16, seq: 3, ack: 4 });
    assert.equal(greHeaderLength(false, true), 12);
  });

  const field = (hex: string, offset = 0) => (decodeGreHeader(fromHex(hex), offset) as DecodeError).field;
  it('rejects C, R, s, recursion or a missing K', () => {
    for (const flags of ['b0', '70', '38', '31', '10', '00']) assert.equal(field(`${flags}81880b000000000000000000`), 'flags');
  });
  it('rejects version 0 and reserved flag bits', () => {
    assert.equal(field('3080880b0000000000000000'), 'version');
    assert.equal(field('3089880b0000000000000000'), 'version');
  });
  it('rejects another protocol type', () => {
    assert.equal(field('30810800000000000000000000000000'), 'protocolType');
  });
  it('rejects truncated headers and payloads', () => {
    assert.equal(field('3081880b00000000000000'), 'length');
    assert.equal(field('3001880b0005000000000001aabbcc'), 'payloadLength');
    assert.equal(field('2081880b0000400000000007', 13), 'length');
    assert.equal(field('2081880b0000400000000007', -1), 'length');
  });
  it('allows padding after the payload', () => {
    const h = decodeGreHeader(fromHex('3001880b0001000000000001aa0000')) as GreHeader;
    assert.equal(h.payloadLength, 1);
  });

  it('round-trips any header', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 64 }), fc.option(u32), fc.option(u32),
        (callId, payload, seq, ack) => {
          const s = seq ?? undefined;
          const body = s === undefined ? new Uint8Array(0) : payload;
          const b = encodeGrePacket(callId, body, s, ack ?? undefined);
          const h = decodeGreHeader(b) as GreHeader;
          assert.deepEqual({ ...h }, {
            callId, payloadLength: body.length, seq: s, ack: ack ?? undefined,
            headerLength: greHeaderLength(s !== undefined, ack !== null),
          });
        }),
      { numRuns: 2000 },
    );
  });

  it('never throws and never reads outside the view', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: -2, max: 42 }), (b, offset) => {
        const r = decodeGreHeader(b, offset);
        if (isDecodeError(r)) return;
        const big = new Uint8Array(b.length + 8).fill(0xff);
        big.set(b);
        const again = decodeGreHeader(big.subarray(0, b.length), offset);
        assert.deepEqual(again, r);
        assert.ok(offset + r.headerLength <= b.length);
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on headers that pass the flag checks with random rest', () => {
    fc.assert(
      fc.property(fc.constantFrom(0x20, 0x30), fc.constantFrom(0x01, 0x81), fc.uint8Array({ maxLength: 30 }), (f, v, rest) => {
        const b = new Uint8Array(4 + rest.length);
        b.set([f, v, 0x88, 0x0b]);
        b.set(rest, 4);
        decodeGreHeader(b);
      }),
      { numRuns: 3000 },
    );
  });
});
