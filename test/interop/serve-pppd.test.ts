/**
 * Real pppd + pptp-linux clients (Debian, in a qemu guest) against `vpdn serve` with the seed's
 * configuration (issue 5): every authentication type × MPPE setting pppd allows, all at once from
 * one guest (pptp --localbind each), with ping and 10 s of iperf3 both ways to the inside host;
 * `show vpdn`, `clear vpdn tunnel id N`; 50 sessions at once; `mppe 128 stateful` with pppd's
 * mppe-stateful; the combinations pppd itself refuses; a wrong password; DOMAIN\user; the seed's two encryption mismatches; and one full
 * session per authentication type captured on the server side and dissected by tshark.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isRoot } from '../helpers/netns.js';
import { dissect, fieldValue, fieldValues } from '../helpers/tshark.js';
import { Proc, type ServerHandle } from '../helpers/vpdn.js';
import { Guest } from './harness.js';
import { hostIperf3Server, iperf3Client, type Iperf3Result } from './iperf3.js';
import { LEAN_SESSION_OPTIONS, pingThroughEach, pppdDial, pppdDialMany, pppdHangup, pppdHangupAll, pppdWaitExit, type DialAuth, type DialMppe, type PppdDialOptions, type PppdSession } from './pppd.js';
import { INSIDE_HOST, OUTSIDE, POOL, SERVER_PPP_ADDRESS, ServeNet, clientAddresses, vpdnCalls } from './serve-net.js';
import { PPTP_LENGTHS, pppPackets, pptpSession } from './wire-check.js';

const MPPE_AUTO = 'vpdn group 1 ppp encryption mppe auto';
const DOMAIN_USER = 'vpdn username DOMAIN\\cisco password cisco';
const IPERF_SECONDS = 10;

interface Case {
  name: string;
  auth: DialAuth;
  mppe: DialMppe;
  stateful?: boolean;
  user?: string;
  password?: string;
  /** vpdn's name for the method (show vpdn). */
  vpdnAuth: string;
  /**
   * What pppd reports. pppd always asks for stateless MPPE and only allows stateful when the peer
   * asks for it (pppd ccp.c); vpdn serve follows the client's H bit (RFC 3078 §2), so
   * `mppe-stateful` still ends stateless.
   */
  expectMppe?: { bits: 40 | 128; stateful: boolean };
}

// Every combination Debian's pppd 2.4.9 allows: MPPE needs MS-CHAP, and MS-CHAP v1 cannot do
// 40-bit (no LAN Manager hash in this build).
const VALID: Case[] = [
  { name: 'PAP, no MPPE', auth: 'pap', mppe: 'none', vpdnAuth: 'pap' },
  { name: 'CHAP-MD5, no MPPE', auth: 'chap', mppe: 'none', vpdnAuth: 'chap-md5' },
  { name: 'MS-CHAP v1, no MPPE', auth: 'mschap', mppe: 'none', vpdnAuth: 'mschap-v1' },
  { name: 'MS-CHAP v1, MPPE-128', auth: 'mschap', mppe: '128', vpdnAuth: 'mschap-v1', expectMppe: { bits: 128, stateful: false } },
  { name: 'MS-CHAP v1, MPPE-128, stateful allowed', auth: 'mschap', mppe: '128', stateful: true, vpdnAuth: 'mschap-v1', expectMppe: { bits: 128, stateful: false } },
  { name: 'MS-CHAP v2, no MPPE', auth: 'mschap-v2', mppe: 'none', vpdnAuth: 'mschap-v2' },
  { name: 'MS-CHAP v2, MPPE-40', auth: 'mschap-v2', mppe: '40', vpdnAuth: 'mschap-v2', expectMppe: { bits: 40, stateful: false } },
  { name: 'MS-CHAP v2, MPPE-40, stateful allowed', auth: 'mschap-v2', mppe: '40', stateful: true, vpdnAuth: 'mschap-v2', expectMppe: { bits: 40, stateful: false } },
  { name: 'MS-CHAP v2, MPPE-128', auth: 'mschap-v2', mppe: '128', vpdnAuth: 'mschap-v2', expectMppe: { bits: 128, stateful: false } },
  { name: 'MS-CHAP v2, MPPE-128, stateful allowed', auth: 'mschap-v2', mppe: '128', stateful: true, vpdnAuth: 'mschap-v2', expectMppe: { bits: 128, stateful: false } },
  { name: 'DOMAIN\\cisco, MS-CHAP v2, MPPE-128', auth: 'mschap-v2', mppe: '128', user: 'DOMAIN\\cisco', vpdnAuth: 'mschap-v2', expectMppe: { bits: 128, stateful: false } },
];

// Refused by pppd itself before or during CCP; the server must clean up after them.
const REFUSED_BY_PPPD: (Case & { error: RegExp })[] = [
  { name: 'PAP + MPPE-128', auth: 'pap', mppe: '128', vpdnAuth: 'pap', error: /MPPE required, but MS-CHAP\[v2\] nor EAP-TLS auth are performed/ },
  { name: 'CHAP-MD5 + MPPE-40', auth: 'chap', mppe: '40', vpdnAuth: 'chap-md5', error: /MPPE required, but MS-CHAP\[v2\] nor EAP-TLS auth are performed/ },
  { name: 'MS-CHAP v1 + MPPE-40', auth: 'mschap', mppe: '40', vpdnAuth: 'mschap-v1', error: /Disabling 40-bit MPPE; MS-CHAP LM not supported/ },
];

const WRONG_PASSWORD: Case = { name: 'wrong password', auth: 'mschap-v2', mppe: '128', password: 'wrong', vpdnAuth: 'mschap-v2' };

const ALL = [...VALID, ...REFUSED_BY_PPPD, WRONG_PASSWORD];
// The seed's pool has exactly 50 addresses.
const MANY = 50;
const MANY_SPACING_MS = 300;
const BIND = clientAddresses(MANY);

function dialOptions(c: Case, unit: number): PppdDialOptions {
  return {
    server: OUTSIDE,
    user: c.user ?? 'cisco',
    password: c.password ?? 'cisco',
    auth: c.auth,
    mppe: c.mppe,
    stateful: c.stateful,
    unit,
    localbind: BIND[unit],
    extraOptions: ['lcp-max-configure', '30'],
  };
}

describe('pppd clients → vpdn serve', { timeout: 330_000 }, () => {
  let sn: ServeNet | undefined;
  let guest: Guest | undefined;
  let server: ServerHandle | undefined;
  const sessions = new Map<string, PppdSession>();
  const timings: Record<string, number> = {};

  before(async () => {
    assert.ok(isRoot(), 'interop tests need root (network namespaces, taps, qemu)');
    sn = ServeNet.create();
    const t0 = Date.now();
    [guest, server] = await Promise.all([
      Guest.boot(sn.net, { name: 'client', address: '172.18.124.3/24', extraAddresses: BIND.map((a) => `${a}/24`) }),
      sn.startServer([MPPE_AUTO, DOMAIN_USER]),
    ]);
    timings.bootMs = Date.now() - t0;
    // A session that fails here is rare and costly to reproduce: keep the server's view of it.
    for (const d of [['vpdn', 'events'], ['vpdn', 'error'], ['ppp', 'error'], ['ppp', 'io']]) assert.equal((await server.cli('debug', ...d)).code, 0);
  });

  after(async () => {
    await server?.stop();
    await guest?.shutdown();
    sn?.destroy();
    console.log(`serve-pppd timings: ${JSON.stringify(timings)}`);
  });

  const up = (c: Case): PppdSession => {
    const s = sessions.get(c.name);
    assert.ok(s, `${c.name} was not dialled`);
    return s;
  };

  test(`${VALID.length} sessions at once: each comes up with the method its options imply`, async () => {
    const g = guest!;
    const t0 = Date.now();
    const results = await pppdDialMany(g, ALL.map((c, i) => dialOptions(c, i)), 400);
    timings.dialAllMs = Date.now() - t0;
    ALL.forEach((c, i) => sessions.set(c.name, results[i]));
    if (VALID.some((c) => !up(c).up)) {
      console.log(`server log:\n${server!.proc.all}\nserver counters: ${(await server!.cli('show', 'counters')).out}`);
      console.log(`guest: ${(await g.run('ip -s link show eth0; cat /proc/net/snmp')).stdout}`);
    }
    // Control frames only, but iperf3 is next: the data path stays quiet.
    await server!.cli('undebug', 'all');
    for (const [i, c] of VALID.entries()) {
      const s = up(c);
      assert.ok(s.up, `${c.name}: did not come up:\n${s.log}`);
      assert.equal(s.interface, `ppp${i}`);
      assert.equal(s.auth, c.auth, c.name);
      assert.equal(s.authSucceeded, true, c.name);
      assert.deepEqual(s.mppe, c.expectMppe, `${c.name}: MPPE`);
      assert.match(s.localAddress ?? '', POOL, c.name);
      assert.equal(s.remoteAddress, SERVER_PPP_ADDRESS, c.name);
    }
    assert.equal(new Set(VALID.map((c) => up(c).localAddress)).size, VALID.length, 'one pool address each');
  });

  test('each session pings the inside host and runs iperf3 both ways at once', async () => {
    const g = guest!;
    const pings = await Promise.all(VALID.map((_, i) => g.run(`ping -c 2 -W 3 -I ppp${i} ${INSIDE_HOST}`, { timeoutMs: 20_000 })));
    pings.forEach((p, i) => assert.match(p.stdout, / 0% packet loss/, `${VALID[i].name}: ${p.stdout}${p.stderr}`));
    const servers: Proc[] = [];
    try {
      for (const i of VALID.keys()) servers.push(await hostIperf3Server(sn!.inside, 5201 + i, INSIDE_HOST));
      const t0 = Date.now();
      const perf: Iperf3Result[] = await Promise.all(
        VALID.map((_, i) => iperf3Client(g, { server: INSIDE_HOST, port: 5201 + i, seconds: IPERF_SECONDS, bindDev: `ppp${i}`, bidir: true })),
      );
      timings.iperf3Ms = Date.now() - t0;
      perf.forEach((p, i) => {
        assert.ok(p.bytes > 0 && (p.reverse?.bytes ?? 0) > 0, `${VALID[i].name}: iperf3 moved nothing one way`);
        timings[`kbps${i}up`] = Math.round(p.bitsPerSecond / 1000);
        timings[`kbps${i}down`] = Math.round((p.reverse?.bitsPerSecond ?? 0) / 1000);
      });
      // vpdn's counters saw at least the TCP payload iperf3 counted, each way.
      const calls = await vpdnCalls(server!);
      for (const [i, c] of VALID.entries()) {
        const call = calls.find((x) => x.remoteAddress === BIND[i]);
        assert.ok(call, `${c.name}: not in show vpdn`);
        assert.ok(call.traffic.bytesIn >= perf[i].bytes, `${c.name}: bytesIn ${call.traffic.bytesIn} < iperf3 ${perf[i].bytes}`);
        assert.ok(call.traffic.bytesOut >= perf[i].reverse!.bytes, `${c.name}: bytesOut ${call.traffic.bytesOut} < iperf3 ${perf[i].reverse!.bytes}`);
      }
    } finally {
      for (const s of servers) s.kill('SIGKILL');
    }
  });

  test('show vpdn lists every session with its user, method and address', async () => {
    const calls = await vpdnCalls(server!);
    assert.equal(calls.length, VALID.length, `refused and failed calls left behind: ${JSON.stringify(calls.map((c) => c.remoteAddress))}`);
    for (const [i, c] of VALID.entries()) {
      const call = calls.find((x) => x.remoteAddress === BIND[i]);
      assert.ok(call, `${c.name}: not in show vpdn`);
      assert.equal(call.username, c.user ?? 'cisco', c.name);
      assert.equal(call.authType, c.vpdnAuth, c.name);
      assert.equal(call.clientAddress, up(c).localAddress, c.name);
      assert.equal(call.mppeBits, c.expectMppe?.bits ?? null, c.name);
      if (c.expectMppe) assert.equal(call.mppeStateless, !c.expectMppe.stateful, c.name);
      assert.ok(call.traffic.packetsIn > 0 && call.traffic.packetsOut > 0, c.name);
    }
    const text = await server!.cli('show', 'vpdn');
    assert.match(text.out, new RegExp(`Total tunnels=${VALID.length} sessions=${VALID.length}`));
    assert.match(text.out, /Session username is DOMAIN\\cisco, state is estabd/);
  });

  test('clear vpdn tunnel id N drops each session and pppd reports the hang-up', async () => {
    const g = guest!;
    const calls = await vpdnCalls(server!);
    const t0 = Date.now();
    const logs = await Promise.all(
      VALID.map(async (c, i) => {
        const call = calls.find((x) => x.remoteAddress === BIND[i]);
        assert.ok(call, c.name);
        const r = await server!.cli('clear', 'vpdn', 'tunnel', 'id', String(call.tunnelId));
        assert.equal(r.code, 0, r.err);
        return pppdWaitExit(g, i, 30_000);
      }),
    );
    timings.clearAllMs = Date.now() - t0;
    logs.forEach((log, i) => {
      // RFC 1661 §3.7: Terminate-Request first, the PPTP call only after the Terminate-Ack.
      assert.match(log, /^LCP terminated by peer \(administrative clear\)$/m, `${VALID[i].name}:\n${log}`);
      assert.match(log, /Connection terminated/, VALID[i].name);
    });
    assert.match((await server!.cli('show', 'vpdn')).out, /Total tunnels=0 sessions=0/);
    assert.match((await server!.cli('show', 'ip', 'local', 'pool', 'pptp-pool')).out, /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.50\s+50\s+0/);
  });

  test(`${MANY} sessions from one guest at once (started ${MANY_SPACING_MS} ms apart), all passing traffic`, async () => {
    const g = guest!;
    const t0 = Date.now();
    const many = await pppdDialMany(
      g,
      BIND.slice(0, MANY).map((localbind, unit) => ({ ...dialOptions(VALID[8], unit), localbind, extraOptions: LEAN_SESSION_OPTIONS, timeoutMs: 120_000 })),
      MANY_SPACING_MS,
    );
    timings.manyUpMs = Date.now() - t0;
    for (const s of many) assert.ok(s.up, `session ${s.unit} of ${MANY} did not come up:\n${s.log}`);
    assert.equal(new Set(many.map((s) => s.localAddress)).size, MANY, 'one pool address each');
    await pingThroughEach(g, many.map((s) => s.unit), INSIDE_HOST);
    const calls = await vpdnCalls(server!);
    assert.equal(calls.length, MANY);
    for (const c of calls) assert.ok(c.mppeBits === 128 && c.traffic.packetsIn > 0 && c.traffic.packetsOut > 0, JSON.stringify(c));
    assert.match((await server!.cli('show', 'ip', 'local', 'pool', 'pptp-pool')).out, /pptp-pool\s+192\.168\.1\.1\s+192\.168\.1\.50\s+0\s+50/);
    const t1 = Date.now();
    await pppdHangupAll(g, 60_000);
    for (let i = 0; i < 100 && (await vpdnCalls(server!)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    timings.manyDownMs = Date.now() - t1;
    assert.equal((await vpdnCalls(server!)).length, 0, 'vpdn kept sessions after every client hung up');
  });

  test('pppd refuses MPPE without MS-CHAP keys, and 40-bit MPPE with MS-CHAP v1', () => {
    for (const c of REFUSED_BY_PPPD) {
      const s = up(c);
      assert.equal(s.up, false, `${c.name} came up`);
      assert.notEqual(s.exitCode, 0, c.name);
      assert.ok(s.errors.some((e) => c.error.test(e)), `${c.name}:\n${s.log}`);
    }
  });

  test('a wrong password fails authentication and pppd says so', () => {
    const s = up(WRONG_PASSWORD);
    assert.equal(s.up, false);
    assert.equal(s.exitCode, 19, `pppd exit status (EXIT_AUTH_TOPEER_FAILED):\n${s.log}`);
    assert.match(s.log, /^rcvd \[CHAP Failure id=0x\w+ "E=691 R=0 C=[0-9A-F]{32} V=3 M=[^"]*"\]$/m);
    assert.ok(s.errors.includes('MS-CHAP authentication failed: Authentication failure'), s.log);
    assert.match(server!.proc.all, /603103: PPP virtual interface \d+ - user: cisco aaa authentication failed/);
  });

  test('seed §5.2: the server has no mppe line and pppd requires MPPE: CCP fails, pppd gives up', async () => {
    await server!.stop();
    server = await sn!.startServer([]);
    const s = await pppdDial(guest!, { ...dialOptions({ ...VALID[8] }, 20), timeoutMs: 40_000 });
    assert.equal(s.up, false, s.log);
    assert.equal(s.authSucceeded, true, s.log);
    // RFC 1661 §5.7: a server without MPPE rejects the whole protocol (Windows shows error 742).
    assert.match(s.log, /^rcvd \[LCP ProtRej id=0x\w+ 80 fd /m);
    assert.ok(s.errors.some((e) => /MPPE required but peer negotiation failed/.test(e)), s.log);
    await pppdWaitExit(guest!, 20, 20_000);
    assert.match((await server!.cli('show', 'vpdn')).out, /Total tunnels=0 sessions=0/);
  });

  test('seed §5.3 and §5.5: mppe 128 required, pppd without MPPE is torn down; DOMAIN\\user unknown fails', async () => {
    await server!.stop();
    server = await sn!.startServer(['vpdn group 1 ppp encryption mppe 128 required']);
    const [plain, domain] = await pppdDialMany(guest!, [
      { ...dialOptions(VALID[5], 21), timeoutMs: 40_000 },
      { ...dialOptions(VALID[10], 22), timeoutMs: 40_000 },
    ]);
    assert.equal(plain.up, false, plain.log);
    assert.match(plain.log, /^LCP terminated by peer \(mppe required but not active/m);
    assert.match(server!.proc.all, /no session id protocol: 21, reason: mppe required but not active, tunnel terminated/);
    assert.equal(domain.up, false, domain.log);
    assert.match(domain.log, /^rcvd \[CHAP Failure id=0x\w+ "E=691 /m);
    await Promise.all([pppdWaitExit(guest!, 21, 20_000), pppdWaitExit(guest!, 22, 20_000)]);
    assert.match((await server!.cli('show', 'vpdn')).out, /Total tunnels=0 sessions=0/);
  });
  test('mppe 128 stateful: pppd with mppe-stateful runs stateful MPPE both ways (ping, iperf3 both ways); pppd without it gives up', async () => {
    await server!.stop();
    server = await sn!.startServer(['vpdn group 1 ppp encryption mppe 128 stateful']);
    const cases: Case[] = [
      { name: 'MS-CHAP v2, MPPE-128 stateful', auth: 'mschap-v2', mppe: '128', stateful: true, vpdnAuth: 'mschap-v2' },
      { name: 'MS-CHAP v1, MPPE-128 stateful', auth: 'mschap', mppe: '128', stateful: true, vpdnAuth: 'mschap-v1' },
      { name: 'MS-CHAP v2, MPPE-128, stateless only', auth: 'mschap-v2', mppe: '128', vpdnAuth: 'mschap-v2' },
    ];
    const units = [27, 28, 29];
    const [v2, v1, stateless] = await pppdDialMany(guest!, cases.map((c, i) => ({ ...dialOptions(c, units[i]), timeoutMs: 40_000 })));
    for (const [i, s] of [v2, v1].entries()) {
      assert.ok(s.up, `${cases[i].name}:\n${s.log}`);
      assert.deepEqual(s.mppe, { bits: 128, stateful: true }, `${cases[i].name}:\n${s.log}`);
    }
    assert.equal(stateless.up, false, stateless.log);
    assert.ok(stateless.errors.some((e) => /MPPE required but peer negotiation failed|Refusing MPPE stateful mode offered by peer/.test(e)), stateless.log);
    await pppdWaitExit(guest!, units[2], 20_000);
    const iperf: Proc[] = [];
    try {
      for (const [i, u] of units.slice(0, 2).entries()) {
        await guest!.check(`ping -c 2 -W 3 -I ppp${u} ${INSIDE_HOST}`, { timeoutMs: 20_000 });
        iperf.push(await hostIperf3Server(sn!.inside, 5301 + i, INSIDE_HOST));
      }
      // Thousands of packets each way: stateful MPPE re-keys every 256 (RFC 3078 §7.2) and
      // recovers from any loss with CCP Reset-Request (§3.3), on both ends.
      const perf = await Promise.all(units.slice(0, 2).map((u, i) => iperf3Client(guest!, { server: INSIDE_HOST, port: 5301 + i, seconds: IPERF_SECONDS, bindDev: `ppp${u}`, bidir: true })));
      perf.forEach((p, i) => assert.ok(p.bytes > 0 && (p.reverse?.bytes ?? 0) > 0, `${cases[i].name}: iperf3 moved nothing one way`));
      timings.statefulKbps = Math.round(perf[0].bitsPerSecond / 1000);
      const calls = await vpdnCalls(server!);
      assert.equal(calls.length, 2);
      for (const c of calls) {
        assert.deepEqual([c.mppeBits, c.mppeStateless], [128, false], JSON.stringify(c));
        assert.ok(c.traffic.packetsIn > 1000 && c.traffic.packetsOut > 1000, JSON.stringify(c.traffic));
      }
    } finally {
      for (const p of iperf) p.kill('SIGKILL');
    }
    await Promise.all(units.slice(0, 2).map((u) => pppdHangup(guest!, u)));
  });

  test('wire: one full session per auth type, captured on the server side and dissected by tshark', async () => {
    await server!.stop();
    server = await sn!.startServer([MPPE_AUTO]);
    const dir = mkdtempSync(join(tmpdir(), 'vpdn-wire-'));
    const pcap = join(dir, 'session.pcap');
    // -Z root: tcpdump would otherwise drop to its own user, who cannot write in dir.
    const cap = new Proc(sn!.net.netns.spawn('tcpdump', ['-i', 'br0', '-n', '-U', '-Z', 'root', '-w', pcap, 'tcp port 1723 or ip proto 47']));
    try {
      await cap.waitFor(/listening on/, 10_000);
      const wire = [
        { c: VALID[0], unit: 23, algorithm: undefined, auth: '0xc023', mppeBits: undefined },
        { c: VALID[1], unit: 24, algorithm: '5', auth: '0xc223', mppeBits: undefined },
        { c: VALID[3], unit: 25, algorithm: '128', auth: '0xc223', mppeBits: '0x01000040' },
        { c: VALID[7], unit: 26, algorithm: '129', auth: '0xc223', mppeBits: '0x01000020' },
      ];
      const dialled = await pppdDialMany(guest!, wire.map((w) => dialOptions(w.c, w.unit)));
      dialled.forEach((d, i) => assert.ok(d.up, `${wire[i].c.name}:\n${d.log}`));
      await Promise.all(wire.map((w) => guest!.check(`ping -c 1 -W 3 -I ppp${w.unit} ${INSIDE_HOST}`)));
      await Promise.all(wire.map((w) => pppdHangup(guest!, w.unit)));
      // pppd exits before pptp-linux has stopped its control connection: capture until vpdn has
      // no tunnel left (or 10 s), so the Stop-Control-Connection exchange is in the file.
      for (let i = 0; i < 100 && !/Total tunnels=0 /.test((await server!.cli('show', 'vpdn')).out); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      cap.kill('SIGINT');
      await cap.exited;
      const packets = dissect(pcap);
      for (const [i, w] of wire.entries()) {
        const name = w.c.name;
        const s = pptpSession(packets, BIND[w.unit]);
        assert.deepEqual(s.problems, [], `${name}: tshark problems`);
        // RFC 2637 §2: every control message has the magic cookie and its fixed length.
        for (const m of s.control) {
          assert.equal(fieldValue(m.packet, 'pptp.magic_cookie'), '0x1a2b3c4d', name);
          assert.ok(fieldValues(m.packet, 'pptp.length').includes(String(PPTP_LENGTHS[m.type])), `${name}: length of type ${m.type}`);
        }
        const fromClient = s.control.filter((m) => m.fromClient && m.type !== 5 && m.type !== 6).map((m) => m.type);
        const fromServer = s.control.filter((m) => !m.fromClient && m.type !== 5 && m.type !== 6).map((m) => m.type);
        assert.deepEqual(fromClient.slice(0, 2), [1, 7], `${name}: SCCRQ, OCRQ`);
        assert.deepEqual(fromServer.slice(0, 2), [2, 8], `${name}: SCCRP, OCRP`);
        // The hang-up ends the call (CDN or CCRQ) and the control connection (StopCCRQ answered).
        assert.ok(fromServer.includes(13) || fromClient.includes(12), `${name}: call cleared: ${fromClient} / ${fromServer}`);
        // RFC 2637 §2.3: the control connection ends with a Stop-Control-Connection-Request, and
        // one from the client gets our Reply. pptp-linux exits on our CDN and does not always stay
        // to answer our own Stop-Control-Connection-Request: its part, not checked.
        const stops = `${name}: control connection stopped: ${fromClient} / ${fromServer}`;
        assert.ok(fromServer.includes(3) || fromClient.includes(3), stops);
        if (fromClient.includes(3)) assert.ok(fromServer.includes(4), stops);
        const sccrp = s.control.find((m) => m.type === 2)!.packet;
        assert.equal(fieldValue(sccrp, 'pptp.protocol_version'), '256', name);
        assert.equal(fieldValue(sccrp, 'pptp.control_result'), '1', name);
        const ocrq = s.control.find((m) => m.type === 7)!.packet;
        const ocrp = s.control.find((m) => m.type === 8)!.packet;
        assert.equal(fieldValue(ocrp, 'pptp.out_result'), '1', name);
        assert.equal(fieldValue(ocrp, 'pptp.peer_call_id'), fieldValue(ocrq, 'pptp.call_id'), name);
        // RFC 2637 §4.1: enhanced GRE, version 1, PPP, keyed with the receiver's call id.
        assert.ok(s.gre.length > 0, name);
        for (const g of s.gre) {
          assert.equal(fieldValue(g.packet, 'gre.flags.version'), '1', name);
          assert.equal(fieldValue(g.packet, 'gre.proto'), '0x880b', name);
          assert.equal(fieldValue(g.packet, 'gre.flags.key'), '1', name);
          const receiverCallId = g.fromClient ? fieldValue(ocrp, 'pptp.call_id') : fieldValue(ocrq, 'pptp.call_id');
          assert.equal(fieldValue(g.packet, 'gre.key.call_id'), receiverCallId, `${name}: GRE call id`);
        }
        // LCP: the client acknowledged the server's authentication protocol (RFC 1661 §6.2).
        const lcpAck = pppPackets(s, 'lcp', 2, true).find((p) => fieldValue(p, 'lcp.opt.auth_protocol') !== undefined);
        assert.ok(lcpAck, `${name}: no LCP Configure-Ack with an authentication protocol`);
        assert.equal(fieldValue(lcpAck, 'lcp.opt.auth_protocol'), w.auth, name);
        assert.equal(fieldValue(lcpAck, 'lcp.opt.algorithm'), w.algorithm, name);
        if (w.auth === '0xc023') {
          assert.equal(fieldValue(pppPackets(s, 'pap', 1, true)[0], 'pap.peer_id'), 'cisco', name);
          assert.equal(pppPackets(s, 'pap', 2, false).length, 1, `${name}: PAP Authenticate-Ack`);
        } else {
          const challenge = pppPackets(s, 'chap', 1, false)[0];
          const response = pppPackets(s, 'chap', 2, true)[0];
          assert.equal(fieldValue(challenge, 'chap.value_size'), w.algorithm === '128' ? '8' : '16', `${name}: challenge size`);
          assert.equal(fieldValue(response, 'chap.value_size'), w.algorithm === '5' ? '16' : '49', `${name}: response size`);
          assert.equal(fieldValue(response, 'chap.name'), 'cisco', name);
          const success = pppPackets(s, 'chap', 3, false);
          assert.equal(success.length, 1, `${name}: CHAP Success`);
          if (w.algorithm === '129') assert.match(fieldValue(success[0], 'chap.message') ?? '', /^S=[0-9A-F]{40} /, name);
        }
        // IPCP: the server acknowledged the pool address pppd was given, pppd the server's address.
        const ipcpAcks = (fromClientSide: boolean) => pppPackets(s, 'ipcp', 2, fromClientSide).map((p) => fieldValue(p, 'ipcp.opt.ip_address'));
        assert.ok(ipcpAcks(false).includes(dialled[i].localAddress), `${name}: IPCP Ack of ${dialled[i].localAddress}: ${ipcpAcks(false)}`);
        assert.ok(ipcpAcks(true).includes(SERVER_PPP_ADDRESS), `${name}: IPCP Ack of ${SERVER_PPP_ADDRESS}`);
        // CCP: MPPE agreed both ways, and then no plain IP crossed (RFC 3078 §4).
        const ccpAcks = (fromClientSide: boolean) => pppPackets(s, 'ccp', 2, fromClientSide).map((p) => fieldValue(p, 'ccp.opt.supported_bits'));
        if (w.mppeBits) {
          assert.deepEqual([ccpAcks(false).at(-1), ccpAcks(true).at(-1)], [w.mppeBits, w.mppeBits], `${name}: MPPE options`);
          assert.ok(s.dataProtocols.has(0xfd) && !s.dataProtocols.has(0x21), `${name}: data protocols ${[...s.dataProtocols]}`);
        } else {
          assert.deepEqual(ccpAcks(false), [], `${name}: server acknowledged CCP`);
          assert.ok(s.dataProtocols.has(0x21) && !s.dataProtocols.has(0xfd), `${name}: data protocols ${[...s.dataProtocols]}`);
        }
      }
      timings.wirePackets = packets.length;
    } finally {
      cap.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
