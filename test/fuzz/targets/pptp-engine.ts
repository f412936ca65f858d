/**
 * Fuzz targets for PptpControlConnection in both roles. A script feeds TCP chunks, moves the clock
 * and makes the owner's calls (accept/reject, clear, stop, connection lost); by default the owner
 * behaves like vpdn's Tunnel (PAC) or DialSession (PNS). Checked on every step: everything sent is a
 * well-formed control message, nothing follows 'closed', timers are real numbers, state is bounded.
 */
import assert from 'node:assert/strict';
import { PptpControlConnection } from '../../../src/pptp/control-connection.js';
import type { PptpControlEvent, PptpRole } from '../../../src/pptp/control-types.js';
import { isDecodeError } from '../../../src/wire/errors.js';
import { decodeControlMessage, encodeControlMessage, type PptpControlMessage } from '../../../src/wire/pptp.js';
import type { FuzzTarget } from '../harness.js';
import { argNumber, readScript, ScriptWriter } from '../script.js';
import { OCRP, OCRQ, OTHERS, pptpDictionary, SCCRP, SCCRQ } from './pptp-samples.js';

/** Script opcodes (op modulo 8). */
export const PptpOp = { Receive: 0, Advance: 1, Decide: 2, ClearCall: 3, Stop: 4, Lost: 5, SetLinkInfo: 6, PlaceCall: 7 } as const;

function drive(role: PptpRole, input: Uint8Array): string {
  let now = 0;
  const c = new PptpControlConnection({ role, tunnelId: 1, echoInterval: 5000, echoTimeout: 5000, idleTimeout: 3000, replyTimeout: 8000 }, now);
  const kinds = new Set<string>();
  let closed = false;
  let pendingStart = false;
  const pendingCalls: number[] = [];
  const localIds: number[] = [];
  let nextLocal = 100;
  let autoDecide = true;

  const flush = (): void => {
    for (let events = c.drain(); events.length > 0; events = c.drain()) {
      for (const e of events) handle(e);
    }
    const t = c.nextTimeout();
    if (t !== undefined) assert.ok(Number.isFinite(t), `nextTimeout ${t}`);
    assert.ok(c.callCount <= 1000, 'calls bounded');
  };
  const handle = (e: PptpControlEvent): void => {
    assert.ok(!closed || e.type === 'log', `${e.type} after closed`);
    kinds.add(e.type === 'send' ? `send:${(decodeControlMessage(e.bytes) as PptpControlMessage).messageType}` : e.type);
    switch (e.type) {
      case 'send': {
        const m = decodeControlMessage(e.bytes);
        assert.ok(!isDecodeError(m), `sent an undecodable message: ${m}`);
        break;
      }
      case 'start-request':
        pendingStart = true;
        if (autoDecide) {
          c.acceptControl(now);
          pendingStart = false;
        }
        break;
      case 'call-request':
        if (autoDecide) {
          const id = nextLocal++ & 0xffff;
          if (c.acceptCall(e.peerCallId, id, 64, now)) localIds.push(id);
        } else pendingCalls.push(e.peerCallId);
        break;
      case 'established':
        if (role === 'pns' && autoDecide) {
          const id = nextLocal++ & 0xffff;
          if (c.placeCall(id, now)) localIds.push(id);
        }
        break;
      case 'closed':
        closed = true;
        break;
    }
  };

  if (role === 'pns') c.start(now);
  flush();
  for (const { op, arg } of readScript(input)) {
    switch (op % 8) {
      case PptpOp.Receive:
        c.receive(arg, now);
        break;
      case PptpOp.Advance:
        now += argNumber(arg) * 10;
        c.handleTimeout(now);
        break;
      case PptpOp.Decide: {
        // Take the decisions by hand from here on: accept or refuse what is pending.
        autoDecide = false;
        const yes = (arg[0] ?? 0) & 1;
        if (pendingStart) {
          if (yes) c.acceptControl(now);
          else c.rejectControl(2, 4, now);
          pendingStart = false;
        }
        const peer = pendingCalls.shift();
        if (peer !== undefined) {
          if (yes) c.acceptCall(peer, nextLocal++ & 0xffff, argNumber(arg.subarray(1)), now);
          else c.rejectCall(peer, 4, 0, now);
        }
        break;
      }
      case PptpOp.ClearCall:
        c.clearCall(localIds[argNumber(arg) % Math.max(1, localIds.length)] ?? argNumber(arg), 'fuzz', now);
        break;
      case PptpOp.Stop:
        c.stop('fuzz stop', now);
        break;
      case PptpOp.Lost:
        c.connectionLost('fuzz lost', now);
        break;
      case PptpOp.SetLinkInfo:
        c.setLinkInfo(localIds[0] ?? argNumber(arg), 0xffffffff, 0, now);
        break;
      case PptpOp.PlaceCall:
        if (role === 'pns') c.placeCall(argNumber(arg), now);
        break;
    }
    flush();
  }
  // Whatever happened, time alone ends a connection that is not in use.
  for (let i = 0; i < 20 && c.nextTimeout() !== undefined; i++) {
    now = Math.max(now, c.nextTimeout()!);
    c.handleTimeout(now);
    flush();
  }
  return `${role} ${c.state} ${[...kinds].sort().join(',')}`;
}

function stream(...ms: PptpControlMessage[]): Uint8Array {
  return new Uint8Array(Buffer.concat(ms.map((m) => Buffer.from(encodeControlMessage(m)))));
}

function pacSeeds(): Uint8Array[] {
  const w = () => new ScriptWriter();
  return [
    w().step(PptpOp.Receive, stream(SCCRQ, OCRQ)).num(PptpOp.Advance, 100).step(PptpOp.Receive, stream(OTHERS[2]!, OTHERS[10]!, OTHERS[7]!, OTHERS[0]!)).bytes(),
    w().step(PptpOp.Receive, stream(OCRQ, SCCRQ, SCCRQ)).step(PptpOp.Receive, stream(OTHERS[4]!, OTHERS[9]!)).num(PptpOp.Advance, 700).bytes(),
    w().step(PptpOp.Decide, new Uint8Array([0])).step(PptpOp.Receive, stream(SCCRQ)).step(PptpOp.Decide, new Uint8Array([1])).step(PptpOp.Receive, stream(OCRQ)).step(PptpOp.Decide, new Uint8Array([1, 0, 8])).num(PptpOp.ClearCall, 0).bytes(),
    w().step(PptpOp.Receive, stream(SCCRQ).subarray(0, 77)).num(PptpOp.Advance, 50).step(PptpOp.Receive, stream(SCCRQ).subarray(77)).num(PptpOp.Advance, 1000).step(PptpOp.Stop).bytes(),
  ];
}

function pnsSeeds(): Uint8Array[] {
  const w = () => new ScriptWriter();
  return [
    w().step(PptpOp.Receive, stream(SCCRP, { ...OCRP, peerCallId: 100 })).num(PptpOp.Advance, 600).step(PptpOp.Receive, stream(OTHERS[2]!, OTHERS[3]!)).num(PptpOp.SetLinkInfo, 0).bytes(),
    w().step(PptpOp.Receive, stream(SCCRP)).step(PptpOp.Receive, stream({ ...OCRP, peerCallId: 100 }, OTHERS[8]!, OTHERS[0]!)).num(PptpOp.ClearCall, 0).bytes(),
    w().step(PptpOp.Receive, stream({ ...SCCRP, resultCode: 2, errorCode: 4 })).bytes(),
    w().step(PptpOp.Receive, stream(SCCRP)).num(PptpOp.PlaceCall, 7).step(PptpOp.Receive, stream({ ...OCRP, peerCallId: 7, resultCode: 4 })).step(PptpOp.Lost).bytes(),
  ];
}

const dictionary = [...pptpDictionary(), ...[SCCRQ, OCRQ, SCCRP, OCRP].map((m) => encodeControlMessage(m))];

export const pptpPac: FuzzTarget = { name: 'pptp-pac', seeds: pacSeeds, dictionary, maxInputBytes: 4096, run: (input) => drive('pac', input) };
export const pptpPns: FuzzTarget = { name: 'pptp-pns', seeds: pnsSeeds, dictionary, maxInputBytes: 4096, run: (input) => drive('pns', input) };
