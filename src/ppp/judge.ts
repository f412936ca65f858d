/**
 * Builds the answer to a peer's Configure-Request (RFC 1661 §5.2-5.4): any rejected option makes
 * it a Configure-Reject of those options; else any unacceptable value a Configure-Nak carrying our
 * suggestions; else a Configure-Ack. After Max-Failure Naks, disagreement turns into Reject (§4.6).
 */
import { ControlCode, concatBytes, encodeOption, type RawOption } from '../wire/ppp-control.js';
import type { Judgement } from './fsm.js';

export class RequestJudge {
  private readonly naks: Uint8Array[] = [];
  private readonly rejects: Uint8Array[] = [];

  constructor(private readonly rejectIfDisagree: boolean) {}

  reject(option: RawOption): void {
    this.rejects.push(encodeOption(option.type, option.data));
  }

  /** The peer's value is not acceptable: suggest ours (or reject once Max-Failure is reached). */
  nak(option: RawOption, suggestion: Uint8Array): void {
    if (this.rejectIfDisagree) this.reject(option);
    else this.naks.push(suggestion);
  }

  /** Nak even past Max-Failure: a Magic-Number collision must never turn into a Reject (pppd lcp.c). */
  nakAlways(suggestion: Uint8Array): void {
    this.naks.push(suggestion);
  }

  /** Suggest an option the peer did not include (RFC 1661 §5.3 allows appending it to a Nak). */
  suggest(suggestion: Uint8Array): void {
    if (!this.rejectIfDisagree) this.naks.push(suggestion);
  }

  result(): Judgement {
    if (this.rejects.length > 0) return { code: ControlCode.ConfigureReject, options: concatBytes(this.rejects) };
    if (this.naks.length > 0) return { code: ControlCode.ConfigureNak, options: concatBytes(this.naks) };
    return { code: ControlCode.ConfigureAck, options: new Uint8Array(0) };
  }
}
