/** IP datagrams both ways through established sessions: plain, and MPPE 40/128 stateless and stateful, with loss and reordering. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalAuthenticator } from '../../src/aaa/local.js';
import type { ClientMppePolicy, ServerMppePolicy } from '../../src/ppp/session.js';
import { MAX_FRAME_OVERHEAD } from '../../src/ppp/data-path.js';
import { toHex } from '../../src/wire/bytes.js';
import { decodePppFrame } from '../../src/wire/ppp.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { Pair } from './link.js';

/** A small IPv4 datagram whose payload names its direction and number. */
function datagram(from: string, n: number, size = 100): Uint8Array {
  const p = new Uint8Array(size);
  p.set([0x45, 0, size >> 8, size & 255, 0, 0, 0, 0, 64, 17, 0, 0, 192, 168, 1, 1, 10, 1, 1, 1]);
  const tag = new TextEncoder().encode(`${from}#${n}#`);
  p.set(tag, 20);
  for (let i = 20 + tag.length; i < size; i++) p[i] = (n * 7 + i) & 255;
  return p;
}

async function established(serverMppe: ServerMppePolicy, clientMppe: ClientMppePolicy, seed: number, loss: number): Promise<Pair> {
  const pair = new Pair(
    { authTypes: ['mschap-v2'], serverMppe, localAddress: '10.1.1.1' },
    { authTypes: ['mschap-v2'], username: 'john', password: 'secret', clientMppe },
    new LocalAuthenticator([{ username: 'john', password: 'secret' }]),
    { seed, loss, reorder: 0.1, reorderMs: 15, delayMs: 5, clearCallMs: 50 },
  );
  pair.start();
  await pair.run();
  assert.equal(pair.server.state, 'open');
  assert.equal(pair.client.state, 'open');
  return pair;
}

/** Send `count` datagrams each way, `gapMs` apart; returns what was sent per side. */
async function exchange(pair: Pair, count: number, gapMs: number, first = 0): Promise<Record<'server' | 'client', Uint8Array[]>> {
  const sent = { server: [] as Uint8Array[], client: [] as Uint8Array[] };
  for (let i = first; i < first + count; i++) {
    for (const side of ['client', 'server'] as const) {
      const d = datagram(side, i);
      assert.ok(pair.sendIp(side, d), `${side} could not send`);
      sent[side].push(d);
    }
    await pair.runFor(gapMs);
  }
  await pair.runFor(100);
  return sent;
}

function checkDelivered(pair: Pair, sent: Record<'server' | 'client', Uint8Array[]>): void {
  for (const [from, to] of [['client', 'server'], ['server', 'client']] as const) {
    const valid = new Set(sent[from].map(toHex));
    const seen = new Set<string>();
    for (const r of pair.received[to]) {
      const hex = toHex(r);
      assert.ok(valid.has(hex), `${to} received a datagram that was never sent: ${hex.slice(0, 60)}`);
      assert.ok(!seen.has(hex), `${to} received a datagram twice`);
      seen.add(hex);
    }
  }
}

test('IP both ways without encryption, with loss and reordering', async () => {
  const pair = await established({ mode: 'none', bits: 'auto' }, { mode: 'none', allow40: false, allow128: false, stateless: 'prefer' }, 11, 0.1);
  const sent = await exchange(pair, 200, 2);
  checkDelivered(pair, sent);
  assert.ok(pair.received.server.length > 150 && pair.received.client.length > 150);
  const wire = pair.sent.client.at(-1)!;
  const f = decodePppFrame(wire);
  assert.ok(!isDecodeError(f));
  assert.equal(f.protocol, 0x21);
});

for (const bits of [40, 128] as const) {
  test(`IP both ways with MPPE-${bits} stateless, loss and reordering: every datagram that arrives is the one sent`, async () => {
    const pair = await established({ mode: 'required', bits }, { mode: 'required', allow40: true, allow128: true, stateless: 'prefer' }, 20 + bits, 0.1);
    const sent = await exchange(pair, 300, 2);
    checkDelivered(pair, sent);
    // Stateless MPPE survives loss: all but the lost (and very late) packets arrive.
    assert.ok(pair.received.server.length > 240, `server got ${pair.received.server.length}`);
    assert.ok(pair.received.client.length > 240, `client got ${pair.received.client.length}`);
    const f = decodePppFrame(pair.sent.client.at(-1)!);
    assert.ok(!isDecodeError(f));
    assert.equal(f.protocol, 0xfd, 'data travels as MPPE');
    assert.ok(!toHex(pair.sent.client.at(-1)!).includes(toHex(new TextEncoder().encode('client#'))), 'no plaintext on the wire');
  });

  test(`IP both ways with MPPE-${bits} stateful: loss leads to CCP Reset-Request and traffic resumes`, async () => {
    const policy = { mode: 'required', allow40: bits === 40, allow128: bits === 128, stateless: 'refuse' } as const;
    const pair = await established({ mode: 'required', bits }, policy, 30 + bits, 0.1);
    const lossy = await exchange(pair, 150, 3);
    checkDelivered(pair, lossy);
    assert.ok(pair.server.counters.mppeErrors > 0 && pair.client.counters.mppeErrors > 0, 'loss was seen');
    const resets = pair.sent.client.filter((fr) => {
      const f = decodePppFrame(fr);
      return !isDecodeError(f) && f.protocol === 0x80fd && f.info[0] === 14;
    });
    assert.ok(resets.length > 0, 'the client sent CCP Reset-Request');
    // A clean link again: at most one repeated Reset-Request (1 s) later everything arrives.
    pair.conditions.loss = 0;
    pair.conditions.reorder = 0;
    const before = { server: pair.received.server.length, client: pair.received.client.length };
    const clean = await exchange(pair, 40, 50, 1000);
    checkDelivered(pair, { server: [...lossy.server, ...clean.server], client: [...lossy.client, ...clean.client] });
    for (const [to, from] of [['server', 'client'], ['client', 'server']] as const) {
      const got = new Set(pair.received[to].slice(before[to]).map(toHex));
      const tail = clean[from].slice(-15);
      assert.ok(tail.every((d) => got.has(toHex(d))), `${to} got the last 15 datagrams of the clean phase`);
    }
  });
}

test('stateless wanted by both: MPPE comes up stateless; one side refusing makes both directions stateful', async () => {
  const a = await established({ mode: 'auto', bits: 'auto' }, { mode: 'optional', allow40: true, allow128: true, stateless: 'prefer' }, 5, 0);
  const up = a.events.server.find((e) => e.type === 'up');
  assert.ok(up && up.type === 'up');
  assert.deepEqual(up.info.mppe, { bits: 128, stateless: true });
  assert.equal(up.info.mtu, 1400 - 4, 'MPPE costs 4 octets of MTU');
  const b = await established({ mode: 'auto', bits: 'auto' }, { mode: 'optional', allow40: true, allow128: true, stateless: 'refuse' }, 6, 0);
  for (const side of ['server', 'client'] as const) {
    const u = b.events[side].find((e) => e.type === 'up');
    assert.ok(u && u.type === 'up');
    assert.deepEqual(u.info.mppe, { bits: 128, stateless: false });
  }
});

test('server policy `stateful`: a client that allows it (pppd mppe-stateful) ends stateful both ways; one that insists on stateless gets no MPPE', async () => {
  const stateful: ServerMppePolicy = { mode: 'auto', bits: 128, stateless: 'refuse' };
  const a = await established(stateful, { mode: 'optional', allow40: false, allow128: true, stateless: 'prefer' }, 12, 0);
  for (const side of ['server', 'client'] as const) {
    const u = a.events[side].find((e) => e.type === 'up');
    assert.ok(u && u.type === 'up');
    assert.deepEqual(u.info.mppe, { bits: 128, stateless: false });
  }
  // `auto` without `required`: the link stays up without MPPE (SPEC §3, `required` is what refuses it).
  const b = await established(stateful, { mode: 'optional', allow40: false, allow128: true, stateless: 'require' }, 13, 0);
  const u = b.events.server.find((e) => e.type === 'up');
  assert.ok(u && u.type === 'up');
  assert.equal(u.info.mppe, null);
  // `required`: no session at all.
  const pair = new Pair(
    { authTypes: ['mschap-v2'], serverMppe: { mode: 'required', bits: 128, stateless: 'refuse' }, localAddress: '10.1.1.1' },
    { authTypes: ['mschap-v2'], username: 'john', password: 'secret', clientMppe: { mode: 'required', allow40: false, allow128: true, stateless: 'require' } },
    new LocalAuthenticator([{ username: 'john', password: 'secret' }]),
    { seed: 14 },
  );
  pair.start();
  await pair.run();
  assert.notEqual(pair.server.state, 'open');
  assert.ok(!pair.events.server.some((e) => e.type === 'up'));
});

test('encapsulateIp gives nothing before the link is open; frames before open are discarded', async () => {
  const pair = new Pair(
    { authTypes: ['pap'], localAddress: '10.1.1.1' },
    { authTypes: ['pap'], username: 'john', password: 'secret' },
    new LocalAuthenticator([{ username: 'john', password: 'secret' }]),
    { seed: 3 },
  );
  assert.equal(pair.server.encapsulateIp(datagram('server', 0)), undefined);
  assert.equal(pair.server.input(new Uint8Array([0xff, 0x03, 0x00, 0x21, 0x45]), 0), undefined);
  assert.equal(pair.server.counters.discardedFrames, 1);
  pair.start();
  await pair.run();
  assert.ok(pair.server.encapsulateIp(datagram('server', 0)));
});

test('with PFC and ACFC agreed, data frames drop ff 03 and use a 1-octet protocol; LCP keeps both', async () => {
  const pair = await established({ mode: 'none', bits: 'auto' }, { mode: 'none', allow40: false, allow128: false, stateless: 'prefer' }, 8, 0);
  const frame = pair.server.encapsulateIp(datagram('server', 1))!;
  assert.equal(frame[0], 0x21, 'no ff 03, protocol 21 in one octet');
  const lcp = pair.sent.server.find((f) => f[2] === 0xc0 && f[3] === 0x21);
  assert.ok(lcp && lcp[0] === 0xff && lcp[1] === 0x03);
  assert.ok(pair.client.input(frame, pair.now), 'the client takes the compressed form');
});

test('encapsulateIpInto writes the frame encapsulateIp gives; MPPE frames decrypt in place to a view of the datagram', async () => {
  for (const [mppe, seed] of [[false, 12], [true, 13]] as const) {
    const twin = await established(
      mppe ? { mode: 'required', bits: 128 } : { mode: 'none', bits: 'auto' },
      mppe ? { mode: 'required', allow40: false, allow128: true, stateless: 'require' } : { mode: 'none', allow40: false, allow128: false, stateless: 'prefer' },
      seed,
      0,
    );
    const pair = await established(
      mppe ? { mode: 'required', bits: 128 } : { mode: 'none', bits: 'auto' },
      mppe ? { mode: 'required', allow40: false, allow128: true, stateless: 'require' } : { mode: 'none', allow40: false, allow128: false, stateless: 'prefer' },
      seed,
      0,
    );
    for (let i = 0; i < 5; i++) {
      const d = datagram('server', i, 60 + i);
      const expected = twin.server.encapsulateIp(d)!;
      const out = new Uint8Array(3 + d.length + MAX_FRAME_OVERHEAD).fill(0xee);
      const end = pair.server.encapsulateIpInto(d, out, 3);
      assert.deepEqual(out.subarray(3, end), expected, `${mppe ? 'MPPE' : 'plain'} frame ${i}`);
      assert.ok(out.subarray(0, 3).every((b) => b === 0xee) && out.subarray(end).every((b) => b === 0xee), 'writes only the frame');
      const ip = pair.client.input(out.subarray(3, end), pair.now);
      assert.deepEqual(ip, d);
      assert.equal(ip!.buffer, out.buffer, 'the datagram is a view into the frame');
    }
  }
  const closed = new Pair({ authTypes: ['pap'], localAddress: '10.1.1.1' }, { authTypes: ['pap'], username: 'john', password: 'secret' }, new LocalAuthenticator([]), { seed: 4 });
  assert.equal(closed.server.encapsulateIpInto(datagram('server', 0), new Uint8Array(200), 0), -1);
});

test('CCP renegotiation on an encrypted link: no plaintext meanwhile, MPPE again afterwards', async () => {
  const pair = await established({ mode: 'auto', bits: 128 }, { mode: 'optional', allow40: false, allow128: true, stateless: 'prefer' }, 9, 0);
  // A fresh CCP Configure-Request from the client's side (new identifier): CCP goes down and renegotiates.
  pair.server.input(new Uint8Array([0xff, 0x03, 0x80, 0xfd, 1, 200, 0, 10, 18, 6, 1, 0, 0, 0x40]), pair.now);
  assert.equal(pair.server.encapsulateIp(datagram('server', 1)), undefined, 'nothing is sent in the clear');
  assert.equal(pair.server.input(new Uint8Array([0xff, 0x03, 0x00, 0x21, ...datagram('client', 1)]), pair.now), undefined, 'plain IP is not taken');
  await pair.run();
  const sent = await exchange(pair, 20, 5);
  checkDelivered(pair, sent);
  assert.equal(pair.received.server.length, 20);
  assert.equal(pair.received.client.length, 20);
  const f = decodePppFrame(pair.sent.server.at(-1)!);
  assert.ok(!isDecodeError(f) && f.protocol === 0xfd);
});
