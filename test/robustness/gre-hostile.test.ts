/**
 * Hostile enhanced GRE against a running server (issue 9): another session's call id, spoofed
 * source addresses, bad lengths and headers, sequence numbers far ahead and far behind,
 * unencrypted frames on an MPPE session, garbage after PPP headers and a flood. Raw GRE comes
 * from the project's GreSocket in the client namespace. Each packet is dropped and counted
 * (globally or on the call) and both real sessions keep passing traffic.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot } from '../helpers/netns.js';
import { dial, type Proc, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { seedConfig } from '../e2e/config.js';
import { GrePeer } from '../io/gre-peer-control.js';
import { toHex } from '../../src/wire/bytes.js';
import { encodeGrePacket } from '../../src/wire/gre.js';
import type { CallView, GlobalCounters, TunnelView } from '../../src/server/view.js';
import { ATTACKER, CLIENT, CLIENT2, INSIDE_HOST, lab, SERVER, type Lab } from './topology.js';

const root = !isRoot() && 'needs root for namespaces';
const IP_PACKET = [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 192, 168, 1, 1, 10, 1, 1, 5];
/** Sends N ICMP echo requests with a chosen source address out of one interface (raw IP_HDRINCL socket). */
const SPOOF_PY = `
import socket, struct, sys
dev, src, dst, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.setsockopt(socket.SOL_SOCKET, 25, dev.encode() + b'\\0')
body = struct.pack('!BBHHH', 8, 0, 0, 7, 1) + b'spoofed'
padded = body + b'\\0' * (len(body) % 2)
c = sum(struct.unpack('!%dH' % (len(padded) // 2), padded))
c = (c >> 16) + (c & 0xffff); c = ~(c + (c >> 16)) & 0xffff
body = body[:2] + struct.pack('!H', c) + body[4:]
hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(body), 0, 0, 64, 1, 0, socket.inet_aton(src), socket.inet_aton(dst))
for i in range(n): s.sendto(hdr + body, (dst, 0))
`;

describe('hostile GRE', { skip: root }, () => {
  let l: Lab;
  let server: ServerHandle;
  const clients: Proc[] = [];
  const peers: GrePeer[] = [];

  const calls = async (): Promise<CallView[]> => {
    const r = await server.cli('show', 'vpdn', 'session', '--json');
    return (JSON.parse(r.out) as { tunnels: TunnelView[] }).tunnels.flatMap((t) => t.calls);
  };
  const callOf = async (peer: string) => (await calls()).find((c) => c.peerAddress === peer)!;
  const counters = async (): Promise<GlobalCounters & { spoofedDropped: number }> => JSON.parse((await server.cli('show', 'counters', '--json')).out);
  const bothPing = () => {
    assert.match(l.client.exec('ping', '-I', 'vd0', '-c', '2', '-i', '0.2', '-W', '3', INSIDE_HOST), /2 received/, 'session A passes traffic');
    assert.match(l.client.exec('ping', '-I', 'vd1', '-c', '2', '-i', '0.2', '-W', '3', INSIDE_HOST), /2 received/, 'session B passes traffic');
  };
  /** A raw GRE sender in the client namespace, sending from `from`. */
  const sender = async (from: string) => {
    const { peer, hello } = await GrePeer.start(l.client, { bindAddress: from });
    assert.ok(hello.ready, JSON.stringify(hello));
    peers.push(peer);
    return { send: (...packets: Uint8Array[]) => peer.request({ op: 'send', dst: SERVER, packets: packets.map(toHex), batch: false }), peer };
  };

  before(async () => {
    l = lab();
    server = await startServer(l.server, seedConfig({ extra: ['vpdn group 1 ppp encryption mppe auto'] }));
    clients.push(dial(l.client, SERVER, ['--user', 'cisco', '--password', 'cisco', '--tun', 'vd0']));
    clients.push(dial(l.client, SERVER, ['--user', 'cisco', '--password', 'cisco', '--tun', 'vd1', '--local', CLIENT2]));
    for (const c of clients) await c.waitFor(/connected: .* MPPE 128-bit/);
  });

  after(async () => {
    for (const p of peers) await p.stop();
    for (const c of clients) c.kill('SIGKILL');
    await server?.stop();
    l?.destroy();
  });

  test("another session's call id, unknown call ids and spoofed sources are dropped and counted", async () => {
    const a = await callOf(CLIENT);
    const b = await callOf(CLIENT2);
    const before = await counters();
    const fromA = await sender(CLIENT);
    const fromAttacker = await sender(ATTACKER);
    const ppp = new Uint8Array([0xff, 0x03, 0x00, 0x21, ...IP_PACKET]);
    // From A's address with B's call id; a call id nobody has; A's call id from the attacker.
    await fromA.send(...Array.from({ length: 20 }, (_, i) => encodeGrePacket(b.callId, ppp, b.gre.ack + 1 + i)));
    await fromA.send(...Array.from({ length: 20 }, (_, i) => encodeGrePacket(0xfffe, ppp, i)));
    await fromAttacker.send(...Array.from({ length: 20 }, (_, i) => encodeGrePacket(a.callId, ppp, a.gre.ack + 1 + i)));
    await new Promise((r) => setTimeout(r, 300));
    const after = await counters();
    assert.ok(after.greDropped - before.greDropped >= 60, `greDropped ${before.greDropped} -> ${after.greDropped}`);
    const [a2, b2] = [await callOf(CLIENT), await callOf(CLIENT2)];
    assert.ok(b2.traffic.packetsIn - b.traffic.packetsIn < 20, 'B took none of the packets sent from A’s address');
    assert.ok(a2.traffic.packetsIn - a.traffic.packetsIn < 20, 'A took none of the attacker’s packets');
    bothPing();
  });

  test('IP from inside the tunnel with a source address not given to that client is dropped and counted', async () => {
    const a = await callOf(CLIENT);
    const b = await callOf(CLIENT2);
    const before = await counters();
    // Raw IPv4 (IP_HDRINCL) out of A's tunnel interface, claiming B's address and then an inside one.
    for (const src of [b.clientAddress!, '10.1.1.99']) l.client.exec('python3', '-c', SPOOF_PY, 'vd0', src, INSIDE_HOST, '5');
    await new Promise((r) => setTimeout(r, 300));
    const a2 = await callOf(CLIENT);
    assert.equal(a2.dropped.spoofed - a.dropped.spoofed, 10, 'each spoofed packet counted on the call');
    assert.equal((await counters()).spoofedDropped - before.spoofedDropped, 10);
    bothPing();
  });

  test('bad lengths and bad headers are dropped and counted', async () => {
    const a = await callOf(CLIENT);
    const before = await counters();
    const fromA = await sender(CLIENT);
    const good = encodeGrePacket(a.callId, new Uint8Array([0xff, 0x03, 0x00, 0x21, ...IP_PACKET]), a.gre.ack + 1);
    const longer = good.slice();
    longer[4] = 0x05; // payload length 1280+, more than the packet holds
    const cBit = good.slice();
    cBit[0] |= 0x80; // checksum present: not enhanced GRE
    const version0 = good.slice();
    version0[1] = 0x00;
    const notPpp = good.slice();
    notPpp[2] = 0x08;
    notPpp[3] = 0x00;
    await fromA.send(longer, cBit, version0, notPpp, good.subarray(0, 6), good.subarray(0, 10));
    await new Promise((r) => setTimeout(r, 300));
    const after = await counters();
    assert.ok(after.greDropped - before.greDropped >= 6, `greDropped ${before.greDropped} -> ${after.greDropped}`);
    bothPing();
  });

  test('sequence numbers far ahead and far behind are dropped and counted; the session keeps its place', async () => {
    const a = await callOf(CLIENT);
    const fromA = await sender(CLIENT);
    const ppp = new Uint8Array([0xff, 0x03, 0x00, 0x21, ...IP_PACKET]);
    const ahead = (a.gre.ack + 1_000_000) >>> 0;
    const behind = (a.gre.ack - 1_000_000) >>> 0;
    // Far ahead (one packet, and one now and then: never two in a row), far behind, and a wild ack.
    await fromA.send(encodeGrePacket(a.callId, ppp, ahead), encodeGrePacket(a.callId, ppp, behind), encodeGrePacket(a.callId, ppp, (ahead + 5000) >>> 0));
    await fromA.send(encodeGrePacket(a.callId, new Uint8Array(0), undefined, 0x7fffffff));
    await new Promise((r) => setTimeout(r, 300));
    const a2 = await callOf(CLIENT);
    assert.ok(a2.gre.ack < ahead - 100_000, `the receive sequence did not jump (${a.gre.ack} -> ${a2.gre.ack})`);
    assert.ok((a2.dropped.sequence ?? 0) - (a.dropped.sequence ?? 0) >= 3, 'far ahead and far behind counted');
    assert.ok(a2.gre.ackReceived <= a2.gre.seq, 'an acknowledgment beyond what we sent is ignored');
    bothPing();
  });

  test('unencrypted frames on an MPPE session and garbage after PPP headers are dropped and counted', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const a = await callOf(CLIENT);
    const fromA = await sender(CLIENT);
    // The client's next sequence numbers, as if these were its next packets.
    let seq = a.gre.ack + 1;
    const frames = [
      new Uint8Array([0xff, 0x03, 0x00, 0x21, ...IP_PACKET]), // plain IP on an encrypted session
      new Uint8Array([0x21, ...IP_PACKET]), // the same, compressed header
      new Uint8Array([0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0xff, 0x00]), // LCP with a Length beyond the frame
      new Uint8Array([0xff, 0x03, 0x80, 0x21, 0x01, 0x01, 0x01, 0x00, 0x03, 0x06]), // IPCP with a Length beyond the frame
      new Uint8Array([0xff, 0x03, 0x00, 0xfd, 0x90, 0x07, 0xde, 0xad]), // MPPE that does not decrypt
      new Uint8Array([0xff, 0x03, 0x00]), // protocol field cut short
      // Ignored without a count: a CHAP Response after authentication, an unknown protocol (Protocol-Reject).
      new Uint8Array([0xff, 0x03, 0xc2, 0x23, 0x02, 0x07, 0x00, 0x04]),
      new Uint8Array([0xff, 0x05, 0xc0, 0x21]),
    ];
    await fromA.send(...frames.map((f) => encodeGrePacket(a.callId, f, seq++)));
    await new Promise((r) => setTimeout(r, 300));
    const a2 = await callOf(CLIENT);
    const dropped = (a2.dropped.discarded ?? 0) - (a.dropped.discarded ?? 0) + (a2.dropped.mppe - a.dropped.mppe);
    assert.ok(dropped >= 6, `dropped ${JSON.stringify(a.dropped)} -> ${JSON.stringify(a2.dropped)}`);
    assert.equal(a2.state, 'estabd');
    // The injected frames took sequence numbers the client is about to use (as a forger's would):
    // its next few packets arrive "late" and are dropped until its numbers pass them.
    try {
      l.client.exec('ping', '-I', 'vd0', '-c', '15', '-i', '0.05', '-W', '1', INSIDE_HOST);
    } catch {
      /* some of these are expected to be lost */
    }
    bothPing();
  });

  test('a flood of garbage GRE for two seconds: both sessions pass traffic during and after', async () => {
    const before = await counters();
    const fromAttacker = await sender(ATTACKER);
    const blast = fromAttacker.peer.request({ op: 'blast', dst: SERVER, size: 200, seconds: 2, batch: 32 }, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    bothPing();
    const r = await blast;
    assert.ok(r.sent > 1000, `sent ${r.sent}`);
    const after = await counters();
    assert.ok(after.greDropped - before.greDropped > 1000, `greDropped ${before.greDropped} -> ${after.greDropped}`);
    bothPing();
    assert.match((await server.cli('show', 'vpdn')).out, /Total tunnels=2 sessions=2/);
  });
});
