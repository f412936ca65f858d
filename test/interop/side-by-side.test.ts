/**
 * The same pppd client guest against pptpd (Debian's PoPToP + pppd, in a second guest) and
 * against `vpdn serve` (host side of the namespace), in one run: time to bring up 1, 10 and 50
 * MS-CHAP v2 + MPPE-128 sessions, each session started a little after the previous one as real
 * clients would, one source address each (pptp --localbind); every session pings through its own
 * link. Prints the BENCHMARKS.md table. A measurement, so `npm run test:interop` runs it only with
 * VPDN_SIDE_BY_SIDE=1 (scripts/run-tests.mjs); serve-pppd.test.ts holds the 50-session check.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isRoot } from '../helpers/netns.js';
import type { ServerHandle } from '../helpers/vpdn.js';
import { Guest } from './harness.js';
import { LEAN_SESSION_OPTIONS, pingThroughEach, pppdDialMany, pppdHangupAll, type PppdDialOptions, type PppdSession } from './pppd.js';
import { startPptpd } from './pptpd.js';
import { INSIDE_HOST, OUTSIDE, POOL, SERVER_PPP_ADDRESS, ServeNet, clientAddresses, vpdnCalls } from './serve-net.js';

const PPTPD = '172.18.124.2';
const PPTPD_PPP = '192.168.90.1';
const COUNTS = [1, 10, 50];
/** Start spacing: the emulated client CPU is what limits how fast pppd + pptp can start. */
const INTERVAL_MS: Record<number, number> = { 1: 0, 10: 300, 50: 300 };
const BIND = clientAddresses(50);

interface Row {
  server: 'pptpd' | 'vpdn';
  sessions: number;
  up: number;
  /** First start to last session up. */
  allUpMs: number;
  /** Per session, start to IPCP up. */
  medianMs: number;
  maxMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

describe('side by side: pptpd vs vpdn session bring-up (same client guest, same run)', { timeout: 420_000 }, () => {
  let sn: ServeNet | undefined;
  let client: Guest | undefined;
  let pptpdGuest: Guest | undefined;
  let server: ServerHandle | undefined;
  const rows: Row[] = [];

  before(async () => {
    assert.ok(isRoot(), 'interop tests need root (network namespaces, taps, qemu)');
    sn = ServeNet.create();
    [client, pptpdGuest, server] = await Promise.all([
      Guest.boot(sn.net, { name: 'client', address: '172.18.124.3/24', extraAddresses: BIND.map((a) => `${a}/24`) }),
      Guest.boot(sn.net, { name: 'pptpd', address: `${PPTPD}/24` }),
      sn.startServer(['vpdn group 1 ppp encryption mppe auto']),
    ]);
    await startPptpd(pptpdGuest, {
      localIp: PPTPD_PPP,
      remoteIp: '192.168.90.10-99',
      users: [{ name: 'cisco', password: 'cisco' }],
      pppOptions: ['require-mschap-v2', 'require-mppe-128'],
    });
  });

  after(async () => {
    await server?.stop();
    await Promise.all([client?.shutdown(), pptpdGuest?.shutdown()]);
    sn?.destroy();
    if (rows.length > 0) {
      const lines = [
        '| server | sessions | up | all up (s) | per session median (s) | per session max (s) |',
        '|---|---:|---:|---:|---:|---:|',
        ...rows.map((r) => `| ${r.server} | ${r.sessions} | ${r.up} | ${(r.allUpMs / 1000).toFixed(1)} | ${(r.medianMs / 1000).toFixed(1)} | ${(r.maxMs / 1000).toFixed(1)} |`),
      ];
      console.log(`side-by-side bring-up (start spacing ${JSON.stringify(INTERVAL_MS)} ms):\n${lines.join('\n')}`);
    }
  });

  async function bringUp(kind: 'pptpd' | 'vpdn', count: number): Promise<PppdSession[]> {
    const target = kind === 'pptpd' ? PPTPD : OUTSIDE;
    const dials: PppdDialOptions[] = BIND.slice(0, count).map((localbind, unit) => ({
      server: target,
      user: 'cisco',
      password: 'cisco',
      auth: 'mschap-v2',
      mppe: '128',
      unit,
      localbind,
      extraOptions: LEAN_SESSION_OPTIONS,
      timeoutMs: 90_000,
    }));
    const sessions = await pppdDialMany(client!, dials, INTERVAL_MS[count]);
    const start = Math.min(...sessions.map((s) => s.startedAt));
    const times = sessions.filter((s) => s.up).map((s) => s.endedAt - s.startedAt);
    rows.push({
      server: kind,
      sessions: count,
      up: times.length,
      allUpMs: Math.max(...sessions.map((s) => s.endedAt)) - start,
      medianMs: median(times),
      maxMs: Math.max(...times),
    });
    for (const s of sessions) {
      assert.ok(s.up, `${kind}: session ${s.unit} of ${count} did not come up:\n${s.log}`);
      assert.equal(s.remoteAddress, kind === 'pptpd' ? PPTPD_PPP : SERVER_PPP_ADDRESS, `${kind}: session ${s.unit}`);
      assert.deepEqual(s.mppe, { bits: 128, stateful: false }, `${kind}: session ${s.unit}`);
    }
    return sessions;
  }

  for (const count of COUNTS) {
    test(`${count} session(s): pptpd, then vpdn`, async () => {
      const viaPptpd = await bringUp('pptpd', count);
      assert.equal(new Set(viaPptpd.map((s) => s.localAddress)).size, count);
      await pingThroughEach(client!, viaPptpd.map((s) => s.unit), PPTPD_PPP);
      await pppdHangupAll(client!);
      await pptpdGuest!.check('i=0; while pidof pppd >/dev/null; do i=$((i+1)); [ $i -gt 200 ] && exit 1; sleep 0.1; done', { timeoutMs: 30_000 });

      const viaVpdn = await bringUp('vpdn', count);
      for (const s of viaVpdn) assert.match(s.localAddress ?? '', POOL);
      assert.equal(new Set(viaVpdn.map((s) => s.localAddress)).size, count);
      await pingThroughEach(client!, viaVpdn.map((s) => s.unit), INSIDE_HOST);
      const calls = await vpdnCalls(server!);
      assert.equal(calls.length, count);
      for (const c of calls) assert.ok(c.traffic.packetsIn > 0 && c.traffic.packetsOut > 0 && c.mppeBits === 128, JSON.stringify(c));
      await pppdHangupAll(client!);
      for (let i = 0; i < 100 && (await vpdnCalls(server!)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal((await vpdnCalls(server!)).length, 0, 'vpdn kept sessions after every client hung up');
    });
  }
});
