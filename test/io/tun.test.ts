/** TunDevice and the iproute2 helpers in a namespace (root only); the body runs in tun-child. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Netns, isRoot } from '../helpers/netns.js';
import { repoRoot } from '../helpers/paths.js';
import { nodeScriptArgs } from './node-script.js';

test('TUN carries a UDP datagram out and replies in, configured with ip helpers', { skip: !isRoot() && 'needs root' }, async () => {
  const ns = new Netns('t');
  try {
    const child = ns.spawn(process.execPath, nodeScriptArgs(import.meta.url, 'tun-child'), { cwd: repoRoot });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 0, `tun-child failed: ${out} ${err}`);
    const r = JSON.parse(out);

    assert.equal(r.name, 'vpdntun0');
    assert.equal(r.mtu, 1400);
    assert.ok(r.flags.includes('UP'), `flags ${r.flags}`);
    assert.deepEqual(r.addr, ['10.99.0.1 peer 10.99.0.2/32']);
    assert.equal(r.forwarding, '1');
    assert.deepEqual(r.pool, ['10.98.0.10/31', '10.98.0.12/30', '10.98.0.16/30', '10.98.0.20/32']);
    // 'ip -j route' prints a /32 without its length.
    assert.deepEqual(r.routesBefore, ['10.98.0.10/31', '10.98.0.12/30', '10.98.0.16/30', '10.98.0.20', '10.99.0.2']);
    assert.deepEqual(r.routesAfter, ['10.98.0.12/30', '10.98.0.16/30', '10.98.0.20', '10.99.0.2']);

    // The datagram as the kernel routed it into the TUN: bare IPv4, valid checksums.
    assert.equal(r.seen.src, '10.99.0.1');
    assert.equal(r.seen.dst, '10.98.0.15');
    assert.equal(r.seen.srcPort, r.seen.port);
    assert.equal(r.seen.dstPort, 7777);
    assert.equal(r.seen.payload, 'ping-vpdn');
    assert.equal(r.seen.headerChecksumOk, true);
    assert.equal(r.seen.udpChecksumOk, true);

    assert.equal(r.wrote, true);
    assert.equal(r.wroteBatch, 3);
    assert.deepEqual(
      r.replies.map((x: { text: string }) => x.text).sort(),
      ['pong-1', 'pong-2', 'pong-3', 'pong-vpdn'],
    );
    for (const x of r.replies) assert.deepEqual([x.from, x.port], ['10.98.0.15', 7777]);
    assert.equal(r.badWrite, 'EINVAL');
    assert.equal(r.wroteMixed, 2);
    assert.equal(r.stats.txPackets, 6);
    assert.equal(r.stats.txSyscalls, 8);
    assert.equal(r.stats.txErrors, 2);
    assert.equal(r.stats.lastTxErrno, 22); // EINVAL
    assert.ok(r.stats.rxPackets >= 1 && r.stats.rxBatches >= 1);
    assert.equal(r.stats.rxTruncated, 0);
  } finally {
    ns.destroy();
  }
});
