import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { ControlStreamDecoder, encodeControlMessage, type PptpControlMessage } from '../../src/wire/pptp.js';
import { arbitraryControlMessage } from '../pptp/control-arbitraries.js';

/** Cuts `bytes` at the given positions. */
function chop(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('ControlStreamDecoder', () => {
  it('yields the same messages however TCP cuts the stream', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryControlMessage, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (messages, cuts) => {
          const stream = concat(messages.map(encodeControlMessage));
          const d = new ControlStreamDecoder();
          const got: PptpControlMessage[] = [];
          for (const chunk of chop(stream, cuts)) {
            d.push(chunk);
            for (let m = d.next(); m !== undefined; m = d.next()) {
              assert.ok(!isDecodeError(m), String(m));
              got.push(m);
            }
          }
          assert.deepEqual(got, messages);
          assert.equal(d.buffered, 0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('exposes the raw bytes of the last message', () => {
    const d = new ControlStreamDecoder();
    const echo = fromHex('001000011a2b3c4d000500000000002a');
    d.push(concat([echo, echo.subarray(0, 3)]));
    assert.deepEqual(d.next(), { messageType: 5, identifier: 42 });
    assert.equal(toHex(d.lastBytes!), toHex(echo));
    assert.equal(d.next(), undefined);
    assert.equal(d.buffered, 3);
  });

  it('reads the pushed chunks without writing into them, whichever way a message is cut', () => {
    const echo = fromHex('001000011a2b3c4d000500000000002a');
    const first = concat([echo, echo.subarray(0, 5)]);
    const second = echo.subarray(5);
    const firstCopy = first.slice();
    const secondCopy = second.slice();
    const d = new ControlStreamDecoder();
    d.push(first);
    assert.deepEqual(d.next(), { messageType: 5, identifier: 42 });
    assert.equal(d.next(), undefined);
    assert.equal(d.buffered, 5);
    first.fill(0); // the caller may reuse its chunk: the cut message was copied out
    d.push(second);
    assert.deepEqual(d.next(), { messageType: 5, identifier: 42 });
    assert.equal(toHex(d.lastBytes!), toHex(echo));
    assert.equal(d.next(), undefined);
    assert.equal(d.buffered, 0);
    assert.equal(d.lastBytes, undefined);
    assert.equal(toHex(second), toHex(secondCopy));
    assert.notEqual(toHex(firstCopy), toHex(first));
  });

  it('fails on a bad cookie as soon as the cookie arrives, and stays failed', () => {
    const d = new ControlStreamDecoder();
    d.push(fromHex('001000011a2b3c4e'));
    const e = d.next();
    assert.ok(isDecodeError(e));
    assert.equal(e.field, 'magicCookie');
    d.push(fromHex('001000011a2b3c4d000500000000002a'));
    assert.equal(d.next(), e);
    assert.equal(d.failed, e);
  });

  it('fails on a length that is wrong for the type without waiting for the body', () => {
    const d = new ControlStreamDecoder();
    d.push(fromHex('00a800011a2b3c4d0001'));
    const e = d.next();
    assert.ok(isDecodeError(e));
    assert.equal(e.field, 'length');
  });

  it('fails after a good message when garbage follows (lost synchronization, RFC 2637 §1.4)', () => {
    const d = new ControlStreamDecoder();
    d.push(fromHex('001000011a2b3c4d000500000000002a' + 'deadbeef'));
    assert.deepEqual(d.next(), { messageType: 5, identifier: 42 });
    assert.ok(isDecodeError(d.next()));
  });

  it('never throws and never buffers more than one message plus a chunk of random input', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), (chunks) => {
        const d = new ControlStreamDecoder();
        for (const c of chunks) {
          d.push(c);
          let m = d.next();
          while (m !== undefined && !isDecodeError(m)) m = d.next();
          assert.ok(d.failed !== undefined || d.buffered < 220);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
