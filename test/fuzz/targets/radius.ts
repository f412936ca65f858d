/**
 * Fuzz target for what a RADIUS client does with a datagram: decode it, check its authenticators,
 * and read it as the answer to a PAP, MS-CHAP v1 and MS-CHAP v2 login (vendor attributes, salted
 * MPPE keys, MS-CHAP2-Success), and as a Disconnect/CoA request (RFC 5176).
 */
import assert from 'node:assert/strict';
import type { AuthContext, AuthRequest } from '../../../src/aaa/authenticator.js';
import { accessResult } from '../../../src/aaa/radius/access-result.js';
import { dynamicAuthorizationAction } from '../../../src/aaa/radius/dynamic-authorization-request.js';
import { isDecodeError } from '../../../src/wire/errors.js';
import {
  findMessageAuthenticator,
  sealResponse,
  verifyMessageAuthenticator,
  verifyResponseAuthenticator,
} from '../../../src/wire/radius-authenticator.js';
import { MsAttr, RadiusAttr, RadiusCode, VENDOR_MICROSOFT } from '../../../src/wire/radius-codes.js';
import { hideMsChapMppeKeys, saltEncrypt } from '../../../src/wire/radius-hiding.js';
import { decodeRadiusPacket, encodeRadiusPacket } from '../../../src/wire/radius-packet.js';
import { decodeVendorSpecific, integerAttribute, ipv4Attribute, octetsAttribute, textAttribute, vendorAttribute } from '../../../src/wire/radius-values.js';
import type { FuzzTarget } from '../harness.js';
import { errSig } from './pptp-wire.js';

const SECRET = new Uint8Array(Buffer.from('testing123'));
const REQUEST_AUTH = new Uint8Array(16).fill(0x5a);
const CONTEXT: AuthContext = { sessionId: 's', callingStationId: '10.44.17.104', calledStationId: '172.18.124.152', nasPort: 1, group: '1' };
const REQUESTS: AuthRequest[] = [
  { method: 'pap', username: 'cisco', password: new Uint8Array(Buffer.from('cisco')), context: CONTEXT },
  { method: 'mschap-v1', username: 'cisco', id: 1, challenge: new Uint8Array(8), lmResponse: new Uint8Array(24), ntResponse: new Uint8Array(24), useNtResponse: true, context: CONTEXT },
  {
    method: 'mschap-v2',
    username: 'cisco',
    id: 1,
    authenticatorChallenge: new Uint8Array(16),
    peerChallenge: new Uint8Array(16),
    ntResponse: new Uint8Array(24),
    flags: 0,
    context: CONTEXT,
  },
];

function ms(type: number, value: Uint8Array) {
  return vendorAttribute(VENDOR_MICROSOFT, type, value);
}

function seeds(): Uint8Array[] {
  const key = new Uint8Array(16).fill(7);
  const salt = new Uint8Array([0x80, 0x01]);
  const success = Buffer.from('\x01S=' + '0123456789ABCDEF'.repeat(2) + '01234567', 'latin1');
  const accept = [
    ms(MsAttr.Chap2Success, new Uint8Array(success)),
    ms(MsAttr.MppeSendKey, saltEncrypt(key, SECRET, REQUEST_AUTH, salt)),
    ms(MsAttr.MppeRecvKey, saltEncrypt(key, SECRET, REQUEST_AUTH, new Uint8Array([0x80, 0x02]))),
    ms(MsAttr.ChapMppeKeys, hideMsChapMppeKeys({ lmKey: new Uint8Array(8), ntKey: key }, SECRET, REQUEST_AUTH)),
    ms(MsAttr.MppeEncryptionPolicy, new Uint8Array([0, 0, 0, 2])),
    ms(MsAttr.MppeEncryptionTypes, new Uint8Array([0, 0, 0, 6])),
    ipv4Attribute(RadiusAttr.FramedIpAddress, '192.168.7.42'),
    integerAttribute(RadiusAttr.SessionTimeout, 3600),
    integerAttribute(RadiusAttr.IdleTimeout, 600),
    octetsAttribute(RadiusAttr.Class, new Uint8Array([1, 2, 3])),
    textAttribute(RadiusAttr.ReplyMessage, 'Welcome'),
  ];
  return [
    sealResponse(RadiusCode.AccessAccept, 1, REQUEST_AUTH, accept, SECRET, true),
    sealResponse(RadiusCode.AccessReject, 1, REQUEST_AUTH, [ms(MsAttr.ChapError, new Uint8Array(Buffer.from('\x01E=691 R=0 V=3', 'latin1')))], SECRET, true),
    sealResponse(RadiusCode.AccessChallenge, 2, REQUEST_AUTH, [textAttribute(RadiusAttr.ReplyMessage, 'more')], SECRET, false),
    sealResponse(RadiusCode.DisconnectRequest, 3, REQUEST_AUTH, [textAttribute(RadiusAttr.UserName, 'cisco'), textAttribute(RadiusAttr.AcctSessionId, 'ABC')], SECRET, true),
    sealResponse(RadiusCode.CoaRequest, 4, REQUEST_AUTH, [ipv4Attribute(RadiusAttr.FramedIpAddress, '192.168.1.1'), integerAttribute(RadiusAttr.SessionTimeout, 60)], SECRET, false),
  ];
}

export const radius: FuzzTarget = {
  name: 'radius',
  seeds,
  dictionary: [new Uint8Array([26, 0, 0, 0, 1, 0x37]), new Uint8Array([80, 18]), new Uint8Array([0, 0, 0x01, 0x37])],
  maxInputBytes: 4200,
  run(input) {
    const p = decodeRadiusPacket(input);
    if (isDecodeError(p)) return errSig(p);
    const length = (input[2]! << 8) | input[3]!;
    // Decoding keeps every attribute: the packet re-encodes to its own first Length octets.
    assert.ok(encodeRadiusPacket(p).equals(input.subarray(0, length)), 'the packet re-encodes to its own octets');
    const packet = input.subarray(0, length);
    let sig = `ok:${p.code}`;
    const m = findMessageAuthenticator(packet);
    if (isDecodeError(m)) sig += ' ' + errSig(m);
    sig += ` ma:${verifyMessageAuthenticator(packet, REQUEST_AUTH, SECRET)}`;
    // The raw datagram too, padding and all: the checks must not trust the Length field.
    verifyMessageAuthenticator(input, REQUEST_AUTH, SECRET);
    sig += ` ra:${verifyResponseAuthenticator(packet, REQUEST_AUTH, SECRET)}`;
    for (const a of p.attributes) {
      if (a.type !== RadiusAttr.VendorSpecific) continue;
      const v = decodeVendorSpecific(a.value);
      if (isDecodeError(v)) sig += ' vsa-' + errSig(v);
    }
    for (const req of REQUESTS) {
      const r = accessResult(req, p, SECRET, REQUEST_AUTH, 'radius');
      assert.equal(typeof r.accepted, 'boolean');
      if (r.mppeKeys) assert.equal(r.mppeKeys.sendKey.length, 16);
      sig += r.accepted ? ` ${req.method}:acc${r.mppeKeys ? '+keys' : ''}` : ` ${req.method}:rej`;
    }
    const action = dynamicAuthorizationAction(p, { nasIpAddress: '172.18.124.152' });
    return `${sig} da:${action.kind}`;
  },
};
