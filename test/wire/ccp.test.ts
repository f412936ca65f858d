import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { MppeBits, decodeCcpPacket, encodeCcpPacket, mppeBitsOf, mppeFlags, type CcpPacket } from '../../src/wire/ccp.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { decodePppFrame } from '../../src/wire/ppp.js';

function ccp(hex: string): CcpPacket {
  const frame = decodePppFrame(fromHex(hex));
  assert.ok(!isDecodeError(frame));
  assert.equal(frame.protocol, 0x80fd);
  const p = decodeCcpPacket(frame.info);
  assert.ok(!isDecodeError(p));
  return p;
}

test('seed: Windows without encryption offers MPPE with H and C only, and Stac LZS', () => {
  const p = ccp('ff0380fd0101000f1206010000011105000104');
  assert.deepEqual(p, {
    code: 1,
    identifier: 1,
    options: [
      { type: 'mppe', bits: 0x01000001 },
      { type: 'raw', code: 17, data: fromHex('000104') },
    ],
  });
  if (p.code !== 1 || p.options[0].type !== 'mppe') return;
  const f = mppeFlags(p.options[0].bits);
  assert.deepEqual(f, { stateless: true, bits40: false, bits56: false, bits128: false, obsoleteD: false, mppc: true, unknown: 0 });
  // The PIX rejects both, echoing them (RFC 1661 §5.4).
  assert.equal(toHex(encodeCcpPacket({ ...p, code: 4 })), '0401000f1206010000011105000104');
});

test('seed: empty CCP requests, Terminate-Request/-Ack', () => {
  assert.deepEqual(ccp('ff0380fd01010004'), { code: 1, identifier: 1, options: [] });
  assert.deepEqual(ccp('ff0380fd05030004'), { code: 5, identifier: 3, data: new Uint8Array(0) });
  assert.deepEqual(ccp('ff0380fd06030004'), { code: 6, identifier: 3, data: new Uint8Array(0) });
});

test('MPPE Supported Bits positions (RFC 3078 §2.1, pppd ccp.c / Linux ppp_mppe.h)', () => {
  assert.equal(MppeBits.H, 0x01000000);
  assert.equal(MppeBits.S, 0x40);
  assert.equal(MppeBits.L, 0x20);
  assert.equal(MppeBits.M, 0x80);
  assert.equal(MppeBits.D, 0x10);
  assert.equal(MppeBits.C, 0x01);
  // Wire form: octets [H-octet, 0, 0, MSLD...C].
  assert.equal(toHex(encodeCcpPacket({ code: 1, identifier: 1, options: [{ type: 'mppe', bits: mppeBitsOf({ bits40: true, bits128: true, stateless: true }) }] })), '0101000a120601000060');
  assert.equal(mppeBitsOf({ bits40: false, bits128: true, stateless: false }), 0x40);
  assert.equal(mppeFlags(0x010000f3).unknown, 0x02);
});

test('every CCP packet type round trips (RFC 1962 incl. Reset-Request/-Ack)', () => {
  const packets: CcpPacket[] = [
    { code: 1, identifier: 1, options: [{ type: 'mppe', bits: 0x01000060 }] },
    { code: 2, identifier: 1, options: [{ type: 'mppe', bits: 0x01000040 }] },
    { code: 3, identifier: 2, options: [{ type: 'mppe', bits: 0x20 }] },
    { code: 4, identifier: 3, options: [{ type: 'raw', code: 17, data: fromHex('000104') }] },
    { code: 5, identifier: 4, data: new Uint8Array(0) },
    { code: 6, identifier: 4, data: new Uint8Array(0) },
    { code: 7, identifier: 5, rejected: fromHex('10010004') },
    { code: 14, identifier: 6, data: new Uint8Array(0) },
    { code: 15, identifier: 6, data: new Uint8Array(0) },
  ];
  for (const p of packets) assert.deepEqual(decodeCcpPacket(encodeCcpPacket(p)), p);
});

test('CCP decode errors and a short MPPE option kept raw', () => {
  assert.ok(isDecodeError(decodeCcpPacket(fromHex('09010004'))));
  assert.ok(isDecodeError(decodeCcpPacket(fromHex('01010006'))));
  const p = decodeCcpPacket(fromHex('010100071203ff'));
  assert.ok(!isDecodeError(p));
  if (p.code === 1) assert.deepEqual(p.options, [{ type: 'raw', code: 18, data: fromHex('ff') }]);
});
