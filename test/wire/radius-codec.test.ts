/**
 * RADIUS codec: RFC 2865 §7 sample packets, authenticators, Message-Authenticator, hidden values,
 * Microsoft sub-attributes, round trips, and fast-check "decoders never throw".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import {
  decodeMsChap2Success,
  decodeMsChapError,
  decodeRadiusPacket,
  decodeVendorSpecific,
  encodeMsChap2Response,
  encodeRadiusPacket,
  findMessageAuthenticator,
  getAttribute,
  getVendorAttributes,
  hideMsChapMppeKeys,
  hideUserPassword,
  integerAttribute,
  messageAuthenticator,
  MsAttr,
  RadiusAttr,
  RadiusCode,
  radiusCodeName,
  readInteger,
  readIpv4,
  readText,
  revealMsChapMppeKeys,
  responseAuthenticator,
  revealUserPassword,
  saltDecrypt,
  saltEncrypt,
  sealAccessRequest,
  sealRequest,
  sealResponse,
  textAttribute,
  VENDOR_MICROSOFT,
  vendorAttribute,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  verifyResponseAuthenticator,
  type RadiusPacket,
} from '../../src/wire/radius.js';
import { dynamicAuthorizationAction } from '../../src/aaa/radius/dynamic-authorization-request.js';
import { hmacMd5Prefixed } from '../../src/wire/radius-md5.js';
import { createHmac } from 'node:crypto';

const RFC_SECRET = Buffer.from('xyzzy5461');
// RFC 2865 §7.1: "nemo" / "arctangent" from NAS 192.168.1.16 port 3, and the Access-Accept.
const RFC_7_1_REQUEST = fromHex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f
  02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03`);
const RFC_7_1_ACCEPT = fromHex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01
  0f 06 00 00 00 00 0e 06 c0 a8 01 03`);
// RFC 2865 §7.2: CHAP login by "flopsy".
const RFC_7_2_REQUEST = fromHex(`01 01 00 47 2a ee 86 f0 8d 0d 55 96 9c a5 97 8e 0d 33 67 a2 01 08 66 6c 6f 70
  73 79 03 13 16 e9 75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75 04 06 c0 a8 01 10 05 06 00 00 00 14
  06 06 00 00 00 02 07 06 00 00 00 01`);

function decoded(bytes: Uint8Array): RadiusPacket {
  const p = decodeRadiusPacket(bytes);
  if (isDecodeError(p)) throw new Error(p.toString());
  return p;
}

describe('RFC 2865 §7 samples', () => {
  it('§7.1 Access-Request: fields, hidden password, exact re-encoding', () => {
    const p = decoded(RFC_7_1_REQUEST);
    assert.equal(p.code, RadiusCode.AccessRequest);
    assert.equal(readText(getAttribute(p.attributes, RadiusAttr.UserName)!), 'nemo');
    assert.equal(readIpv4(getAttribute(p.attributes, RadiusAttr.NasIpAddress)!), '192.168.1.16');
    assert.equal(readInteger(getAttribute(p.attributes, RadiusAttr.NasPort)!), 3);
    const hidden = getAttribute(p.attributes, RadiusAttr.UserPassword)!;
    const password = revealUserPassword(hidden, RFC_SECRET, p.authenticator);
    assert.ok(!isDecodeError(password));
    assert.equal(Buffer.from(password).toString(), 'arctangent');
    assert.equal(toHex(hideUserPassword(Buffer.from('arctangent'), RFC_SECRET, p.authenticator)), toHex(hidden));
    assert.equal(toHex(encodeRadiusPacket(p)), toHex(RFC_7_1_REQUEST));
  });

  it('§7.1 Access-Accept: the Response Authenticator checks with the secret, not without', () => {
    const req = decoded(RFC_7_1_REQUEST);
    assert.equal(verifyResponseAuthenticator(RFC_7_1_ACCEPT, req.authenticator, RFC_SECRET), true);
    assert.equal(verifyResponseAuthenticator(RFC_7_1_ACCEPT, req.authenticator, Buffer.from('xyzzy5462')), false);
    const tampered = Uint8Array.from(RFC_7_1_ACCEPT);
    tampered[37] ^= 1;
    assert.equal(verifyResponseAuthenticator(tampered, req.authenticator, RFC_SECRET), false);
    assert.equal(verifyMessageAuthenticator(RFC_7_1_ACCEPT, req.authenticator, RFC_SECRET), 'absent');
  });

  it('§7.2 CHAP Access-Request round-trips', () => {
    const p = decoded(RFC_7_2_REQUEST);
    const chap = getAttribute(p.attributes, RadiusAttr.ChapPassword)!;
    assert.equal(chap.length, 17);
    assert.equal(chap[0], 22);
    assert.equal(readInteger(getAttribute(p.attributes, RadiusAttr.ServiceType)!), 2);
    assert.equal(toHex(encodeRadiusPacket(p)), toHex(RFC_7_2_REQUEST));
  });
});

describe('decoding errors', () => {
  it('refuses short, over-long and badly tiled packets, and ignores padding', () => {
    assert.ok(isDecodeError(decodeRadiusPacket(new Uint8Array(19))));
    const p = Uint8Array.from(RFC_7_1_REQUEST);
    assert.ok(isDecodeError(decodeRadiusPacket(p.subarray(0, 55))), 'Length beyond the datagram');
    const bad = Uint8Array.from(p);
    bad[21] = 1; // User-Name Length 1
    assert.ok(isDecodeError(decodeRadiusPacket(bad)));
    const padded = new Uint8Array(p.length + 5);
    padded.set(p);
    assert.equal(decoded(padded).attributes.length, 4);
    const huge = Uint8Array.from(p);
    huge[2] = 0x10;
    huge[3] = 0x01; // 4097
    assert.ok(isDecodeError(decodeRadiusPacket(huge)));
  });

  it('refuses values of the wrong size', () => {
    assert.ok(isDecodeError(readInteger(new Uint8Array(3))));
    assert.ok(isDecodeError(readIpv4(new Uint8Array(5))));
    assert.ok(isDecodeError(decodeVendorSpecific(fromHex('00000137'))));
    assert.ok(isDecodeError(decodeVendorSpecific(fromHex('000001370b0a0102'))));
  });

  it('names codes', () => {
    assert.equal(radiusCodeName(RadiusCode.AccessAccept), 'Access-Accept');
    assert.equal(radiusCodeName(RadiusCode.CoaNak), 'CoA-NAK');
    assert.equal(radiusCodeName(RadiusCode.DisconnectAck), 'Disconnect-ACK');
    assert.equal(radiusCodeName(RadiusCode.StatusServer), 'Status-Server');
    assert.equal(radiusCodeName(99), 'Code 99');
  });
});

describe('authenticators and Message-Authenticator', () => {
  const secret = Buffer.from('s3cret');
  const ra = fromHex('00112233445566778899aabbccddeeff');

  it('Access-Request: Message-Authenticator is first and verifies; tampering breaks it', () => {
    const bytes = sealAccessRequest(RadiusCode.AccessRequest, 7, ra, [textAttribute(RadiusAttr.UserName, 'u')], secret);
    assert.equal(bytes[20], RadiusAttr.MessageAuthenticator);
    assert.equal(bytes[21], 18);
    assert.equal(verifyMessageAuthenticator(bytes, ra, secret), 'valid');
    assert.equal(verifyMessageAuthenticator(bytes, ra, Buffer.from('other')), 'invalid');
    const t = Uint8Array.from(bytes);
    t[t.length - 1] ^= 0x20;
    assert.equal(verifyMessageAuthenticator(t, ra, secret), 'invalid');
  });

  it('replies: Response Authenticator covers the Message-Authenticator, found at any position', () => {
    const attrs = [textAttribute(RadiusAttr.ReplyMessage, 'hi'), integerAttribute(RadiusAttr.SessionTimeout, 60)];
    const first = sealResponse(RadiusCode.AccessAccept, 7, ra, attrs, secret, true);
    assert.equal(verifyResponseAuthenticator(first, ra, secret), true);
    assert.equal(verifyMessageAuthenticator(first, ra, secret), 'valid');
    // Move Message-Authenticator last, re-sign as a server that puts it there would.
    const p = decoded(first);
    const ma = p.attributes.shift()!;
    p.attributes.push({ type: ma.type, value: new Uint8Array(16) });
    p.authenticator = ra;
    const last = encodeRadiusPacket(p);
    const offset = findMessageAuthenticator(last);
    assert.equal(offset, last.length - 16);
    last.set(messageAuthenticator(last, ra, offset as number, secret), offset as number);
    last.set(responseAuthenticator(last, ra, secret), 4);
    assert.equal(verifyMessageAuthenticator(last, ra, secret), 'valid');
    assert.equal(verifyResponseAuthenticator(last, ra, secret), true);
  });

  it('two Message-Authenticators, or one of the wrong length, are invalid', () => {
    const twice = encodeRadiusPacket({
      code: 2,
      identifier: 1,
      authenticator: ra,
      attributes: [
        { type: RadiusAttr.MessageAuthenticator, value: new Uint8Array(16) },
        { type: RadiusAttr.MessageAuthenticator, value: new Uint8Array(16) },
      ],
    });
    assert.equal(verifyMessageAuthenticator(twice, ra, secret), 'invalid');
    const short = encodeRadiusPacket({
      code: 2,
      identifier: 1,
      authenticator: ra,
      attributes: [{ type: RadiusAttr.MessageAuthenticator, value: new Uint8Array(15) }],
    });
    assert.equal(verifyMessageAuthenticator(short, ra, secret), 'invalid');
  });

  it('Accounting/CoA/Disconnect Request Authenticator (RFC 2866 §3, RFC 5176 §3.5)', () => {
    for (const withMa of [false, true]) {
      const bytes = sealRequest(RadiusCode.AccountingRequest, 3, [integerAttribute(RadiusAttr.AcctStatusType, 1)], secret, withMa);
      assert.equal(verifyRequestAuthenticator(bytes, secret), true);
      assert.equal(verifyRequestAuthenticator(bytes, Buffer.from('nope')), false);
      assert.equal(verifyMessageAuthenticator(bytes, new Uint8Array(16), secret), withMa ? 'valid' : 'absent');
    }
  });
});

describe('hidden values (RFC 2865 §5.2, RFC 2548 §2.4)', () => {
  const secret = Buffer.from('s3cret');
  const ra = fromHex('0f403f9473978057bd83d5cb98f4227a');

  it('salt encryption round-trips any key and depends on the secret', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 239 }), fc.integer({ min: 0x8000, max: 0xffff }), (key, salt) => {
        const s = new Uint8Array([salt >> 8, salt & 255]);
        const enc = saltEncrypt(key, secret, ra, s);
        assert.equal((enc.length - 2) % 16, 0);
        const dec = saltDecrypt(enc, secret, ra);
        assert.ok(!isDecodeError(dec));
        assert.equal(toHex(dec), toHex(key));
      }),
    );
    const enc = saltEncrypt(new Uint8Array(16).fill(7), secret, ra, new Uint8Array([0x80, 1]));
    const wrong = saltDecrypt(enc, Buffer.from('other'), ra);
    assert.ok(isDecodeError(wrong) || toHex(wrong) !== toHex(new Uint8Array(16).fill(7)));
    assert.throws(() => saltEncrypt(new Uint8Array(16), secret, ra, new Uint8Array([0x00, 1])), RangeError);
  });

  it('User-Password and MS-CHAP-MPPE-Keys round-trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 128 }).filter((p) => p[p.length - 1] !== 0), (pw) => {
        const hidden = hideUserPassword(pw, secret, ra);
        assert.equal(toHex(revealUserPassword(hidden, secret, ra) as Uint8Array), toHex(pw));
      }),
    );
    const keys = { lmKey: new Uint8Array(8), ntKey: fromHex('0183f5de1e09941f8081eb6efc3e50cc') };
    const hidden = hideMsChapMppeKeys(keys, secret, ra);
    assert.equal(hidden.length, 32);
    const back = revealMsChapMppeKeys(hidden, secret, ra);
    assert.ok(!isDecodeError(back));
    assert.equal(toHex(back.ntKey), '0183f5de1e09941f8081eb6efc3e50cc');
    assert.ok(isDecodeError(revealMsChapMppeKeys(new Uint8Array(24), secret, ra)));
  });
});

describe('Microsoft sub-attributes (RFC 2548 §2.3)', () => {
  it('Vendor-Specific 311 carries MS-CHAP2-Response and reads back', () => {
    const value = encodeMsChap2Response(9, 0, new Uint8Array(16).fill(1), new Uint8Array(24).fill(2));
    const attr = vendorAttribute(VENDOR_MICROSOFT, MsAttr.Chap2Response, value);
    assert.equal(toHex(attr.value.subarray(0, 6)), '000001371934');
    const subs = getVendorAttributes([attr], VENDOR_MICROSOFT, MsAttr.Chap2Response);
    assert.equal(subs.length, 1);
    assert.equal(subs[0][0], 9);
    assert.equal(toHex(subs[0].subarray(18, 26)), '0000000000000000');
  });

  it('MS-CHAP2-Success and MS-CHAP-Error', () => {
    const success = new Uint8Array([0, ...Buffer.from('S=68649b6763301dd65fc2559f2d172943196ea88a')]);
    const s = decodeMsChap2Success(success);
    assert.ok(!isDecodeError(s));
    assert.equal(s.authenticatorResponse, 'S=68649B6763301DD65FC2559F2D172943196EA88A');
    assert.ok(isDecodeError(decodeMsChap2Success(new Uint8Array([0, ...Buffer.from('S=12')]))));
    const e = decodeMsChapError(new Uint8Array([1, ...Buffer.from('E=691 R=1 C=00112233445566778899aabbccddeeff V=3')]));
    assert.ok(!isDecodeError(e));
    assert.equal(e.code, 691);
    assert.ok(isDecodeError(decodeMsChapError(new Uint8Array([1, ...Buffer.from('R=1')]))));
  });
});

describe('property tests', () => {
  const attribute = fc.record({ type: fc.integer({ min: 0, max: 255 }), value: fc.uint8Array({ maxLength: 40 }) });
  const packet = fc.record({
    code: fc.integer({ min: 0, max: 255 }),
    identifier: fc.integer({ min: 0, max: 255 }),
    authenticator: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    attributes: fc.array(attribute, { maxLength: 20 }),
  });

  it('HMAC-MD5 equals node:crypto for keys of any length (RFC 2104)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.uint8Array({ maxLength: 300 }), (key, data) => {
        const buf = Buffer.alloc(64 + data.length);
        buf.set(data, 64);
        assert.equal(toHex(hmacMd5Prefixed(key, buf)), createHmac('md5', key).update(data).digest('hex'));
      }),
    );
  });

  it('encode → decode → encode is the identity', () => {
    fc.assert(
      fc.property(packet, (p) => {
        const bytes = encodeRadiusPacket(p);
        assert.equal(toHex(encodeRadiusPacket(decoded(bytes))), toHex(bytes));
      }),
    );
  });

  it('decoders and checks never throw on arbitrary bytes', () => {
    const secret = Buffer.from('x');
    const auth = new Uint8Array(16);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const p = decodeRadiusPacket(b);
        findMessageAuthenticator(b);
        verifyMessageAuthenticator(b, auth, secret);
        verifyResponseAuthenticator(b, auth, secret);
        verifyRequestAuthenticator(b, secret);
        decodeVendorSpecific(b);
        revealUserPassword(b, secret, auth);
        revealMsChapMppeKeys(b, secret, auth);
        saltDecrypt(b, secret, auth);
        decodeMsChap2Success(b);
        decodeMsChapError(b);
        readText(b);
        if (!isDecodeError(p)) dynamicAuthorizationAction({ ...p, code: RadiusCode.CoaRequest }, { nasIpAddress: '1.2.3.4' });
      }),
      { numRuns: 2000 },
    );
  });

  it('decoding packets built from random attributes never throws and keeps them', () => {
    fc.assert(
      fc.property(packet, fc.uint8Array({ maxLength: 10 }), (p, tail) => {
        const bytes = encodeRadiusPacket(p);
        const withTail = new Uint8Array(bytes.length + tail.length);
        withTail.set(bytes);
        withTail.set(tail, bytes.length);
        const d = decoded(withTail);
        assert.equal(d.attributes.length, p.attributes.length);
      }),
    );
  });
});
