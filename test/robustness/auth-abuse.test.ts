/**
 * Authentication abuse (issue 9): repeated wrong passwords are refused by the lockout
 * (`vpdn lockout attempts N window S duration S`) per source and per user, without asking the
 * back end, until the lockout ends; and secrets are never logged, not even with every debug
 * category on: not the password (as text, hex or UTF-16) and not the MPPE keys of the session
 * (computed from the captured MS-CHAP v2 exchange, RFC 3079 §3).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRoot } from '../helpers/netns.js';
import { dial, Proc, startServer, type ServerHandle } from '../helpers/vpdn.js';
import { seedConfig } from '../e2e/config.js';
import { toHex } from '../../src/wire/bytes.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { decodeChapPacket, decodeMschapV2Response } from '../../src/wire/chap.js';
import { hashNtPasswordHash, ntPasswordHash } from '../../src/ppp/mschap.js';
import { initialSessionKey, mschapV2MasterKeys } from '../../src/ppp/mppe-keys.js';
import { MppeDecryptor } from '../../src/ppp/mppe.js';
import { attempt as tryLogin } from './attempt.js';
import { pppFramesIn } from './pcap-read.js';
import { ATTACKER, CLIENT, CLIENT2, INSIDE_HOST, lab, SERVER, type Lab } from './topology.js';

const root = !isRoot() && 'needs root for namespaces';
const ALICE_PASSWORD = 'Sup3r-S3cret#x';
const WRONG = 'Wr0ng-Guess#9';

function attempt(l: Lab, source: string, user: string, password: string, auth = 'mschapv2'): Promise<number> {
  return tryLogin(l, { user, password, auth, source });
}

describe('authentication abuse', { skip: root }, () => {
  let l: Lab;
  before(() => {
    l = lab();
  });
  after(() => l?.destroy());

  describe('lockout', () => {
    let server: ServerHandle;
    before(async () => {
      server = await startServer(
        l.server,
        seedConfig({ extra: ['vpdn lockout attempts 3 window 60 duration 4', `vpdn username alice password ${ALICE_PASSWORD}`, 'vpdn username bob password bobpass'] }),
      );
    });
    after(async () => {
      await server?.stop();
    });

    test('three wrong passwords lock the user out from that source; the right one works again after the duration', async () => {
      for (let i = 0; i < 3; i++) assert.equal(await attempt(l, CLIENT, 'cisco', WRONG), 3);
      await server.proc.waitFor(/user cisco \/ source 10\.44\.17\.104 locked out after repeated authentication failures/);
      const t = Date.now();
      assert.equal(await attempt(l, CLIENT, 'cisco', 'cisco'), 3, 'the right password is refused while locked out');
      await server.proc.waitFor(/user: cisco authentication rejected: locked out for \d s after repeated failures/);
      await new Promise((r) => setTimeout(r, Math.max(0, 4500 - (Date.now() - t))));
      assert.equal(await attempt(l, CLIENT, 'cisco', 'cisco'), 0, 'after the lockout the right password works');
    });

    test('per user: failures from three sources lock that user everywhere, other users are unaffected', async () => {
      for (const src of [CLIENT, CLIENT2, ATTACKER]) assert.equal(await attempt(l, src, 'alice', WRONG), 3);
      assert.equal(await attempt(l, CLIENT2, 'alice', ALICE_PASSWORD), 3, 'alice is locked out from any source');
      assert.equal(await attempt(l, CLIENT2, 'bob', 'bobpass'), 0, 'bob from the same source is not');
      await new Promise((r) => setTimeout(r, 4500));
      assert.equal(await attempt(l, CLIENT, 'alice', ALICE_PASSWORD), 0);
    });

    test('per source: one address guessing many user names is locked out, other addresses are not', async () => {
      for (const user of ['admin', 'root', 'guest']) assert.equal(await attempt(l, ATTACKER, user, WRONG), 3);
      await server.proc.waitFor(/source 10\.44\.17\.106 locked out/);
      assert.equal(await attempt(l, ATTACKER, 'bob', 'bobpass'), 3, 'even a right password from that address is refused');
      assert.equal(await attempt(l, CLIENT2, 'bob', 'bobpass'), 0, 'bob from another address logs in');
      const show = await server.cli('show', 'vpdn');
      assert.match(show.out, /Total tunnels=0 sessions=0/, 'nothing left behind');
    });
  });

  describe('secrets in the log', () => {
    let server: ServerHandle;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'vpdn-secrets-'));
      server = await startServer(
        l.server,
        seedConfig({ extra: ['vpdn group 1 ppp encryption mppe auto', `vpdn username alice password ${ALICE_PASSWORD}`, 'logging buffered debugging'] }),
      );
    });
    after(async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('with every debug category on, neither passwords nor MPPE keys appear in any output', async () => {
      for (const cat of ['ppp io', 'ppp error', 'ppp uauth', 'vpdn error', 'vpdn packets', 'vpdn events']) {
        assert.equal((await server.cli('debug', ...cat.split(' '))).code, 0);
      }
      const pcap = join(dir, 'gre.pcap');
      const dump = new Proc(l.client.spawn('tcpdump', ['-i', l.clientIf, '-U', '-n', '-w', pcap, 'ip proto 47']));
      await dump.waitFor(/listening on/);
      try {
        const c = dial(l.client, SERVER, ['--user', 'alice', '--password', ALICE_PASSWORD, '--auth', 'mschapv2', '--mppe', 'required', '--tun', 'vd0']);
        await c.waitFor(/connected: .* MPPE 128-bit/);
        assert.match(l.client.exec('ping', '-I', 'vd0', '-c', '1', '-W', '3', INSIDE_HOST), /1 received/);
        c.kill();
        await c.exited;
        assert.equal(await attempt(l, CLIENT, 'alice', ALICE_PASSWORD, 'pap'), 0);
        for (const auth of ['pap', 'chap', 'mschap', 'mschapv2']) assert.equal(await attempt(l, CLIENT, 'alice', WRONG, auth), 3);
      } finally {
        dump.kill('SIGINT');
        await dump.exited;
      }

      // The MPPE keys of the MS-CHAP v2 session (RFC 3079 §3.3-3.5), from the client's Response.
      const frames = pppFramesIn(pcap);
      const responses = frames
        .filter((f) => f.protocol === 0xc223 && f.source === CLIENT)
        .map((f) => decodeChapPacket(f.info))
        .filter((p) => !isDecodeError(p) && p.code === 2);
      assert.ok(responses.length > 0, 'the capture holds the MS-CHAP v2 Response');
      const hashHash = hashNtPasswordHash(ntPasswordHash(ALICE_PASSWORD));
      const secrets: Record<string, string> = {
        'the password': Buffer.from(ALICE_PASSWORD).toString('hex'),
        'the wrong password': Buffer.from(WRONG).toString('hex'),
        'the password in UTF-16': Buffer.from(ALICE_PASSWORD, 'utf16le').toString('hex'),
        'the NT password hash': toHex(ntPasswordHash(ALICE_PASSWORD)),
        'the password hash hash': toHex(hashHash),
      };
      let proven = false;
      for (const [i, p] of responses.entries()) {
        if (isDecodeError(p) || p.code !== 2) continue;
        const r = decodeMschapV2Response(p.value);
        if (isDecodeError(r)) continue;
        const keys = mschapV2MasterKeys(hashHash, r.ntResponse, 'server');
        // Proof these are the session's keys: they open the client's first encrypted packet.
        const first = frames.find((f) => f.protocol === 0x00fd && f.source === CLIENT);
        if (first && new MppeDecryptor(keys.recvKey, 128, true).decrypt(first.info) instanceof Uint8Array) proven = true;
        secrets[`master send key ${i}`] = toHex(keys.sendKey);
        secrets[`master receive key ${i}`] = toHex(keys.recvKey);
        secrets[`session send key ${i}`] = toHex(initialSessionKey(keys.sendKey, 128));
        secrets[`session receive key ${i}`] = toHex(initialSessionKey(keys.recvKey, 128));
      }
      assert.ok(proven, 'the computed keys decrypt the captured MPPE traffic');
      const outputs = [server.proc.all, (await server.cli('show', 'logging')).out];
      const text = outputs.join('\n');
      assert.match(text, /PPP xmit, ifc = \d+/, 'ppp io tracing was on');
      assert.match(text, /CC I SCCRQ|SCCRQ-ok/, 'vpdn packets/events tracing was on');
      for (const plain of [ALICE_PASSWORD, WRONG]) assert.ok(!text.includes(plain), 'a password appears in the log');
      // Hex in any case, and with separators removed (a hex dump split in groups).
      const squashed = text.toLowerCase().replace(/[\s:.-]/g, '');
      for (const [what, hex] of Object.entries(secrets)) assert.ok(!squashed.includes(hex.slice(0, 16)), `${what} appears in the log`);
    });
  });
});
