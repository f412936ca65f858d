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
    const encryptor = this.encryptor;
    if (encryptor === undefined) return this.encrypting ? undefined : this.frame(PppProtocol.IP, packet);
    const plain = new Uint8Array(packet.length + 2);
    plain[1] = PppProtocol.IP;
    plain.set(packet, 2);
    return this.frame(PppProtocol.CompressedDatagram, encryptor.encrypt(plain));
  }

  /** Decrypt an MPPE packet (after protocol 00fd): the IPv4 datagram it carries, or undefined. */
  decrypt(packet: Uint8Array, now: number): Uint8Array | undefined {
    const decryptor = this.decryptor;
    if (decryptor === undefined) {
      this.counters.discardedFrames++;
      return undefined;
    }
    const result = decryptor.decrypt(packet);
    if (result instanceof Uint8Array) {
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

  private frame(protocol: number, body: Uint8Array): Uint8Array {
    const header = (this.acfc ? 0 : 2) + (this.pfc ? 1 : 2);
    const out = new Uint8Array(header + body.length);
    writePppHeader(out, 0, protocol, { acfc: this.acfc, pfc: this.pfc });
    out.set(body, header);
    return out;
  }
}
