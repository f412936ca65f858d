/** The test TACACS+ server as a process (test/tacacs-server/main): on loopback and in a namespace. */
import { strict as assert } from 'node:assert';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { TacacsAccounting, TacacsAuthenticator } from '../../src/aaa/tacacs/index.js';
import { isRoot, link, Netns } from '../helpers/netns.js';
import { fixture } from '../helpers/paths.js';
import { pap } from '../tacacs-server/requests.js';

const run = promisify(execFile);
const KEY = 'cli-key';
/** main.ts under tsx, main.js once compiled to dist. */
const MAIN = fileURLToPath(new URL(`../tacacs-server/main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
const NODE_ARGS = [...process.execArgv.filter((a) => !a.startsWith('--test')), MAIN];

/** Resolves with the port once the process prints "listening <port>". */
function listening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server not ready after 10 s: ${out} ${err}`)), 10_000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('TACACS+ test server CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vpdn-tacacs-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves logins and accounting on loopback, stops on SIGTERM', async () => {
    const acctFile = join(dir, 'acct.log');
    const child = spawn(
      process.execPath,
      [...NODE_ARGS, '--port', '0', '--key', KEY, '--users', fixture('tacacs', 'users.json'), '--accounting-file', acctFile],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const port = await listening(child);
      const hosts = [{ address: '127.0.0.1', port, key: KEY, timeoutMs: 3000 }];
      const a = new TacacsAuthenticator({ hosts });
      const ok = await a.authenticate(pap('cisco', 'cisco123'));
      assert.equal(ok.accepted, true, ok.reason);
      assert.equal(ok.framedAddress, '192.168.1.77');
      assert.equal((await a.authenticate(pap('cisco', 'wrong'))).accepted, false);
      const acct = new TacacsAccounting({ hosts });
      await acct.start({ sessionId: 's1', username: 'cisco', callingStationId: '10.44.17.104', calledStationId: '', nasPort: 1 });
      const line = JSON.parse(readFileSync(acctFile, 'utf8').trim());
      assert.equal(line.kind, 'start');
      assert.equal(line.avpairs.task_id, 's1');
      child.kill('SIGTERM');
      assert.equal(await exited(child), 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('runs in a network namespace, reached by the Perl client from another', async (t) => {
    if (!isRoot()) return t.skip('needs root for network namespaces');
    const server = new Netns('ts');
    const client = new Netns('tc');
    try {
      link(client, '10.77.0.2/24', server, '10.77.0.1/24');
      const child = server.spawn(process.execPath, [
        ...NODE_ARGS,
        '--host',
        '10.77.0.1',
        '--port',
        '49',
        '--key',
        KEY,
        '--users',
        fixture('tacacs', 'users.json'),
      ]);
      assert.equal(await listening(child), 49);
      const login = async (password: string, type: string): Promise<string> => {
        const { stdout } = await run(
          'ip',
          ['netns', 'exec', client.name, 'perl', fixture('tacacs', 'login.pl'), '10.77.0.1', '49', KEY, 'cisco', password, type],
          { timeout: 15_000 },
        );
        return stdout.trim();
      };
      assert.equal(await login('cisco123', 'pap'), 'PASS');
      assert.equal(await login('cisco123', 'chap'), 'PASS');
      assert.equal(await login('wrong', 'ascii'), 'FAIL Authentication failed');
      child.kill('SIGTERM');
      assert.equal(await exited(child), 0);
    } finally {
      client.destroy();
      server.destroy();
    }
  });
});
