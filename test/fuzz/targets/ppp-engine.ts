/**
 * Fuzz targets for PppSession as server and as client. The seeds are recorded from a real login
 * (MS-CHAP v2 with MPPE, and PAP without) between two sessions whose randomness is fixed, so the
 * recorded frames are exactly what the fuzzed session expects; mutations then reach every phase.
 * A script step feeds a frame, moves the clock (random timer events), answers the back end,
 * sends IP, closes or drops the lower layer. Checked: at most one 'down' and no 'up' after it,
 * every frame sent is a decodable PPP frame, timers are real numbers, outputs per step bounded.
 */
import assert from 'node:assert/strict';
import type { AuthRequest, AuthResult } from '../../../src/aaa/authenticator.js';
import { LocalAuthenticator } from '../../../src/aaa/local.js';
import { PppSession, type PppOutput, type PppSessionOptions } from '../../../src/ppp/session.js';
import { isDecodeError } from '../../../src/wire/errors.js';
import { decodePppFrame } from '../../../src/wire/ppp.js';
import type { FuzzTarget } from '../harness.js';
import { argNumber, readScript, ScriptWriter } from '../script.js';

export const PppOp = { Input: 0, Advance: 1, Decide: 2, SendIp: 3, Close: 4, LowerDown: 5, Timeout: 6 } as const;

/** The same bytes every run: the recorded frames only fit a session that draws the same randomness. */
function fixedRandom(seed: number): (n: number) => Uint8Array {
  let x = seed;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  };
}

type Profile = 'mschap' | 'pap';

function options(role: 'server' | 'client', profile: Profile): PppSessionOptions {
  const common = { random: fixedRandom(role === 'server' ? 1 : 2), echoIntervalMs: 2000, echoFailures: 2, restartMs: 1000 };
  if (role === 'server') {
    return {
      ...common,
      role,
      authTypes: profile === 'mschap' ? ['mschap-v2', 'mschap-v1', 'pap'] : ['pap'],
      serverMppe: profile === 'mschap' ? { mode: 'auto', bits: 'auto' } : { mode: 'none', bits: 'auto' },
      localAddress: '10.1.1.1',
      dns: ['10.1.1.53'],
    };
  }
  return {
    ...common,
    role,
    authTypes: profile === 'mschap' ? ['mschap-v2'] : ['pap'],
    username: 'cisco',
    password: 'cisco',
    clientMppe: { mode: profile === 'mschap' ? 'required' : 'none', allow40: true, allow128: true, stateless: 'prefer' },
  };
}

const IP = new Uint8Array([0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 192, 168, 1, 1, 10, 1, 1, 5, 0, 7, 0, 7, 0, 8, 0, 0]);

interface Recording {
  toServer: Uint8Array;
  toClient: Uint8Array;
  result: AuthResult;
  /** Every frame of the exchange, both directions. */
  frames: Uint8Array[];
}

/** Runs a real login between a server and a client session and writes each side's input as a script. */
async function record(profile: Profile): Promise<Recording> {
  const server = new PppSession(options('server', profile));
  const client = new PppSession(options('client', profile));
  const auth = new LocalAuthenticator([{ username: 'cisco', password: 'cisco' }]);
  const toServer = new ScriptWriter();
  const toClient = new ScriptWriter();
  const frames: Uint8Array[] = [];
  let result: AuthResult | undefined;
  let now = 0;
  server.open(now);
  client.open(now);
  for (let round = 0; round < 200; round++) {
    let moved = false;
    for (const o of server.drain()) {
      if (o.type === 'frame') {
        moved = true;
        toClient.step(PppOp.Input, o.frame);
        frames.push(o.frame);
        client.input(o.frame, now);
      } else if (o.type === 'authenticate') {
        moved = true;
        result = await auth.authenticate({ ...o.request, context: { sessionId: 's', callingStationId: '10.44.17.104', calledStationId: '10.1.1.1', nasPort: 1, group: '1' } } as AuthRequest);
        server.authResult(result, '192.168.1.1', now);
      }
    }
    for (const o of client.drain()) {
      if (o.type !== 'frame') continue;
      moved = true;
      toServer.step(PppOp.Input, o.frame);
      frames.push(o.frame);
      const ip = server.input(o.frame, now);
      if (ip) assert.ok(ip.length > 0);
    }
    if (!moved) {
      if (server.state === 'open' && client.state === 'open') break;
      now += 100;
      toServer.num(PppOp.Advance, 10);
      toClient.num(PppOp.Advance, 10);
      server.handleTimeout(now);
      client.handleTimeout(now);
    }
  }
  assert.equal(server.state, 'open', 'the recorded login came up');
  // Data both ways, then the keepalive and a hang-up.
  for (let i = 0; i < 3; i++) {
    frames.push(client.encapsulateIp(IP)!, server.encapsulateIp(IP)!);
    toServer.step(PppOp.Input, frames.at(-2)!);
    toClient.step(PppOp.Input, frames.at(-1)!);
  }
  toServer.num(PppOp.SendIp, 28).num(PppOp.Advance, 250).step(PppOp.Timeout).num(PppOp.Advance, 250).step(PppOp.Close);
  toClient.num(PppOp.SendIp, 28).num(PppOp.Advance, 250).step(PppOp.LowerDown);
  return { toServer: toServer.bytes(), toClient: toClient.bytes(), result: result!, frames };
}

const recordings = { mschap: await record('mschap'), pap: await record('pap') };

/** The frames of both recorded logins, for the frame and packet codec targets. */
export function recordedFrames(): Uint8Array[] {
  return [...recordings.mschap.frames, ...recordings.pap.frames];
}

function drive(role: 'server' | 'client', input: Uint8Array): string {
  // The first octet picks the configuration the recording was made with.
  const profile: Profile = (input[0] ?? 0) & 0x80 ? 'pap' : 'mschap';
  const s = new PppSession(options(role, profile));
  let now = 0;
  let downs = 0;
  let ups = 0;
  let pending = false;
  let auto = true;
  const kinds = new Set<string>();
  const flush = (): void => {
    const outs: PppOutput[] = s.drain();
    assert.ok(outs.length <= 64, `${outs.length} outputs from one step`);
    for (const o of outs) {
      kinds.add(o.type === 'down' ? `down:${o.cause}` : o.type);
      if (o.type === 'frame') assert.ok(!isDecodeError(decodePppFrame(o.frame)), 'sent an undecodable frame');
      if (o.type === 'down') downs++;
      if (o.type === 'up') {
        assert.equal(downs, 0, 'up after down');
        ups++;
      }
      if (o.type === 'authenticate') {
        pending = true;
        if (auto) {
          pending = false;
          s.authResult(recordings[profile].result, '192.168.1.1', now);
          flush();
        }
      }
    }
    const t = s.nextTimeout();
    if (t !== undefined) assert.ok(Number.isFinite(t), `nextTimeout ${t}`);
  };
  s.open(now);
  flush();
  for (const { op, arg } of readScript(input.subarray(1))) {
    switch (op % 8) {
      case PppOp.Input:
        // A copy: input() decrypts MPPE in place, and a saved input must replay as it was run.
        s.input(arg.slice(), now);
        break;
      case PppOp.Advance:
        now += argNumber(arg) * 10;
        if ((s.nextTimeout() ?? Infinity) <= now) s.handleTimeout(now);
        break;
      case PppOp.Decide: {
        auto = false;
        if (!pending) break;
        pending = false;
        const r = recordings[profile].result;
        const choice = (arg[0] ?? 0) % 4;
        if (choice === 0) s.authResult(r, '192.168.1.1', now);
        else if (choice === 1) s.authResult({ ...r, mppeKeys: undefined }, '192.168.1.1', now);
        else if (choice === 2) s.authResult({ accepted: false, reason: 'fuzz', mschapError: 691 }, undefined, now);
        else s.authResult(r, undefined, now);
        break;
      }
      case PppOp.SendIp:
        s.encapsulateIp(IP.subarray(0, Math.min(IP.length, argNumber(arg))));
        break;
      case PppOp.Close:
        s.close('fuzz', now);
        break;
      case PppOp.LowerDown:
        s.lowerDown(now);
        break;
      default:
        // A timer firing early or late must be harmless.
        s.handleTimeout(now);
    }
    flush();
  }
  // Left alone, every session ends or stays open; its timers never spin.
  for (let i = 0; i < 100 && s.nextTimeout() !== undefined; i++) {
    now = Math.max(now, s.nextTimeout()!);
    s.handleTimeout(now);
    flush();
  }
  assert.ok(downs <= 1, `${downs} downs`);
  return `${role}/${profile} ${ups}${downs} ${[...kinds].sort().join(',')}`;
}

function seedsFor(role: 'server' | 'client'): Uint8Array[] {
  const pick = (r: Recording) => (role === 'server' ? r.toServer : r.toClient);
  return [new Uint8Array([0, ...pick(recordings.mschap)]), new Uint8Array([0x80, ...pick(recordings.pap)])];
}

const dictionary = [[0xff, 0x03, 0xc0, 0x21], [0xff, 0x03, 0xc2, 0x23], [0xff, 0x03, 0x80, 0x21], [0xff, 0x03, 0x80, 0xfd], [0x00, 0xfd], [0x00, 0x21]].map((b) => new Uint8Array(b));

export const pppServer: FuzzTarget = { name: 'ppp-server', seeds: () => seedsFor('server'), dictionary, maxInputBytes: 8192, run: (input) => drive('server', input) };
export const pppClient: FuzzTarget = { name: 'ppp-client', seeds: () => seedsFor('client'), dictionary, maxInputBytes: 8192, run: (input) => drive('client', input) };
