/**
 * A PAC and a PNS control connection wired back to back in one process, with a virtual clock:
 * 'send' events are delivered to the other side, everything else is kept for the test to read.
 */
import { PptpControlConnection } from '../../src/pptp/control-connection.js';
import type { PptpControlEvent, PptpControlOptions } from '../../src/pptp/control-types.js';
import { decodeControlMessage, type PptpControlMessage } from '../../src/wire/pptp.js';

type Side = 'pac' | 'pns';
type Event = Exclude<PptpControlEvent, { type: 'send' }>;

export class ControlPair {
  now = 0;
  readonly pac: PptpControlConnection;
  readonly pns: PptpControlConnection;
  readonly events: Record<Side, Event[]> = { pac: [], pns: [] };
  /** Every message each side sent, decoded, in order. */
  readonly sent: Record<Side, PptpControlMessage[]> = { pac: [], pns: [] };
  /** While true, what that side sends is lost (a dead peer). */
  readonly mute: Record<Side, boolean> = { pac: false, pns: false };
  /** The PAC owner: decides on start-request and call-request events as they come out. */
  onPacEvent: (e: Event, pac: PptpControlConnection) => void = () => {};

  constructor(pac: Partial<PptpControlOptions> = {}, pns: Partial<PptpControlOptions> = {}) {
    this.pac = new PptpControlConnection({ role: 'pac', tunnelId: 9, vendorString: 'vpdn test', ...pac }, 0);
    this.pns = new PptpControlConnection({ role: 'pns', tunnelId: 1, vendorString: 'Microsoft Windows NT', ...pns }, 0);
  }

  /** Delivers messages back and forth until both sides are quiet. */
  pump(): void {
    for (let moved = true; moved; ) {
      moved = false;
      for (const side of ['pac', 'pns'] as const) {
        const from = this[side];
        const to = side === 'pac' ? this.pns : this.pac;
        for (const e of from.drain()) {
          moved = true;
          if (e.type === 'send') {
            const m = decodeControlMessage(e.bytes);
            if (!('messageType' in m)) throw new Error(`engine sent undecodable bytes: ${m}`);
            this.sent[side].push(m);
            if (!this.mute[side]) to.receive(e.bytes, this.now);
          } else {
            this.events[side].push(e);
            if (side === 'pac') this.onPacEvent(e, this.pac);
          }
        }
      }
    }
  }

  /** Moves the clock to `t`, firing every timer due on the way. */
  advanceTo(t: number): void {
    for (;;) {
      const due = [this.pac.nextTimeout(), this.pns.nextTimeout()].filter((x): x is number => x !== undefined && x <= t);
      if (due.length === 0) break;
      this.now = Math.max(this.now, Math.min(...due));
      this.pac.handleTimeout(this.now);
      this.pns.handleTimeout(this.now);
      this.pump();
    }
    this.now = t;
  }

  /** Events of one type from one side. */
  of<T extends Event['type']>(side: Side, type: T): Extract<Event, { type: T }>[] {
    return this.events[side].filter((e): e is Extract<Event, { type: T }> => e.type === type);
  }

  /** Messages of one control message type a side sent. */
  sentOf(side: Side, messageType: number): PptpControlMessage[] {
    return this.sent[side].filter((m) => m.messageType === messageType);
  }

  /** SCCRQ/SCCRP and OCRQ/OCRP with the PAC accepting both; PNS call id 0x4000, PAC call id 9. */
  static connected(pac: Partial<PptpControlOptions> = {}, pns: Partial<PptpControlOptions> = {}): ControlPair {
    const p = new ControlPair(pac, pns);
    p.onPacEvent = (e, c) => {
      if (e.type === 'start-request') c.acceptControl(p.now);
      if (e.type === 'call-request') c.acceptCall(e.peerCallId, 9, 64, p.now);
    };
    p.pns.start(p.now);
    p.pump();
    p.pns.placeCall(0x4000, p.now);
    p.pump();
    return p;
  }
}
