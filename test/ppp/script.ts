/** Driving one PPP session with hand-written frames, the way a scripted peer would. */
import assert from 'node:assert/strict';
import { PppSession, type PppOutput, type PppSessionOptions } from '../../src/ppp/session.js';
import { fromHex } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { decodeControlPacket, encodeControlPacket } from '../../src/wire/ppp-control.js';
import { decodePppFrame, encodePppFrame } from '../../src/wire/ppp.js';
import { Rng } from './link.js';

export interface SeenPacket {
  protocol: number;
  code: number;
  identifier: number;
  data: Uint8Array;
}

export class Scripted {
  readonly session: PppSession;
  readonly outputs: PppOutput[] = [];
  now = 0;

  constructor(options: Omit<PppSessionOptions, 'random'>, seed = 1) {
    const rng = new Rng(seed);
    this.session = new PppSession({ ...options, random: (n) => rng.bytes(n) });
  }

  /** Feed a control packet (protocol, code, identifier, data hex); returns the control packets sent back. */
  send(protocol: number, code: number, identifier: number, dataHex = ''): SeenPacket[] {
    this.session.input(encodePppFrame(protocol, encodeControlPacket(code, identifier, fromHex(dataHex))), this.now);
    return this.packets();
  }

  /** Control packets the session sent since the last call (other outputs are kept in `outputs`). */
  packets(): SeenPacket[] {
    const out: SeenPacket[] = [];
    for (const o of this.session.drain()) {
      if (o.type !== 'frame') {
        this.outputs.push(o);
        continue;
      }
      const f = decodePppFrame(o.frame);
      assert.ok(!isDecodeError(f));
      const p = decodeControlPacket(f.info);
      if (isDecodeError(p)) continue;
      out.push({ protocol: f.protocol, code: p.code, identifier: p.identifier, data: p.data });
    }
    return out;
  }

  advance(ms: number): SeenPacket[] {
    const end = this.now + ms;
    for (let t = this.session.nextTimeout(); t !== undefined && t <= end; t = this.session.nextTimeout()) {
      this.now = t;
      this.session.handleTimeout(t);
    }
    this.now = end;
    return this.packets();
  }

  down(): Extract<PppOutput, { type: 'down' }> | undefined {
    this.packets();
    return this.outputs.find((o): o is Extract<PppOutput, { type: 'down' }> => o.type === 'down');
  }
}

export const LCP = 0xc021;
