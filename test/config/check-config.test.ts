// `vpdn check-config FILE` (src/cli/check-config.ts): run() called in-process with captured output.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../../src/cli/check-config.js';
import { fixture, repoRoot } from '../helpers/paths.js';

async function check(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const defaultCfg = join(repoRoot, 'config', 'default.cfg');

test('config/default.cfg checks clean: exit 0 and a summary', async () => {
  const r = await check(defaultCfg);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.match(r.out, /: OK\n/);
  assert.match(r.out, /vpdn enable: outside \(all addresses\)/);
  assert.match(r.out, /pool pptp-pool: 192\.168\.1\.1-192\.168\.1\.50 \(50 addresses\)/);
  assert.match(r.out, /authentication types: MS-CHAP v2, MS-CHAP v1, CHAP, PAP/);
  assert.match(r.out, /encryption: mppe auto/);
  assert.match(r.out, /server address 10\.1\.1\.1/);
  assert.match(r.out, /local users: 1/);
  assert.match(r.out, /logging: on; console informational/);
  assert.match(r.out, /no commands ignored\n$/);
});

test('seed 1: summary plus the ignored-command count and names', async () => {
  const r = await check(fixture('config', 'seed1-folded.cfg'));
  assert.equal(r.code, 0);
  assert.match(r.out, /\n46 commands ignored: PIX Version, enable password, passwd, fixup, names, access-list, pager, .*, Cryptochecksum, :\n$/);
});

test('seed 2: exit 1 and FILE:LINE: message', async () => {
  const file = fixture('config', 'seed2-folded.cfg');
  const r = await check(file);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.equal(
    r.err,
    `${file}:43: aaa-server AuthInbound protocol: choose one protocol, radius or tacacs+ (the line lists 'radius | tacacs+')\n` +
      '1 error; vpdn will not start with this configuration\n',
  );
});

test('--print emits the canonical configuration, which checks clean itself', async () => {
  const r = await check('--print', defaultCfg);
  assert.equal(r.code, 0);
  assert.match(r.out, /^hostname vpdn\nnameif ethernet0 outside security0\n/);
  assert.match(r.out, /\nvpdn group 1 ppp authentication mschap\n/);
  const dir = mkdtempSync(join(tmpdir(), 'vpdn-cfg-'));
  try {
    writeFileSync(join(dir, 'printed.cfg'), r.out);
    const again = await check('--print', join(dir, 'printed.cfg'));
    assert.equal(again.code, 0);
    assert.equal(again.out, r.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the summary shows no passwords or keys', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vpdn-cfg-'));
  try {
    const file = join(dir, 's.cfg');
    writeFileSync(
      file,
      ['nameif ethernet1 inside security100', 'ip address inside 10.1.1.1 255.255.255.0', 'ip local pool p 192.168.1.1-192.168.1.9',
        'aaa-server R protocol radius', 'aaa-server R (inside) host 10.1.1.9 KEYSECRET timeout 5', 'vpdn group g accept dialin pptp',
        'vpdn group g ppp authentication pap', 'vpdn group g client configuration address local p', 'vpdn username u password PWSECRET',
        'enable password ENABLESECRET encrypted'].join('\n'),
    );
    const r = await check(file);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /SECRET/);
    assert.match(r.out, /aaa-server R radius: 10\.1\.1\.9 \(inside\) timeout 5 s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage and unreadable files', async () => {
  assert.equal((await check()).code, 2);
  assert.equal((await check('a', 'b')).code, 2);
  const r = await check(join(tmpdir(), 'no-such-vpdn-config.cfg'));
  assert.equal(r.code, 1);
  assert.match(r.err, /cannot read .*no-such-vpdn-config\.cfg/);
});
