/** Glue shared by the layers above LCP: an RFC 1661 automaton driven by one protocol's options. */
import type { ControlPacket } from '../wire/ppp-control.js';
import { Fsm, type FsmCallbacks, type FsmLimits, type Judgement, type NegotiationResult } from './fsm.js';

/** The per-protocol half of pppd's fsm_callbacks: options only. */
export interface ProtocolOptions {
  resetOptions(): void;
  buildRequest(): Uint8Array;
  judgeRequest(options: Uint8Array, rejectIfDisagree: boolean): Judgement;
  ackReceived?(options: Uint8Array): void;
  nakReceived(options: Uint8Array): NegotiationResult;
  rejectReceived(options: Uint8Array): NegotiationResult;
}

/** What the session hears from a layer. */
export interface LayerEvents {
  send(protocol: number, packet: Uint8Array): void;
  up(now: number): void;
  down(now: number): void;
  finished(now: number): void;
}

export function layerFsm(
  protocol: number,
  name: string,
  options: ProtocolOptions,
  limits: FsmLimits,
  events: LayerEvents,
  extensionCode?: (packet: ControlPacket, now: number) => boolean,
): Fsm {
  return new Fsm(protocol, name, new LayerCallbacks(options, events, extensionCode), limits, events.send);
}

/**
 * The option half of the automaton's callbacks, forwarded to a protocol's options: shared by LCP and
 * the layers above it. Methods of one object rather than a closure each, since every session builds
 * three of these.
 */
export abstract class OptionCallbacks<O extends ProtocolOptions> implements FsmCallbacks {
  constructor(readonly options: O) {}

  resetOptions(): void {
    this.options.resetOptions();
  }
  buildRequest(): Uint8Array {
    return this.options.buildRequest();
  }
  judgeRequest(options: Uint8Array, rejectIfDisagree: boolean): Judgement {
    return this.options.judgeRequest(options, rejectIfDisagree);
  }
  ackReceived(options: Uint8Array): void {
    this.options.ackReceived?.(options);
  }
  nakReceived(options: Uint8Array): NegotiationResult {
    return this.options.nakReceived(options);
  }
  rejectReceived(options: Uint8Array): NegotiationResult {
    return this.options.rejectReceived(options);
  }
  abstract thisLayerUp(now: number): void;
  abstract thisLayerDown(now: number): void;
  abstract thisLayerStarted(now: number): void;
  abstract thisLayerFinished(now: number): void;
}

/** A layer above LCP: its options plus the session's events. */
class LayerCallbacks extends OptionCallbacks<ProtocolOptions> {
  constructor(
    options: ProtocolOptions,
    private readonly events: LayerEvents,
    readonly extensionCode: ((packet: ControlPacket, now: number) => boolean) | undefined,
  ) {
    super(options);
  }

  thisLayerUp(now: number): void {
    this.events.up(now);
  }
  thisLayerDown(now: number): void {
    this.events.down(now);
  }
  thisLayerStarted(): void {}
  thisLayerFinished(now: number): void {
    this.events.finished(now);
  }
}
