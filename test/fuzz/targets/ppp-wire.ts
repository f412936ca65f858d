/** Fuzz targets for the PPP frame and the LCP, IPCP, CCP, PAP and CHAP (MS-CHAP) packet codecs. */
import assert from 'node:assert/strict';
import { decodeCcpPacket, encodeCcpPacket } from '../../../src/wire/ccp.js';
import {
  decodeChapPacket,
  decodeMschapV1Response,
  decodeMschapV2Response,
  encodeChapPacket,
  parseMschapFailure,
  parseMschapV2Success,
} from '../../../src/wire/chap.js';
import { isDecodeError, type Decoded } from '../../../src/wire/errors.js';
import { decodeIpcpPacket, encodeIpcpPacket } from '../../../src/wire/ipcp.js';
import { decodeLcpPacket, encodeLcpPacket } from '../../../src/wire/lcp.js';
import { decodePapPacket, encodePapPacket } from '../../../src/wire/pap.js';
import { decodePppFrame, encodePppFrame } from '../../../src/wire/ppp.js';
import type { FuzzTarget } from '../harness.js';
import { recordedFrames } from './ppp-engine.js';
import { errSig } from './pptp-wire.js';

const b = (...xs: number[]) => new Uint8Array(xs);
const text = (t: string) => new Uint8Array(Buffer.from(t, 'latin1'));

/** What Windows sends beyond a plain login (SPEC §8): callback, MRRU, endpoint discriminator, Identification. */
function windowsFrames(): Uint8Array[] {
  const lcp = (p: Parameters<typeof encodeLcpPacket>[0]) => encodePppFrame(0xc021, encodeLcpPacket(p));
  return [
    lcp({
      code: 1,
      identifier: 1,
      options: [
        { type: 'mru', mru: 1400 },
        { type: 'magic-number', magic: 0x4c2b1a3c },
        { type: 'pfc' },
        { type: 'acfc' },
        { type: 'raw', code: 13, data: b(6) },
        { type: 'raw', code: 17, data: b(0x06, 0x4e) },
        { type: 'raw', code: 19, data: b(1, 0xa5, 0xb6, 0xc7, 0xd8, 0xe9, 0xf0) },
        { type: 'raw', code: 23, data: b(0, 1, 2) },
      ],
    }),
    lcp({ code: 12, identifier: 4, magic: 0, message: text('MSRASV5.20') }),
    lcp({ code: 8, identifier: 5, protocol: 0x80fd, rejected: b(1, 2, 0, 4) }),
    lcp({ code: 9, identifier: 3, magic: 0x5ad1c0de, data: b() }),
    encodePppFrame(0xc023, encodePapPacket({ code: 1, identifier: 1, peerId: text('cisco'), password: text('cisco') })),
    encodePppFrame(0xc023, encodePapPacket({ code: 3, identifier: 1, message: text('Login incorrect') })),
    encodePppFrame(0xc223, encodeChapPacket({ code: 4, identifier: 1, message: text('E=691 R=0 C=000102030405060708090a0b0c0d0e0f V=3 M=Access denied') })),
    encodePppFrame(0x0021, b(0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 10, 1, 1, 1, 10, 1, 1, 5), { acfc: true, pfc: true }),
    encodePppFrame(0x00fd, b(0x90, 0x01, 0xa1, 0xb2, 0xc3, 0xd4), { acfc: true, pfc: true }),
  ];
}

function frames(): Uint8Array[] {
  return [...windowsFrames(), ...recordedFrames()];
}

const PROTOCOL_BYTES = [0xc021, 0xc023, 0xc223, 0x8021, 0x80fd, 0x0021, 0x00fd].map((p) => new Uint8Array([0xff, 0x03, p >> 8, p & 255]));

/** decode(encode(decode(x))) equals decode(x): whatever decodes has one meaning. */
function stable<T>(decode: (b: Uint8Array) => Decoded<T>, encode: (p: T) => Uint8Array, info: Uint8Array): string {
  const p = decode(info);
  if (isDecodeError(p)) return errSig(p);
  assert.deepEqual(decode(encode(p)), p);
  return `ok:${(p as { code: number }).code}`;
}

export const pppFrames: FuzzTarget = {
  name: 'ppp-frame',
  seeds: frames,
  dictionary: PROTOCOL_BYTES,
  run(input) {
    const f = decodePppFrame(input);
    if (isDecodeError(f)) return errSig(f);
    const again = decodePppFrame(encodePppFrame(f.protocol, f.info));
    assert.ok(!isDecodeError(again));
    assert.equal(again.protocol, f.protocol);
    assert.deepEqual(again.info, f.info);
    const known = [0xc021, 0xc023, 0xc223, 0x8021, 0x80fd, 0x0021, 0x00fd].includes(f.protocol);
    return `ok:${known ? f.protocol.toString(16) : 'other'}:${input[0] === 0xff ? 'ff03' : 'acfc'}`;
  },
};

/** The PPP information field of each control protocol, through its codec. */
export const pppControl: FuzzTarget = {
  name: 'ppp-control',
  seeds: frames,
  dictionary: PROTOCOL_BYTES,
  run(input) {
    const f = decodePppFrame(input);
    if (isDecodeError(f)) return errSig(f);
    const info = f.info;
    switch (f.protocol) {
      case 0xc021:
        return 'lcp ' + stable(decodeLcpPacket, encodeLcpPacket, info);
      case 0x8021:
        return 'ipcp ' + stable(decodeIpcpPacket, encodeIpcpPacket, info);
      case 0x80fd:
        return 'ccp ' + stable(decodeCcpPacket, encodeCcpPacket, info);
      case 0xc023:
        return 'pap ' + stable(decodePapPacket, encodePapPacket, info);
      case 0xc223: {
        const sig = 'chap ' + stable(decodeChapPacket, encodeChapPacket, info);
        const p = decodeChapPacket(info);
        if (isDecodeError(p)) return sig;
        if (p.code === 2) {
          const v1 = decodeMschapV1Response(p.value);
          const v2 = decodeMschapV2Response(p.value);
          return `${sig} v1:${isDecodeError(v1) ? 'err' : 'ok'} v2:${isDecodeError(v2) ? 'err' : 'ok'}`;
        }
        if (p.code === 3 || p.code === 4) {
          const text = Buffer.from(p.message).toString('latin1');
          const s = parseMschapV2Success(text);
          const e = parseMschapFailure(text);
          return `${sig} s:${isDecodeError(s) ? 'err' : 'ok'} f:${isDecodeError(e) ? 'err' : 'ok'}`;
        }
        return sig;
      }
      default:
        // Every codec must take any bytes, whatever protocol they came under.
        for (const d of [decodeLcpPacket, decodeIpcpPacket, decodeCcpPacket, decodePapPacket, decodeChapPacket]) d(info);
        return `other:${f.protocol & 0xff00 ? 'long' : 'short'}`;
    }
  },
};
