/** Fuzz targets for the PPTP control codec, the control stream splitter and the enhanced GRE header. */
import assert from 'node:assert/strict';
import { isDecodeError, type DecodeError } from '../../../src/wire/errors.js';
import { decodeGreHeader, encodeGreHeader, encodeGrePacket } from '../../../src/wire/gre.js';
import {
  ControlStreamDecoder,
  decodeControlMessage,
  encodeControlMessage,
  inspectControlHeader,
  type PptpControlMessage,
} from '../../../src/wire/pptp.js';
import type { FuzzTarget } from '../harness.js';
import { ALL_MESSAGES, bytesOf, OCRQ, pptpDictionary, SCCRQ } from './pptp-samples.js';

export function errSig(e: DecodeError): string {
  return `err:${e.protocol} ${e.field}`;
}

export const pptpControl: FuzzTarget = {
  name: 'pptp-control',
  seeds: () => ALL_MESSAGES.map((m) => encodeControlMessage(m)),
  dictionary: pptpDictionary(),
  run(input) {
    const m = decodeControlMessage(input);
    if (isDecodeError(m)) return errSig(m);
    // What decodes re-encodes to a message that decodes the same (strings stop at their NUL).
    assert.deepEqual(decodeControlMessage(encodeControlMessage(m)), m);
    return `ok:${m.messageType}`;
  },
};

/** Splits the input into TCP-sized pieces chosen by the input itself, so a run is reproducible. */
function chunks(input: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  let i = 0;
  while (at < input.length) {
    const size = 1 + ((input[i++ % input.length]! * 7 + i) % 97);
    out.push(input.subarray(at, at + size));
    at += size;
  }
  return out;
}

function drainStream(d: ControlStreamDecoder, into: (PptpControlMessage | string)[]): void {
  for (let m = d.next(); m !== undefined; m = d.next()) {
    if (isDecodeError(m)) {
      into.push(errSig(m));
      // After an error the stream is dead and says so every time.
      assert.equal(d.next(), m);
      return;
    }
    into.push(m);
  }
  // RFC 2637 §1.4: a message is at most 220 octets; what waits for more bytes is less than one.
  assert.ok(d.buffered < 220, `stream holds ${d.buffered} octets`);
}

export const pptpStream: FuzzTarget = {
  name: 'pptp-stream',
  seeds: () => [bytesOf(SCCRQ, OCRQ), bytesOf(...ALL_MESSAGES), bytesOf(SCCRQ).subarray(0, 100)],
  dictionary: pptpDictionary(),
  maxInputBytes: 4096,
  run(input) {
    const whole = new ControlStreamDecoder();
    const split = new ControlStreamDecoder();
    const a: (PptpControlMessage | string)[] = [];
    const b: (PptpControlMessage | string)[] = [];
    whole.push(input);
    drainStream(whole, a);
    for (const c of chunks(input)) {
      split.push(c);
      drainStream(split, b);
      if (typeof b.at(-1) === 'string') break;
    }
    // However TCP cuts the bytes, the same messages come out.
    assert.deepEqual(b, a);
    // Each message equals what the one-shot codec makes of its bytes.
    let at = 0;
    for (const m of a) {
      if (typeof m === 'string') break;
      const len = inspectControlHeader(input, at) as number;
      assert.deepEqual(decodeControlMessage(input.subarray(at, at + len)), m);
      at += len;
    }
    const last = a.at(-1);
    return `${a.length > 3 ? 'many' : a.length}:${typeof last === 'string' ? last : (last?.messageType ?? '-')}`;
  },
};

export const greHeader: FuzzTarget = {
  name: 'gre',
  seeds: () => [
    encodeGrePacket(0x4000, new Uint8Array([0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4]), 1),
    encodeGrePacket(9, new Uint8Array([0x00, 0x21, 0x45, 0, 0, 20]), 5, 4),
    encodeGrePacket(9, new Uint8Array(0), undefined, 17),
  ],
  dictionary: [new Uint8Array([0x30, 0x81, 0x88, 0x0b]), new Uint8Array([0x20, 0x81, 0x88, 0x0b]), new Uint8Array([0x30, 0x01, 0x88, 0x0b])],
  run(input) {
    let sig = '';
    for (const offset of [0, 1, 4]) {
      const h = decodeGreHeader(input, offset);
      if (isDecodeError(h)) {
        sig += errSig(h) + ';';
        continue;
      }
      assert.ok(h.headerLength <= input.length - offset);
      if (h.seq !== undefined) assert.ok(offset + h.headerLength + h.payloadLength <= input.length, 'payload inside the packet');
      // The header re-encodes to the same octets.
      const out = new Uint8Array(16);
      const n = encodeGreHeader(out, 0, h.callId, h.payloadLength, h.seq, h.ack);
      assert.equal(n, h.headerLength);
      assert.deepEqual(out.subarray(0, n), input.subarray(offset, offset + n));
      sig += `ok:${h.headerLength};`;
    }
    return sig;
  },
};
