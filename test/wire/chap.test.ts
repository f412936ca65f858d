import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import {
  decodeChapPacket,
  decodeMschapV1Response,
  decodeMschapV2Response,
  encodeChapPacket,
  encodeMschapV1Response,
  encodeMschapV2Response,
  formatMschapFailure,
  formatMschapV2Success,
  parseMschapFailure,
  parseMschapV2Success,
  type ChapPacket,
} from '../../src/wire/chap.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { decodePppFrame } from '../../src/wire/ppp.js';

const te = new TextEncoder();

test('seed: PIX MS-CHAP v1 Challenge (8 octets, no name) and the empty Success', () => {
  const frame = decodePppFrame(fromHex('ff03c2230101000d08d36602863630eca8'));
  assert.ok(!isDecodeError(frame));
  assert.deepEqual(decodeChapPacket(frame.info), { code: 1, identifier: 1, value: fromHex('d36602863630eca8'), name: new Uint8Array(0) });
  const success = decodePppFrame(fromHex('ff03c22303010004'));
  assert.ok(!isDecodeError(success));
  assert.deepEqual(decodeChapPacket(success.info), { code: 3, identifier: 1, message: new Uint8Array(0) });
});

test('seed: the Windows Response header: Value-Size 49 (0x31) within a 58-octet packet', () => {
  const p = decodeChapPacket(fromHex('0201003a31' + '00'.repeat(48) + '01' + toHex(te.encode('john'))));
  assert.ok(!isDecodeError(p));
  assert.equal(p.code, 2);
  if (p.code !== 2) return;
  assert.equal(p.value.length, 49);
  assert.equal(new TextDecoder().decode(p.name), 'john');
});

test('every CHAP packet type round trips', () => {
  const packets: ChapPacket[] = [
    { code: 1, identifier: 1, value: fromHex('00112233445566778899aabbccddeeff'), name: te.encode('vpdn') },
    { code: 2, identifier: 1, value: new Uint8Array(49).fill(3), name: te.encode('DOMAIN\\cisco') },
    { code: 3, identifier: 1, message: te.encode('S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Access granted') },
    { code: 4, identifier: 1, message: te.encode('E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failure') },
  ];
  for (const p of packets) assert.deepEqual(decodeChapPacket(encodeChapPacket(p)), p);
});

test('CHAP decode errors: zero Value-Size, overrun, unknown code', () => {
  assert.ok(isDecodeError(decodeChapPacket(fromHex('01010005' + '00'))));
  assert.ok(isDecodeError(decodeChapPacket(fromHex('01010006' + '10aa'))));
  assert.ok(isDecodeError(decodeChapPacket(fromHex('05010004'))));
  assert.ok(isDecodeError(decodeChapPacket(fromHex('01010004'))));
});

test('MS-CHAP v1 Response value: 24 LM + 24 NT + flag (RFC 2433 §3.2)', () => {
  // RFC 2433 B.2 NT response for "MyPw" / 102DB5DF085D3041 (LM half zero, as pppd sends).
  const nt = fromHex('4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61');
  const value = encodeMschapV1Response({ lmResponse: new Uint8Array(24), ntResponse: nt, useNtResponse: true });
  assert.equal(value.length, 49);
  assert.equal(value[48], 1);
  assert.deepEqual(decodeMschapV1Response(value), { lmResponse: new Uint8Array(24), ntResponse: nt, useNtResponse: true });
  assert.ok(isDecodeError(decodeMschapV1Response(new Uint8Array(48))));
});

test('MS-CHAP v2 Response value: peer challenge, 8 reserved, NT, flags (RFC 2759 §4)', () => {
  // RFC 2759 §9.2 values.
  const peer = fromHex('21402324255E262A28295F2B3A337C7E');
  const nt = fromHex('82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF');
  const value = encodeMschapV2Response({ peerChallenge: peer, ntResponse: nt });
  assert.equal(toHex(value), toHex(peer) + '00'.repeat(8) + toHex(nt) + '00');
  assert.deepEqual(decodeMschapV2Response(value), { peerChallenge: peer, reserved: new Uint8Array(8), ntResponse: nt, flags: 0 });
  assert.ok(isDecodeError(decodeMschapV2Response(new Uint8Array(50))));
});

test('MS-CHAP Failure text "E=691 R=1 C=<hex> V=3 M=..." formats and parses', () => {
  const challenge = fromHex('5B5D7C7D7B3F2F3E3C2C602132262628');
  const text = formatMschapFailure({ error: 691, retry: true, challenge, version: 3, message: 'Authentication failure' });
  assert.equal(text, 'E=691 R=1 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Authentication failure');
  assert.deepEqual(parseMschapFailure(text), { error: 691, retry: true, challenge, version: 3, message: 'Authentication failure' });
  assert.deepEqual(parseMschapFailure('E=646 R=0 V=3'), { error: 646, retry: false, version: 3 });
  assert.ok(isDecodeError(parseMschapFailure('Authentication failure')));
});

test('MS-CHAP v2 Success text "S=<40 hex> M=..." formats and parses (RFC 2759 §5)', () => {
  const s = 'S=407A5589115FD0D6209F510FE9C04566932CDA56';
  assert.equal(formatMschapV2Success({ authenticatorResponse: s, message: 'Access granted' }), `${s} M=Access granted`);
  assert.deepEqual(parseMschapV2Success(`${s} M=Access granted`), { authenticatorResponse: s, message: 'Access granted' });
  assert.deepEqual(parseMschapV2Success(s.toLowerCase().replace('s=', 'S=')), { authenticatorResponse: s });
  assert.ok(isDecodeError(parseMschapV2Success('S=407A')));
  assert.ok(isDecodeError(parseMschapV2Success('Access granted')));
});
