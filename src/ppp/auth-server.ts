/**
 * The authenticator side of the Authenticate phase (RFC 1661 §3.5): PAP (RFC 1334 §2) waits for
 * Authenticate-Request; CHAP (RFC 1994 §4), MS-CHAP v1 (RFC 2433) and v2 (RFC 2759) send a random
 * Challenge and retransmit it. The password check is not done here: the response becomes an
 * AuthRequest for the back end, and the session answers with finish(). Repeated Responses after
 * the answer get the same answer again (RFC 1994 §4.2).
 */
import type { AuthRequest, AuthResult, AuthType } from '../aaa/authenticator.js';
import { toHex } from '../wire/bytes.js';
import {
  decodeChapPacket,
  decodeMschapV1Response,
  decodeMschapV2Response,
  encodeChapPacket,
  formatMschapFailure,
  formatMschapV2Success,
} from '../wire/chap.js';
import { isDecodeError } from '../wire/errors.js';
import { decodePapPacket, encodePapPacket } from '../wire/pap.js';
import { PppProtocol } from '../wire/ppp.js';

/** An AuthRequest without the context the server adds (Omit applied to each member of the union). */
export type PeerAuthRequest = AuthRequest extends infer R ? (R extends AuthRequest ? Omit<R, 'context'> : never) : never;

export interface AuthServerSettings {
  type: AuthType;
  /** Our name in CHAP Challenges. */
  name: string;
  random(n: number): Uint8Array;
  restartMs: number;
  maxConfigure: number;
}

export interface AuthServerEvents {
  send(protocol: number, packet: Uint8Array): void;
  /** The peer answered: check this with the back end. */
  authenticate(request: PeerAuthRequest): void;
  /** The peer never answered. */
  timedOut(now: number): void;
  log(message: string): void;
}

const enc = new TextEncoder();

/**
 * The answer sent (Success/Failure, PAP Ack/Nak), kept for the peer's repeats of the answered
 * Response (RFC 1994 §4.2, RFC 1334 §2.2.1). Once the answer is out this is all a session still
 * needs of the exchange, so it can drop the challenge, the request and the AuthServer itself.
 */
export class AuthAnswer {
  constructor(
    readonly protocol: number,
    readonly identifier: number,
    readonly packet: Uint8Array,
  ) {}

  /** The answer again if `info` repeats the Response / Authenticate-Request it answered. */
  repeatFor(protocol: number, info: Uint8Array): Uint8Array | undefined {
    if (protocol !== this.protocol) return undefined;
    const p = protocol === PppProtocol.PAP ? decodePapPacket(info) : decodeChapPacket(info);
    if (isDecodeError(p) || p.code !== (protocol === PppProtocol.PAP ? 1 : 2)) return undefined;
    return p.identifier === this.identifier ? this.packet : undefined;
  }
}
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

export class AuthServer {
  /** waiting: for the peer; checking: with the back end; done: answered. */
  phase: 'waiting' | 'checking' | 'done' = 'waiting';
  deadline: number | undefined;
  private identifier: number;
  private challenge: Uint8Array = new Uint8Array(0);
  private transmissions = 0;
  private answer: AuthAnswer | undefined;
  private request: PeerAuthRequest | undefined;

  constructor(
    private readonly settings: AuthServerSettings,
    private readonly events: AuthServerEvents,
  ) {
    this.identifier = settings.random(1)[0];
  }

  get type(): AuthType {
    return this.settings.type;
  }

  start(now: number): void {
    if (this.settings.type === 'pap') {
      // RFC 1334 §2.1: the peer sends; we only bound the wait.
      this.deadline = now + this.settings.restartMs * this.settings.maxConfigure;
      return;
    }
    this.challenge = this.settings.random(this.settings.type === 'mschap-v1' ? 8 : 16);
    this.sendChallenge(now);
  }

  handleTimeout(now: number): void {
    if (this.deadline === undefined || now < this.deadline) return;
    this.deadline = undefined;
    if (this.phase !== 'waiting') return;
    if (this.settings.type !== 'pap' && this.transmissions < this.settings.maxConfigure) this.sendChallenge(now);
    else this.events.timedOut(now);
  }

  input(protocol: number, info: Uint8Array): void {
    if (this.settings.type === 'pap') {
      if (protocol === PppProtocol.PAP) this.papInput(info);
    } else if (protocol === PppProtocol.CHAP) this.chapInput(info);
  }

  /** The session's verdict: send Success/Failure (or PAP Ack/Nak) once and remember it for repeats. */
  finish(accepted: boolean, result: AuthResult): void {
    if (this.phase !== 'checking') return;
    this.phase = 'done';
    this.deadline = undefined;
    const type = this.settings.type;
    const id = this.identifier;
    let packet: Uint8Array;
    if (type === 'pap') {
      const message = enc.encode(result.replyMessage ?? (accepted ? 'Access granted' : 'Authentication failure'));
      packet = encodePapPacket({ code: accepted ? 2 : 3, identifier: id, message });
    } else {
      const text = accepted ? this.successText(result) : this.failureText(result);
      packet = encodeChapPacket({ code: accepted ? 3 : 4, identifier: id, message: enc.encode(text) });
    }
    const protocol = type === 'pap' ? PppProtocol.PAP : PppProtocol.CHAP;
    this.answer = new AuthAnswer(protocol, id, packet);
    this.request = undefined; // answered: repeats get `answer`; the response need not live as long as the session
    this.events.send(protocol, packet);
  }

  private successText(result: AuthResult): string {
    const message = result.replyMessage ?? 'Access granted';
    if (this.settings.type === 'mschap-v2') {
      return formatMschapV2Success({ authenticatorResponse: result.authenticatorResponse ?? '', message });
    }
    return message;
  }

  private failureText(result: AuthResult): string {
    const message = result.replyMessage ?? 'Authentication failure';
    if (this.settings.type === 'chap-md5') return message;
    // RFC 2759 §6 / RFC 2433 §3.4; R=0: vpdn allows no retry with the same challenge.
    return formatMschapFailure({ error: result.mschapError ?? 691, retry: false, challenge: this.challenge, version: 3, message });
  }

  private sendChallenge(now: number): void {
    if (this.transmissions > 0) this.events.log(`CHAP Challenge retransmitted (id ${this.identifier})`);
    this.transmissions++;
    const packet = encodeChapPacket({ code: 1, identifier: this.identifier, value: this.challenge, name: enc.encode(this.settings.name) });
    this.events.send(PppProtocol.CHAP, packet);
    this.deadline = now + this.settings.restartMs;
  }

  /** The answer once finish() sent it. */
  get answered(): AuthAnswer | undefined {
    return this.answer;
  }

  private repeatAnswer(identifier: number): void {
    if (this.answer && this.answer.identifier === identifier) this.events.send(this.answer.protocol, this.answer.packet);
  }

  private papInput(info: Uint8Array): void {
    const packet = decodePapPacket(info);
    if (isDecodeError(packet) || packet.code !== 1) return;
    if (this.phase === 'done') return this.repeatAnswer(packet.identifier);
    if (this.phase === 'checking') return;
    this.identifier = packet.identifier;
    this.check({ method: 'pap', username: latin1(packet.peerId), password: packet.password.slice() });
  }

  private chapInput(info: Uint8Array): void {
    const packet = decodeChapPacket(info);
    if (isDecodeError(packet) || packet.code !== 2) return;
    if (this.phase === 'done') return this.repeatAnswer(packet.identifier);
    if (this.phase === 'checking' || packet.identifier !== this.identifier) return;
    const username = latin1(packet.name);
    const { value } = packet;
    const challenge = this.challenge;
    switch (this.settings.type) {
      case 'chap-md5':
        if (value.length !== 16) return this.events.log(`CHAP Response of ${value.length} octets ignored`);
        return this.check({ method: 'chap-md5', username, id: packet.identifier, challenge, response: value.slice() });
      case 'mschap-v1': {
        const r = decodeMschapV1Response(value);
        if (isDecodeError(r)) return this.events.log(r.toString());
        return this.check({
          method: 'mschap-v1',
          username,
          id: packet.identifier,
          challenge,
          lmResponse: r.lmResponse.slice(),
          ntResponse: r.ntResponse.slice(),
          useNtResponse: r.useNtResponse,
        });
      }
      case 'mschap-v2': {
        const r = decodeMschapV2Response(value);
        if (isDecodeError(r)) return this.events.log(r.toString());
        return this.check({
          method: 'mschap-v2',
          username,
          id: packet.identifier,
          authenticatorChallenge: challenge,
          peerChallenge: r.peerChallenge.slice(),
          ntResponse: r.ntResponse.slice(),
          flags: r.flags,
        });
      }
    }
  }

  private check(request: PeerAuthRequest): void {
    this.phase = 'checking';
    this.deadline = undefined;
    this.request = request;
    this.events.authenticate(request);
  }

  /** The request the back end is checking (for logs), once the peer answered. */
  get pendingRequest(): PeerAuthRequest | undefined {
    return this.request;
  }

  /** The challenge we sent, as hex, for debug output. */
  get challengeHex(): string {
    return toHex(this.challenge);
  }
}
