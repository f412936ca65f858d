/**
 * The option negotiation automaton of RFC 1661 §4, shared by LCP, IPCP and CCP the way pppd's
 * fsm.c is: the automaton owns states, the restart timer and counters (§4.6), and calls back into
 * the protocol (FsmCallbacks) to build our Configure-Request, judge the peer's and take in its
 * Nak/Reject of ours. Sans-IO: time comes in as `now` (ms), packets leave through `output`.
 */
import { ControlCode, decodeControlPacket, encodeControlPacket, type ControlPacket } from '../wire/ppp-control.js';
import { isDecodeError } from '../wire/errors.js';
import { TRANSITIONS, type FsmAction, type FsmEvent, type FsmState } from './fsm-table.js';

export type { FsmState, FsmEvent } from './fsm-table.js';

/** RFC 1661 §4.6 counters and timer. */
export interface FsmLimits {
  restartMs: number;
  maxConfigure: number;
  maxTerminate: number;
  maxFailure: number;
}

export const DEFAULT_LIMITS: FsmLimits = { restartMs: 3000, maxConfigure: 10, maxTerminate: 2, maxFailure: 5 };

/** How we answer the peer's Configure-Request: the code and the options to send back. */
export interface Judgement {
  code: typeof ControlCode.ConfigureAck | typeof ControlCode.ConfigureNak | typeof ControlCode.ConfigureReject;
  /** For Nak/Reject; an Ack always echoes the request as received (RFC 1661 §5.2). */
  options: Uint8Array;
}

/** What a Nak/Reject of our request led to; give-up closes the layer with the reason. */
export type NegotiationResult = 'accept' | 'discard' | { giveUp: string };

export interface FsmCallbacks {
  /** Start a fresh negotiation of our options (pppd resetci). Must not touch what judgeRequest records. */
  resetOptions(): void;
  /** The options of our next Configure-Request. */
  buildRequest(): Uint8Array;
  /** Judge the peer's request; with rejectIfDisagree (Max-Failure reached) turn Naks into Rejects (§4.6). */
  judgeRequest(options: Uint8Array, rejectIfDisagree: boolean): Judgement;
  /** Our request was acknowledged (its options equal the last buildRequest()). */
  ackReceived?(options: Uint8Array): void;
  nakReceived(options: Uint8Array): NegotiationResult;
  rejectReceived(options: Uint8Array): NegotiationResult;
  thisLayerUp(now: number): void;
  thisLayerDown(now: number): void;
  thisLayerStarted(now: number): void;
  thisLayerFinished(now: number): void;
  /** Codes beyond 1-7 (LCP 8-13, CCP 14-15); false = unknown code, answered by Code-Reject. */
  extensionCode?(packet: ControlPacket, now: number): boolean;
  /** A Code-Reject of an extension code: true = RXJ+ (permitted), false = RXJ- (catastrophic). */
  codeRejectPermitted?(code: number): boolean;
  /** A Terminate-Request arrived (after it was answered); `before` is the state it found. */
  terminateRequested?(before: FsmState, now: number): void;
}

interface EventContext {
  /** Identifier of the packet being answered (sca, scn, sta). */
  identifier?: number;
  reply?: { code: number; options: Uint8Array };
  rejected?: Uint8Array;
  retransmit?: boolean;
  echo?: () => void;
}

const NEGOTIATING: ReadonlySet<FsmState> = new Set(['req-sent', 'ack-rcvd', 'ack-sent']);
const TIMER_RUNS: ReadonlySet<FsmState> = new Set(['closing', 'stopping', 'req-sent', 'ack-rcvd', 'ack-sent']);
const EMPTY = new Uint8Array(0);
const UTF8 = new TextEncoder();

/*
 * Option octets the automaton keeps for the life of the link (our last Configure-Request, the last
 * Ack and Nak we sent) are held as byte strings: a Uint8Array is a view plus an ArrayBuffer, about
 * 200 octets of heap for a few option octets, and every session keeps these for three automata.
 */
function keep(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function keptEquals(kept: string, bytes: Uint8Array): boolean {
  if (kept.length !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (kept.charCodeAt(i) !== bytes[i]) return false;
  return true;
}

function keptBytes(kept: string): Uint8Array {
  const out = new Uint8Array(kept.length);
  for (let i = 0; i < kept.length; i++) out[i] = kept.charCodeAt(i);
  return out;
}

export class Fsm {
  state: FsmState = 'initial';
  /** Absolute time (ms) the restart timer fires, when it runs. */
  deadline: number | undefined;
  /** The peer's MRU: a Code-Reject is cut to fit (RFC 1661 §5.6). */
  peerMru = 1500;
  /** Data of the last Terminate-Request received (the peer's reason, often text). */
  peerTerminateReason: Uint8Array | undefined;

  private restartCount = 0;
  private nakLoops = 0;
  private identifier = 0;
  private requestId = -1;
  private requestOptions = '';
  private replySeen = false;
  /** Identifier and options of the last Configure-Ack / -Nak we sent; -1 when none. */
  private lastAckId = -1;
  private lastAckOptions = '';
  private lastNakId = -1;
  private lastNakOptions = '';
  private terminateReason: Uint8Array = EMPTY;

  constructor(
    readonly protocol: number,
    readonly name: string,
    private readonly callbacks: FsmCallbacks,
    private readonly limits: FsmLimits,
    private readonly output: (protocol: number, packet: Uint8Array) => void,
  ) {}

  get opened(): boolean {
    return this.state === 'opened';
  }

  // Administrative and lower-layer events (RFC 1661 §4.3).
  up(now: number): void {
    this.run('Up', now, {});
  }
  down(now: number): void {
    this.run('Down', now, {});
  }
  open(now: number): void {
    this.run('Open', now, {});
  }
  close(now: number, reason = ''): void {
    this.terminateReason = UTF8.encode(reason);
    this.run('Close', now, {});
  }
  /** RXJ-: our protocol was Protocol-Rejected by the peer (RFC 1661 §5.7). */
  protocolRejected(now: number): void {
    this.run('RXJ-', now, {});
  }
  /** RXR: Echo-Request/-Reply or Discard-Request; `reply` runs as the ser action (Opened only). */
  echoLike(now: number, reply: () => void): void {
    this.run('RXR', now, { echo: reply });
  }

  handleTimeout(now: number): void {
    if (this.deadline === undefined || now < this.deadline) return;
    this.deadline = undefined;
    this.run(this.restartCount > 0 ? 'TO+' : 'TO-', now, { retransmit: true });
  }

  /** Send a packet of an extension code (Echo-Reply, Reset-Ack, ...) with a given or fresh identifier. */
  sendPacket(code: number, data: Uint8Array, identifier?: number): void {
    this.output(this.protocol, encodeControlPacket(code, identifier ?? this.nextIdentifier(), data));
  }

  nextIdentifier(): number {
    this.identifier = (this.identifier + 1) & 0xff;
    return this.identifier;
  }

  /** A packet of this protocol (the PPP information field). Malformed packets are dropped (false). */
  input(info: Uint8Array, now: number): boolean {
    const packet = decodeControlPacket(info, this.name);
    if (isDecodeError(packet)) return false;
    if (this.state === 'initial' || this.state === 'starting') return false;
    const { code, identifier, data } = packet;
    switch (code) {
      case ControlCode.ConfigureRequest:
        this.receiveConfigureRequest(identifier, data, now);
        break;
      case ControlCode.ConfigureAck:
        this.receiveConfigureAck(identifier, data, now);
        break;
      case ControlCode.ConfigureNak:
      case ControlCode.ConfigureReject:
        this.receiveNakOrReject(code, identifier, data, now);
        break;
      case ControlCode.TerminateRequest:
      {
        const before = this.state;
        this.peerTerminateReason = data.slice();
        this.run('RTR', now, { identifier });
        this.callbacks.terminateRequested?.(before, now);
        break;
      }
      case ControlCode.TerminateAck:
        this.run('RTA', now, {});
        break;
      case ControlCode.CodeReject: {
        // RFC 1661 §5.6: rejecting codes 1-7 means the peer cannot work with us at all.
        const rejectedCode = data.length > 0 ? data[0] : 0;
        const permitted = rejectedCode > 7 && (this.callbacks.codeRejectPermitted?.(rejectedCode) ?? true);
        this.run(permitted ? 'RXJ+' : 'RXJ-', now, {});
        break;
      }
      default:
        if (this.callbacks.extensionCode?.(packet, now)) break;
        this.run('RUC', now, { rejected: info.subarray(0, 4 + data.length) });
    }
    return true;
  }

  private receiveConfigureRequest(identifier: number, data: Uint8Array, now: number): void {
    if (this.state === 'closed' || this.state === 'closing' || this.state === 'stopping') {
      this.run('RCR+', now, { identifier }); // sta in Closed, ignored while terminating: no judging.
      return;
    }
    // A retransmission of the request we acked (our Ack was lost): ack again instead of renegotiating.
    if (this.state === 'opened' && this.lastAckId === identifier && keptEquals(this.lastAckOptions, data)) {
      this.output(this.protocol, encodeControlPacket(ControlCode.ConfigureAck, identifier, data));
      return;
    }
    if (this.state === 'stopped' || this.state === 'opened') this.nakLoops = 0;
    const judgement = this.callbacks.judgeRequest(data, this.nakLoops >= this.limits.maxFailure);
    const ack = judgement.code === ControlCode.ConfigureAck;
    const reply = { code: judgement.code, options: ack ? data : judgement.options };
    this.run(ack ? 'RCR+' : 'RCR-', now, { identifier, reply });
    if (ack) {
      this.nakLoops = 0;
      this.lastNakId = -1;
      this.lastNakOptions = '';
    } else if (judgement.code === ControlCode.ConfigureNak) {
      // Max-Failure (§4.6) measures non-convergence: a retransmission of the request we Nak'ed
      // (our Nak was lost) does not count again.
      if (this.lastNakId !== identifier || !keptEquals(this.lastNakOptions, data)) this.nakLoops++;
      this.lastNakId = identifier;
      this.lastNakOptions = keep(data);
    }
  }

  private receiveConfigureAck(identifier: number, data: Uint8Array, now: number): void {
    if (identifier !== this.requestId || this.replySeen) return;
    if (!keptEquals(this.requestOptions, data)) return; // RFC 1661 §5.2: must match exactly.
    this.replySeen = true;
    if (NEGOTIATING.has(this.state)) this.callbacks.ackReceived?.(data);
    this.run('RCA', now, { identifier });
  }

  private receiveNakOrReject(code: number, identifier: number, data: Uint8Array, now: number): void {
    if (identifier !== this.requestId || this.replySeen) return;
    if (!NEGOTIATING.has(this.state) && this.state !== 'opened') {
      this.run('RCN', now, { identifier });
      return;
    }
    const result = code === ControlCode.ConfigureNak ? this.callbacks.nakReceived(data) : this.callbacks.rejectReceived(data);
    if (result === 'discard') return;
    this.replySeen = true;
    if (result !== 'accept') {
      this.close(now, result.giveUp);
      return;
    }
    this.run('RCN', now, { identifier });
  }

  private run(event: FsmEvent, now: number, context: EventContext): void {
    const transition = TRANSITIONS[event][this.state];
    if (!transition) return;
    const from = this.state;
    this.state = transition.next;
    if (!TIMER_RUNS.has(transition.next)) this.deadline = undefined;
    for (const action of transition.actions) this.act(action, from, transition.actions, now, context);
  }

  private act(action: FsmAction, from: FsmState, actions: readonly FsmAction[], now: number, context: EventContext): void {
    switch (action) {
      case 'tlu':
        this.callbacks.thisLayerUp(now);
        break;
      case 'tld':
        this.callbacks.thisLayerDown(now);
        break;
      case 'tls':
        this.callbacks.thisLayerStarted(now);
        break;
      case 'tlf':
        this.callbacks.thisLayerFinished(now);
        break;
      case 'irc':
        this.restartCount = actions.includes('str') ? this.limits.maxTerminate : this.limits.maxConfigure;
        break;
      case 'zrc':
        this.restartCount = 0;
        this.deadline = now + this.limits.restartMs;
        break;
      case 'scr':
        this.sendConfigureRequest(from, now, context.retransmit === true);
        break;
      case 'sca':
      case 'scn': {
        const reply = context.reply!;
        this.output(this.protocol, encodeControlPacket(reply.code, context.identifier!, reply.options));
        if (action === 'sca') {
          this.lastAckId = context.identifier!;
          this.lastAckOptions = keep(reply.options);
        }
        break;
      }
      case 'str':
        this.requestId = this.nextIdentifier();
        this.output(this.protocol, encodeControlPacket(ControlCode.TerminateRequest, this.requestId, this.terminateReason));
        this.restartCount--;
        this.deadline = now + this.limits.restartMs;
        break;
      case 'sta':
        this.output(this.protocol, encodeControlPacket(ControlCode.TerminateAck, context.identifier ?? this.nextIdentifier(), EMPTY));
        break;
      case 'scj': {
        const room = Math.max(0, this.peerMru - 4);
        this.output(this.protocol, encodeControlPacket(ControlCode.CodeReject, this.nextIdentifier(), context.rejected!.subarray(0, room)));
        break;
      }
      case 'ser':
        context.echo?.();
        break;
    }
  }

  private sendConfigureRequest(from: FsmState, now: number, retransmit: boolean): void {
    if (!retransmit) {
      if (!NEGOTIATING.has(from)) {
        this.callbacks.resetOptions();
        this.nakLoops = 0;
      }
      this.requestId = this.nextIdentifier();
      this.requestOptions = keep(this.callbacks.buildRequest());
    }
    this.replySeen = false;
    this.output(this.protocol, encodeControlPacket(ControlCode.ConfigureRequest, this.requestId, keptBytes(this.requestOptions)));
    this.restartCount--;
    this.deadline = now + this.limits.restartMs;
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
