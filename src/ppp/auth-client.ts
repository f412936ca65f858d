/**
 * The peer side of the Authenticate phase: answers PAP (RFC 1334 §2.2, retransmitting its
 * Authenticate-Request), CHAP-MD5 (RFC 1994 §4.1), MS-CHAP v1 (RFC 2433 §3.2) and v2 (RFC 2759 §4),
 * repeating its Response until the authenticator answers (RFC 1994 §4.2). For v2 it checks the
 * authenticator response "S=" (RFC 2759 §5) so a server that does not know the password fails.
 * On success it gives the MPPE master keys MS-CHAP yields (RFC 3079), as the client uses them.
 */
import { createHash } from 'node:crypto';
import type { AuthType, MppeKeys } from '../aaa/authenticator.js';
import {
  decodeChapPacket,
  encodeChapPacket,
  encodeMschapV1Response,
  encodeMschapV2Response,
  parseMschapFailure,
  parseMschapV2Success,
} from '../wire/chap.js';
import { isDecodeError } from '../wire/errors.js';
import { decodePapPacket, encodePapPacket } from '../wire/pap.js';
import { PppProtocol } from '../wire/ppp.js';
import { bytesEqual } from './fsm.js';
import { mschapV1MasterKeys, mschapV2MasterKeys } from './mppe-keys.js';
import {
  authenticatorResponse,
  challengeHash,
  challengeResponse,
  hashNtPasswordHash,
  mschapV1NtResponse,
  ntPasswordHash,
  timingSafeEqualBytes,
} from './mschap.js';

export interface AuthClientSettings {
  type: AuthType;
  username: string;
  password: string;
  random(n: number): Uint8Array;
  restartMs: number;
  maxConfigure: number;
}

export type AuthClientOutcome = { success: true; mppeKeys?: MppeKeys; message: string } | { success: false; reason: string };

export interface AuthClientEvents {
  send(protocol: number, packet: Uint8Array): void;
  finished(outcome: AuthClientOutcome, now: number): void;
}

const enc = new TextEncoder();
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

export class AuthClient {
  deadline: number | undefined;
  done = false;
  private transmissions = 0;
  private sent: { protocol: number; packet: Uint8Array; identifier: number } | undefined;
  private challenge: Uint8Array | undefined;
  // MS-CHAP v2 state for checking S= and deriving keys.
  private ntResponse: Uint8Array | undefined;
  private expectedS: Uint8Array | undefined;
  private passwordHashHash: Uint8Array | undefined;

  constructor(
    private readonly settings: AuthClientSettings,
    private readonly events: AuthClientEvents,
  ) {}

  start(now: number): void {
    if (this.settings.type === 'pap') {
      const identifier = this.settings.random(1)[0];
      const packet = encodePapPacket({
        code: 1,
        identifier,
        peerId: enc.encode(this.settings.username),
        password: enc.encode(this.settings.password),
      });
      this.sent = { protocol: PppProtocol.PAP, packet, identifier };
      this.transmit(now);
    } else {
      // Wait for the Challenge; the authenticator retransmits it (RFC 1994 §4.1).
      this.deadline = now + this.settings.restartMs * this.settings.maxConfigure;
    }
  }

  handleTimeout(now: number): void {
    if (this.done || this.deadline === undefined || now < this.deadline) return;
    this.deadline = undefined;
    if (this.sent && this.transmissions < this.settings.maxConfigure) this.transmit(now);
    else this.finish({ success: false, reason: 'the authenticator did not answer' }, now);
  }

  input(protocol: number, info: Uint8Array, now: number): void {
    if (this.done) return;
    if (protocol === PppProtocol.PAP && this.settings.type === 'pap') this.papInput(info, now);
    else if (protocol === PppProtocol.CHAP && this.settings.type !== 'pap') this.chapInput(info, now);
  }

  private transmit(now: number): void {
    this.transmissions++;
    this.events.send(this.sent!.protocol, this.sent!.packet);
    this.deadline = now + this.settings.restartMs;
  }

  private finish(outcome: AuthClientOutcome, now: number): void {
    this.done = true;
    this.deadline = undefined;
    this.events.finished(outcome, now);
  }

  private papInput(info: Uint8Array, now: number): void {
    const packet = decodePapPacket(info);
    if (isDecodeError(packet) || packet.code === 1 || packet.identifier !== this.sent?.identifier) return;
    const message = latin1(packet.message);
    if (packet.code === 2) this.finish({ success: true, message }, now);
    else this.finish({ success: false, reason: `PAP Authenticate-Nak: ${message}` }, now);
  }

  private chapInput(info: Uint8Array, now: number): void {
    const packet = decodeChapPacket(info);
    if (isDecodeError(packet)) return;
    switch (packet.code) {
      case 1:
        return this.answerChallenge(packet.identifier, packet.value, now);
      case 3:
      case 4:
        if (packet.identifier !== this.sent?.identifier) return;
        return packet.code === 3 ? this.success(latin1(packet.message), now) : this.failure(latin1(packet.message), now);
    }
  }

  private answerChallenge(identifier: number, value: Uint8Array, now: number): void {
    if (this.sent && this.sent.identifier === identifier && this.challenge && bytesEqual(this.challenge, value)) {
      this.transmit(now); // the same Challenge again: our Response was lost
      return;
    }
    const { type, username, password } = this.settings;
    let response: Uint8Array;
    if (type === 'chap-md5') {
      // RFC 1994 §4.1: MD5(Identifier || secret || Challenge).
      response = createHash('md5').update(Uint8Array.of(identifier)).update(enc.encode(password)).update(value).digest();
    } else if (type === 'mschap-v1') {
      if (value.length !== 8) return;
      response = encodeMschapV1Response({ lmResponse: new Uint8Array(24), ntResponse: mschapV1NtResponse(value, password), useNtResponse: true });
    } else {
      if (value.length !== 16) return;
      const peerChallenge = this.settings.random(16);
      // RFC 2759 §8.1 GenerateNTResponse and §8.7 GenerateAuthenticatorResponse share the password
      // hash and the challenge hash: each is computed once.
      const passwordHash = ntPasswordHash(password);
      const challenge = challengeHash(peerChallenge, value, username);
      const ntResponse = challengeResponse(challenge, passwordHash);
      this.ntResponse = ntResponse;
      this.passwordHashHash = hashNtPasswordHash(passwordHash);
      this.expectedS = enc.encode(authenticatorResponse(this.passwordHashHash, ntResponse, challenge));
      response = encodeMschapV2Response({ peerChallenge, ntResponse });
    }
    this.challenge = value.slice();
    this.transmissions = 0;
    this.sent = { protocol: PppProtocol.CHAP, packet: encodeChapPacket({ code: 2, identifier, value: response, name: enc.encode(username) }), identifier };
    this.transmit(now);
  }

  private success(message: string, now: number): void {
    const { type, password } = this.settings;
    const hashHash = (): Uint8Array => hashNtPasswordHash(ntPasswordHash(password));
    if (type === 'mschap-v2') {
      const parsed = parseMschapV2Success(message.trim());
      if (isDecodeError(parsed) || !this.expectedS) {
        return this.finish({ success: false, reason: 'MS-CHAP v2 Success without an authenticator response' }, now);
      }
      if (!timingSafeEqualBytes(enc.encode(parsed.authenticatorResponse), this.expectedS)) {
        return this.finish({ success: false, reason: 'the server failed MS-CHAP v2 mutual authentication (wrong S=)' }, now);
      }
      const mppeKeys = mschapV2MasterKeys(this.passwordHashHash!, this.ntResponse!, 'client');
      return this.finish({ success: true, mppeKeys, message: parsed.message ?? '' }, now);
    }
    if (type === 'mschap-v1') {
      return this.finish({ success: true, mppeKeys: mschapV1MasterKeys(hashHash(), this.challenge!), message }, now);
    }
    this.finish({ success: true, message }, now);
  }

  private failure(message: string, now: number): void {
    if (this.settings.type === 'chap-md5') return this.finish({ success: false, reason: `CHAP Failure: ${message}` }, now);
    const parsed = parseMschapFailure(message.trim());
    const detail = isDecodeError(parsed) ? message : `error ${parsed.error}${parsed.message ? `: ${parsed.message}` : ''}`;
    this.finish({ success: false, reason: `MS-CHAP Failure, ${detail}` }, now);
  }
}
