/** The RFC 1661 §4.1 automaton: each test drives one interesting cell of the table and checks actions and state. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { ControlCode, decodeControlPacket, encodeControlPacket } from '../../src/wire/ppp-control.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { FSM_EVENTS, FSM_STATES, TRANSITIONS } from '../../src/ppp/fsm-table.js';
import { Fsm, type FsmCallbacks, type FsmState, type Judgement, type NegotiationResult } from '../../src/ppp/fsm.js';

const C = ControlCode;
const OURS = fromHex('0506deadbeef'); // our request: a magic number
const THEIRS = fromHex('01040578'); // the peer's request: MRU 1400

interface Sent {
  code: number;
  id: number;
  data: string;
}

class Harness {
  readonly sent: Sent[] = [];
  readonly calls: string[] = [];
  judgement: Judgement = { code: C.ConfigureAck, options: new Uint8Array(0) };
  nakResult: NegotiationResult = 'accept';
  rejectIfDisagreeSeen: boolean[] = [];
  now = 0;
  readonly fsm: Fsm;

  constructor(limits = { restartMs: 1000, maxConfigure: 3, maxTerminate: 2, maxFailure: 2 }) {
    const cb: FsmCallbacks = {
      resetOptions: () => this.calls.push('reset'),
      buildRequest: () => OURS,
      judgeRequest: (_o, rejectIfDisagree) => {
        this.rejectIfDisagreeSeen.push(rejectIfDisagree);
        return this.judgement;
      },
      nakReceived: () => this.nakResult,
      rejectReceived: () => this.nakResult,
      thisLayerUp: () => this.calls.push('tlu'),
      thisLayerDown: () => this.calls.push('tld'),
      thisLayerStarted: () => this.calls.push('tls'),
      thisLayerFinished: () => this.calls.push('tlf'),
    };
    this.fsm = new Fsm(0xc021, 'LCP', cb, limits, (_p, packet) => {
      const d = decodeControlPacket(packet);
      assert.ok(!isDecodeError(d));
      this.sent.push({ code: d.code, id: d.identifier, data: toHex(d.data) });
    });
  }

  /** Clear the records, keep the state. */
  reset(): this {
    this.sent.length = 0;
    this.calls.length = 0;
    return this;
  }

  receive(code: number, id: number, data: Uint8Array = new Uint8Array(0)): void {
    this.fsm.input(encodeControlPacket(code, id, data), this.now);
  }

  /** Our outstanding request's identifier. */
  get requestId(): number {
    const cr = this.sent.filter((s) => s.code === C.ConfigureRequest).at(-1);
    assert.ok(cr, 'no Configure-Request sent');
    return cr.id;
  }

  timeout(): void {
    this.now = this.fsm.deadline!;
    this.fsm.handleTimeout(this.now);
  }

  codes(): number[] {
    return this.sent.map((s) => s.code);
  }

  /** Drive to a state from Initial with ordinary events. */
  static in(state: FsmState): Harness {
    const h = new Harness();
    const f = h.fsm;
    const toReqSent = () => {
      f.open(0);
      f.up(0);
    };
    switch (state) {
      case 'initial':
        break;
      case 'starting':
        f.open(0);
        break;
      case 'closed':
        f.up(0);
        break;
      case 'req-sent':
        toReqSent();
        break;
      case 'ack-rcvd':
        toReqSent();
        h.receive(C.ConfigureAck, h.requestId, OURS);
        break;
      case 'ack-sent':
        toReqSent();
        h.receive(C.ConfigureRequest, 50, THEIRS);
        break;
      case 'opened':
        toReqSent();
        h.receive(C.ConfigureRequest, 50, THEIRS);
        h.receive(C.ConfigureAck, h.requestId, OURS);
        break;
      case 'stopped':
        toReqSent();
        h.fsm.protocolRejected(0); // RXJ- in Req-Sent: tlf/3
        break;
      case 'closing':
        toReqSent();
        f.close(0, 'bye');
        break;
      case 'stopping':
        toReqSent();
        h.receive(C.ConfigureRequest, 50, THEIRS);
        h.receive(C.ConfigureAck, h.requestId, OURS);
        h.receive(C.TerminateRequest, 60);
        break;
    }
    assert.equal(h.fsm.state, state);
    return h.reset();
  }
}

test('the transition table parses into 16 events × 10 states as RFC 1661 §4.1 prints it', () => {
  assert.equal(Object.keys(TRANSITIONS).length, FSM_EVENTS.length);
  for (const e of FSM_EVENTS) assert.equal(Object.keys(TRANSITIONS[e]).length, FSM_STATES.length);
  assert.deepEqual(TRANSITIONS['RCR+']['ack-rcvd'], { actions: ['sca', 'tlu'], next: 'opened' });
  assert.deepEqual(TRANSITIONS.RTR.opened, { actions: ['tld', 'zrc', 'sta'], next: 'stopping' });
  assert.deepEqual(TRANSITIONS.Open.stopped, { actions: [], next: 'stopped' });
  assert.equal(TRANSITIONS.Up.opened, null);
});

test('Initial: Open → tls/1 Starting; Starting: Up → irc,scr/6 Req-Sent', () => {
  const h = Harness.in('initial');
  h.fsm.open(0);
  assert.equal(h.fsm.state, 'starting');
  assert.deepEqual(h.calls, ['tls']);
  h.fsm.up(0);
  assert.equal(h.fsm.state, 'req-sent');
  assert.deepEqual(h.codes(), [C.ConfigureRequest]);
  assert.equal(h.sent[0].data, toHex(OURS));
  assert.equal(h.fsm.deadline, 1000, 'restart timer runs');
});

test('Initial: Up → 2 Closed; Closed: Open → irc,scr/6', () => {
  const h = Harness.in('initial');
  h.fsm.up(0);
  assert.equal(h.fsm.state, 'closed');
  assert.deepEqual(h.sent, []);
  h.fsm.open(0);
  assert.equal(h.fsm.state, 'req-sent');
  assert.deepEqual(h.codes(), [C.ConfigureRequest]);
  assert.ok(h.calls.includes('reset'), 'options start fresh (pppd resetci)');
});

test('Req-Sent: RCR+ → sca/8; Ack-Sent: RCA → irc,tlu/9', () => {
  const h = Harness.in('req-sent');
  h.receive(C.ConfigureRequest, 7, THEIRS);
  assert.equal(h.fsm.state, 'ack-sent');
  assert.deepEqual(h.sent, [{ code: C.ConfigureAck, id: 7, data: toHex(THEIRS) }], 'Ack echoes the request (RFC 1661 §5.2)');
  h.reset();
  h.receive(C.ConfigureAck, 1, OURS);
  assert.equal(h.fsm.state, 'opened');
  assert.deepEqual(h.calls, ['tlu']);
  assert.equal(h.fsm.deadline, undefined, 'no timer in Opened');
});

test('Req-Sent: RCA → irc/7; Ack-Rcvd: RCR+ → sca,tlu/9', () => {
  const h = Harness.in('req-sent');
  h.receive(C.ConfigureAck, 1, OURS);
  assert.equal(h.fsm.state, 'ack-rcvd');
  assert.notEqual(h.fsm.deadline, undefined, 'Ack-Rcvd keeps the restart timer (RFC 1661 §4.2)');
  h.receive(C.ConfigureRequest, 9, THEIRS);
  assert.equal(h.fsm.state, 'opened');
  assert.deepEqual(h.codes(), [C.ConfigureAck]);
  assert.deepEqual(h.calls, ['tlu']);
});

test('Req-Sent: RCR- → scn/6 (Nak), and Reject the same way', () => {
  const h = Harness.in('req-sent');
  h.judgement = { code: C.ConfigureNak, options: fromHex('01040578') };
  h.receive(C.ConfigureRequest, 3, fromHex('010405dc'));
  assert.equal(h.fsm.state, 'req-sent');
  assert.deepEqual(h.sent, [{ code: C.ConfigureNak, id: 3, data: '01040578' }]);
  h.reset();
  h.judgement = { code: C.ConfigureReject, options: fromHex('0d0306') };
  h.receive(C.ConfigureRequest, 4, fromHex('0d0306'));
  assert.deepEqual(h.sent, [{ code: C.ConfigureReject, id: 4, data: '0d0306' }]);
});

test('Ack-Rcvd: RCR- → scn/7', () => {
  const h = Harness.in('ack-rcvd');
  h.judgement = { code: C.ConfigureNak, options: fromHex('01040578') };
  h.receive(C.ConfigureRequest, 3, THEIRS);
  assert.equal(h.fsm.state, 'ack-rcvd');
  assert.deepEqual(h.codes(), [C.ConfigureNak]);
});

test('Ack-Sent: RCR- → scn/6', () => {
  const h = Harness.in('ack-sent');
  h.judgement = { code: C.ConfigureNak, options: fromHex('01040578') };
  h.receive(C.ConfigureRequest, 51, THEIRS);
  assert.equal(h.fsm.state, 'req-sent');
});

test('Req-Sent: RCN → irc,scr/6 with a new Identifier', () => {
  const h = Harness.in('req-sent');
  h.receive(C.ConfigureNak, 1, fromHex('0506cafebabe'));
  assert.equal(h.fsm.state, 'req-sent');
  assert.deepEqual(h.codes(), [C.ConfigureRequest]);
  assert.equal(h.sent[0].id, 2);
});

test('Ack-Sent: RCN → irc,scr/8', () => {
  const h = Harness.in('ack-sent');
  h.receive(C.ConfigureReject, 1, OURS);
  assert.equal(h.fsm.state, 'ack-sent');
  assert.deepEqual(h.codes(), [C.ConfigureRequest]);
});

test('Ack-Rcvd: RCN (a second, crossed reply) is ignored as a duplicate of the Ack', () => {
  const h = Harness.in('ack-rcvd');
  h.receive(C.ConfigureNak, 1, OURS);
  assert.equal(h.fsm.state, 'ack-rcvd');
  assert.deepEqual(h.sent, []);
});

test('a Configure-Ack whose options differ, or whose Identifier is stale, is discarded', () => {
  const h = Harness.in('req-sent');
  h.receive(C.ConfigureAck, 1, fromHex('0506deadbeee'));
  assert.equal(h.fsm.state, 'req-sent');
  h.receive(C.ConfigureAck, 9, OURS);
  assert.equal(h.fsm.state, 'req-sent');
});

test('Req-Sent: TO+ → scr/6 retransmits the same request; Ack-Rcvd: TO+ → scr/6', () => {
  const h = Harness.in('req-sent');
  h.timeout();
  assert.equal(h.fsm.state, 'req-sent');
  assert.deepEqual(h.sent, [{ code: C.ConfigureRequest, id: 1, data: toHex(OURS) }], 'same Identifier on retransmission');
  const a = Harness.in('ack-rcvd');
  a.timeout();
  assert.equal(a.fsm.state, 'req-sent');
  assert.deepEqual(a.codes(), [C.ConfigureRequest]);
});

test('Ack-Sent: TO+ → scr/8', () => {
  const h = Harness.in('ack-sent');
  h.timeout();
  assert.equal(h.fsm.state, 'ack-sent');
  assert.deepEqual(h.codes(), [C.ConfigureRequest]);
});

test('Req-Sent: TO- after Max-Configure transmissions → tlf/3 Stopped', () => {
  const h = Harness.in('req-sent'); // one request sent; Max-Configure is 3 here
  h.timeout();
  h.timeout();
  assert.equal(h.sent.length, 2);
  h.timeout();
  assert.equal(h.fsm.state, 'stopped');
  assert.deepEqual(h.calls, ['tlf']);
  assert.equal(h.sent.length, 2, 'exactly Max-Configure requests in all');
});

test('Opened: RCR+ → tld,scr,sca/8 (renegotiation)', () => {
  const h = Harness.in('opened');
  h.receive(C.ConfigureRequest, 77, fromHex('01040500'));
  assert.equal(h.fsm.state, 'ack-sent');
  assert.deepEqual(h.calls, ['tld', 'reset']);
  assert.deepEqual(h.codes(), [C.ConfigureRequest, C.ConfigureAck]);
});

test('Opened: RCR- → tld,scr,scn/6', () => {
  const h = Harness.in('opened');
  h.judgement = { code: C.ConfigureNak, options: fromHex('01040578') };
  h.receive(C.ConfigureRequest, 77, fromHex('01040500'));
  assert.equal(h.fsm.state, 'req-sent');
  assert.deepEqual(h.codes(), [C.ConfigureRequest, C.ConfigureNak]);
});

test('Opened: a retransmission of the request we acked is acked again without renegotiating', () => {
  const h = Harness.in('opened');
  h.receive(C.ConfigureRequest, 50, THEIRS);
  assert.equal(h.fsm.state, 'opened');
  assert.deepEqual(h.calls, []);
  assert.deepEqual(h.sent, [{ code: C.ConfigureAck, id: 50, data: toHex(THEIRS) }]);
});

test('Opened: RTR → tld,zrc,sta/5; Stopping: TO- → tlf/3', () => {
  const h = Harness.in('opened');
  h.receive(C.TerminateRequest, 60, new TextEncoder().encode('bye'));
  assert.equal(h.fsm.state, 'stopping');
  assert.deepEqual(h.calls, ['tld']);
  assert.deepEqual(h.sent, [{ code: C.TerminateAck, id: 60, data: '' }]);
  assert.equal(new TextDecoder().decode(h.fsm.peerTerminateReason), 'bye');
  assert.equal(h.fsm.deadline, 1000, 'zrc: one restart period');
  h.timeout();
  assert.equal(h.fsm.state, 'stopped');
  assert.deepEqual(h.calls, ['tld', 'tlf']);
});

test('Opened: Close → tld,irc,str/4; Closing: RTA → tlf/2', () => {
  const h = Harness.in('opened');
  h.fsm.close(0, 'admin');
  assert.equal(h.fsm.state, 'closing');
  assert.deepEqual(h.calls, ['tld']);
  assert.deepEqual(h.sent, [{ code: C.TerminateRequest, id: h.sent[0].id, data: toHex(new TextEncoder().encode('admin')) }]);
  h.receive(C.TerminateAck, h.sent[0].id);
  assert.equal(h.fsm.state, 'closed');
  assert.deepEqual(h.calls, ['tld', 'tlf']);
});

test('Closing: TO+ → str/4, then TO- after Max-Terminate → tlf/2', () => {
  const h = Harness.in('closing'); // one Terminate-Request sent; Max-Terminate is 2
  h.timeout();
  assert.equal(h.fsm.state, 'closing');
  assert.deepEqual(h.codes(), [C.TerminateRequest]);
  h.timeout();
  assert.equal(h.fsm.state, 'closed');
  assert.deepEqual(h.calls, ['tlf']);
});

test('Closing: RTR → sta/4; RCR → 4 (ignored)', () => {
  const h = Harness.in('closing');
  h.receive(C.TerminateRequest, 8);
  assert.equal(h.fsm.state, 'closing');
  assert.deepEqual(h.sent, [{ code: C.TerminateAck, id: 8, data: '' }]);
  h.reset();
  h.receive(C.ConfigureRequest, 9, THEIRS);
  assert.equal(h.fsm.state, 'closing');
  assert.deepEqual(h.sent, []);
});

test('Closed: RCR → sta/2, RCA → sta/2, RTR → sta/2', () => {
  const h = Harness.in('closed');
  h.receive(C.ConfigureRequest, 5, THEIRS);
  h.receive(C.TerminateRequest, 6);
  assert.equal(h.fsm.state, 'closed');
  assert.deepEqual(h.sent, [
    { code: C.TerminateAck, id: 5, data: '' },
    { code: C.TerminateAck, id: 6, data: '' },
  ]);
});

test('Stopped: RCR+ → irc,scr,sca/8 and RCR- → irc,scr,scn/6', () => {
  const h = Harness.in('stopped');
  h.receive(C.ConfigureRequest, 5, THEIRS);
  assert.equal(h.fsm.state, 'ack-sent');
  assert.deepEqual(h.codes(), [C.ConfigureRequest, C.ConfigureAck]);
  const n = Harness.in('stopped');
  n.judgement = { code: C.ConfigureNak, options: fromHex('01040578') };
  n.receive(C.ConfigureRequest, 5, THEIRS);
  assert.equal(n.fsm.state, 'req-sent');
  assert.deepEqual(n.codes(), [C.ConfigureRequest, C.ConfigureNak]);
});

test('Down: Opened → tld/1, Req-Sent → 1, Stopped → tls/1, Closed → 0', () => {
  const o = Harness.in('opened');
  o.fsm.down(0);
  assert.equal(o.fsm.state, 'starting');
  assert.deepEqual(o.calls, ['tld']);
  assert.equal(o.fsm.deadline, undefined);
  const r = Harness.in('req-sent');
  r.fsm.down(0);
  assert.equal(r.fsm.state, 'starting');
  assert.equal(r.fsm.deadline, undefined);
  const s = Harness.in('stopped');
  s.fsm.down(0);
  assert.equal(s.fsm.state, 'starting');
  assert.deepEqual(s.calls, ['tls']);
  const c = Harness.in('closed');
  c.fsm.down(0);
  assert.equal(c.fsm.state, 'initial');
});

test('Starting: Close → tlf/0', () => {
  const h = Harness.in('starting');
  h.fsm.close(0);
  assert.equal(h.fsm.state, 'initial');
  assert.deepEqual(h.calls, ['tlf']);
});

test('Req-Sent: Close → irc,str/4', () => {
  const h = Harness.in('req-sent');
  h.fsm.close(0, 'x');
  assert.equal(h.fsm.state, 'closing');
  assert.deepEqual(h.codes(), [C.TerminateRequest]);
});

test('Ack-Sent: RTR → sta/6', () => {
  const h = Harness.in('ack-sent');
  h.receive(C.TerminateRequest, 70);
  assert.equal(h.fsm.state, 'req-sent');
  assert.deepEqual(h.codes(), [C.TerminateAck]);
});

test('Opened: RTA → tld,scr/6; Ack-Rcvd: RTA → 6', () => {
  const h = Harness.in('opened');
  h.receive(C.TerminateAck, 1);
  assert.equal(h.fsm.state, 'req-sent');
  assert.deepEqual(h.calls, ['tld', 'reset']);
  assert.deepEqual(h.codes(), [C.ConfigureRequest]);
  const a = Harness.in('ack-rcvd');
  a.receive(C.TerminateAck, 1);
  assert.equal(a.fsm.state, 'req-sent');
  assert.deepEqual(a.sent, []);
});

test('RUC: an unknown code is Code-Rejected (scj), cut to the peer MRU, state kept', () => {
  const h = Harness.in('opened');
  h.fsm.peerMru = 10;
  h.receive(0x20, 4, fromHex('00112233445566778899'));
  assert.equal(h.fsm.state, 'opened');
  assert.equal(h.sent.length, 1);
  assert.equal(h.sent[0].code, C.CodeReject);
  assert.equal(h.sent[0].data, '2004000e0011', 'the rejected packet, cut so the Code-Reject fits 10 octets');
});

test('RXJ+: Code-Reject of an extension code is permitted; RXJ- of Configure-Request in Opened → tld,irc,str/5', () => {
  const h = Harness.in('opened');
  h.receive(C.CodeReject, 9, fromHex('09010008deadbeef'));
  assert.equal(h.fsm.state, 'opened');
  assert.deepEqual(h.sent, []);
  h.receive(C.CodeReject, 10, fromHex('01010004'));
  assert.equal(h.fsm.state, 'stopping');
  assert.deepEqual(h.calls, ['tld']);
  assert.deepEqual(h.codes(), [C.TerminateRequest]);
});

test('RXJ-: Protocol-Reject of this protocol in Req-Sent → tlf/3', () => {
  const h = Harness.in('req-sent');
  h.fsm.protocolRejected(0);
  assert.equal(h.fsm.state, 'stopped');
  assert.deepEqual(h.calls, ['tlf']);
  assert.equal(h.fsm.deadline, undefined);
});

test('RXR: Echo and Discard answer (ser) only in Opened', () => {
  const h = Harness.in('opened');
  let replies = 0;
  h.fsm.echoLike(0, () => replies++);
  const r = Harness.in('req-sent');
  r.fsm.echoLike(0, () => replies++);
  assert.equal(replies, 1);
  assert.equal(r.fsm.state, 'req-sent');
});

test('Max-Failure: after that many Naks the judge is told to reject; retransmissions do not count', () => {
  const h = Harness.in('req-sent'); // Max-Failure is 2
  h.judgement = { code: C.ConfigureNak, options: fromHex('01040578') };
  h.receive(C.ConfigureRequest, 1, fromHex('010405dc'));
  h.receive(C.ConfigureRequest, 1, fromHex('010405dc')); // the same request again: our Nak was lost
  h.receive(C.ConfigureRequest, 2, fromHex('010405dd'));
  h.receive(C.ConfigureRequest, 3, fromHex('010405de'));
  assert.deepEqual(h.rejectIfDisagreeSeen, [false, false, false, true]);
});

test('a Nak the protocol cannot live with gives up: Close → Terminate-Request carrying the reason', () => {
  const h = Harness.in('req-sent');
  h.nakResult = { giveUp: 'no common authentication protocol' };
  h.receive(C.ConfigureNak, 1, fromHex('0304c023'));
  assert.equal(h.fsm.state, 'closing');
  assert.deepEqual(h.codes(), [C.TerminateRequest]);
  assert.equal(Buffer.from(fromHex(h.sent[0].data)).toString(), 'no common authentication protocol');
});

test('malformed packets are dropped; packets in Initial/Starting are ignored', () => {
  const h = Harness.in('req-sent');
  assert.equal(h.fsm.input(fromHex('0101'), 0), false);
  assert.equal(h.fsm.input(fromHex('01010009aa'), 0), false);
  const s = Harness.in('starting');
  assert.equal(s.fsm.input(encodeControlPacket(C.ConfigureRequest, 1, THEIRS), 0), false);
  assert.deepEqual(s.sent, []);
});
