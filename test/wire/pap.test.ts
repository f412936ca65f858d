import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { decodePapPacket, encodePapPacket, type PapPacket } from '../../src/wire/pap.js';

const te = new TextEncoder();

test('PAP Authenticate-Request layout (RFC 1334 §2.2.1)', () => {
  const bytes = encodePapPacket({ code: 1, identifier: 7, peerId: te.encode('john'), password: te.encode('cisco') });
  assert.equal(toHex(bytes), '0107000f' + '046a6f686e' + '05636973636f');
});

test('every PAP packet type round trips', () => {
  const packets: PapPacket[] = [
    { code: 1, identifier: 1, peerId: te.encode('DOMAIN\\cisco'), password: te.encode('cisco') },
    { code: 1, identifier: 2, peerId: new Uint8Array(0), password: new Uint8Array(0) },
    { code: 2, identifier: 1, message: te.encode('Access granted') },
    { code: 3, identifier: 1, message: te.encode('Authentication failure') },
  ];
  for (const p of packets) assert.deepEqual(decodePapPacket(encodePapPacket(p)), p);
});

test('PAP decode: empty Ack message accepted, overruns and unknown codes refused', () => {
  assert.deepEqual(decodePapPacket(fromHex('02010004')), { code: 2, identifier: 1, message: new Uint8Array(0) });
  assert.ok(isDecodeError(decodePapPacket(fromHex('01010005' + '09'))));
  assert.ok(isDecodeError(decodePapPacket(fromHex('01010007' + '016a09'))));
  assert.ok(isDecodeError(decodePapPacket(fromHex('02010005' + '05'))));
  assert.ok(isDecodeError(decodePapPacket(fromHex('04010004'))));
  assert.ok(isDecodeError(decodePapPacket(fromHex('01010004'))));
});

test('PAP encode refuses fields longer than 255 octets', () => {
  assert.throws(() => encodePapPacket({ code: 1, identifier: 1, peerId: new Uint8Array(256), password: new Uint8Array(0) }), RangeError);
});
