import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { isDecodeError, type DecodeError } from '../../src/wire/errors.js';
import {
  CONTROL_MESSAGE_LENGTH,
  ControlMessageType,
  decodeControlMessage,
  encodeControlMessage,
  inspectControlHeader,
  type PptpControlMessage,
} from '../../src/wire/pptp.js';
import { fixture } from '../helpers/paths.js';
import { arbitraryControlMessage } from '../pptp/control-arbitraries.js';

interface Vector {
  name: string;
  hex: string;
  message: PptpControlMessage;
}
const scapy = JSON.parse(readFileSync(fixture('pptp', 'scapy-vectors.json'), 'utf8')) as {
  control: Vector[];
  badControl: { name: string; hex: string; field: string }[];
};
const seed = JSON.parse(readFileSync(fixture('pptp', 'seed-vectors.json'), 'utf8')) as {
  controlPrefixes: { name: string; prefix: string; message: PptpControlMessage }[];
};

describe('PPTP control codec: scapy vectors (secdev/scapy pptp.uts)', () => {
  it('has a vector for every one of the 15 message types', () => {
    const types = new Set(scapy.control.map((v) => v.message.messageType));
    assert.equal(types.size, 15);
  });
  for (const v of scapy.control) {
    it(`decodes and re-encodes ${v.name} byte for byte`, () => {
      const bytes = fromHex(v.hex);
      const m = decodeControlMessage(bytes);
      assert.ok(!isDecodeError(m), String(m));
      assert.deepEqual(m, v.message);
      assert.equal(toHex(encodeControlMessage(v.message)), v.hex);
    });
  }
  for (const v of scapy.badControl) {
    it(`rejects ${v.name}`, () => {
      const m = decodeControlMessage(fromHex(v.hex));
      assert.ok(isDecodeError(m));
      assert.equal(m.field, v.field);
    });
  }
});

describe('PPTP control codec: the seed (PIX debug output)', () => {
  for (const v of seed.controlPrefixes) {
    it(`${v.name}: our encoding starts with the 22 bytes PIX printed, and the prefix passes the header checks`, () => {
      const encoded = encodeControlMessage(v.message);
      assert.equal(toHex(encoded.subarray(0, 22)), v.prefix);
      const prefix = fromHex(v.prefix);
      assert.equal(inspectControlHeader(prefix), CONTROL_MESSAGE_LENGTH[v.message.messageType]);
      assert.deepEqual(decodeControlMessage(encoded), v.message);
    });
  }
  it('SCCRQ from Windows: firmware 0x870, vendor "Microsoft Windows NT"', () => {
    const m = decodeControlMessage(encodeControlMessage(seed.controlPrefixes[0].message));
    assert.ok(!isDecodeError(m) && m.messageType === ControlMessageType.StartControlConnectionRequest);
    assert.equal(m.firmwareRevision, 0x870);
    assert.equal(m.vendorString, 'Microsoft Windows NT');
  });
});

describe('PPTP control codec: lengths and header checks', () => {
  it('has the RFC 2637 length for each type 1..15', () => {
    assert.deepEqual(CONTROL_MESSAGE_LENGTH.slice(1), [156, 156, 16, 16, 16, 20, 168, 32, 220, 24, 28, 16, 148, 40, 24]);
    fc.assert(
      fc.property(arbitraryControlMessage, (m) => {
        assert.equal(encodeControlMessage(m).length, CONTROL_MESSAGE_LENGTH[m.messageType]);
      }),
    );
  });

  const echo = () => fromHex('001000011a2b3c4d000500000000002a');
  const field = (b: Uint8Array) => (decodeControlMessage(b) as DecodeError).field;
  it('checks the magic cookie', () => {
    const b = echo();
    b[7] = 0x4e;
    assert.equal(field(b), 'magicCookie');
  });
  it('rejects PPTP Message Type 2 (management messages are not defined)', () => {
    const b = echo();
    b[3] = 2;
    assert.equal(field(b), 'pptpMessageType');
  });
  it('rejects control message types 0 and 16', () => {
    for (const t of [0, 16]) {
      const b = echo();
      b[9] = t;
      assert.equal(field(b), 'controlMessageType');
    }
  });
  it('rejects a length that is valid for another type', () => {
    const b = fromHex('001400011a2b3c4d000500000000002a00000000');
    assert.equal(field(b), 'length');
  });
  it('rejects a length no message has before reading further', () => {
    assert.equal((inspectControlHeader(fromHex('0011')) as DecodeError).field, 'length');
  });
  it('rejects truncated and over-long input', () => {
    assert.equal(field(echo().subarray(0, 15)), 'length');
    assert.equal(field(fromHex('001000011a2b3c4d000500000000002aff')), 'length');
    assert.equal(field(new Uint8Array(0)), 'length');
  });
  it('ignores non-zero reserved fields (be liberal in what you accept)', () => {
    const b = echo();
    b[10] = 0xff;
    assert.deepEqual(decodeControlMessage(b), { messageType: 5, identifier: 42 });
  });
  it('stops a string field at the first NUL and takes a full 64-octet field without one', () => {
    const full = 'x'.repeat(64);
    const m: PptpControlMessage = {
      messageType: 1, protocolVersion: 0x100, framingCapabilities: 1, bearerCapabilities: 1,
      maximumChannels: 0, firmwareRevision: 0, hostName: full, vendorString: 'a',
    };
    const b = encodeControlMessage(m);
    assert.deepEqual(decodeControlMessage(b), m);
    b[12 + 80 + 1] = 0;
    b[12 + 80 + 2] = 0x41;
    assert.equal((decodeControlMessage(b) as { vendorString: string }).vendorString, 'a');
  });
});

describe('PPTP control codec: properties', () => {
  it('round-trips every message type', () => {
    fc.assert(
      fc.property(arbitraryControlMessage, (m) => {
        assert.deepEqual(decodeControlMessage(encodeControlMessage(m)), m);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        decodeControlMessage(b);
        inspectControlHeader(b);
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on a valid header followed by random bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), fc.uint8Array({ minLength: 220, maxLength: 220 }), (type, body) => {
        const length = CONTROL_MESSAGE_LENGTH[type];
        const b = new Uint8Array(length);
        b.set(body.subarray(0, length));
        b.set(fromHex('00001a2b3c4d'), 2);
        b[0] = length >> 8;
        b[1] = length & 0xff;
        b[3] = 1;
        b[8] = 0;
        b[9] = type;
        const m = decodeControlMessage(b);
        assert.ok(!isDecodeError(m));
        assert.equal(m.messageType, type);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads nothing outside the view it is given', () => {
    fc.assert(
      fc.property(arbitraryControlMessage, fc.uint8Array({ minLength: 1, maxLength: 64 }), (m, junk) => {
        const bytes = encodeControlMessage(m);
        const big = new Uint8Array(junk.length + bytes.length + junk.length);
        big.set(junk, 0);
        big.set(bytes, junk.length);
        big.set(junk, junk.length + bytes.length);
        const view = big.subarray(junk.length, junk.length + bytes.length);
        assert.deepEqual(decodeControlMessage(view), m);
        assert.ok(isDecodeError(decodeControlMessage(view.subarray(0, view.length - 1))));
      }),
      { numRuns: 1000 },
    );
  });
});
