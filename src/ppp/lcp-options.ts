/**
 * LCP option negotiation (RFC 1661 §6, RFC 1334 §2.2, RFC 1994 §3): what vpdn asks for, how it
 * judges the peer's options and how it follows Naks and Rejects. The server asks the client to
 * authenticate, offering its types in order and falling back on Configure-Nak; the client accepts
 * an allowed type, Naks with one it allows, or Rejects when it allows none.
 */
import type { AuthType } from '../aaa/authenticator.js';
import { isDecodeError } from '../wire/errors.js';
import { LcpOptionType, authProtocolOption, authTypeOf, decodeLcpOption, encodeLcpOption, type LcpOption } from '../wire/lcp.js';
import { decodeOptions, readU32 } from '../wire/ppp-control.js';
import { AUTH_NAMES, strongest } from './auth-types.js';
import type { Judgement, NegotiationResult } from './fsm.js';
import { RequestJudge } from './judge.js';

/** RFC 1661 §6.1 default MRU, and the least vpdn accepts from a peer (as pppd's MINMRU). */
export const DEFAULT_MRU = 1500;
export const MIN_MRU = 128;
/** Magic-Number Naks tolerated before the link is taken as looped back (pppd's lcp-max-loopback). */
export const MAX_MAGIC_LOOPS = 10;

export interface LcpSettings {
  role: 'server' | 'client';
  mru: number;
  /** Server: offered in this order. Client: the types it allows. */
  authTypes: readonly AuthType[];
  random(n: number): Uint8Array;
}

export class LcpOptions {
  // What we ask for (our receive side).
  magic = 0;
  private requestMru = true;
  private mru: number;
  private requestMagic = true;
  private requestPfc = true;
  private requestAcfc = true;
  private wantedAuth: AuthType | null = null;
  private readonly triedAuth = new Set<AuthType>();
  private magicLoops = 0;

  /** Server: the authentication the peer acknowledged. */
  ackedAuth: AuthType | null = null;
  /** Client: the authentication the peer asked for in the request we acked. */
  peerAuth: AuthType | null = null;
  /** Client: the last authentication protocol the peer asked for was one we Nak'ed or Rejected. */
  refusedAuth = false;
  /** Why negotiation was given up, for the session's down reason. */
  failure: { cause: 'no-common-auth' | 'loopback'; reason: string } | undefined;

  // The peer's options as last judged (its receive side, so our send side).
  peerMru = DEFAULT_MRU;
  peerMagic = 0;
  peerPfc = false;
  peerAcfc = false;

  constructor(private readonly settings: LcpSettings) {
    this.mru = settings.mru;
  }

  resetOptions(): void {
    this.requestMru = this.settings.mru !== DEFAULT_MRU;
    this.mru = this.settings.mru;
    this.requestMagic = true;
    this.requestPfc = true;
    this.requestAcfc = true;
    this.magic = this.newMagic();
    this.magicLoops = 0;
    this.triedAuth.clear();
    this.failure = undefined;
    this.ackedAuth = null;
    this.wantedAuth = this.settings.role === 'server' ? (this.settings.authTypes[0] ?? null) : null;
  }

  buildRequest(): Uint8Array {
    const options: LcpOption[] = [];
    if (this.requestMru) options.push({ type: 'mru', mru: this.mru });
    if (this.wantedAuth) options.push(authProtocolOption(this.wantedAuth));
    if (this.requestMagic) options.push({ type: 'magic-number', magic: this.magic });
    if (this.requestPfc) options.push({ type: 'pfc' });
    if (this.requestAcfc) options.push({ type: 'acfc' });
    const parts = options.map(encodeLcpOption);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }

  ackReceived(): void {
    this.ackedAuth = this.wantedAuth;
  }

  judgeRequest(bytes: Uint8Array, rejectIfDisagree: boolean): Judgement {
    const judge = new RequestJudge(rejectIfDisagree);
    const raws = decodeOptions(bytes, 'LCP');
    if (isDecodeError(raws)) return { code: 4, options: bytes.slice() };
    this.peerMru = DEFAULT_MRU;
    this.peerMagic = 0;
    this.peerPfc = false;
    this.peerAcfc = false;
    this.peerAuth = null;
    for (const raw of raws) {
      const option = decodeLcpOption(raw);
      switch (option.type) {
        case 'mru':
          if (option.mru < MIN_MRU) judge.nak(raw, encodeLcpOption({ type: 'mru', mru: MIN_MRU }));
          else this.peerMru = option.mru;
          break;
        case 'accm':
          break; // meaningless over GRE (RFC 2637 §4.1), acknowledged and ignored
        case 'auth-protocol':
          this.judgeAuth(option.protocol, option.data, raw, judge);
          break;
        case 'magic-number':
          if (option.magic === 0 || (this.requestMagic && option.magic === this.magic)) {
            // RFC 1661 §6.4: zero is invalid; our own number suggests a looped-back link.
            judge.nakAlways(encodeLcpOption({ type: 'magic-number', magic: this.newMagic() }));
          } else this.peerMagic = option.magic;
          break;
        case 'pfc':
          this.peerPfc = true;
          break;
        case 'acfc':
          this.peerAcfc = true;
          break;
        default:
          // Quality-Protocol, Callback, MRRU, Endpoint Discriminator, BACP and unknown options.
          judge.reject(raw);
      }
    }
    return judge.result();
  }

  private judgeAuth(protocol: number, data: Uint8Array, raw: { type: number; data: Uint8Array }, judge: RequestJudge): void {
    if (this.settings.role === 'server') {
      judge.reject(raw); // vpdn does not authenticate itself to clients
      return;
    }
    const asked = authTypeOf(protocol, data);
    if (asked && this.settings.authTypes.includes(asked)) {
      this.peerAuth = asked;
      this.refusedAuth = false;
      return;
    }
    this.refusedAuth = true;
    const offer = strongest(this.settings.authTypes);
    if (offer) judge.nak(raw, encodeLcpOption(authProtocolOption(offer)));
    else judge.reject(raw);
  }

  nakReceived(bytes: Uint8Array): NegotiationResult {
    const raws = decodeOptions(bytes, 'LCP');
    if (isDecodeError(raws)) return 'discard';
    for (const raw of raws) {
      const option = decodeLcpOption(raw);
      switch (option.type) {
        case 'mru':
          if (!this.requestMru) break;
          if (option.mru >= MIN_MRU && option.mru <= this.settings.mru) this.mru = option.mru;
          else this.requestMru = false;
          break;
        case 'auth-protocol': {
          if (!this.wantedAuth) break;
          const next = this.nextAuth(authTypeOf(option.protocol, option.data));
          if (!next) return { giveUp: this.noCommonAuth(authTypeOf(option.protocol, option.data)) };
          this.wantedAuth = next;
          break;
        }
        case 'magic-number':
          if (!this.requestMagic) break;
          if (++this.magicLoops >= MAX_MAGIC_LOOPS) {
            this.failure = { cause: 'loopback', reason: 'the link appears to be looped back' };
            return { giveUp: this.failure.reason };
          }
          this.magic = this.newMagic();
          break;
        default:
          break; // Nak'ed or suggested options we did not ask for are ignored.
      }
    }
    return 'accept';
  }

  rejectReceived(bytes: Uint8Array): NegotiationResult {
    const raws = decodeOptions(bytes, 'LCP');
    if (isDecodeError(raws)) return 'discard';
    for (const raw of raws) {
      switch (raw.type) {
        case LcpOptionType.MaximumReceiveUnit:
          this.requestMru = false;
          break;
        case LcpOptionType.AuthenticationProtocol:
          if (this.wantedAuth) {
            this.failure = { cause: 'no-common-auth', reason: 'peer refused to authenticate (Configure-Reject of Authentication-Protocol)' };
            return { giveUp: this.failure.reason };
          }
          break;
        case LcpOptionType.MagicNumber:
          this.requestMagic = false;
          this.magic = 0;
          break;
        case LcpOptionType.ProtocolFieldCompression:
          this.requestPfc = false;
          break;
        case LcpOptionType.AddressAndControlFieldCompression:
          this.requestAcfc = false;
          break;
      }
    }
    return 'accept';
  }

  /** Server: the peer's suggestion if we offer it and have not tried it, else our next untried type. */
  private nextAuth(suggested: AuthType | undefined): AuthType | undefined {
    const offered = this.settings.authTypes;
    if (this.wantedAuth) this.triedAuth.add(this.wantedAuth);
    if (suggested && offered.includes(suggested) && !this.triedAuth.has(suggested)) return suggested;
    return offered.find((t) => !this.triedAuth.has(t));
  }

  private noCommonAuth(suggested: AuthType | undefined): string {
    const offered = this.settings.authTypes.map((t) => AUTH_NAMES[t]).join(', ');
    const wants = suggested ? AUTH_NAMES[suggested] : 'an authentication protocol vpdn does not support';
    const reason = `no common authentication protocol: peer wants ${wants}, we offer ${offered}`;
    this.failure = { cause: 'no-common-auth', reason };
    return reason;
  }

  private newMagic(): number {
    for (;;) {
      const magic = readU32(this.settings.random(4), 0);
      if (magic !== 0) return magic;
    }
  }
}
