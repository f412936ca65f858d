import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import {
  authProtocolOption,
  authTypeOf,
  decodeLcpOption,
  decodeLcpPacket,
  encodeLcpOption,
  encodeLcpPacket,
  type LcpOption,
  type LcpPacket,
} from '../../src/wire/lcp.js';
import { decodeOptions } from '../../src/wire/ppp-control.js';
import { decodePppFrame } from '../../src/wire/ppp.js';

function options(hex: string): LcpOption[] {
  const raw = decodeOptions(fromHex(hex));
  assert.ok(!isDecodeError(raw));
  return raw.map(decodeLcpOption);
}

test('seed: the Windows client LCP Configure-Request, decoded as far as it is complete', () => {
  // The seed's debug line is "ff03c0210100002c0506447e217e70208020d030611..." The PIX printed only
  // the first 16 octets, and one nibble was lost after the magic number: "7020 8020" stands for
  // "0702 0802" (PFC, ACFC) as every Windows request has them (SPEC §8), then callback 0d 03 06 and
  // the start of MRRU (11).
  const frame = decodePppFrame(fromHex('ff03c0210100002c0506447e217e'));
  assert.ok(!isDecodeError(frame));
  assert.equal(frame.protocol, 0xc021);
  assert.deepEqual([...frame.info.subarray(0, 4)], [1, 0, 0x00, 0x2c]); // Configure-Request, id 0, Length 44
  assert.ok(isDecodeError(decodeLcpPacket(frame.info)), 'the 44-octet packet is truncated in the seed');
  assert.deepEqual(options('0506447e217e'), [{ type: 'magic-number', magic: 0x447e217e }]);
  const restored = options('0506447e217e070208020d0306');
  assert.deepEqual(restored, [
    { type: 'magic-number', magic: 0x447e217e },
    { type: 'pfc' },
    { type: 'acfc' },
    { type: 'raw', code: 13, data: fromHex('06') },
  ]);
});

test('seed: the PIX LCP Configure-Request (MS-CHAP v1, magic, PFC, ACFC) round trips', () => {
  const hex = 'ff03c021010100130305c2238005065a899b2307020802';
  const frame = decodePppFrame(fromHex(hex));
  assert.ok(!isDecodeError(frame));
  const p = decodeLcpPacket(frame.info);
  assert.ok(!isDecodeError(p));
  assert.equal(p.code, 1);
  if (p.code !== 1) return;
  assert.equal(p.identifier, 1);
  assert.equal(p.options.length, 4);
  const auth = p.options[0];
  assert.ok(auth.type === 'auth-protocol');
  assert.equal(authTypeOf(auth.protocol, auth.data), 'mschap-v1');
  assert.deepEqual(p.options.slice(1), [{ type: 'magic-number', magic: 0x5a899b23 }, { type: 'pfc' }, { type: 'acfc' }]);
  assert.equal(toHex(encodeLcpPacket(p)), hex.slice(8));
});

test('seed: the PIX Configure-Reject of callback, MRRU 1614 and endpoint discriminator', () => {
  // Truncated in the seed after the endpoint discriminator's first octets.
  assert.deepEqual(options('0d03061104064e'), [
    { type: 'raw', code: 13, data: fromHex('06') },
    { type: 'raw', code: 17, data: fromHex('064e') },
  ]);
  assert.equal(0x064e, 1614);
});

test('every LCP option type round trips', () => {
  const all: LcpOption[] = [
    { type: 'mru', mru: 1400 },
    { type: 'accm', accm: 0 },
    authProtocolOption('pap'),
    authProtocolOption('chap-md5'),
    authProtocolOption('mschap-v1'),
    authProtocolOption('mschap-v2'),
    { type: 'magic-number', magic: 0xdeadbeef },
    { type: 'pfc' },
    { type: 'acfc' },
    { type: 'raw', code: 17, data: fromHex('064e') },
    { type: 'raw', code: 19, data: fromHex('01beb613cb') },
    { type: 'raw', code: 23, data: fromHex('0001') },
  ];
  for (const o of all) {
    const bytes = encodeLcpOption(o);
    assert.deepEqual(options(toHex(bytes)), [o]);
  }
});

test('auth protocol option values (RFC 1334, RFC 1994, RFC 2433, RFC 2759)', () => {
  assert.equal(toHex(encodeLcpOption(authProtocolOption('pap'))), '0304c023');
  assert.equal(toHex(encodeLcpOption(authProtocolOption('chap-md5'))), '0305c22305');
  assert.equal(toHex(encodeLcpOption(authProtocolOption('mschap-v1'))), '0305c22380');
  assert.equal(toHex(encodeLcpOption(authProtocolOption('mschap-v2'))), '0305c22381');
  assert.equal(authTypeOf(0xc227, new Uint8Array(0)), undefined); // EAP
  assert.equal(authTypeOf(0xc223, fromHex('06')), undefined);
});

test('malformed known options stay raw (so they can be rejected)', () => {
  assert.deepEqual(options('010305'), [{ type: 'raw', code: 1, data: fromHex('05') }]);
  assert.deepEqual(options('0503aa'), [{ type: 'raw', code: 5, data: fromHex('aa') }]);
  assert.deepEqual(options('070300'), [{ type: 'raw', code: 7, data: fromHex('00') }]);
});

test('every LCP packet type round trips', () => {
  const packets: LcpPacket[] = [
    { code: 1, identifier: 1, options: [{ type: 'mru', mru: 1400 }, { type: 'magic-number', magic: 7 }] },
    { code: 2, identifier: 1, options: [{ type: 'pfc' }] },
    { code: 3, identifier: 2, options: [authProtocolOption('mschap-v2')] },
    { code: 4, identifier: 3, options: [{ type: 'raw', code: 13, data: fromHex('06') }] },
    { code: 5, identifier: 4, data: new TextEncoder().encode('bye') },
    { code: 6, identifier: 4, data: new Uint8Array(0) },
    { code: 7, identifier: 5, rejected: fromHex('10010004') },
    { code: 8, identifier: 6, protocol: 0x8057, rejected: fromHex('01010004') },
    { code: 9, identifier: 7, magic: 0x11223344, data: fromHex('0102') },
    { code: 10, identifier: 7, magic: 0x55667788, data: fromHex('0102') },
    { code: 11, identifier: 8, magic: 1, data: new Uint8Array(0) },
    { code: 12, identifier: 9, magic: 2, message: new TextEncoder().encode('MSRASV5.20') },
    { code: 13, identifier: 10, magic: 3, seconds: 3600, message: new Uint8Array(0) },
  ];
  for (const p of packets) {
    const decoded = decodeLcpPacket(encodeLcpPacket(p));
    assert.ok(!isDecodeError(decoded), `code ${p.code}`);
    assert.deepEqual(decoded, p);
  }
});

test('LCP packet decode errors', () => {
  assert.ok(isDecodeError(decodeLcpPacket(fromHex('08010005aa'))), 'Protocol-Reject without a protocol');
  assert.ok(isDecodeError(decodeLcpPacket(fromHex('09010006aabb'))), 'Echo without magic');
  assert.ok(isDecodeError(decodeLcpPacket(fromHex('0d010008aabbccdd'))), 'Time-Remaining without seconds');
  assert.ok(isDecodeError(decodeLcpPacket(fromHex('07010006aabb'))), 'Code-Reject with a short rejected packet');
  assert.ok(isDecodeError(decodeLcpPacket(fromHex('10010004'))), 'unknown code');
  assert.ok(isDecodeError(decodeLcpPacket(fromHex('01010006ff'))), 'bad option list');
});
