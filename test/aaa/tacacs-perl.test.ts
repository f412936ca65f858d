/**
 * Wire correctness of the test TACACS+ server against a client nobody here wrote:
 * Authen::TacacsPlus 0.28 (Debian libauthen-tacacsplus-perl), ASCII, PAP and CHAP logins.
 */
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { isDecodeError } from '../../src/wire/errors.js';
import {
  TAC_PLUS_AUTHEN_STATUS_GETPASS,
  TAC_PLUS_AUTHEN_STATUS_GETUSER,
  TAC_PLUS_AUTHEN_STATUS_PASS,
  TAC_PLUS_REPLY_FLAG_NOECHO,
  decodeAuthenReply,
  decodePacket,
} from '../../src/wire/tacacs.js';
import { fixture } from '../helpers/paths.js';
import { startTacacsServer, type TacacsTestServer } from '../tacacs-server/server.js';

const run = promisify(execFile);
const KEY = 'tac-test-key';

/** One login through the Perl client; its stdout line ("PASS" / "FAIL <why>"). */
async function perlLogin(port: number, key: string, user: string, password: string, type: string): Promise<string> {
  const { stdout } = await run('perl', [fixture('tacacs', 'login.pl'), '127.0.0.1', String(port), key, user, password, type], {
    timeout: 15_000,
  });
  return stdout.trim();
}

describe('test TACACS+ server against Authen::TacacsPlus (Perl)', () => {
  let server: TacacsTestServer;
  const outgoing: Uint8Array[] = [];

  before(async () => {
    try {
      execFileSync('perl', ['-MAuthen::TacacsPlus', '-MDigest::MD5', '-e', '1'], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(
        'Perl module Authen::TacacsPlus is missing: install the Debian package libauthen-tacacsplus-perl ' +
          `(this test must not be skipped): ${(e as Error).message}`,
      );
    }
    server = await startTacacsServer({
      key: KEY,
      users: [
        { name: 'cisco', password: 'cisco123' },
        { name: 'ｕｓｅｒ', password: 'pässwörd' },
      ],
      onPacket: (direction, raw) => {
        if (direction === 'out') outgoing.push(raw);
      },
    });
  });

  after(async () => {
    await server?.close();
  });

  for (const type of ['ascii', 'pap', 'chap']) {
    it(`${type}: right password passes, wrong password fails`, async () => {
      assert.equal(await perlLogin(server.port, KEY, 'cisco', 'cisco123', type), 'PASS');
      assert.equal(await perlLogin(server.port, KEY, 'cisco', 'cisco124', type), 'FAIL Authentication failed');
      assert.equal(await perlLogin(server.port, KEY, 'nobody', 'cisco123', type), 'FAIL Authentication failed');
      const mine = server.events.filter((e) => e.kind === 'authen' && e.authenType === type);
      assert.deepEqual(
        mine.slice(-3).map((e) => [e.user, e.result]),
        [
          ['cisco', 'pass'],
          ['cisco', 'fail'],
          ['nobody', 'fail'],
        ],
      );
    });

    it(`${type}: wrong key fails, and the server reports a bad key`, async () => {
      const before = server.events.length;
      outgoing.length = 0;
      // With a misread GETUSER/GETPASS the old C client goes on with a closed socket; it may die.
      const said = await perlLogin(server.port, 'not-the-key', 'cisco', 'cisco123', type).catch((e: Error) => `DIED ${e.message}`);
      const errors = server.events.slice(before).filter((e) => e.result === 'error');
      assert.equal(errors.length, 1, JSON.stringify(server.events.slice(before)));
      assert.match(errors[0].reason ?? '', /bad key or protocol error/);
      // The server answered ERROR under its own key. The Perl client reads only the first body byte
      // as the status, with its key: work out what it saw so the assertion is exact.
      assert.equal(outgoing.length, 1);
      const seen = decodePacket(outgoing[0], 'not-the-key');
      assert.ok(!isDecodeError(seen));
      const status = seen.body[0];
      if (status === 1) assert.equal(said, 'PASS'); // obfuscation has no integrity check (RFC 8907 §10.5.2)
      else if (status === 2) assert.equal(said, 'FAIL Authentication failed');
      else if (status !== 4 && status !== 5) assert.equal(said, 'FAIL Protocol error');
      else assert.notEqual(said, 'PASS', 'a misread GETUSER/GETPASS must not end in PASS');
    });
  }

  it('UTF-8 user names and passwords (RFC 8907 §3.7) over PAP and ASCII', async () => {
    assert.equal(await perlLogin(server.port, KEY, 'ｕｓｅｒ', 'pässwörd', 'pap'), 'PASS');
    assert.equal(await perlLogin(server.port, KEY, 'ｕｓｅｒ', 'pässwörd', 'ascii'), 'PASS');
  });

  it('ASCII login: GETUSER, GETPASS with echo off, PASS, on one connection (RFC 8907 §5.4.2.1)', async () => {
    const connections = server.stats.connections;
    outgoing.length = 0;
    assert.equal(await perlLogin(server.port, KEY, 'cisco', 'cisco123', 'ascii'), 'PASS');
    assert.equal(server.stats.connections, connections + 1);
    const replies = outgoing.map((raw) => {
      const p = decodePacket(raw, KEY);
      assert.ok(!isDecodeError(p));
      const r = decodeAuthenReply(p.body);
      assert.ok(!isDecodeError(r));
      return [p.header.seqNo, r.status, r.flags];
    });
    assert.deepEqual(replies, [
      [2, TAC_PLUS_AUTHEN_STATUS_GETUSER, 0],
      [4, TAC_PLUS_AUTHEN_STATUS_GETPASS, TAC_PLUS_REPLY_FLAG_NOECHO],
      [6, TAC_PLUS_AUTHEN_STATUS_PASS, 0],
    ]);
  });
});
