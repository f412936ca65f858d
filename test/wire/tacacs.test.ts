import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isDecodeError } from '../../src/wire/errors.js';
import {
  TAC_PLUS_ACCT,
  TAC_PLUS_AUTHEN,
  TAC_PLUS_AUTHOR,
  TAC_PLUS_SINGLE_CONNECT_FLAG,
  TAC_PLUS_UNENCRYPTED_FLAG,
  decodeAcctReply,
  decodeAcctRequest,
  decodeAuthenContinue,
  decodeAuthenReply,
  decodeAuthenStart,
  decodeAuthorRequest,
  decodeAuthorResponse,
  decodeHeader,
  decodePacket,
  encodeAcctReply,
  encodeAcctRequest,
  encodeAuthenContinue,
  encodeAuthenReply,
  encodeAuthenStart,
  encodeAuthorRequest,
  encodeAuthorResponse,
  encodePacket,
  obfuscateBody,
  packetSize,
  parseAvPair,
  formatAvPair,
  type TacacsHeader,
} from '../../src/wire/tacacs.js';

const header: TacacsHeader = { minorVersion: 1, type: TAC_PLUS_AUTHEN, seqNo: 1, flags: 0, sessionId: 0x12345678, length: 0 };

describe('TACACS+ header and obfuscation (RFC 8907 §4.1, §4.5)', () => {
  it('encodes the 12-byte header in network order', () => {
    const wire = encodePacket({ ...header, flags: TAC_PLUS_SINGLE_CONNECT_FLAG }, new Uint8Array(3), 'k');
    assert.deepEqual([...wire.subarray(0, 12)], [0xc1, 1, 1, 4, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 3]);
    const h = decodeHeader(wire);
    assert.ok(!isDecodeError(h));
    assert.deepEqual(h, { minorVersion: 1, type: 1, seqNo: 1, flags: 4, sessionId: 0x12345678, length: 3 });
  });

  it('builds the pad from MD5{session_id, key, version, seq_no[, previous]} as the RFC writes it', () => {
    const body = new Uint8Array(40); // zeros: the output is the pad itself
    const pad = obfuscateBody(header, 'secret', body);
    const base = Buffer.concat([Buffer.from([0x12, 0x34, 0x56, 0x78]), Buffer.from('secret'), Buffer.from([0xc1, 1])]);
    const md5a = createHash('md5').update(base).digest();
    const md5b = createHash('md5').update(Buffer.concat([base, md5a])).digest();
    const md5c = createHash('md5').update(Buffer.concat([base, md5b])).digest();
    assert.deepEqual(Buffer.from(pad), Buffer.concat([md5a, md5b, md5c]).subarray(0, 40));
  });

  it('round-trips a packet and leaves an unencrypted body as is', () => {
    const body = encodeAuthenReply({ status: 1, flags: 0, serverMsg: 'hello', data: new Uint8Array([9]) });
    const wire = encodePacket(header, body, 'key');
    assert.notDeepEqual(wire.subarray(12), body);
    const p = decodePacket(wire, 'key');
    assert.ok(!isDecodeError(p));
    assert.deepEqual(p.body, body);
    const clear = encodePacket({ ...header, flags: TAC_PLUS_UNENCRYPTED_FLAG }, body, 'key');
    assert.deepEqual(clear.subarray(12), body);
  });

  it('refuses wrong major version, unknown type, seq_no 0, bad minor version and length mismatch', () => {
    const wire = encodePacket(header, new Uint8Array(4), 'k');
    const bad = (mutate: (b: Uint8Array) => void): string => {
      const b = new Uint8Array(wire);
      mutate(b);
      const r = decodePacket(b, 'k');
      assert.ok(isDecodeError(r));
      return r.field;
    };
    assert.equal(bad((b) => (b[0] = 0xd1)), 'major_version');
    assert.equal(bad((b) => (b[0] = 0xc5)), 'minor_version');
    assert.equal(bad((b) => (b[1] = 4)), 'type');
    assert.equal(bad((b) => (b[2] = 0)), 'seq_no');
    assert.equal(bad((b) => (b[11] = 5)), 'length');
    assert.ok(isDecodeError(decodePacket(wire.subarray(0, 10), 'k')));
  });

  it('frames a stream: needs 12 bytes, then the length; refuses an oversized body', () => {
    const wire = encodePacket(header, new Uint8Array(20), 'k');
    assert.equal(packetSize(wire.subarray(0, 11)), undefined);
    assert.equal(packetSize(wire.subarray(0, 12)), 32);
    const huge = new Uint8Array(wire);
    new DataView(huge.buffer).setUint32(8, 0x10001);
    assert.ok(isDecodeError(packetSize(huge)));
  });
});

describe('TACACS+ bodies round trip', () => {
  it('authentication START, REPLY, CONTINUE (§5.1–§5.3)', () => {
    const start = { action: 1, privLvl: 1, authenType: 3, service: 3, user: 'DOMAIN\\cisco', port: 'Virtual7', remAddr: '10.44.17.104', data: new Uint8Array([1, 2, 3]) };
    assert.deepEqual(decodeAuthenStart(encodeAuthenStart(start)), start);
    const reply = { status: 5, flags: 1, serverMsg: 'Password: ', data: new Uint8Array([0, 255]) };
    assert.deepEqual(decodeAuthenReply(encodeAuthenReply(reply)), reply);
    const cont = { userMsg: new TextEncoder().encode('s3cret'), data: new Uint8Array(0), flags: 1 };
    assert.deepEqual(decodeAuthenContinue(encodeAuthenContinue(cont)), cont);
  });

  it('authorization REQUEST and RESPONSE with AV pairs (§6.1, §6.2)', () => {
    const req = { authenMethod: 6, privLvl: 1, authenType: 2, service: 3, user: 'u', port: 'p', remAddr: 'r', args: ['service=ppp', 'protocol=ip', 'addr*'] };
    assert.deepEqual(decodeAuthorRequest(encodeAuthorRequest(req)), req);
    const resp = { status: 1, serverMsg: 'ok', data: new Uint8Array([7]), args: ['addr=10.1.1.9', 'idletime*5'] };
    assert.deepEqual(decodeAuthorResponse(encodeAuthorResponse(resp)), resp);
  });

  it('accounting REQUEST and REPLY (§7.1, §7.2)', () => {
    const req = { flags: 4, authenMethod: 0, privLvl: 1, authenType: 0, service: 3, user: 'u', port: 'Virtual1', remAddr: '1.2.3.4', args: ['task_id=1', 'bytes_in=99'] };
    assert.deepEqual(decodeAcctRequest(encodeAcctRequest(req)), req);
    const reply = { status: 1, serverMsg: '', data: new Uint8Array(0) };
    assert.deepEqual(decodeAcctReply(encodeAcctReply(reply)), reply);
  });

  it('checks inner lengths and says "bad key or protocol error"', () => {
    const body = encodeAuthenReply({ status: 1, flags: 0, serverMsg: 'x', data: new Uint8Array(0) });
    const longer = new Uint8Array([...body, 0]);
    const r = decodeAuthenReply(longer);
    assert.ok(isDecodeError(r));
    assert.match(r.message, /bad key or protocol error/);
    const unknownStatus = new Uint8Array(body);
    unknownStatus[0] = 0x55;
    assert.match(String(decodeAuthenReply(unknownStatus)), /bad key or protocol error/);
  });

  it('a reply de-obfuscated with the wrong key is refused, not misread', () => {
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const h: TacacsHeader = { ...header, type: TAC_PLUS_AUTHOR, seqNo: 2, sessionId: i * 7919 };
      const body = encodeAuthorResponse({ status: 1, serverMsg: '', data: new Uint8Array(0), args: ['addr=10.0.0.1'] });
      const p = decodePacket(encodePacket(h, body, 'right'), 'wrong');
      assert.ok(!isDecodeError(p));
      if (isDecodeError(decodeAuthorResponse(p.body))) refused++;
    }
    assert.equal(refused, 200);
  });

  it('encoders refuse fields that do not fit their length octet', () => {
    assert.throws(() => encodeAuthenStart({ action: 1, privLvl: 1, authenType: 2, service: 3, user: 'x'.repeat(256), port: '', remAddr: '', data: new Uint8Array(0) }), RangeError);
  });

  it('AV pairs: "=" mandatory, "*" optional, the first separator wins', () => {
    assert.deepEqual(parseAvPair('addr=10.1.1.1'), { name: 'addr', value: '10.1.1.1', mandatory: true });
    assert.deepEqual(parseAvPair('addr*'), { name: 'addr', value: '', mandatory: false });
    assert.deepEqual(parseAvPair('cmd-arg=a*b'), { name: 'cmd-arg', value: 'a*b', mandatory: true });
    assert.ok(isDecodeError(parseAvPair('noseparator')));
    assert.ok(isDecodeError(parseAvPair('=value')));
    assert.equal(formatAvPair({ name: 'timeout', value: '5', mandatory: false }), 'timeout*5');
  });
});

describe('TACACS+ decoders never throw (fast-check)', () => {
  const decoders = [
    decodeHeader,
    (b: Uint8Array) => decodePacket(b, 'k'),
    (b: Uint8Array) => packetSize(b),
    decodeAuthenStart,
    decodeAuthenReply,
    decodeAuthenContinue,
    decodeAuthorRequest,
    decodeAuthorResponse,
    decodeAcctRequest,
    decodeAcctReply,
  ];

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        for (const d of decoders) d(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('valid packets with random corruption', () => {
    const bodies = [
      encodeAuthenStart({ action: 1, privLvl: 1, authenType: 2, service: 3, user: 'user', port: 'p', remAddr: 'r', data: new Uint8Array(8) }),
      encodeAuthorResponse({ status: 1, serverMsg: 'm', data: new Uint8Array(2), args: ['a=b', 'c*d'] }),
      encodeAcctRequest({ flags: 2, authenMethod: 0, privLvl: 1, authenType: 0, service: 3, user: 'u', port: 'p', remAddr: 'r', args: ['task_id=1'] }),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.nat(), fc.integer({ min: 0, max: 255 }), (body, at, value) => {
        const b = new Uint8Array(body);
        b[at % b.length] = value;
        for (const d of decoders) d(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('structured round trips for any fields', () => {
    const text = fc.string({ maxLength: 60 });
    fc.assert(
      fc.property(text, text, fc.uint8Array({ maxLength: 200 }), fc.array(fc.string({ minLength: 1, maxLength: 40 }).map((s) => `a=${s}`), { maxLength: 20 }), (user, msg, data, args) => {
        const start = { action: 1, privLvl: 15, authenType: 6, service: 3, user, port: msg, remAddr: '', data };
        assert.deepEqual(decodeAuthenStart(encodeAuthenStart(start)), start);
        const resp = { status: 2, serverMsg: msg, data, args };
        assert.deepEqual(decodeAuthorResponse(encodeAuthorResponse(resp)), resp);
        const acct = { flags: 8, authenMethod: 6, privLvl: 1, authenType: 2, service: 3, user, port: '', remAddr: msg, args };
        assert.deepEqual(decodeAcctRequest(encodeAcctRequest(acct)), acct);
        const h = { minorVersion: 0, type: TAC_PLUS_ACCT, seqNo: 3, flags: 0, sessionId: 0xffffffff } as const;
        const p = decodePacket(encodePacket(h, data, user), user);
        assert.ok(!isDecodeError(p));
        assert.deepEqual(p.body, data);
      }),
      { numRuns: 300 },
    );
  });
});
