import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { PppProtocol, decodePppFrame, encodePppFrame, pppHeaderLength } from '../../src/wire/ppp.js';
import {
  ControlCode,
  decodeControlPacket,
  decodeOptions,
  encodeControlPacket,
  encodeOptions,
} from '../../src/wire/ppp-control.js';

test('PPP frame with ff 03 and a 2-octet protocol (seed: Windows IPCP Configure-Request)', () => {
  const f = decodePppFrame(fromHex('ff0380210101000a030663636302'));
  assert.ok(!isDecodeError(f));
  assert.equal(f.protocol, PppProtocol.IPCP);
  assert.equal(toHex(f.info), '0101000a030663636302');
});

test('PPP frame info is a view into the input, not a copy', () => {
  const bytes = fromHex('ff03002145000014');
  const f = decodePppFrame(bytes);
  assert.ok(!isDecodeError(f));
  assert.equal(f.info.buffer, bytes.buffer);
  assert.equal(f.info.byteOffset, 4);
});

test('PPP frame without ff 03 (ACFC) and with a 1-octet protocol (PFC)', () => {
  const f = decodePppFrame(fromHex('2145000014'));
  assert.ok(!isDecodeError(f));
  assert.equal(f.protocol, PppProtocol.IP);
  assert.equal(toHex(f.info), '45000014');
  const g = decodePppFrame(fromHex('fd9000aabb'));
  assert.ok(!isDecodeError(g));
  assert.equal(g.protocol, PppProtocol.CompressedDatagram);
});

test('PPP frame decode errors: bad control, even last protocol octet, empty', () => {
  assert.ok(isDecodeError(decodePppFrame(fromHex('ff0121'))));
  assert.ok(isDecodeError(decodePppFrame(fromHex('ff03c020'))));
  assert.ok(isDecodeError(decodePppFrame(fromHex('ff03'))));
  assert.ok(isDecodeError(decodePppFrame(new Uint8Array(0))));
  assert.ok(isDecodeError(decodePppFrame(fromHex('c0'))));
});

test('encodePppFrame: LCP always carries ff 03 and a 2-octet protocol, data frames compress', () => {
  const info = fromHex('01020304');
  assert.equal(toHex(encodePppFrame(PppProtocol.LCP, info, { acfc: true, pfc: true })), 'ff03c02101020304');
  assert.equal(toHex(encodePppFrame(PppProtocol.IP, info, { acfc: true, pfc: true })), '2101020304');
  assert.equal(toHex(encodePppFrame(PppProtocol.IP, info, { acfc: false, pfc: true })), 'ff032101020304');
  assert.equal(toHex(encodePppFrame(PppProtocol.IP, info)), 'ff03002101020304');
  assert.equal(toHex(encodePppFrame(PppProtocol.IPCP, info, { acfc: true, pfc: true })), '802101020304');
  assert.equal(pppHeaderLength(PppProtocol.CompressedDatagram, { acfc: true, pfc: true }), 1);
});

test('PPP frame round trip for every header form', () => {
  for (const protocol of [0x21, 0xfd, 0x8021, 0x80fd, 0xc021, 0xc023, 0xc223, 0x8057]) {
    for (const acfc of [false, true]) {
      for (const pfc of [false, true]) {
        const info = fromHex('deadbeef');
        const f = decodePppFrame(encodePppFrame(protocol, info, { acfc, pfc }));
        assert.ok(!isDecodeError(f));
        assert.equal(f.protocol, protocol);
        assert.equal(toHex(f.info), 'deadbeef');
      }
    }
  }
});

test('control packet: header, Length, padding beyond Length ignored (RFC 1661 §5)', () => {
  const p = decodeControlPacket(fromHex('0101000a030663636302ffff'));
  assert.ok(!isDecodeError(p));
  assert.equal(p.code, ControlCode.ConfigureRequest);
  assert.equal(p.identifier, 1);
  assert.equal(toHex(p.data), '030663636302');
  assert.equal(toHex(encodeControlPacket(p.code, p.identifier, p.data)), '0101000a030663636302');
});

test('control packet decode errors: short header, Length below 4, Length beyond data', () => {
  assert.ok(isDecodeError(decodeControlPacket(fromHex('010100'))));
  assert.ok(isDecodeError(decodeControlPacket(fromHex('01010003'))));
  assert.ok(isDecodeError(decodeControlPacket(fromHex('0101000a0306'))));
});

test('option list: split, round trip, and errors for Length < 2 or overrun', () => {
  const bytes = fromHex('0506447e217e07020802');
  const o = decodeOptions(bytes);
  assert.ok(!isDecodeError(o));
  assert.deepEqual(o.map((x) => x.type), [5, 7, 8]);
  assert.equal(toHex(encodeOptions(o)), toHex(bytes));
  assert.ok(isDecodeError(decodeOptions(fromHex('0501'))));
  assert.ok(isDecodeError(decodeOptions(fromHex('0506447e'))));
  assert.ok(isDecodeError(decodeOptions(fromHex('05'))));
});
