/** LCP behaviour of the engine: Windows options, Identification, echo, Protocol-Reject, loop-back, keepalive. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalAuthenticator } from '../../src/aaa/local.js';
import { toHex } from '../../src/wire/bytes.js';
import { ControlCode as C, decodeOptions, readU32 } from '../../src/wire/ppp-control.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { PppSession, type PppOutput } from '../../src/ppp/session.js';
import { Pair, Rng } from './link.js';
import { LCP, Scripted } from './script.js';

// The Windows request of the seed, completed: MRU 1400, magic, PFC, ACFC, callback (op 6),
// MRRU 1614, endpoint discriminator (class 1, 4 octets) and BACP link discriminator (23).
const WINDOWS_OPTIONS = '01040578' + '0506447e217e' + '0702' + '0802' + '0d0306' + '1104064e' + '130701beb613cb' + '17040001';
const WINDOWS_WITHOUT_REJECTED = '01040578' + '0506447e217e' + '0702' + '0802';

function server(): Scripted {
  const s = new Scripted({ role: 'server', authTypes: ['mschap-v1'], localAddress: '10.1.1.1' });
  s.session.open(0);
  return s;
}

/** A server whose LCP is Opened with a Windows-like peer (MRU as given). */
function openedServer(mruHex = '0578'): { s: Scripted; magic: number } {
  const s = server();
  const [request] = s.packets();
  s.send(LCP, C.ConfigureRequest, 0, `0104${mruHex}0506447e217e07020802`);
  s.send(LCP, C.ConfigureAck, request.identifier, toHex(request.data));
  assert.equal(s.session.state, 'authenticate');
  s.packets();
  const options = decodeOptions(request.data);
  assert.ok(!isDecodeError(options));
  return { s, magic: readU32(options.find((o) => o.type === 5)!.data, 0) };
}

test('the server offers auth, magic, PFC, ACFC and MRU 1400 (as the PIX does, plus MRU)', () => {
  const s = server();
  const [request] = s.packets();
  assert.equal(request.code, C.ConfigureRequest);
  const hex = toHex(request.data);
  assert.ok(hex.startsWith('01040578' + '0305c22380' + '0506'), hex);
  assert.ok(hex.endsWith('07020802'));
});

test('Windows options callback, MRRU, endpoint discriminator and option 23 are Configure-Rejected', () => {
  const s = server();
  s.packets();
  const replies = s.send(LCP, C.ConfigureRequest, 0, WINDOWS_OPTIONS);
  assert.deepEqual(replies.map((r) => [r.code, r.identifier, toHex(r.data)]), [[C.ConfigureReject, 0, '0d0306' + '1104064e' + '130701beb613cb' + '17040001']]);
  const ack = s.send(LCP, C.ConfigureRequest, 1, WINDOWS_WITHOUT_REJECTED);
  assert.deepEqual(ack.map((r) => [r.code, toHex(r.data)]), [[C.ConfigureAck, WINDOWS_WITHOUT_REJECTED]]);
});

test('LCP Identification ("MSRASV5.20") and Time-Remaining are ignored, not Code-Rejected', () => {
  const { s } = openedServer();
  assert.deepEqual(s.send(LCP, C.Identification, 5, '00000000' + toHex(new TextEncoder().encode('MSRASV5.20'))), []);
  assert.deepEqual(s.send(LCP, C.TimeRemaining, 6, '00000000' + '00000e10'), []);
  assert.ok(s.outputs.some((o) => o.type === 'log' && o.message.includes('MSRASV5.20')));
});

test('Echo-Request gets an Echo-Reply with our magic, cut to the peer MRU', () => {
  const { s, magic } = openedServer('0080'); // peer MRU 128
  const [reply] = s.send(LCP, C.EchoRequest, 9, '447e217e' + 'ab'.repeat(300));
  assert.equal(reply.code, C.EchoReply);
  assert.equal(reply.identifier, 9);
  assert.equal(readU32(reply.data, 0), magic);
  assert.equal(4 + reply.data.length, 128, 'the whole LCP packet fits the peer MRU');
  const [small] = s.send(LCP, C.EchoRequest, 10, '447e217e0102');
  assert.equal(toHex(small.data.subarray(4)), '0102');
});

test('a peer MRU below 128 is Configure-Nak\'ed up to 128', () => {
  const s = server();
  s.packets();
  const [nak] = s.send(LCP, C.ConfigureRequest, 0, '01040040' + '0506447e217e');
  assert.equal(nak.code, C.ConfigureNak);
  assert.equal(toHex(nak.data), '01040080');
});

test('an unknown protocol (IPv6CP 8057) is Protocol-Rejected once LCP is open', () => {
  const { s } = openedServer();
  const [reject] = s.send(0x8057, 1, 1, '01040578');
  assert.equal(reject.protocol, LCP);
  assert.equal(reject.code, C.ProtocolReject);
  assert.equal(toHex(reject.data), '8057' + '01010008' + '01040578');
  assert.equal(s.session.counters.protocolRejects, 1);
  const fresh = server();
  fresh.packets();
  assert.deepEqual(fresh.send(0x8057, 1, 1, ''), [], 'not before LCP is open (RFC 1661 §5.7)');
});

test('a Code-Reject of our Echo-Request is tolerated (RXJ+); an unknown LCP code is Code-Rejected', () => {
  const { s } = openedServer();
  assert.deepEqual(s.send(LCP, C.CodeReject, 3, '09010008deadbeef'), []);
  assert.equal(s.session.state, 'authenticate');
  const [reject] = s.send(LCP, 0x20, 4, 'aabb');
  assert.equal(reject.code, C.CodeReject);
  assert.equal(toHex(reject.data), '20040006aabb');
});

test('a looped-back link is detected through the magic number and goes down (RFC 1661 §6.4)', () => {
  const rng = new Rng(9);
  const s = new PppSession({ role: 'client', authTypes: ['pap'], username: 'u', password: 'p', random: (n) => rng.bytes(n) });
  const events: PppOutput[] = [];
  s.open(0);
  let now = 0;
  for (let round = 0; round < 200 && !events.some((e) => e.type === 'down'); round++) {
    const out = s.drain();
    if (out.length === 0) {
      const t = s.nextTimeout();
      if (t === undefined) break;
      now = t;
      s.handleTimeout(now);
      continue;
    }
    for (const o of out) {
      if (o.type === 'frame') s.input(o.frame, now); // the wire hands our own frames back
      else events.push(o);
    }
  }
  const down = events.find((e) => e.type === 'down');
  assert.ok(down && down.type === 'down');
  assert.equal(down.cause, 'loopback');
});

test('a silent peer: LCP gives up after Max-Configure requests (10 × 3 s)', () => {
  const s = server();
  let requests = s.packets().length;
  for (let i = 0; i < 12; i++) requests += s.advance(3000).filter((p) => p.code === C.ConfigureRequest).length;
  assert.equal(requests, 10);
  const down = s.down();
  assert.ok(down);
  assert.equal(down.cause, 'lcp-failed');
});

function pair(echo: { echoIntervalMs?: number; echoFailures?: number } = {}): Pair {
  return new Pair(
    { authTypes: ['chap-md5'], localAddress: '10.1.1.1', ...echo },
    { authTypes: ['chap-md5'], username: 'john', password: 'secret' },
    new LocalAuthenticator([{ username: 'john', password: 'secret' }]),
    { seed: 4, delayMs: 5 },
  );
}

test('echo keepalive: the peer stops answering → down after interval × failures', async () => {
  const p = pair({ echoIntervalMs: 10_000, echoFailures: 3 });
  p.start();
  await p.runFor(60_000);
  assert.equal(p.server.state, 'open', 'answered echoes keep the link up');
  const stopped = p.now;
  p.deliver.client = false;
  await p.run(120_000);
  const down = p.events.server.find((e) => e.type === 'down');
  assert.ok(down && down.type === 'down');
  assert.equal(down.cause, 'echo-timeout');
  const waited = p.now - stopped;
  assert.ok(waited >= 30_000 && waited <= 40_000, `down ${waited} ms after the peer fell silent`);
});

test('close(): LCP Terminate-Request; the closer sees local-close, the peer peer-terminated', async () => {
  const p = pair();
  p.start();
  await p.run();
  p.server.close('administrative clear', p.now);
  await p.run();
  const s = p.events.server.find((e) => e.type === 'down');
  const c = p.events.client.find((e) => e.type === 'down');
  assert.ok(s && s.type === 'down' && c && c.type === 'down');
  assert.equal(s.cause, 'local-close');
  assert.equal(c.cause, 'peer-terminated');
  assert.match(c.reason, /administrative clear/);
});

test('lowerDown(): down at once with cause lower-down', async () => {
  const p = pair();
  p.start();
  await p.run();
  p.client.lowerDown(p.now);
  const out = p.client.drain();
  const down = out.find((e) => e.type === 'down');
  assert.ok(down && down.type === 'down');
  assert.equal(down.cause, 'lower-down');
  assert.equal(p.client.state, 'dead');
});

/**
 * What pppd sends when a late retransmission of our Configure-Request reaches it on an opened link
 * (pptp-linux hands on queued frames once its call is up): a new request, new identifier and magic.
 */
function renegotiation(p: Pair): Uint8Array {
  const f = p.sent.client.find((x) => x[2] === 0xc0 && x[3] === 0x21 && x[4] === C.ConfigureRequest)!.slice();
  f[5] = (f[5] + 0x40) & 0xff;
  for (let i = 8; i + 1 < f.length; i += f[i + 1]) if (f[i] === 5) f[i + 2] ^= 0xff;
  return f;
}

test('LCP renegotiated before authentication completes (pptp-linux delivering queued Configure-Requests late): authenticate again and come up', async () => {
  const p = pair();
  p.start();
  while (p.server.state !== 'authenticate') await p.runFor(1);
  p.server.input(renegotiation(p), p.now);
  await p.run();
  assert.equal(p.server.state, 'open');
  assert.equal(p.client.state, 'open');
  assert.equal(p.events.server.filter((e) => e.type === 'up').length, 1);
  assert.ok(p.events.server.some((e) => e.type === 'log' && /renegotiated LCP before authentication completed/.test(e.message)));
  assert.equal(p.events.server.filter((e) => e.type === 'authenticate').length, 1, 'the back end was asked once, after the renegotiation');
});

test('a peer that keeps renegotiating LCP before it authenticates goes down after 3 times', async () => {
  const p = pair();
  p.start();
  for (let i = 0; i < 4; i++) {
    while (p.server.state !== 'authenticate' && !p.events.server.some((e) => e.type === 'down')) await p.runFor(1);
    p.server.input(renegotiation(p), p.now);
    await p.runFor(1);
  }
  await p.run();
  const down = p.events.server.find((e) => e.type === 'down');
  assert.ok(down && down.type === 'down');
  assert.equal(down.cause, 'lcp-failed');
});

test('LCP renegotiation on an open link is refused: the session goes down (lcp-failed)', async () => {
  const p = pair();
  p.start();
  await p.run();
  // The client's LCP sends a fresh Configure-Request with a new magic number.
  p.server.input(new Uint8Array([0xff, 0x03, 0xc0, 0x21, 1, 99, 0, 10, 5, 6, 1, 2, 3, 4]), p.now);
  await p.run();
  const down = p.events.server.find((e) => e.type === 'down');
  assert.ok(down && down.type === 'down');
  assert.equal(down.cause, 'lcp-failed');
});

test('after down, a stray LCP Configure-Request does not restart LCP; a Terminate-Request is still answered', async () => {
  const p = pair();
  p.start();
  await p.run();
  p.client.close('bye', p.now);
  await p.run(); // the server answered, went down, and its LCP reached Stopped
  assert.equal(p.server.state, 'dead');
  p.server.input(new Uint8Array([0xff, 0x03, 0xc0, 0x21, 1, 7, 0, 10, 5, 6, 1, 2, 3, 4]), p.now);
  assert.deepEqual(p.server.drain(), []);
  assert.equal(p.server.nextTimeout(), undefined);
  p.server.input(new Uint8Array([0xff, 0x03, 0xc0, 0x21, 5, 8, 0, 4]), p.now);
  const out = p.server.drain();
  assert.equal(out.length, 1);
  assert.ok(out[0].type === 'frame' && out[0].frame[4] === 6, 'Terminate-Ack');
});
