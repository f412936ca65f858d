/** Property tests: no PPP decoder throws on any input, and typed options round trip. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeCcpPacket, decodeCcpOption, encodeCcpOption } from '../../src/wire/ccp.js';
import {
  decodeChapPacket,
  decodeMschapV1Response,
  decodeMschapV2Response,
  parseMschapFailure,
  parseMschapV2Success,
} from '../../src/wire/chap.js';
import { DecodeError, isDecodeError } from '../../src/wire/errors.js';
import { decodeIpcpPacket } from '../../src/wire/ipcp.js';
import { decodeLcpOption, decodeLcpPacket, encodeLcpOption, encodeLcpPacket } from '../../src/wire/lcp.js';
import { decodePapPacket } from '../../src/wire/pap.js';
import { decodeControlPacket, decodeOptions } from '../../src/wire/ppp-control.js';
import { decodePppFrame } from '../../src/wire/ppp.js';

const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array(b));
const DECODERS: [string, (b: Uint8Array) => unknown][] = [
  ['decodePppFrame', decodePppFrame],
  ['decodeControlPacket', (b) => decodeControlPacket(b)],
  ['decodeOptions', (b) => decodeOptions(b)],
  ['decodeLcpPacket', decodeLcpPacket],
  ['decodeIpcpPacket', decodeIpcpPacket],
  ['decodeCcpPacket', decodeCcpPacket],
  ['decodePapPacket', decodePapPacket],
  ['decodeChapPacket', decodeChapPacket],
  ['decodeMschapV1Response', decodeMschapV1Response],
  ['decodeMschapV2Response', decodeMschapV2Response],
  ['parseMschapFailure', (b) => parseMschapFailure(Buffer.from(b).toString('latin1'))],
  ['parseMschapV2Success', (b) => parseMschapV2Success(Buffer.from(b).toString('latin1'))],
];

for (const [name, decode] of DECODERS) {
  test(`${name} never throws on random bytes`, () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const r = decode(b);
        assert.ok(r !== undefined);
      }),
      { numRuns: 1000 },
    );
  });
}

test('control packets with a valid header and random bodies never throw in any typed decoder', () => {
  const packet = fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 255 }), bytes).map(([code, id, body]) => {
    const out = new Uint8Array(4 + body.length);
    out.set([code, id, (4 + body.length) >> 8, (4 + body.length) & 255]);
    out.set(body, 4);
    return out;
  });
  fc.assert(
    fc.property(packet, (p) => {
      for (const decode of [decodeLcpPacket, decodeIpcpPacket, decodeCcpPacket, decodePapPacket, decodeChapPacket]) {
        const r = decode(p);
        assert.ok(r instanceof DecodeError || typeof r === 'object');
      }
    }),
    { numRuns: 3000 },
  );
});

test('LCP options and Configure packets round trip through decode(encode(x))', () => {
  const option = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 20 })).map(([type, data]) =>
    decodeLcpOption({ type, data: new Uint8Array(data) }),
  );
  fc.assert(
    fc.property(fc.array(option, { maxLength: 8 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 255 }), (options, code, identifier) => {
      const packet = { code: code as 1 | 2 | 3 | 4, identifier, options };
      const decoded = decodeLcpPacket(encodeLcpPacket(packet));
      assert.ok(!isDecodeError(decoded));
      assert.deepEqual(decoded, packet);
      for (const o of options) {
        const back = decodeOptions(encodeLcpOption(o));
        assert.ok(!isDecodeError(back));
        assert.deepEqual(decodeLcpOption(back[0]), o);
      }
    }),
    { numRuns: 1000 },
  );
});

test('the MPPE option round trips any 32-bit field', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
      const raw = decodeOptions(encodeCcpOption({ type: 'mppe', bits }));
      assert.ok(!isDecodeError(raw));
      assert.deepEqual(decodeCcpOption(raw[0]), { type: 'mppe', bits });
    }),
  );
});
