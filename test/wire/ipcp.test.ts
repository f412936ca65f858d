import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { decodeIpcpPacket, encodeIpcpPacket, type IpcpOption, type IpcpPacket } from '../../src/wire/ipcp.js';
import { decodePppFrame } from '../../src/wire/ppp.js';

function ipcp(hex: string): IpcpPacket {
  const frame = decodePppFrame(fromHex(hex));
  assert.ok(!isDecodeError(frame));
  assert.equal(frame.protocol, 0x8021);
  const p = decodeIpcpPacket(frame.info);
  assert.ok(!isDecodeError(p));
  return p;
}

test('seed: PIX IPCP Configure-Request with its own address 99.99.99.2', () => {
  assert.deepEqual(ipcp('ff0380210101000a030663636302'), { code: 1, identifier: 1, options: [{ type: 'ip-address', address: '99.99.99.2' }] });
});

test('seed: client asks for 0.0.0.0, PIX Naks with 172.16.1.1', () => {
  assert.deepEqual(ipcp('ff0380210103000a030600000000'), { code: 1, identifier: 3, options: [{ type: 'ip-address', address: '0.0.0.0' }] });
  assert.deepEqual(ipcp('ff0380210303000a0306ac100101'), { code: 3, identifier: 3, options: [{ type: 'ip-address', address: '172.16.1.1' }] });
});

test('seed: the Windows request carries VJ compression, address and name servers', () => {
  // First 30 octets of the seed's 40-octet request (the rest was cut off in the debug line).
  const p = decodeIpcpPacket(fromHex('01010016' + '0206002d0f01' + '030600000000' + '810600000000'));
  assert.ok(!isDecodeError(p));
  assert.equal(p.code, 1);
  if (p.code !== 1) return;
  assert.deepEqual(p.options, [
    { type: 'ip-compression', protocol: 0x002d, data: fromHex('0f01') },
    { type: 'ip-address', address: '0.0.0.0' },
    { type: 'primary-dns', address: '0.0.0.0' },
  ]);
});

test('every IPCP option and packet type round trips (RFC 1332, RFC 1877)', () => {
  const options: IpcpOption[] = [
    { type: 'ip-address', address: '192.168.1.1' },
    { type: 'primary-dns', address: '10.1.1.53' },
    { type: 'secondary-dns', address: '10.1.1.54' },
    { type: 'primary-nbns', address: '10.1.1.137' },
    { type: 'secondary-nbns', address: '10.1.1.138' },
    { type: 'ip-compression', protocol: 0x002d, data: fromHex('0f01') },
    { type: 'raw', code: 1, data: fromHex('0a0000010a000002') },
  ];
  const packets: IpcpPacket[] = [
    { code: 1, identifier: 1, options },
    { code: 2, identifier: 1, options: options.slice(0, 1) },
    { code: 3, identifier: 2, options: options.slice(1, 3) },
    { code: 4, identifier: 3, options: options.slice(5) },
    { code: 5, identifier: 4, data: new Uint8Array(0) },
    { code: 6, identifier: 4, data: new Uint8Array(0) },
    { code: 7, identifier: 5, rejected: fromHex('0e010004') },
  ];
  for (const p of packets) assert.deepEqual(decodeIpcpPacket(encodeIpcpPacket(p)), p);
  assert.equal(toHex(encodeIpcpPacket({ code: 2, identifier: 9, options: [{ type: 'secondary-nbns', address: '1.2.3.4' }] })), '0209000a840601020304');
});

test('IPCP decode errors: unknown code, malformed option list; short address stays raw', () => {
  assert.ok(isDecodeError(decodeIpcpPacket(fromHex('0e010004'))));
  assert.ok(isDecodeError(decodeIpcpPacket(fromHex('01010007030500'))));
  const p = decodeIpcpPacket(fromHex('010100070303aa'));
  assert.ok(!isDecodeError(p));
  if (p.code === 1) assert.deepEqual(p.options, [{ type: 'raw', code: 3, data: fromHex('aa') }]);
});
