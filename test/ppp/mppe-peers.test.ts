// Stateful MPPE resets against the two receiver behaviours found in real peers. The models follow
// the published code paths: Linux drivers/net/ppp/ppp_mppe.c (key change on every flushed packet)
// and RFC 3078 §8.2 as OpenBSD npppd and FreeBSD ng_mppc implement it (RC4 re-keyed with the
// current session key; key changes only on flag packets). Interop with a live pppd is the
// qemu guest suite's job; these pin the reasoning behind the encryptor's reset answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MppeDecryptor, MppeEncryptor } from '../../src/ppp/mppe.js';
import { initialSessionKey, nextSessionKey } from '../../src/ppp/mppe-keys.js';
import { Rc4 } from '../../src/ppp/crypto/rc4.js';
import { fromHex } from '../../src/wire/bytes.js';

const MASTER = fromHex('D5F0E9521E3EA9589645E86051C82226');
const isFlag = (c: number): boolean => (c & 0xff) === 0xff;
const countOf = (p: Uint8Array): number => ((p[0] & 0x0f) << 8) | p[1];
const ipPacket = (i: number): Uint8Array => Uint8Array.of(0x00, 0x21, 0x45, 0, i & 255, i >> 8, 1, 2, 3, 4);

type Outcome = Uint8Array | 'loss' | 'discard' | 'sanity';

interface Receiver {
  receive(packet: Uint8Array): Outcome;
}

/** ppp_mppe.c mppe_decompress, stateful branch. */
class LinuxReceiver implements Receiver {
  private key = initialSessionKey(MASTER, 128);
  private rc4 = new Rc4(this.key);
  private ccount = 0xfff;
  private discard = false;

  receive(packet: Uint8Array): Outcome {
    const c = countOf(packet);
    const flushed = (packet[0] & 0x80) !== 0;
    if (isFlag(c) && !flushed) return 'sanity';
    if (!this.discard) {
      this.ccount = (this.ccount + 1) & 0xfff;
      if (c !== this.ccount) {
        this.discard = true;
        return 'loss';
      }
    } else {
      if (!flushed) return 'discard';
      while ((c & ~0xff) !== (this.ccount & ~0xff)) {
        this.key = nextSessionKey(MASTER, this.key, 128);
        this.ccount = (this.ccount + 256) & 0xfff;
      }
      this.discard = false;
      this.ccount = c;
    }
    if (flushed) {
      this.key = nextSessionKey(MASTER, this.key, 128);
      this.rc4 = new Rc4(this.key);
    }
    const out = packet.slice(2);
    this.rc4.process(out);
    return out;
  }
}

/** RFC 3078 §8.2 as npppd mppe_input does it. */
class RfcReceiver implements Receiver {
  private key = initialSessionKey(MASTER, 128);
  private rc4 = new Rc4(this.key);
  private expected = 0;

  receive(packet: Uint8Array): Outcome {
    let c = countOf(packet);
    let flushed = (packet[0] & 0x80) !== 0;
    if (flushed) {
      if (c < this.expected) c += 0x1000;
      for (let m = this.expected >> 8; m < c >> 8; m++) this.key = nextSessionKey(MASTER, this.key, 128);
      c &= 0xfff;
      this.expected = c;
    } else if (c !== this.expected) {
      return 'loss';
    }
    if (isFlag(c)) {
      this.key = nextSessionKey(MASTER, this.key, 128);
      flushed = true;
    }
    if (flushed) this.rc4 = new Rc4(this.key);
    const out = packet.slice(2);
    this.rc4.process(out);
    this.expected = (this.expected + 1) & 0xfff;
    return out;
  }
}

/**
 * Sends `n` packets through `receiver`, losing those in `lost`; a reported loss becomes a
 * Reset-Request. With `loseAnswers`, the first answer to each reset is lost too, and the receiver
 * repeats its Reset-Request while it discards (as pppd does on its timer).
 */
function run(receiver: Receiver, lost: Set<number>, n: number, loseAnswers = false): { opened: number; wrong: number; lastOk: boolean } {
  const e = new MppeEncryptor(MASTER, 128, false);
  let opened = 0;
  let wrong = 0;
  let lastOk = false;
  let answerToLose = false;
  let recovering = false;
  for (let i = 0; i < n; i++) {
    const p = ipPacket(i);
    const packet = e.encrypt(p);
    if (lost.has(i)) continue;
    if (answerToLose && (packet[0] & 0x80) !== 0) {
      answerToLose = false;
      continue;
    }
    const r = receiver.receive(packet);
    lastOk = r instanceof Uint8Array && Buffer.compare(r, p) === 0;
    if (r === 'loss' || (r === 'discard' && i % 5 === 0)) {
      e.resetRequest();
      if (!recovering) answerToLose = loseAnswers; // lose the first answer of each episode
      recovering = true;
    } else if (lastOk) {
      opened++;
      recovering = false;
    } else if (r instanceof Uint8Array) {
      wrong++;
    }
  }
  return { opened, wrong, lastOk };
}

test('our reset answer (a flushed flag packet) resynchronises a Linux receiver, also when an answer is lost', () => {
  for (const lost of [[5], [100, 101], [255], [256], [300, 700]]) {
    for (const loseAnswers of [false, true]) {
      const r = run(new LinuxReceiver(), new Set(lost), 1200, loseAnswers);
      assert.equal(r.wrong, 0, `lost ${lost}`);
      assert.ok(r.lastOk);
    }
  }
});

test('our reset answer resynchronises an RFC 3078 §8.2 receiver, also when an answer is lost', () => {
  for (const lost of [[5], [100, 101], [255], [256], [300, 700]]) {
    for (const loseAnswers of [false, true]) {
      const r = run(new RfcReceiver(), new Set(lost), 1200, loseAnswers);
      assert.equal(r.wrong, 0, `lost ${lost}`);
      assert.ok(r.lastOk);
    }
  }
});

test('our decryptor follows a Linux sender, which changes key on a Reset-Request at any count', () => {
  // ppp_mppe.c mppe_compress, stateful: rekey on flag packets and after a Reset-Request.
  let key = initialSessionKey(MASTER, 128);
  let rc4 = new Rc4(key);
  let ccount = 0xfff;
  let reset = false;
  const send = (p: Uint8Array): Uint8Array => {
    ccount = (ccount + 1) & 0xfff;
    let bits = 0x10;
    if (isFlag(ccount) || reset) {
      key = nextSessionKey(MASTER, key, 128);
      rc4 = new Rc4(key);
      bits |= 0x80;
      reset = false;
    }
    const out = new Uint8Array(p.length + 2);
    out.set([bits | (ccount >> 8), ccount & 0xff]);
    out.set(p, 2);
    rc4.process(out, 2);
    return out;
  };
  const d = new MppeDecryptor(MASTER, 128, false);
  let opened = 0;
  let answersLost = 0;
  for (let i = 0; i < 1500; i++) {
    const p = ipPacket(i);
    const answer = reset;
    const packet = send(p);
    // Ordinary loss, and now and then the reset answer itself (then the Reset-Request is repeated).
    if (i % 97 === 13 || (answer && i % 3 === 0 && answersLost < 5)) {
      if (answer) {
        answersLost++;
        reset = true;
      }
      continue;
    }
    const r = d.decrypt(packet);
    if (r instanceof Uint8Array) {
      assert.deepEqual(r, p, `packet ${i}`);
      opened++;
    } else if (r.resetRequest) {
      reset = true;
    }
  }
  assert.ok(answersLost > 0);
  assert.ok(opened > 1400, `opened ${opened}`);
});
