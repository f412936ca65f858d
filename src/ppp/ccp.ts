/**
 * CCP (RFC 1962) negotiating MPPE (RFC 3078 §2). Our Configure-Request offers every strength we
 * allow (and H when we want stateless mode); the peer Naks with its single choice. We judge the
 * peer's request the same way: the strongest strength both allow, and its H bit unless our policy
 * requires or refuses stateless mode. MPPC (C), 56-bit, D and other compressors are refused. When
 * no agreement is possible the layer gives up (closes); the session then decides whether it can
 * go on without encryption. Reset-Request/-Ack (RFC 1962 §5.1, RFC 3078 §3.3) serve stateful mode.
 */
import { CcpOptionType, decodeCcpOption, encodeCcpOption, mppeBitsOf, mppeFlags } from '../wire/ccp.js';
import { isDecodeError } from '../wire/errors.js';
import { ControlCode, decodeOptions, type ControlPacket } from '../wire/ppp-control.js';
import type { Fsm, Judgement, NegotiationResult } from './fsm.js';
import { RequestJudge } from './judge.js';
import type { ProtocolOptions } from './ncp.js';

export type StatelessPolicy = 'prefer' | 'require' | 'refuse';

/** What one side allows. Server: 'prefer' stateless (it follows the client's H bit). */
export interface MppeNegotiationPolicy {
  allow40: boolean;
  allow128: boolean;
  stateless: StatelessPolicy;
}

/** One direction's agreed MPPE settings. */
export interface MppeSettings {
  bits: 40 | 128;
  stateless: boolean;
}

export class CcpOptions implements ProtocolOptions {
  private requestBits = 0;
  /** What the peer encrypts towards us: our request as acknowledged. */
  receive: MppeSettings | undefined;
  /** What we encrypt towards the peer: the peer's request as we acknowledged it. */
  transmit: MppeSettings | undefined;
  /** Why MPPE could not be agreed, when it could not. */
  failure: string | undefined;

  constructor(private readonly policy: MppeNegotiationPolicy) {}

  resetOptions(): void {
    const { allow40, allow128, stateless } = this.policy;
    this.requestBits = mppeBitsOf({ bits40: allow40, bits128: allow128, stateless: stateless !== 'refuse' });
    this.receive = undefined;
    this.failure = undefined;
  }

  buildRequest(): Uint8Array {
    return encodeCcpOption({ type: 'mppe', bits: this.requestBits });
  }

  ackReceived(): void {
    const f = mppeFlags(this.requestBits);
    this.receive = { bits: f.bits128 ? 128 : 40, stateless: f.stateless };
  }

  judgeRequest(bytes: Uint8Array, rejectIfDisagree: boolean): Judgement {
    const raws = decodeOptions(bytes, 'CCP');
    if (isDecodeError(raws)) return { code: 4, options: bytes.slice() };
    const judge = new RequestJudge(rejectIfDisagree);
    this.transmit = undefined;
    let sawMppe = false;
    for (const raw of raws) {
      const option = decodeCcpOption(raw);
      if (option.type !== 'mppe') {
        judge.reject(raw); // Stac LZS, MPPC-only and every other compressor
        continue;
      }
      sawMppe = true;
      const f = mppeFlags(option.bits);
      const use128 = f.bits128 && this.policy.allow128;
      if (!use128 && !(f.bits40 && this.policy.allow40)) {
        this.failure = `no common MPPE strength (peer offers ${describe(option.bits)}, we allow ${this.allowed()})`;
        judge.reject(raw);
        continue;
      }
      const choice: MppeSettings = { bits: use128 ? 128 : 40, stateless: this.statelessFor(f.stateless) };
      const wanted = mppeBitsOf({ bits40: !use128, bits128: use128, stateless: choice.stateless });
      if (option.bits !== wanted) judge.nak(raw, encodeCcpOption({ type: 'mppe', bits: wanted }));
      else this.transmit = choice;
    }
    if (!sawMppe) {
      // An empty request would leave our direction unencrypted: suggest MPPE (RFC 1661 §5.3).
      const use128 = this.policy.allow128;
      judge.suggest(encodeCcpOption({ type: 'mppe', bits: mppeBitsOf({ bits40: !use128, bits128: use128, stateless: this.statelessFor(true) }) }));
    }
    return judge.result();
  }

  nakReceived(bytes: Uint8Array): NegotiationResult {
    const raws = decodeOptions(bytes, 'CCP');
    if (isDecodeError(raws)) return 'discard';
    for (const raw of raws) {
      const option = decodeCcpOption(raw);
      if (option.type !== 'mppe') continue;
      const f = mppeFlags(option.bits);
      const use128 = f.bits128 && this.policy.allow128;
      if (!use128 && !(f.bits40 && this.policy.allow40)) {
        this.failure = `no common MPPE strength (peer wants ${describe(option.bits)}, we allow ${this.allowed()})`;
        return { giveUp: this.failure };
      }
      if ((f.stateless && this.policy.stateless === 'refuse') || (!f.stateless && this.policy.stateless === 'require')) {
        this.failure = `peer wants ${f.stateless ? 'stateless' : 'stateful'} MPPE, which our policy refuses`;
        return { giveUp: this.failure };
      }
      this.requestBits = mppeBitsOf({ bits40: !use128, bits128: use128, stateless: f.stateless });
    }
    return 'accept';
  }

  rejectReceived(bytes: Uint8Array): NegotiationResult {
    const raws = decodeOptions(bytes, 'CCP');
    if (isDecodeError(raws)) return 'discard';
    if (raws.some((r) => r.type === CcpOptionType.Mppe)) {
      this.failure = 'peer rejected MPPE';
      return { giveUp: this.failure };
    }
    return 'accept';
  }

  private statelessFor(peerAsks: boolean): boolean {
    if (this.policy.stateless === 'require') return true;
    if (this.policy.stateless === 'refuse') return false;
    return peerAsks;
  }

  private allowed(): string {
    return describe(mppeBitsOf({ bits40: this.policy.allow40, bits128: this.policy.allow128, stateless: false }));
  }
}

/** Reset-Request/-Ack (RFC 1962 §5.1-5.2) on an Opened CCP. */
export function ccpResetHandler(fsm: () => Fsm, resetRequested: (now: number) => void): (packet: ControlPacket, now: number) => boolean {
  return (packet, now) => {
    if (packet.code === ControlCode.ResetRequest) {
      if (fsm().opened) {
        resetRequested(now);
        fsm().sendPacket(ControlCode.ResetAck, new Uint8Array(0), packet.identifier);
      }
      return true;
    }
    return packet.code === ControlCode.ResetAck; // nothing to do: the decryptor resynchronises on the flushed packet
  };
}

function describe(bits: number): string {
  const f = mppeFlags(bits);
  const names = [f.bits128 && '128-bit', f.bits56 && '56-bit', f.bits40 && '40-bit', f.mppc && 'MPPC'].filter(Boolean);
  return names.length > 0 ? names.join('/') : 'nothing';
}
