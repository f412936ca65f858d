/**
 * MPPE packets (RFC 3078), one direction per object. The plaintext is the PPP protocol field
 * (2 bytes) followed by the information; the MPPE packet is what follows PPP protocol 0x00FD:
 * a 2-byte header (flag bits A-D, 12-bit coherency count) and the encrypted (protocol + info).
 *
 * Peers differ on stateful resets (§8.2): Linux ppp_mppe changes the key on every flushed packet,
 * while the RFC, OpenBSD npppd and FreeBSD re-initialise RC4 with the current key. All of them
 * change the key exactly once on a flushed flag packet, so a reset is answered with one: the
 * count jumps to the next flag value. Received resets are accepted in either form.
 */
import { Rc4 } from './crypto/rc4.js';
import { KeyChanger } from './mppe-keys.js';

const FLUSHED = 0x80; // bit A (§3.1)
const ENCRYPTED = 0x10; // bit D (§3.1)
const COUNT_MASK = 0xfff; // 12-bit coherency count
const COUNT_SPACE = 0x1000;
const AHEAD_LIMIT = COUNT_SPACE / 2; // stateless: counts further on than this are late packets
const WINDOW = 64; // stateless: late packets this close behind the newest can still be opened
const MAX_KEY = 16;
const MAX_RESET_CHANGES = 4; // stateful: key changes tried on a reset answered off a flag packet

// Packets are cut from shared 16 KB slabs: a fresh ArrayBuffer per packet costs about twice as
// much as RC4 over a short packet. A packet kept alive keeps its slab alive.
const SLAB = 16384;
let slab = new ArrayBuffer(SLAB);
let slabUsed = 0;

function allocate(length: number): Uint8Array {
  if (length > SLAB / 4) return new Uint8Array(length);
  if (slabUsed + length > SLAB) {
    slab = new ArrayBuffer(SLAB);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, length);
  slabUsed += (length + 7) & ~7;
  return out;
}

/** §7.2: the key changes before any packet whose count's low octet is 0xFF (a "flag" packet). */
function isFlag(count: number): boolean {
  return (count & 0xff) === 0xff;
}

/** §3: only PPP protocols 0x0021-0x00FA are encrypted; PPP protocol numbers are odd (RFC 1661 §2). */
function encryptable(protocol: number): boolean {
  return protocol >= 0x21 && protocol <= 0xfa && (protocol & 1) === 1;
}

function checkBits(bits: number): asserts bits is 40 | 128 {
  if (bits !== 40 && bits !== 128) throw new RangeError('MPPE key strength must be 40 or 128 bits');
}

export class MppeEncryptor {
  private readonly changer: KeyChanger;
  private readonly sessionKey: Uint8Array;
  private readonly rc4: Rc4;
  private count = 0; // §3.1: the first packet carries count 0
  private flushPending = false;

  constructor(
    masterKey: Uint8Array,
    bits: 40 | 128,
    private readonly stateless: boolean,
  ) {
    checkBits(bits);
    this.changer = new KeyChanger(masterKey, bits);
    this.sessionKey = this.changer.initialSessionKey();
    this.rc4 = new Rc4(this.sessionKey);
  }

  /** The coherency count the next packet will carry (0 before the first). */
  get coherencyCount(): number {
    return this.count;
  }

  /** Returns the MPPE packet (header + encrypted data). May encrypt in a fresh buffer; must not keep `plain`. */
  encrypt(plain: Uint8Array): Uint8Array {
    const out = allocate(plain.length + 2);
    out.set(plain, 2);
    this.encryptInPlace(out, 0, out.length);
    return out;
  }

  /**
   * Makes the MPPE packet at packet[offset, offset+length) where it lies: the plaintext (protocol
   * and information) is already at offset+2; writes the header in front of it and encrypts it.
   */
  encryptInPlace(packet: Uint8Array, offset: number, length: number): void {
    if (length < 2 || offset < 0 || offset + length > packet.length) throw new RangeError('MPPE packet outside the buffer');
    let count = this.count;
    if (this.flushPending) {
      count |= 0xff; // answer the reset with a flag packet (see the top of this file)
      this.flushPending = false;
    }
    // §7.1: stateless changes the key before every packet; §7.2: stateful before each flag packet.
    const flushed = this.stateless || isFlag(count);
    if (flushed) this.changer.change(this.sessionKey, this.rc4);
    packet[offset] = (flushed ? FLUSHED : 0) | ENCRYPTED | (count >> 8);
    packet[offset + 1] = count & 0xff;
    this.rc4.process(packet, offset + 2, length - 2);
    this.count = (count + 1) & COUNT_MASK;
  }

  /**
   * Stateful mode: the peer sent CCP Reset-Request — rekey and set the flushed bit on the next packet
   * (once, however many Reset-Requests come first). No effect in stateless mode.
   */
  resetRequest(): void {
    if (!this.stateless) this.flushPending = true;
  }
}

export type MppeDecryptResult =
  | Uint8Array
  | { error: 'short' | 'not-encrypted' | 'coherency' | 'needs-reset'; resetRequest: boolean };

export class MppeDecryptor {
  private readonly changer: KeyChanger;
  private readonly keyLength: number;
  private readonly sessionKey: Uint8Array;
  private readonly candidate: Uint8Array;
  private readonly rc4: Rc4;
  private discardCount = 0;
  // How plausible the last open() result was: 0 refused, 1 1-byte protocol, 2 full protocol, +1 IP version.
  private confidence = 0;

  // Stateful (§8.2): the count expected next, and whether we are discarding until a flushed packet.
  private expected = 0;
  private discarding = false;

  // Stateless (§8.1): the newest count opened (the initial session key stands just before count 0),
  // and the keys of the last WINDOW counts so that slightly late packets still open, once each.
  private newest = COUNT_MASK;
  // The four tables share one buffer: one allocation per session instead of four.
  private readonly stash = new ArrayBuffer(WINDOW * (2 * MAX_KEY + 3));
  private readonly history = new Uint8Array(this.stash, 0, WINDOW * MAX_KEY);
  private readonly pending = new Uint8Array(this.stash, WINDOW * MAX_KEY, WINDOW * MAX_KEY);
  private readonly historyCount = new Int16Array(this.stash, 2 * WINDOW * MAX_KEY, WINDOW).fill(-1);
  private readonly historyOpened = new Uint8Array(this.stash, WINDOW * (2 * MAX_KEY + 2), WINDOW);

  constructor(
    masterKey: Uint8Array,
    bits: 40 | 128,
    private readonly stateless: boolean,
  ) {
    checkBits(bits);
    this.changer = new KeyChanger(masterKey, bits);
    this.keyLength = this.changer.keyLength;
    this.sessionKey = this.changer.initialSessionKey();
    this.candidate = new Uint8Array(this.keyLength);
    this.rc4 = new Rc4(this.sessionKey);
  }

  /** Packets decrypt() refused. */
  get discarded(): number {
    return this.discardCount;
  }

  /** Stateful mode: loss was seen and no flushed packet has come since; the Reset-Request may need repeating. */
  get awaitingFlush(): boolean {
    return this.discarding;
  }

  /** Decrypts one MPPE packet (after the 0x00FD protocol field) into a fresh buffer. Never throws. */
  decrypt(packet: Uint8Array): MppeDecryptResult {
    return this.decryptPacket(packet, false);
  }

  /**
   * Decrypts one MPPE packet where it lies, overwriting its encrypted part (the 2-octet header is
   * left as it was). The plaintext is a view into `packet` and starts with the protocol field as
   * the peer sent it: one octet when it compressed it (PFC, RFC 1661 §6.5), else two. Never throws.
   */
  decryptInPlace(packet: Uint8Array): MppeDecryptResult {
    return this.decryptPacket(packet, true);
  }

  private decryptPacket(packet: Uint8Array, inPlace: boolean): MppeDecryptResult {
    if (packet.length < 3) return this.fail('short');
    const flags = packet[0];
    if ((flags & ENCRYPTED) === 0) return this.fail('not-encrypted');
    const count = ((flags & 0x0f) << 8) | packet[1];
    return this.stateless
      ? this.decryptStateless(packet, count, inPlace)
      : this.decryptStateful(packet, count, (flags & FLUSHED) !== 0, inPlace);
  }

  private fail(error: 'short' | 'not-encrypted' | 'coherency' | 'needs-reset', resetRequest = false): MppeDecryptResult {
    this.discardCount++;
    return { error, resetRequest };
  }

  /**
   * Decrypts the body with the current RC4 state, in place or into a fresh buffer. Out of place the
   * result always starts with a 2-byte protocol: a 1-byte (PFC, RFC 1661 §6.5) protocol inside is
   * widened; in place it starts at the protocol as sent. Undefined when the protocol is not one
   * MPPE carries, i.e. the keys are out of step or the packet is damaged. Sets `confidence`.
   */
  private open(packet: Uint8Array, inPlace: boolean): Uint8Array | undefined {
    const n = packet.length - 2;
    let out = packet;
    let at = 2; // where the decrypted protocol field starts in `out`
    if (!inPlace) {
      out = allocate(n + 1);
      out[0] = 0;
      out.set(packet.subarray(2), 1);
      at = 1;
    }
    this.rc4.process(out, at, n);
    const first = out[at];
    let protocol: number;
    let data: number; // where the information starts
    if (first & 1) {
      protocol = first;
      data = at + 1;
      this.confidence = 1;
    } else {
      protocol = n >= 2 && first === 0 ? out[at + 1] : 0;
      data = at + 2;
      this.confidence = 2;
    }
    if (!encryptable(protocol)) {
      this.confidence = 0;
      return undefined;
    }
    // IPv4 and IPv6 headers start with their version number.
    const version = data < out.length ? out[data] >> 4 : 0;
    if ((protocol === 0x21 && version === 4) || (protocol === 0x57 && version === 6)) this.confidence++;
    return inPlace ? out.subarray(at) : out.subarray(data - 2);
  }

  private decryptStateless(packet: Uint8Array, count: number, inPlace: boolean): MppeDecryptResult {
    const ahead = (count - this.newest) & COUNT_MASK;
    if (ahead === 0) return this.fail('coherency'); // a duplicate
    if (ahead >= AHEAD_LIMIT) return this.openLate(packet, count, COUNT_SPACE - ahead, inPlace);

    // §8.1: one key change per count advanced. Nothing is kept unless the packet opens.
    const key = this.candidate;
    key.set(this.sessionKey);
    for (let step = 1; step <= ahead; step++) {
      this.changer.change(key, this.rc4, step === ahead);
      if (ahead - step < WINDOW) this.pending.set(key, ((this.newest + step) & (WINDOW - 1)) * MAX_KEY);
    }
    const plain = this.open(packet, inPlace);
    if (!plain) return this.fail('coherency');

    for (let step = Math.max(1, ahead - WINDOW + 1); step <= ahead; step++) {
      const c = (this.newest + step) & COUNT_MASK;
      const at = (c & (WINDOW - 1)) * MAX_KEY;
      for (let i = 0; i < this.keyLength; i++) this.history[at + i] = this.pending[at + i];
      this.historyCount[c & (WINDOW - 1)] = c;
      this.historyOpened[c & (WINDOW - 1)] = 0;
    }
    this.historyOpened[count & (WINDOW - 1)] = 1;
    this.sessionKey.set(key);
    this.newest = count;
    return plain;
  }

  /** A stateless packet older than the newest: open it with the key kept for its count, once. */
  private openLate(packet: Uint8Array, count: number, behind: number, inPlace: boolean): MppeDecryptResult {
    const slot = count & (WINDOW - 1);
    if (behind >= WINDOW || this.historyCount[slot] !== count || this.historyOpened[slot]) return this.fail('coherency');
    this.rc4.setKey(this.history.subarray(slot * MAX_KEY, slot * MAX_KEY + this.keyLength));
    const plain = this.open(packet, inPlace);
    if (!plain) return this.fail('coherency');
    this.historyOpened[slot] = 1;
    return plain;
  }

  /**
   * A reset answered off a flag packet. The RFC sender re-initialised RC4 with the same key; a
   * Linux sender changed its key once per Reset-Request, and answers to earlier ones may have been
   * lost. Keep the candidate that opens most plausibly, the fewest key changes on a tie.
   */
  private openReset(packet: Uint8Array, inPlace: boolean): Uint8Array | undefined {
    const key = this.candidate;
    key.set(this.sessionKey);
    this.rc4.setKey(key);
    let best = -1;
    let bestConfidence = 0;
    for (let changes = 0; changes <= MAX_RESET_CHANGES; changes++) {
      if (changes > 0) this.changer.change(key, this.rc4);
      // Trials decrypt copies: the packet must stay encrypted for the next candidate.
      if (this.open(packet, false) && this.confidence > bestConfidence) {
        best = changes;
        bestConfidence = this.confidence;
      }
    }
    if (best < 0) return undefined;
    for (let i = 0; i < best; i++) this.changer.change(this.sessionKey, this.rc4, false);
    this.rc4.setKey(this.sessionKey);
    return this.open(packet, inPlace);
  }

  private decryptStateful(packet: Uint8Array, count: number, flushed: boolean, inPlace: boolean): MppeDecryptResult {
    if (this.discarding || count !== this.expected) {
      if (!flushed) {
        // §8.2: on loss drop the packet, ask once for a reset, then drop until a flushed packet.
        if (this.discarding) return this.fail('needs-reset');
        this.discarding = true;
        return this.fail('coherency', true);
      }
      // §8.2: a flushed packet resynchronises; first make the key changes of the flag packets missed.
      for (let c = this.expected; c !== count; c = (c + 1) & COUNT_MASK) {
        if (isFlag(c)) this.changer.change(this.sessionKey, this.rc4, false);
      }
    }
    this.expected = (count + 1) & COUNT_MASK;

    let plain: Uint8Array | undefined;
    if (isFlag(count)) {
      this.changer.change(this.sessionKey, this.rc4);
      plain = this.open(packet, inPlace);
    } else if (flushed) {
      plain = this.openReset(packet, inPlace);
    } else {
      plain = this.open(packet, inPlace);
    }

    if (!plain) {
      // Keys out of step (or a damaged packet): resynchronise through a Reset-Request.
      this.discarding = true;
      return this.fail('coherency', true);
    }
    this.discarding = false;
    return plain;
  }
}
