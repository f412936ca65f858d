/**
 * Fuzz target for GreChannel (RFC 2637 §4): hostile packets (any header the decoder accepts, any
 * sequence and acknowledgment numbers), our own sends and ack timers in any order. Checked: the
 * payload handed up is exactly the packet's, every received data packet is counted once, and what
 * the channel sends decodes as enhanced GRE with consecutive sequence numbers.
 */
import assert from 'node:assert/strict';
import { GreChannel } from '../../../src/pptp/gre-channel.js';
import { isDecodeError } from '../../../src/wire/errors.js';
import { decodeGreHeader, encodeGrePacket } from '../../../src/wire/gre.js';
import type { FuzzTarget } from '../harness.js';
import { argNumber, readScript, ScriptWriter } from '../script.js';

export const GreOp = { Receive: 0, Send: 1, Advance: 2, PollAck: 3 } as const;

function outcomeOf(s: GreChannel['stats']): string {
  const parts = ['outOfOrder', 'duplicates', 'stale', 'gaps', 'acksIn'] as const;
  return parts.filter((p) => s[p] > 0).join(',');
}

export const greChannel: FuzzTarget = {
  name: 'gre-channel',
  seeds() {
    const w = () => new ScriptWriter();
    const data = (seq: number, ack?: number) => encodeGrePacket(9, new Uint8Array([0xff, 0x03, 0x00, 0x21, 0x45, 0, 0, 20]), seq, ack);
    return [
      w().step(GreOp.Receive, data(1)).step(GreOp.Receive, data(2)).num(GreOp.Send, 20).step(GreOp.Receive, data(3, 1)).num(GreOp.Advance, 60).step(GreOp.PollAck).bytes(),
      w().step(GreOp.Receive, data(0)).step(GreOp.Receive, data(5)).step(GreOp.Receive, data(3)).step(GreOp.Receive, data(3)).step(GreOp.Receive, data(0x80000001)).bytes(),
      w().num(GreOp.Send, 100).num(GreOp.Send, 100).step(GreOp.Receive, encodeGrePacket(9, new Uint8Array(0), undefined, 2)).step(GreOp.Receive, encodeGrePacket(9, new Uint8Array(0), undefined, 0xffffffff)).bytes(),
    ];
  },
  dictionary: [new Uint8Array([0x30, 0x81, 0x88, 0x0b]), new Uint8Array([0x20, 0x81, 0x88, 0x0b]), new Uint8Array([0x30, 0x01, 0x88, 0x0b]), new Uint8Array([0x7f, 0xff, 0xff, 0xff])],
  maxInputBytes: 4096,
  run(input) {
    let now = 0;
    const g = new GreChannel({ peerCallId: 0x4000, peerReceiveWindow: 8, receiveWindow: 16, respectPeerWindow: (input[0] ?? 0) % 2 === 1 });
    let dataIn = 0;
    let lastSeq = g.stats.seqSent;
    for (const { op, arg } of readScript(input)) {
      switch (op % 4) {
        case GreOp.Receive: {
          const h = decodeGreHeader(arg);
          if (isDecodeError(h)) break;
          if (h.seq !== undefined) dataIn++;
          const payload = g.receive(h, arg, now);
          if (payload !== undefined) {
            assert.equal(payload.length, h.payloadLength);
            assert.equal(payload.byteOffset, arg.byteOffset + h.headerLength, 'payload is a view right after the header');
          }
          break;
        }
        case GreOp.Send: {
          const out = g.encapsulate(new Uint8Array(argNumber(arg) % 1500), now);
          if (out === undefined) break;
          const h = decodeGreHeader(out);
          assert.ok(!isDecodeError(h), `sent an undecodable packet: ${h}`);
          assert.equal(h.callId, 0x4000);
          assert.equal(h.seq, (lastSeq + 1) >>> 0, 'consecutive sequence numbers');
          lastSeq = h.seq!;
          break;
        }
        case GreOp.Advance:
          now += argNumber(arg);
          break;
        case GreOp.PollAck: {
          const ack = g.pollAck(now);
          if (ack) {
            const h = decodeGreHeader(ack);
            assert.ok(!isDecodeError(h) && h.seq === undefined && h.ack !== undefined && ack.length === 12, 'ack-only packet is 12 octets');
          }
          break;
        }
      }
      const t = g.nextTimeout();
      if (t !== undefined) assert.ok(Number.isFinite(t));
    }
    const s = g.stats;
    // Every data packet is delivered or discarded for exactly one counted reason.
    const discarded = s.outOfOrder + s.duplicates + s.stale + ((s as { farAhead?: number }).farAhead ?? 0);
    assert.equal(s.packetsIn + discarded, dataIn, `counted ${s.packetsIn}+${discarded} of ${dataIn}`);
    assert.ok(g.unacknowledged >= 0 && g.unacknowledged <= 0xffffffff);
    return outcomeOf(s);
  },
};
