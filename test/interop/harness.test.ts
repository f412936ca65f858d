/**
 * The guest harness proved against real peers: Debian's pppd + pptp-linux dial Debian's pptpd
 * in another guest (MS-CHAP v2, MPPE-128), and a guest reaches a host process in the namespace
 * over TCP 1723 and GRE, which is where `vpdn serve` will run. Run by `npm run test:interop`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { isRoot } from '../helpers/netns.js';
import { Guest, GuestNetwork, guestImage } from './harness.js';
import { requireHostTools } from './host-tools.js';
import { iperf3Client, iperf3Server } from './iperf3.js';
import { parsePppdLog } from './ppp-log.js';
import { pppdDial, pppdDialMany, pppdHangup, pppInterfaceAddress } from './pppd.js';
import { startPptpd } from './pptpd.js';

const BRIDGE = '172.18.124.1/24';
const HOST = '172.18.124.1';
const A = '172.18.124.11';
const B = '172.18.124.12';
const B_LOCALBIND = '172.18.124.100';
const B_MORE = ['172.18.124.101', '172.18.124.102', '172.18.124.103'];

describe('interop guest harness', { timeout: 170000 }, () => {
  let net: GuestNetwork | undefined;
  let a: Guest;
  let b: Guest;
  const timings: Record<string, number> = {};

  before(async () => {
    assert.ok(isRoot(), 'interop tests need root (network namespaces, taps, qemu)');
    const image = guestImage();
    timings[image.built ? 'imageBuildColdMs' : 'imageCheckWarmMs'] = image.ms;
    net = GuestNetwork.create({ bridgeAddress: BRIDGE });
    const t0 = Date.now();
    [a, b] = await Promise.all([
      Guest.boot(net, { name: 'pptpd', address: `${A}/24`, gateway: HOST }),
      Guest.boot(net, { name: 'client', address: `${B}/24`, gateway: HOST, extraAddresses: [B_LOCALBIND, ...B_MORE].map((x) => `${x}/24`) }),
    ]);
    timings.bootTwoGuestsMs = Date.now() - t0;
    timings.bootAMs = a.bootMs;
    timings.bootBMs = b.bootMs;
  });

  after(async () => {
    await Promise.all([a?.shutdown(), b?.shutdown()]);
    net?.destroy();
    console.log(`interop harness timings: ${JSON.stringify(timings)}`);
  });

  test('the image carries Debian kernel, pppd, pptp-linux and pptpd', async () => {
    const image = guestImage();
    for (const p of ['ppp', 'pptp-linux', 'pptpd', 'busybox-static', 'iproute2', 'iperf3', 'libc6']) {
      assert.ok(image.packages[p], `image lacks package ${p}`);
    }
    assert.match(Object.keys(image.packages).join(' '), /linux-image-6\.1\.\S+-amd64/);
    assert.equal((await a.check('uname -r')).trim(), image.kernelVersion);
    const versions = await b.check('pppd --version 2>&1; pptp --version 2>&1 | head -1; pptpd --version 2>&1');
    assert.match(versions, /pppd version 2\.4\.9/);
    assert.match(versions, /pptp version 1\.10/);
    assert.match(versions, /pptpd v1\.4\.0/);
    // The PPP kernel side: /dev/ppp and the MPPE module.
    assert.match(await b.check('ls -l /dev/ppp; cat /proc/modules'), /108,\s+0 .*\/dev\/ppp[\s\S]*ppp_mppe/);
  });

  test('jobs return output and status, time out, run in the background, move files', async () => {
    const r = await a.run('echo out; echo err >&2; exit 3');
    assert.deepEqual(r, { code: 3, stdout: 'out\n', stderr: 'err\n' });
    const t0 = Date.now();
    await b.run('true');
    timings.jobRoundTripMs = Date.now() - t0;
    await assert.rejects(a.run('sleep 20', { timeoutMs: 1000 }), /timed out/);
    const bg = await a.start('echo started; sleep 30');
    assert.equal(a.job(bg.id).running, true);
    const done = await a.stop(bg.id);
    assert.equal(done.running, false);
    assert.equal(done.code, 143); // SIGTERM
    assert.equal(done.stdout, 'started\n');
    const text = "two lines\nwith 'quotes' and $dollars\n";
    await a.writeFile('/tmp/x', text);
    assert.equal(await a.readFile('/tmp/x'), text);
    await assert.rejects(a.readFile('/nonexistent'), /cannot read \/nonexistent/);
    // Extra addresses from boot are on eth0.
    assert.match(await b.check('ip -4 -o addr show dev eth0'), new RegExp(`${B_LOCALBIND}/24`));
  });

  test('pppd + pptp-linux dial pptpd: MS-CHAP v2, MPPE-128, ping, iperf3, hangup', async () => {
    const server = await startPptpd(a, {
      localIp: '192.168.90.1',
      remoteIp: '192.168.90.10-99',
      users: [{ name: 'alice', password: 'pa55 "word"' }],
    });
    const t0 = Date.now();
    const s = await pppdDial(b, {
      server: A,
      user: 'alice',
      password: 'pa55 "word"',
      auth: 'mschap-v2',
      mppe: '128',
      localbind: B_LOCALBIND,
      unit: 3,
    });
    timings.tunnelUpMs = Date.now() - t0;
    assert.ok(s.up, `tunnel did not come up:\n${s.log}`);
    assert.equal(s.interface, 'ppp3');
    assert.equal(s.auth, 'mschap-v2');
    assert.equal(s.authSucceeded, true);
    assert.deepEqual(s.mppe, { bits: 128, stateful: false });
    assert.equal(s.remoteAddress, '192.168.90.1');
    assert.match(s.localAddress ?? '', /^192\.168\.90\.\d+$/);
    assert.deepEqual(await pppInterfaceAddress(b, 'ppp3'), { local: s.localAddress, peer: '192.168.90.1' });
    const ping = await b.run('ping -c 3 -W 2 192.168.90.1');
    assert.equal(ping.code, 0, ping.stdout);
    assert.match(ping.stdout, / 0% packet loss/);

    // The server's side saw the same thing, and the call came from the --localbind address.
    const serverLog = parsePppdLog(await a.readFile(server.pppLog));
    assert.equal(serverLog.auth, 'mschap-v2');
    assert.deepEqual(serverLog.mppe, { bits: 128, stateful: false });
    assert.match(await a.check('netstat -tn'), new RegExp(`${A}:1723\\s+${B_LOCALBIND}:\\d+\\s+ESTABLISHED`));

    const srv = await iperf3Server(a, { bind: '192.168.90.1' });
    const perf = await iperf3Client(b, { server: '192.168.90.1', port: srv.port, seconds: 1 });
    timings.tunnelIperf3Kbps = Math.round(perf.bitsPerSecond / 1000);
    assert.ok(perf.bytes > 0);

    const finalLog = await pppdHangup(b, 3);
    assert.match(finalLog, /Connection terminated/);
    assert.equal(await pppInterfaceAddress(b, 'ppp3'), undefined);
    await a.stop(server.id);
  });

  test('three sessions from one guest (--localbind each): MS-CHAP v1/v2, MPPE-40/128', async () => {
    const server = await startPptpd(a, {
      localIp: '192.168.92.1',
      remoteIp: '192.168.92.10-19',
      users: [{ name: 'carol', password: 'c4r0l' }],
      pppOptions: ['refuse-pap', 'refuse-chap', 'require-mppe', 'mppe-stateful'],
    });
    const base = { server: A, user: 'carol', password: 'c4r0l' };
    const t0 = Date.now();
    const sessions = await pppdDialMany(b, [
      { ...base, auth: 'mschap-v2', mppe: '40', unit: 10, localbind: B_MORE[0] },
      { ...base, auth: 'mschap', mppe: '128', unit: 11, localbind: B_MORE[1] },
      { ...base, auth: 'mschap-v2', mppe: '128', stateful: true, unit: 12, localbind: B_MORE[2] },
    ]);
    timings.threeSessionsUpMs = Date.now() - t0;
    for (const s of sessions) assert.ok(s.up, `session ${s.unit} did not come up:\n${s.log}`);
    assert.deepEqual(
      sessions.map((s) => [s.interface, s.auth, s.mppe?.bits, s.mppe?.stateful]),
      [
        ['ppp10', 'mschap-v2', 40, false],
        ['ppp11', 'mschap', 128, false],
        // pppd on both ends proposes stateless; neither asks for stateful.
        ['ppp12', 'mschap-v2', 128, false],
      ],
    );
    assert.equal(new Set(sessions.map((s) => s.localAddress)).size, 3);
    await Promise.all(sessions.map((s) => pppdHangup(b, s.unit)));
    await a.stop(server.id);
  });

  test('PAP with MPPE is refused by pppd itself (no MS-CHAP keys)', async () => {
    const server = await startPptpd(a, {
      localIp: '192.168.91.1',
      remoteIp: '192.168.91.10-19',
      users: [{ name: 'bob', password: 'secret' }],
      pppOptions: ['require-pap'],
    });
    const s = await pppdDial(b, { server: A, user: 'bob', password: 'secret', auth: 'pap', mppe: '128', unit: 4, timeoutMs: 30000 });
    assert.equal(s.up, false);
    assert.notEqual(s.exitCode, 0);
    assert.ok(s.errors.some((e) => /MPPE required/.test(e)), s.log);
    await a.stop(server.id);
  });

  test('a host process in the namespace is reachable from a guest: TCP 1723 and GRE', async () => {
    assert.ok(net);
    // A Node listener on the bridge address, like `vpdn serve` will be; real pptp-linux connects.
    const listener = net.netns.spawn(process.execPath, [
      '-e',
      `const s = require('net').createServer((c) => { let b = Buffer.alloc(0);
         c.on('data', (d) => { b = Buffer.concat([b, d]); if (b.length >= 156) { console.log(b.subarray(0, 156).toString('hex')); c.destroy(); s.close(); } });
       }).listen(1723, '${HOST}', () => console.log('listening'));`,
    ]);
    try {
      let out = '';
      listener.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      await waitUntil(() => out.includes('listening'), 10000, 'host listener did not start');
      const dial = pppdDial(b, { server: HOST, user: 'u', password: 'p', auth: 'mschap-v2', mppe: '128', unit: 5, timeoutMs: 20000 });
      await waitUntil(() => /^[0-9a-f]{312}$/m.test(out), 20000, `no SCCRQ reached the host: ${out}`);
      const sccrq = Buffer.from(/^([0-9a-f]{312})$/m.exec(out)![1], 'hex');
      // RFC 2637 §2.1: length 156, control message, magic cookie, type 1, protocol version 1.0.
      assert.equal(sccrq.readUInt16BE(0), 156);
      assert.equal(sccrq.readUInt16BE(2), 1);
      assert.equal(sccrq.readUInt32BE(4), 0x1a2b3c4d);
      assert.equal(sccrq.readUInt16BE(8), 1);
      assert.equal(sccrq.readUInt16BE(12), 0x0100);
      assert.equal((await dial).up, false);
    } finally {
      listener.kill();
    }

    // GRE (IP protocol 47) from a guest arrives at the bridge address.
    requireHostTools([{ command: 'tcpdump', debianPackage: 'tcpdump' }]);
    const capture = net.netns.spawn('tcpdump', ['-i', 'br0', '-n', '-l', '-c', '2', `ip proto 47 and src host ${A} and dst host ${HOST}`]);
    try {
      let text = '';
      let err = '';
      capture.stdout?.on('data', (d: Buffer) => (text += d.toString()));
      capture.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      await waitUntil(() => err.includes('listening on'), 10000, `tcpdump did not start: ${err}`);
      await a.check(
        `ip link add vgre type gre local ${A} remote ${HOST} && ip addr add 10.255.0.2/30 dev vgre && ` +
          `ip link set vgre up && (ping -c 3 -W 1 10.255.0.1; true) && ip link del vgre`,
      );
      await waitUntil(() => text.split('\n').filter((l) => l.includes('GRE')).length >= 2, 10000, `no GRE seen: ${text}${err}`);
      assert.match(text, new RegExp(`IP ${A.replace(/\./g, '\\.')} > ${HOST.replace(/\./g, '\\.')}: GREv0`));
    } finally {
      capture.kill();
    }
  });

  test('a guest that does not come up in time fails with its console tail, and is cleaned up', async () => {
    assert.ok(net);
    const netns = net.netns;
    const taps = (): string[] => netns.exec('ip', '-o', 'link').match(/gt\d+x\d+/g) ?? [];
    const pids = (): string => execFileSync('ip', ['netns', 'pids', netns.name], { encoding: 'utf8' }).trim();
    const before = { taps: taps(), pids: pids() };
    const err = await Guest.boot(net, { name: 'slow', address: '172.18.124.50/24', bootTimeoutMs: 300 }).then(
      () => new Error('boot did not fail'),
      (e: Error) => e,
    );
    assert.match(err.message, /guest slow did not boot: no answer within 300 ms/);
    assert.match(err.message, /--- console tail/);
    const dir = /--- console tail \((\S+)\/console\.log/.exec(err.message)?.[1];
    assert.ok(dir && !existsSync(dir), `work folder ${dir} left behind`);
    assert.deepEqual(taps(), before.taps);
    await waitUntil(() => pids() === before.pids, 5000, 'the slow guest\'s qemu is still running');
  });

  test('shutdown ends qemu and removes the work folder', async () => {
    const dir = b.workDir;
    const t0 = Date.now();
    await b.shutdown();
    timings.shutdownMs = Date.now() - t0;
    assert.equal(existsSync(dir), false);
    assert.equal(b.failure() !== undefined, true, 'qemu still running after shutdown');
  });
});

async function waitUntil(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 50));
  }
}
