import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MppeDecryptor, MppeEncryptor, type MppeDecryptResult } from '../../src/ppp/mppe.js';
import { initialSessionKey, nextSessionKey } from '../../src/ppp/mppe-keys.js';
import { Rc4 } from '../../src/ppp/crypto/rc4.js';
import { fromHex } from '../../src/wire/bytes.js';

// RFC 3079 §3.5 server send key.
const MASTER = fromHex('8B7CDC149B993A1BA118CB153F56DCCB');
const MODES: [40 | 128, boolean][] = [
  [40, true],
  [128, true],
  [40, false],
  [128, false],
];
const modeName = ([bits, stateless]: [number, boolean]): string => `${bits}-bit ${stateless ? 'stateless' : 'stateful'}`;

/** A PPP payload MPPE carries: protocol 0x0021 (IP) etc. followed by the information field. */
function plain(protocol: number, info: Uint8Array): Uint8Array {
  const p = new Uint8Array(info.length + 2);
  p[1] = protocol;
  p.set(info, 2);
  return p;
}
const ipPacket = (i: number, size = 40): Uint8Array => plain(0x21, new Uint8Array(size).fill(i & 255).map((b, k) => b ^ k));
const arbPlain = fc
  .record({ protocol: fc.constantFrom(0x21, 0x2d, 0x2f, 0x57, 0xfb - 2), info: fc.uint8Array({ maxLength: 120 }) })
  .map(({ protocol, info }) => plain(protocol, info));

const countOf = (packet: Uint8Array): number => ((packet[0] & 0x0f) << 8) | packet[1];
const flushedBit = (packet: Uint8Array): boolean => (packet[0] & 0x80) !== 0;
const isError = (r: MppeDecryptResult): r is Exclude<MppeDecryptResult, Uint8Array> => !(r instanceof Uint8Array);

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const out = Uint8Array.from(data);
  new Rc4(key).process(out);
  return out;
}

test('stateless packets on the wire: count from 0, flushed+encrypted bits, one key change per packet (RFC 3078 §3.1, §7.1)', () => {
  for (const bits of [40, 128] as const) {
    const e = new MppeEncryptor(MASTER, bits, true);
    let key = initialSessionKey(MASTER, bits);
    for (let i = 0; i < 3; i++) {
      const p = ipPacket(i);
      const out = e.encrypt(p);
      key = nextSessionKey(MASTER, key, bits);
      assert.equal(out[0], 0x90, 'A and D set, count high nibble 0');
      assert.equal(out[1], i);
      assert.deepEqual(out.subarray(2), rc4(key, p), `${bits}-bit packet ${i}`);
    }
    if (bits === 40) assert.deepEqual(key.subarray(0, 3), fromHex('d1269e'));
  }
});

test('stateful packets on the wire: one RC4 stream from the initial key, flag packet 0xFF changes key (§7.2)', () => {
  const e = new MppeEncryptor(MASTER, 128, false);
  const first = ipPacket(0);
  const second = ipPacket(1);
  const a = e.encrypt(first);
  const b = e.encrypt(second);
  assert.deepEqual([a[0], a[1], b[0], b[1]], [0x10, 0x00, 0x10, 0x01], 'no flushed bit on ordinary packets');
  const both = new Uint8Array(first.length + second.length);
  both.set(first);
  both.set(second, first.length);
  const stream = rc4(initialSessionKey(MASTER, 128), both);
  assert.deepEqual(a.subarray(2), stream.subarray(0, first.length));
  assert.deepEqual(b.subarray(2), stream.subarray(first.length));
  for (let i = 2; i < 255; i++) assert.equal(flushedBit(e.encrypt(ipPacket(i))), false);
  const flag = e.encrypt(ipPacket(255));
  assert.deepEqual([flag[0], flag[1]], [0x90, 0xff]);
  assert.deepEqual(flag.subarray(2), rc4(nextSessionKey(MASTER, initialSessionKey(MASTER, 128), 128), ipPacket(255)));
});

test('round trip in every mode keeps each packet intact', () => {
  for (const mode of MODES) {
    fc.assert(
      fc.property(fc.array(arbPlain, { minLength: 1, maxLength: 40 }), (plains) => {
        const e = new MppeEncryptor(MASTER, mode[0], mode[1]);
        const d = new MppeDecryptor(MASTER, mode[0], mode[1]);
        plains.forEach((p, i) => {
          assert.equal(e.coherencyCount, i);
          const packet = e.encrypt(p);
          assert.equal(packet.length, p.length + 2);
          assert.deepEqual(d.decrypt(packet), p);
        });
        assert.equal(d.discarded, 0);
      }),
      { numRuns: 25 },
    );
  }
});

test('a protocol field compressed inside the packet (PFC) is widened to two bytes', () => {
  const e = new MppeEncryptor(MASTER, 128, true);
  const d = new MppeDecryptor(MASTER, 128, true);
  const compressed = Uint8Array.of(0x21, 0x45, 0x00);
  assert.deepEqual(d.decrypt(e.encrypt(compressed)), Uint8Array.of(0x00, 0x21, 0x45, 0x00));
});

test('in place: the same packets as encrypt(), and decryptInPlace gives a view with the protocol as sent', () => {
  for (const mode of MODES) {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbPlain, fc.nat(7)), { minLength: 1, maxLength: 30 }), (items) => {
        const copying = new MppeEncryptor(MASTER, mode[0], mode[1]);
        const inPlace = new MppeEncryptor(MASTER, mode[0], mode[1]);
        const d = new MppeDecryptor(MASTER, mode[0], mode[1]);
        for (const [p, offset] of items) {
          const expected = copying.encrypt(p);
          const buffer = new Uint8Array(offset + p.length + 2 + 3).fill(0xee);
          buffer.set(p, offset + 2);
          inPlace.encryptInPlace(buffer, offset, p.length + 2);
          const packet = buffer.subarray(offset, offset + p.length + 2);
          assert.deepEqual(packet, expected);
          assert.ok(buffer.subarray(0, offset).every((b) => b === 0xee) && buffer.subarray(offset + p.length + 2).every((b) => b === 0xee), 'writes only the packet');
          const opened = d.decryptInPlace(packet);
          assert.ok(opened instanceof Uint8Array);
          assert.equal(opened.buffer, buffer.buffer, 'a view into the packet');
          assert.equal(opened.byteOffset, buffer.byteOffset + offset + 2);
          assert.deepEqual(opened, p);
          assert.deepEqual(packet.subarray(0, 2), expected.subarray(0, 2), 'the header is left as it was');
        }
      }),
      { numRuns: 15 },
    );
  }
});

test('in place, a compressed protocol (PFC) stays one byte; a packet that does not open is refused', () => {
  const e = new MppeEncryptor(MASTER, 128, true);
  const d = new MppeDecryptor(MASTER, 128, true);
  assert.deepEqual(d.decryptInPlace(e.encrypt(Uint8Array.of(0x21, 0x45, 0x00))), Uint8Array.of(0x21, 0x45, 0x00));
  const damaged = e.encrypt(ipPacket(1));
  damaged[2] ^= 0x01; // the protocol's high octet no longer decrypts to 0x00
  assert.deepEqual(d.decryptInPlace(damaged), { error: 'coherency', resetRequest: false });
  assert.deepEqual(d.decryptInPlace(e.encrypt(ipPacket(2))), ipPacket(2));
});

test('the coherency count wraps after 4095 in every mode', () => {
  for (const mode of MODES) {
    const e = new MppeEncryptor(MASTER, mode[0], mode[1]);
    const d = new MppeDecryptor(MASTER, mode[0], mode[1]);
    for (let i = 0; i < 4300; i++) {
      const p = ipPacket(i, 8);
      const packet = e.encrypt(p);
      assert.equal(countOf(packet), i % 4096);
      if (!mode[1]) assert.equal(flushedBit(packet), (i & 0xff) === 0xff, `flag bit at ${i}`);
      assert.deepEqual(d.decrypt(packet), p, `${modeName(mode)} packet ${i}`);
    }
    assert.equal(e.coherencyCount, 4300 % 4096);
    assert.equal(d.discarded, 0);
  }
});

test('stateless: lost and reordered packets (within 64) all open, each once; duplicates are refused', () => {
  for (const bits of [40, 128] as const) {
    fc.assert(
      fc.property(
        fc.array(fc.record({ drop: fc.boolean(), delay: fc.nat(40), dup: fc.nat(30) }), { minLength: 1, maxLength: 150 }),
        (fates) => {
          const e = new MppeEncryptor(MASTER, bits, true);
          const d = new MppeDecryptor(MASTER, bits, true);
          const sent = fates.map((_, i) => ({ i, p: ipPacket(i, 20), packet: new Uint8Array(0) as Uint8Array }));
          for (const s of sent) s.packet = e.encrypt(s.p);
          const arrivals = sent
            .filter((_, i) => !fates[i].drop)
            .map((s) => ({ s, at: s.i + fates[s.i].delay }))
            .sort((a, b) => a.at - b.at || a.s.i - b.s.i)
            .map((a) => a.s);
          for (const s of arrivals) {
            assert.deepEqual(d.decrypt(s.packet), s.p, `packet ${s.i}`);
            if (fates[s.i].dup === 0) {
              const again = d.decrypt(s.packet);
              assert.ok(isError(again) && again.error === 'coherency' && !again.resetRequest, 'duplicate refused');
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  }
});

test('stateless: 2000 packets lost in a row, then traffic continues', () => {
  const e = new MppeEncryptor(MASTER, 128, true);
  const d = new MppeDecryptor(MASTER, 128, true);
  assert.deepEqual(d.decrypt(e.encrypt(ipPacket(0))), ipPacket(0));
  for (let i = 1; i <= 2000; i++) e.encrypt(ipPacket(i));
  for (let i = 2001; i < 2010; i++) assert.deepEqual(d.decrypt(e.encrypt(ipPacket(i))), ipPacket(i));
  // Too late to keep a key for: 100 behind the newest.
  const e2 = new MppeEncryptor(MASTER, 128, true);
  const d2 = new MppeDecryptor(MASTER, 128, true);
  const early = e2.encrypt(ipPacket(0));
  for (let i = 1; i < 100; i++) e2.encrypt(ipPacket(i));
  assert.deepEqual(d2.decrypt(e2.encrypt(ipPacket(100))), ipPacket(100));
  assert.deepEqual(d2.decrypt(early), { error: 'coherency', resetRequest: false });
});

test('stateless: resetRequest() changes nothing (every packet is flushed anyway)', () => {
  const e = new MppeEncryptor(MASTER, 128, true);
  e.encrypt(ipPacket(0));
  e.resetRequest();
  assert.equal(countOf(e.encrypt(ipPacket(1))), 1);
});

test('stateful: a lost packet asks for one reset, drops until flushed, then recovers', () => {
  for (const lost of [[10], [200], [255], [256], [300, 301, 302], Array.from({ length: 600 }, (_, k) => 20 + k)]) {
    const e = new MppeEncryptor(MASTER, 128, false);
    const d = new MppeDecryptor(MASTER, 128, false);
    let i = 0;
    const send = (): { p: Uint8Array; packet: Uint8Array } => {
      const p = ipPacket(i++);
      return { p, packet: e.encrypt(p) };
    };
    while (i < lost[0]) {
      const { p, packet } = send();
      assert.deepEqual(d.decrypt(packet), p);
    }
    while (i <= lost[lost.length - 1]) send();
    assert.deepEqual(d.decrypt(send().packet), { error: 'coherency', resetRequest: true }, `loss at ${lost[0]}`);
    assert.equal(d.awaitingFlush, true);
    for (let k = 0; k < 3; k++) assert.deepEqual(d.decrypt(send().packet), { error: 'needs-reset', resetRequest: false });
    e.resetRequest();
    e.resetRequest(); // a repeated Reset-Request still means one reset
    const answer = send();
    assert.equal(flushedBit(answer.packet), true);
    assert.equal(countOf(answer.packet) & 0xff, 0xff, 'answered with a flag packet');
    assert.deepEqual(d.decrypt(answer.packet), answer.p);
    assert.equal(d.awaitingFlush, false);
    for (let k = 0; k < 300; k++) {
      const { p, packet } = send();
      assert.deepEqual(d.decrypt(packet), p, `after recovery, packet ${i - 1}`);
    }
    assert.equal(d.discarded, 4);
  }
});

test('stateful: a loss just before a flag packet needs no reset: the flushed flag packet resynchronises (§8.2)', () => {
  const e = new MppeEncryptor(MASTER, 128, false);
  const d = new MppeDecryptor(MASTER, 128, false);
  for (let i = 0; i < 254; i++) assert.deepEqual(d.decrypt(e.encrypt(ipPacket(i))), ipPacket(i));
  e.encrypt(ipPacket(254)); // lost
  for (let i = 255; i < 400; i++) assert.deepEqual(d.decrypt(e.encrypt(ipPacket(i))), ipPacket(i));
  assert.equal(d.discarded, 0);
});

test('stateful: random loss with Reset-Requests that arrive late always resynchronises', () => {
  for (const bits of [40, 128] as const) {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 50, maxLength: 700 }).map((a) => a.map((lostIt, i) => lostIt && i % 7 === 0)),
        fc.nat(5),
        (lost, lag) => {
          const e = new MppeEncryptor(MASTER, bits, false);
          const d = new MppeDecryptor(MASTER, bits, false);
          const pendingResets: number[] = [];
          // The last loss, its Reset-Request travelling `lag` packets, then traffic must flow again.
          const total = lost.length + lag + 3;
          let last: MppeDecryptResult = new Uint8Array(0);
          for (let i = 0; i < total; i++) {
            if (pendingResets.length && pendingResets[0] <= i) {
              pendingResets.shift();
              e.resetRequest();
            }
            const p = ipPacket(i, 16);
            const packet = e.encrypt(p);
            if (lost[i]) continue;
            last = d.decrypt(packet);
            if (isError(last)) {
              assert.ok(last.error === 'coherency' || last.error === 'needs-reset', last.error);
              if (last.resetRequest) pendingResets.push(i + lag);
            } else {
              assert.deepEqual(last, p, `packet ${i}`);
            }
          }
          assert.ok(last instanceof Uint8Array, 'the last packet opens');
          assert.equal(d.awaitingFlush, false);
        },
      ),
      { numRuns: 60 },
    );
  }
});

test('stateful: accepts flushed packets from peers that only re-initialise RC4 (RFC 3078 §8.2) or skip the flag bit', () => {
  // A sender written from RFC 3078 alone: reset = re-key RC4 with the current session key;
  // withFlagBit=false is FreeBSD's form (no FLUSHED bit on flag packets).
  for (const withFlagBit of [true, false]) {
    let key = initialSessionKey(MASTER, 128);
    let stream = new Rc4(key);
    let count = 0;
    let flush = false;
    const send = (p: Uint8Array): Uint8Array => {
      let flushed = flush;
      if ((count & 0xff) === 0xff) {
        key = nextSessionKey(MASTER, key, 128);
        stream = new Rc4(key);
        flushed ||= withFlagBit;
      } else if (flush) {
        stream = new Rc4(key);
      }
      flush = false;
      const out = new Uint8Array(p.length + 2);
      out[0] = (flushed ? 0x80 : 0) | 0x10 | (count >> 8);
      out[1] = count & 0xff;
      out.set(p, 2);
      stream.process(out, 2);
      count = (count + 1) & 0xfff;
      return out;
    };
    const d = new MppeDecryptor(MASTER, 128, false);
    for (let i = 0; i < 700; i++) {
      const p = ipPacket(i);
      const packet = send(p);
      if (i === 100 || i === 255 || i === 400) continue; // lost
      const r = d.decrypt(packet);
      if (isError(r)) {
        if (r.resetRequest) flush = true;
      } else {
        assert.deepEqual(r, p, `packet ${i}`);
      }
    }
    const last = ipPacket(7);
    assert.deepEqual(d.decrypt(send(last)), last);
    assert.equal(d.discarded, 3, 'one packet dropped per loss (the one that showed it)');
  }
});

test('garbage never throws: flipped bits, short and unencrypted packets', () => {
  for (const mode of MODES) {
    fc.assert(
      fc.property(
        fc.array(fc.record({ p: arbPlain, flip: fc.option(fc.nat(), { freq: 4 }) }), { minLength: 1, maxLength: 60 }),
        (items) => {
          const e = new MppeEncryptor(MASTER, mode[0], mode[1]);
          const d = new MppeDecryptor(MASTER, mode[0], mode[1]);
          for (const { p, flip } of items) {
            const packet = e.encrypt(p);
            if (flip !== null) packet[flip % packet.length] ^= 1 << (flip % 8);
            const r = d.decrypt(packet);
            assert.ok(r instanceof Uint8Array || ['short', 'not-encrypted', 'coherency', 'needs-reset'].includes(r.error));
          }
        },
      ),
      { numRuns: 30 },
    );
  }
  const d = new MppeDecryptor(MASTER, 128, true);
  assert.deepEqual(d.decrypt(new Uint8Array(0)), { error: 'short', resetRequest: false });
  assert.deepEqual(d.decrypt(Uint8Array.of(0x90, 0x00)), { error: 'short', resetRequest: false });
  assert.deepEqual(d.decrypt(Uint8Array.of(0x80, 0x00, 0x00, 0x21)), { error: 'not-encrypted', resetRequest: false });
  assert.equal(d.discarded, 3);
});

test('stateless: a flipped bit in the data leaves later packets intact; a damaged protocol field is refused', () => {
  const e = new MppeEncryptor(MASTER, 128, true);
  const d = new MppeDecryptor(MASTER, 128, true);
  for (let i = 0; i < 50; i++) {
    const p = ipPacket(i);
    const packet = e.encrypt(p);
    if (i % 5 === 1) packet[10] ^= 0x04;
    if (i % 5 === 3) packet[2] ^= 0x80; // the high byte of the protocol: 0x80xx is never encrypted
    const r = d.decrypt(packet);
    if (i % 5 === 1) assert.ok(r instanceof Uint8Array && r[8] === (p[8] ^ 0x04));
    else if (i % 5 === 3) assert.deepEqual(r, { error: 'coherency', resetRequest: false });
    else assert.deepEqual(r, p, `packet ${i}`);
  }
});

test('constructor checks the key strength and master key length', () => {
  assert.throws(() => new MppeEncryptor(MASTER, 56 as 40, true), RangeError);
  assert.throws(() => new MppeDecryptor(new Uint8Array(8), 128, true), RangeError);
  assert.doesNotThrow(() => new MppeDecryptor(new Uint8Array(8), 40, true));
});
