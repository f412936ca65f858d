/**
 * `vpdn dial` (our client, host side of the guest network) against the reference server: Debian's
 * pptpd 1.4.0 + pppd 2.4.9 in a qemu guest (issue 5). MS-CHAP v2 + MPPE-128 stateless and
 * stateful, then PAP and CHAP-MD5; each session pings the server's PPP address, moves 10 MB each
 * way at once with byte count and SHA-256 checked on both ends (busybox nc + sha256sum in the
 * guest, Node on the host), and hangs up. Two sessions run at a time, from two source addresses;
 * pptpd hands each call its own server address (localip range) so the host routes stay apart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isRoot } from '../helpers/netns.js';
import { dial, type Proc } from '../helpers/vpdn.js';
import { Guest, GuestNetwork } from './harness.js';
import { startPptpd, type PptpdServer } from './pptpd.js';
import { guestToHost, hostToGuest, type TransferResult } from './transfer.js';

const BRIDGE = '172.18.124.1';
const PPTPD = '172.18.124.2';
const LOCAL = ['172.18.124.61', '172.18.124.62'];
const SIZE = 10 * 1024 * 1024;
const USER = { name: 'alice', password: 'pptpd-s3cret' };

interface DialCase {
  name: string;
  args: string[];
  expect: RegExp;
  /** What pptpd's pppd logs for this call. */
  serverLog: RegExp;
}

interface Outcome {
  serverAddress: string;
  line: string;
  pingOk: boolean;
  down: TransferResult;
  up: TransferResult;
  exitCode: number;
  output: string;
}

describe('vpdn dial → pptpd (pppd 2.4.9 in a guest)', { timeout: 300_000 }, () => {
  let net: GuestNetwork | undefined;
  let guest: Guest | undefined;
  const timings: Record<string, number> = {};

  before(async () => {
    assert.ok(isRoot(), 'interop tests need root (network namespaces, taps, qemu)');
    net = GuestNetwork.create({ bridgeAddress: `${BRIDGE}/24` });
    for (const a of LOCAL) net.netns.exec('ip', 'addr', 'add', `${a}/24`, 'dev', 'br0');
    guest = await Guest.boot(net, { name: 'pptpd', address: `${PPTPD}/24` });
    timings.bootMs = guest.bootMs;
  });

  after(async () => {
    await guest?.shutdown();
    net?.destroy();
    console.log(`dial-pptpd timings: ${JSON.stringify(timings)}`);
  });

  /** Runs the cases at once (one source address each), then hangs each up with SIGTERM. */
  async function session(c: DialCase, i: number): Promise<Outcome> {
    const g = guest!;
    const client: Proc = dial(net!.netns, PPTPD, ['--user', USER.name, '--password', USER.password, '--local', LOCAL[i], '--tun', `vd${i}`, ...c.args]);
    try {
      const m = await client.waitFor(/connected: address (\S+) server (\S+) .*/, 40_000);
      const serverAddress = m[2];
      // The first packet can cross before pppd on the far side has finished ip-up; allow a retry.
      const ping = net!.netns.exec('sh', '-c', `ping -c 3 -i 0.3 -W 3 -I vd${i} ${serverAddress} || true`);
      const t0 = Date.now();
      const [down, up] = await Promise.all([
        hostToGuest(net!.netns, g, serverAddress, 7100 + i, SIZE),
        guestToHost(net!.netns, g, serverAddress, 7200 + i, SIZE),
      ]);
      timings[`${c.name} 10MB each way ms`] = Date.now() - t0;
      client.kill('SIGTERM');
      const exitCode = await client.exited;
      return { serverAddress, line: m[0], pingOk: / 0% packet loss| [12] received/.test(ping), down, up, exitCode, output: client.all };
    } finally {
      client.kill('SIGKILL');
    }
  }

  async function runPair(pppOptions: string[], cases: DialCase[]): Promise<{ outcomes: Outcome[]; server: PptpdServer; serverLog: string }> {
    const g = guest!;
    const server = await startPptpd(g, { localIp: '192.168.90.1-9', remoteIp: '192.168.90.10-99', users: [USER], pppOptions });
    const t0 = Date.now();
    const outcomes = await Promise.all(cases.map((c, i) => session(c, i)));
    timings[`${cases.map((c) => c.name).join(' + ')} ms`] = Date.now() - t0;
    // pptpd's pppd for each call exits once the call is cleared.
    await g.check(`i=0; while pidof pppd >/dev/null; do i=$((i+1)); [ $i -gt 150 ] && exit 1; sleep 0.1; done`, { timeoutMs: 25_000 });
    // Every call's pppd appends to this one file, so a line can run on into another's: match
    // within lines, not whole lines.
    const serverLog = await g.readFile(server.pppLog);
    await g.stop(server.id);
    // Each hang-up: our LCP Terminate-Request reached pppd (RFC 1661 §5.5), with our reason.
    assert.equal(serverLog.match(/LCP terminated by peer \(user request\)/g)?.length, cases.length, serverLog);
    return { outcomes, server, serverLog };
  }

  function check(c: DialCase, o: Outcome, serverLog: string): void {
    assert.match(o.line, c.expect, c.name);
    assert.ok(o.pingOk, `${c.name}: ping through the tunnel failed`);
    assert.ok(o.down.intact, `${c.name}: host → guest data: ${o.down.detail}`);
    assert.ok(o.up.intact, `${c.name}: guest → host data: ${o.up.detail}`);
    assert.equal(o.exitCode, 0, `${c.name}: vpdn dial did not hang up cleanly:\n${o.output}`);
    assert.match(serverLog, c.serverLog, c.name);
    assert.match(serverLog, new RegExp(`local  IP address ${o.serverAddress.replace(/\./g, '\\.')}(?!\\d)`), `${c.name}: pptpd gave no call ${o.serverAddress}`);
  }

  test('MS-CHAP v2 + MPPE-128 (require-mschap-v2 require-mppe-128): stateless and stateful', async () => {
    const cases: DialCase[] = [
      {
        name: 'mschapv2-mppe128-stateless',
        args: ['--auth', 'mschapv2', '--mppe', 'required', '--mppe-bits', '128'],
        expect: /auth mschap-v2 MPPE 128-bit stateless interface vd0$/,
        serverLog: /MPPE 128-bit stateless compression enabled/,
      },
      {
        name: 'mschapv2-mppe128-stateful',
        args: ['--auth', 'mschapv2', '--mppe', 'required', '--mppe-bits', '128', '--stateful'],
        expect: /auth mschap-v2 MPPE 128-bit stateful interface vd1$/,
        serverLog: /MPPE 128-bit stateful compression enabled/,
      },
    ];
    // mppe-stateful lets pppd accept stateful mode when the client asks for it (pppd ccp.c).
    const { outcomes, serverLog } = await runPair(['require-mschap-v2', 'require-mppe-128', 'mppe-stateful'], cases);
    cases.forEach((c, i) => check(c, outcomes[i], serverLog));
    // pppd's MS-CHAP v2 Success carries the authenticator response (RFC 2759 §5): both calls got one.
    assert.equal(serverLog.match(/sent \[CHAP Success id=0x\w+ "S=[0-9A-F]{40} M=Access granted"\]/g)?.length, 2, serverLog);
    assert.equal(serverLog.match(/rcvd \[LCP ConfAck id=0x\w+ [^\n]*<auth chap MS-v2>/g)?.length, 2, serverLog);
  });

  test('PAP and CHAP-MD5 (require-pap require-chap): no MPPE', async () => {
    const cases: DialCase[] = [
      {
        name: 'pap',
        args: ['--auth', 'pap', '--mppe', 'none'],
        expect: /auth pap no encryption interface vd0$/,
        serverLog: /PAP peer authentication succeeded for alice/,
      },
      {
        name: 'chap-md5',
        args: ['--auth', 'chap', '--mppe', 'none'],
        expect: /auth chap-md5 no encryption interface vd1$/,
        serverLog: /sent \[CHAP Success id=0x\w+ "Access granted"\]/,
      },
    ];
    const { outcomes, serverLog } = await runPair(['require-pap', 'require-chap'], cases);
    cases.forEach((c, i) => check(c, outcomes[i], serverLog));
    assert.doesNotMatch(serverLog, /compression enabled/);
  });
});
