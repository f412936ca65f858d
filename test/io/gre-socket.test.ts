/** GreSocket between two namespaces over veth (root only). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Netns, isRoot, link } from '../helpers/netns.js';
import { toHex } from '../../src/wire/bytes.js';
import { GrePeer } from './gre-peer-control.js';

/** PPTP GRE header (RFC 2637 section 4.1) with sequence number, then payload. */
function gre(seq: number, payload: Uint8Array): string {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(0x3001, 0);
  h.writeUInt16BE(0x880b, 2);
  h.writeUInt16BE(payload.length, 4);
  h.writeUInt16BE(0x4242, 6);
  h.writeUInt32BE(seq, 8);
  return toHex(Buffer.concat([h, payload]));
}

describe('GreSocket over veth between namespaces', { skip: !isRoot() && 'needs root' }, () => {
  let a: Netns;
  let b: Netns;
  let pa: GrePeer;
  let pb: GrePeer;

  before(async () => {
    a = new Netns('ga');
    b = new Netns('gb');
    link(a, '10.77.0.1/24', b, '10.77.0.2/24');
    [{ peer: pa }, { peer: pb }] = await Promise.all([
      GrePeer.start(a, { bindAddress: '10.77.0.1' }),
      GrePeer.start(b, { store: 1000 }),
    ]);
  });

  after(async () => {
    await Promise.all([pa?.stop(), pb?.stop()]);
    a?.destroy();
    b?.destroy();
  });

  test('packets arrive intact both ways, GRE header first, with the sender as source', async () => {
    const sizes = [0, 1, 3, 64, 1000, 1452];
    const ab = sizes.map((n, i) => gre(i, randomBytes(n)));
    assert.equal((await pa.request({ op: 'send', dst: '10.77.0.2', packets: ab, batch: false })).sent, ab.length);
    assert.equal((await pb.request({ op: 'waitFor', count: ab.length, timeoutMs: 3000 })).received, ab.length);
    const atB = await pb.request({ op: 'take' });
    assert.deepEqual(atB.packets, ab.map((hex) => ({ source: '10.77.0.1', hex })));

    const ba = sizes.map((n, i) => gre(100 + i, randomBytes(n)));
    assert.equal((await pb.request({ op: 'send', dst: '10.77.0.1', packets: ba, batch: true })).sent, ba.length);
    assert.equal((await pa.request({ op: 'waitFor', count: ba.length, timeoutMs: 3000 })).received, ba.length);
    const atA = await pa.request({ op: 'take' });
    assert.deepEqual(atA.packets, ba.map((hex) => ({ source: '10.77.0.2', hex })));
  });

  test('1000 packets sent with one sendBatch all arrive, 256 per sendmmsg', async () => {
    await pb.request({ op: 'reset' });
    const before = (await pa.request({ op: 'stats' })).stats;
    const pkts = Array.from({ length: 1000 }, (_, i) => gre(i, randomBytes(1388)));
    assert.equal((await pa.request({ op: 'send', dst: '10.77.0.2', packets: pkts, batch: true })).sent, 1000);
    const after = (await pa.request({ op: 'stats' })).stats;
    assert.equal(after.txPackets - before.txPackets, 1000);
    assert.equal(after.txSyscalls - before.txSyscalls, 4);
    assert.equal((await pb.request({ op: 'waitFor', count: 1000, timeoutMs: 5000 })).received, 1000);
    const got = await pb.request({ op: 'take' });
    assert.deepEqual(new Set(got.packets.map((p: { hex: string }) => p.hex)), new Set(pkts));
  });

  test('queued packets are read 64 per recvmmsg and handed over one callback per batch', async () => {
    await pb.request({ op: 'reset' });
    await pb.request({ op: 'pause' });
    const before = (await pb.request({ op: 'stats' })).stats;
    const pkts = Array.from({ length: 200 }, (_, i) => gre(i, randomBytes(100)));
    assert.equal((await pa.request({ op: 'send', dst: '10.77.0.2', packets: pkts, batch: true })).sent, 200);
    await new Promise((r) => setTimeout(r, 100)); // let them queue in the socket
    await pb.request({ op: 'resume' });
    assert.equal((await pb.request({ op: 'waitFor', count: 200, timeoutMs: 3000 })).received, 200);
    const after = (await pb.request({ op: 'stats' })).stats;
    // 64 + 64 + 64 + 8: the short last batch shows the queue is empty, so no EAGAIN read.
    assert.equal(after.rxBatches - before.rxBatches, 4);
    assert.equal(after.rxSyscalls - before.rxSyscalls, 4);
    assert.equal(after.rxPackets - before.rxPackets, 200);
    await pb.request({ op: 'take' });
  });

  test('a packet longer than maxPacketBytes is counted as truncated, not delivered', async () => {
    const { peer: small } = await GrePeer.start(b, { maxPacketBytes: 256, bindAddress: '10.77.0.2' });
    try {
      const pkts = [gre(1, randomBytes(100)), gre(2, randomBytes(400)), gre(3, randomBytes(200))];
      await pa.request({ op: 'send', dst: '10.77.0.2', packets: pkts, batch: true });
      assert.equal((await small.request({ op: 'waitFor', count: 2, timeoutMs: 3000 })).received, 2);
      const got = await small.request({ op: 'take' });
      assert.deepEqual(got.packets.map((p: { hex: string }) => p.hex), [pkts[0], pkts[2]]);
      const s = (await small.request({ op: 'stats' })).stats;
      assert.equal(s.rxTruncated, 1);
    } finally {
      await small.stop();
      await pb.request({ op: 'take' });
    }
  });
});
