// Cross-checks MD4, DES and RC4 against OpenSSL's legacy provider, in a child Node process
// started with --openssl-legacy-provider (this process has no legacy algorithms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { md4 } from '../../../src/ppp/crypto/md4.js';
import { desEncryptBlock64 } from '../../../src/ppp/crypto/des.js';
import { Rc4 } from '../../../src/ppp/crypto/rc4.js';
import { fromHex, toHex } from '../../../src/wire/bytes.js';

interface Case {
  alg: 'md4' | 'des' | 'rc4';
  key: string;
  data: string;
}

const CHILD = `
const c = require('node:crypto');
let s = '';
process.stdin.on('data', (d) => (s += d)).on('end', () => {
  const out = JSON.parse(s).map(({ alg, key, data }) => {
    const k = Buffer.from(key, 'hex'), d = Buffer.from(data, 'hex');
    if (alg === 'md4') return c.createHash('md4').update(d).digest('hex');
    const x = c.createCipheriv(alg === 'des' ? 'des-ecb' : 'rc4', k, null);
    x.setAutoPadding(false);
    return Buffer.concat([x.update(d), x.final()]).toString('hex');
  });
  process.stdout.write(JSON.stringify(out));
});`;

function ours({ alg, key, data }: Case): string {
  const d = fromHex(data);
  if (alg === 'md4') return toHex(md4(d));
  if (alg === 'des') return toHex(desEncryptBlock64(fromHex(key), d));
  new Rc4(fromHex(key)).process(d);
  return toHex(d);
}

test('MD4, DES and RC4 agree with OpenSSL on random inputs', (t) => {
  const cases: Case[] = [];
  for (let i = 0; i < 300; i++) {
    cases.push({ alg: 'md4', key: '', data: randomBytes(randomInt(0, 200)).toString('hex') });
    cases.push({ alg: 'des', key: randomBytes(8).toString('hex'), data: randomBytes(8).toString('hex') });
    cases.push({ alg: 'rc4', key: randomBytes(randomInt(1, 33)).toString('hex'), data: randomBytes(randomInt(0, 400)).toString('hex') });
  }
  const child = spawnSync(process.execPath, ['--openssl-legacy-provider', '-e', CHILD], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (child.status !== 0) {
    t.skip(`OpenSSL legacy provider unavailable: ${child.stderr.split('\n')[0]}`);
    return;
  }
  const theirs = JSON.parse(child.stdout) as string[];
  assert.equal(theirs.length, cases.length);
  cases.forEach((c, i) => assert.equal(ours(c), theirs[i], `${c.alg} key=${c.key} data=${c.data}`));
});
