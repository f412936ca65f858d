/**
 * The per-packet path of an open link: IPv4 datagrams into PPP frames (RFC 1661 §2, with the ACFC
 * and PFC the peer allowed) and MPPE (RFC 3078 §3) on top when CCP agreed it. Stateful MPPE asks
 * for a CCP Reset-Request on loss (RFC 3078 §3.3, §8.2) and repeats it while none comes back.
 */
import type { MppeKeys } from '../aaa/authenticator.js';
import { PppProtocol, writePppHeader } from '../wire/ppp.js';
import type { MppeSettings } from './ccp.js';
import { MppeDecryptor, MppeEncryptor } from './mppe.js';
import type { PppCounters } from './session-types.js';

/** A stateful Reset-Request still unanswered is repeated after this long (pppd's RACKTIMEOUT). */
export const RESET_REQUEST_REPEAT_MS = 1000;

/**
 * Most octets a frame adds to its datagram: ff 03 and a 2-octet protocol (RFC 1661 §2), then the
 * MPPE header and the encrypted 2-octet protocol (RFC 3078 §3).
 */
export const MAX_FRAME_OVERHEAD = 8;

export class DataPath {
  /** The peer accepts frames without ff 03 / with a 1-octet protocol (it asked for ACFC / PFC). */
  acfc = false;
  pfc = false;
  /** The link came up with MPPE: from then on no plain datagram passes, whatever CCP does. */
  encrypting = false;
  private encryptor: MppeEncryptor | undefined;
  private decryptor: MppeDecryptor | undefined;
  private statefulReceive = false;
  private lastResetRequest = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly counters: PppCounters,
    private readonly sendResetRequest: () => void,
  ) {}

  get decrypting(): boolean {
    return this.decryptor !== undefined;
  }

  /** CCP opened: receive with our acked request's settings, transmit with the peer's. */
  startMppe(keys: MppeKeys, receive: MppeSettings | undefined, transmit: MppeSettings | undefined): void {
    this.decryptor = receive && new MppeDecryptor(keys.recvKey, receive.bits, receive.stateless);
    this.encryptor = transmit && new MppeEncryptor(keys.sendKey, transmit.bits, transmit.stateless);
    this.statefulReceive = receive !== undefined && !receive.stateless;
  }

  stopMppe(): void {
    this.encryptor = undefined;
    this.decryptor = undefined;
    this.statefulReceive = false;
  }

  /** The peer sent CCP Reset-Request: flush on the next packet (stateful mode). */
  resetRequested(): void {
    this.encryptor?.resetRequest();
  }

  /** The frame for an IPv4 datagram, or undefined while MPPE is due but not running. */
  encapsulate(packet: Uint8Array): Uint8Array | undefined {
    if (this.encryptor === undefined && this.encrypting) return undefined;
    const out = new Uint8Array(this.headerLength() + (this.encryptor ? 4 : 0) + packet.length);
    this.encapsulateInto(packet, out, 0);
    return out;
  }

  /**
   * Writes the frame for an IPv4 datagram into `out` at `offset`, which needs MAX_FRAME_OVERHEAD
   * octets more than the datagram; MPPE encrypts it there. Returns where the frame ends, or -1
   * while MPPE is due but not running.
   */
  encapsulateInto(packet: Uint8Array, out: Uint8Array, offset: number): number {
    const encryptor = this.encryptor;
    if (encryptor === undefined) {
      if (this.encrypting) return -1;
      const at = writePppHeader(out, offset, PppProtocol.IP, this); // this.acfc and this.pfc are the options
      out.set(packet, at);
      return at + packet.length;
    }
    const at = writePppHeader(out, offset, PppProtocol.CompressedDatagram, this);
    // The MPPE plaintext is the full 2-octet protocol and the datagram (RFC 3078 §3), after a 2-octet header.
    out[at + 2] = 0;
    out[at + 3] = PppProtocol.IP;
    out.set(packet, at + 4);
    encryptor.encryptInPlace(out, at, packet.length + 4);
    return at + 4 + packet.length;
  }

  /**
   * Decrypt an MPPE packet (after protocol 00fd) in place: the IPv4 datagram it carries, as a
   * view into `packet`, or undefined.
   */
  decrypt(packet: Uint8Array, now: number): Uint8Array | undefined {
    const decryptor = this.decryptor;
    if (decryptor === undefined) {
      this.counters.discardedFrames++;
      return undefined;
    }
    const result = decryptor.decryptInPlace(packet);
    if (result instanceof Uint8Array) {
      // The protocol as the peer sent it: 1 octet (PFC, RFC 1661 §6.5) or 2.
      if (result[0] === PppProtocol.IP) return result.subarray(1);
      if (result[0] === 0 && result[1] === PppProtocol.IP) return result.subarray(2);
      this.counters.discardedFrames++;
      return undefined;
    }
    this.counters.mppeErrors++;
    if (this.statefulReceive && (result.resetRequest || (decryptor.awaitingFlush && now - this.lastResetRequest >= RESET_REQUEST_REPEAT_MS))) {
      this.lastResetRequest = now;
      this.sendResetRequest();
    }
    return undefined;
  }

  /** The PPP header before an IP or MPPE frame (protocols below 0x100, so PFC applies). */
  private headerLength(): number {
    return (this.acfc ? 0 : 2) + (this.pfc ? 1 : 2);
  }
}
