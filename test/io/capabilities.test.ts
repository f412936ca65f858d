import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CapabilityError, asCapabilityError, hasCapability } from '../../src/io/capabilities.js';
import { Netns, isRoot } from '../helpers/netns.js';
import { repoRoot } from '../helpers/paths.js';
import { nodeScriptArgs } from './node-script.js';

const status = (capEff: string): string => `Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\n`;

test('hasCapability reads bits 12 (CAP_NET_ADMIN) and 13 (CAP_NET_RAW) of CapEff', () => {
  assert.equal(hasCapability('CAP_NET_RAW', status('0000000000002000')), true);
  assert.equal(hasCapability('CAP_NET_ADMIN', status('0000000000002000')), false);
  assert.equal(hasCapability('CAP_NET_ADMIN', status('0000000000001000')), true);
  assert.equal(hasCapability('CAP_NET_RAW', status('0000000000001000')), false);
  assert.equal(hasCapability('CAP_NET_RAW', status('000001fffeffcfff')), false);
  assert.equal(hasCapability('CAP_NET_ADMIN', status('000001ffffffffff')), true);
  assert.equal(hasCapability('CAP_NET_RAW', 'no capability lines'), false);
});

test('asCapabilityError converts EPERM and EACCES only', () => {
  const eperm = Object.assign(new Error('socket: Operation not permitted (EPERM)'), { code: 'EPERM' });
  const converted = asCapabilityError(eperm, 'CAP_NET_RAW', 'opening the raw GRE socket');
  assert.ok(converted instanceof CapabilityError);
  assert.equal(converted.capability, 'CAP_NET_RAW');
  assert.match(converted.message, /^opening the raw GRE socket needs CAP_NET_RAW/);
  const other = Object.assign(new Error('bind'), { code: 'EADDRNOTAVAIL' });
  assert.equal(asCapabilityError(other, 'CAP_NET_RAW', 'x'), other);
});

test('without CAP_NET_RAW and CAP_NET_ADMIN opening fails with CapabilityError', { skip: !isRoot() && 'needs root' }, () => {
  assert.equal(hasCapability('CAP_NET_RAW'), true);
  const ns = new Netns('cap');
  try {
    // setpriv (util-linux) drops both from the bounding set, so node starts without them.
    const out = execFileSync(
      'ip',
      ['netns', 'exec', ns.name, 'setpriv', '--bounding-set=-net_raw,-net_admin', '--', process.execPath,
        ...nodeScriptArgs(import.meta.url, 'cap-child')],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    const r = JSON.parse(out);
    assert.equal(r.netRaw, false);
    assert.equal(r.netAdmin, false);
    assert.equal(r.gre.name, 'CapabilityError');
    assert.equal(r.gre.capability, 'CAP_NET_RAW');
    assert.match(r.gre.message, /raw GRE socket needs CAP_NET_RAW/);
    assert.equal(r.tun.name, 'CapabilityError');
    assert.equal(r.tun.capability, 'CAP_NET_ADMIN');
    assert.match(r.tun.message, /TUN device needs CAP_NET_ADMIN/);
    assert.equal(r.ip.capability, 'CAP_NET_ADMIN');
  } finally {
    ns.destroy();
  }
});
