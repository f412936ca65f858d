/** Glue shared by the layers above LCP: an RFC 1661 automaton driven by one protocol's options. */
import type { ControlPacket } from '../wire/ppp-control.js';
import { Fsm, type FsmLimits, type Judgement, type NegotiationResult } from './fsm.js';

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
  return new Fsm(
    protocol,
    name,
    {
      resetOptions: () => options.resetOptions(),
      buildRequest: () => options.buildRequest(),
      judgeRequest: (o, r) => options.judgeRequest(o, r),
      ackReceived: (o) => options.ackReceived?.(o),
      nakReceived: (o) => options.nakReceived(o),
      rejectReceived: (o) => options.rejectReceived(o),
      thisLayerUp: (now) => events.up(now),
      thisLayerDown: (now) => events.down(now),
      thisLayerStarted: () => undefined,
      thisLayerFinished: (now) => events.finished(now),
      extensionCode,
    },
    limits,
    events.send,
  );
}
