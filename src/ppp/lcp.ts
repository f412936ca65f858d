/**
 * The LCP layer: the RFC 1661 automaton with LCP's options, plus what only LCP has — Protocol-Reject
 * (§5.7), Echo-Request/-Reply and Discard-Request (§5.8-5.9, replies cut to the peer's MRU),
 * Identification and Time-Remaining (RFC 1570, ignored) and an echo keepalive.
 */
import { ControlCode, concatBytes, readU32, u16, u32, type ControlPacket } from '../wire/ppp-control.js';
import { PppProtocol } from '../wire/ppp.js';
import { Fsm, type FsmLimits, type FsmState } from './fsm.js';
import { LcpOptions, type LcpSettings } from './lcp-options.js';
import { OptionCallbacks } from './ncp.js';

export interface LcpEvents {
  send(protocol: number, packet: Uint8Array): void;
  up(now: number): void;
  down(now: number): void;
  finished(now: number): void;
  /** The peer sent Terminate-Request, found in state `before`. */
  terminateRequested(before: FsmState, now: number): void;
  /** The peer Protocol-Rejected one of our protocols (RFC 1661 §5.7). */
  protocolRejected(protocol: number, now: number): void;
  /** The keepalive went unanswered `failures` times. */
  echoTimeout(now: number): void;
  log(message: string): void;
}

export interface KeepaliveSettings {
  intervalMs: number;
  failures: number;
}

/** LCP's automaton and what only LCP does; its option callbacks are OptionCallbacks' (ncp.ts). */
export class Lcp extends OptionCallbacks<LcpOptions> {
  readonly fsm: Fsm;
  private echoDeadline: number | undefined;
  private echoPending = 0;

  constructor(
    settings: LcpSettings,
    limits: FsmLimits,
    private readonly keepalive: KeepaliveSettings,
    private readonly events: LcpEvents,
  ) {
    super(new LcpOptions(settings));
    this.fsm = new Fsm(PppProtocol.LCP, 'LCP', this, limits, events.send);
  }

  // The rest of the automaton's callbacks (RFC 1661 §4.4 actions), called by this.fsm only.
  thisLayerUp(now: number): void {
    this.fsm.peerMru = this.options.peerMru;
    this.startKeepalive(now);
    this.events.up(now);
  }
  thisLayerDown(now: number): void {
    this.echoDeadline = undefined;
    this.events.down(now);
  }
  thisLayerStarted(): void {}
  thisLayerFinished(now: number): void {
    this.events.finished(now);
  }
  terminateRequested(before: FsmState, now: number): void {
    this.events.terminateRequested(before, now);
  }
  codeRejectPermitted(code: number): boolean {
    return code >= ControlCode.EchoRequest && code <= ControlCode.TimeRemaining;
  }

  get deadline(): number | undefined {
    const a = this.fsm.deadline;
    const b = this.echoDeadline;
    if (a === undefined) return b;
    if (b === undefined) return a;
    return Math.min(a, b);
  }

  handleTimeout(now: number): void {
    this.fsm.handleTimeout(now);
    if (this.echoDeadline !== undefined && now >= this.echoDeadline) this.keepaliveTick(now);
  }

  /** Protocol-Reject a frame of a protocol we do not run; only while LCP is Opened (§5.7). */
  rejectProtocol(protocol: number, info: Uint8Array): boolean {
    if (!this.fsm.opened) return false;
    const room = Math.max(0, this.options.peerMru - 6);
    this.fsm.sendPacket(ControlCode.ProtocolReject, concatBytes([u16(protocol), info.subarray(0, room)]));
    return true;
  }

  extensionCode(packet: ControlPacket, now: number): boolean {
    const { code, identifier, data } = packet;
    switch (code) {
      case ControlCode.ProtocolReject:
        if (this.fsm.opened && data.length >= 2) this.events.protocolRejected((data[0] << 8) | data[1], now);
        return true;
      case ControlCode.EchoRequest:
        this.fsm.echoLike(now, () => {
          // Reply with our Magic-Number, the data cut so the packet fits the peer's MRU.
          const room = Math.max(0, this.options.peerMru - 8);
          this.fsm.sendPacket(ControlCode.EchoReply, concatBytes([u32(this.options.magic), data.subarray(4, 4 + room)]), identifier);
        });
        return true;
      case ControlCode.EchoReply:
        this.fsm.echoLike(now, () => {
          if (data.length >= 4 && this.options.magic !== 0 && readU32(data, 0) === this.options.magic) {
            this.events.log('LCP Echo-Reply carries our own Magic-Number: the link may be looped back');
            return;
          }
          this.echoPending = 0;
        });
        return true;
      case ControlCode.DiscardRequest:
        this.fsm.echoLike(now, () => undefined);
        return true;
      case ControlCode.Identification:
      case ControlCode.TimeRemaining: {
        const text = Buffer.from(data.subarray(code === ControlCode.Identification ? 4 : 8)).toString('latin1');
        this.events.log(`LCP ${code === ControlCode.Identification ? 'Identification' : 'Time-Remaining'} ignored: "${text}"`);
        return true;
      }
      default:
        return false;
    }
  }

  private startKeepalive(now: number): void {
    this.echoPending = 0;
    if (this.keepalive.intervalMs > 0 && this.keepalive.failures > 0) this.keepaliveTick(now);
  }

  private keepaliveTick(now: number): void {
    if (!this.fsm.opened) {
      this.echoDeadline = undefined;
      return;
    }
    if (this.echoPending >= this.keepalive.failures) {
      this.echoDeadline = undefined;
      this.events.echoTimeout(now);
      return;
    }
    this.fsm.sendPacket(ControlCode.EchoRequest, u32(this.options.magic));
    this.echoPending++;
    this.echoDeadline = now + this.keepalive.intervalMs;
  }
}
