// The two PIX 6.3 configurations printed in the seed (SPEC §2): folded as printed and one
// command per line. The folded fixtures are the seed's lines 167-216 and 250-307 verbatim,
// with the markdown fence lines blanked (fixture line N = seed line N+166 / N+249).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';
import { unfoldConfig } from '../../src/config/unfold.js';
import { fixture } from '../helpers/paths.js';

const read = (name: string): string => readFileSync(fixture('config', name), 'utf8');
const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

for (const n of [1, 2]) {
  test(`seed ${n}: the unfolder splits the folded text into exactly the unfolded commands`, () => {
    assert.deepEqual(
      unfoldConfig(read(`seed${n}-folded.cfg`)).map((c) => c.text),
      lines(read(`seed${n}-unfolded.cfg`)),
    );
  });

  test(`seed ${n}: folded and unfolded give the same model, ignored list and error messages`, () => {
    const a = parseConfig(read(`seed${n}-folded.cfg`));
    const b = parseConfig(read(`seed${n}-unfolded.cfg`));
    assert.deepEqual(a.config, b.config);
    assert.deepEqual(
      a.ignored.map((i) => i.text),
      b.ignored.map((i) => i.text),
    );
    assert.deepEqual(
      a.errors.map((e) => e.message),
      b.errors.map((e) => e.message),
    );
  });
}

test('seed 1 checks clean and reads as the seed describes it', () => {
  const { config, errors } = parseConfig(read('seed1-folded.cfg'));
  assert.deepEqual(errors, []);
  assert.equal(config.hostname, 'PIX');
  assert.deepEqual(
    config.interfaces.map((i) => [i.hardwareId, i.name, i.securityLevel, i.address, i.mask]),
    [
      ['ethernet0', 'outside', 0, '172.18.124.152', '255.255.255.0'],
      ['ethernet1', 'inside', 100, '10.1.1.1', '255.255.255.0'],
      ['ethernet2', 'pix/intf2', 10, '127.0.0.1', '255.255.255.255'],
    ],
  );
  assert.deepEqual(config.pools, [{ name: 'pptp-pool', first: '192.168.1.1', last: '192.168.1.50', size: 50 }]);
  assert.deepEqual(config.vpdnEnable, ['outside']);
  assert.equal(config.groups.length, 1);
  const g = config.groups[0];
  assert.equal(g.name, '1');
  assert.equal(g.acceptDialinPptp, true);
  assert.deepEqual(g.authTypes, ['mschap-v2', 'mschap-v1', 'chap-md5', 'pap']);
  assert.equal(g.encryption, null);
  assert.equal(g.pool, 'pptp-pool');
  assert.deepEqual(g.authentication, { kind: 'local' });
  assert.equal(g.pptpEcho, 60);
  assert.deepEqual(config.users, [{ name: 'cisco', password: 'cisco' }]);
  assert.deepEqual(
    config.aaaServers.map((s) => [s.tag, s.protocol, s.hosts.length]),
    [
      ['TACACS+', 'tacacs+', 0],
      ['RADIUS', 'radius', 0],
    ],
  );
  assert.equal(config.sysoptPermitPptp, true);
  // `logging on`, `no logging timestamp`, `no logging console`, `logging trap debugging`, `logging facility 20`
  assert.deepEqual(config.logging, { on: true, timestamp: false, console: null, buffered: null, trap: 7, facility: 20, hosts: [] });
});

test('seed 1: the ignored commands, in order, with the physical line each starts on', () => {
  const { ignored } = parseConfig(read('seed1-folded.cfg'));
  assert.equal(ignored.length, 46);
  assert.deepEqual(ignored.slice(0, 3), [
    { line: 1, command: 'PIX Version', text: 'PIX Version 6.3(3)' },
    { line: 5, command: 'enable password', text: 'enable password ***** encrypted' },
    { line: 6, command: 'passwd', text: 'passwd ***** encrypted' },
  ]);
  const byText = new Map(ignored.map((i) => [i.text, i.line]));
  // seed lines 181-182, 204-205 (a word broken at its hyphen), 215-216
  assert.equal(byText.get('access-list 101 permit ip 10.1.1.0 255.255.255.0 192.168.1.0 255.255.255.0'), 15);
  assert.equal(byText.get('nat (inside) 1 10.1.1.0 255.255.255.0 0 0'), 34);
  assert.equal(byText.get('no failover'), 29);
  assert.equal(byText.get('failover ip address pix/intf2 0.0.0.0'), 31);
  assert.equal(byText.get('terminal width 80'), 49);
  assert.equal(byText.get('Cryptochecksum:a72d9f71d1a31332307fcd348e02410d'), 50);
  assert.equal(byText.get(': end'), 50);
  assert.deepEqual(
    [...new Set(ignored.map((i) => i.command))],
    ['PIX Version', 'enable password', 'passwd', 'fixup', 'names', 'access-list', 'pager', 'no logging standby', 'no logging monitor',
      'no logging history', 'logging queue', 'interface', 'mtu', 'no failover', 'failover', 'arp', 'global', 'nat', 'conduit',
      'route', 'timeout', 'no snmp-server', 'snmp-server', 'floodguard', 'isakmp', 'telnet', 'terminal', 'Cryptochecksum', ':'],
  );
});

test('seed 2 reports exactly the `radius | tacacs+` placeholder, at its line (seed line 292)', () => {
  const folded = parseConfig(read('seed2-folded.cfg'), 'seed2.cfg');
  assert.deepEqual(folded.errors, [
    {
      file: 'seed2.cfg',
      line: 43,
      message: "aaa-server AuthInbound protocol: choose one protocol, radius or tacacs+ (the line lists 'radius | tacacs+')",
    },
  ]);
  const unfolded = parseConfig(read('seed2-unfolded.cfg'));
  assert.equal(unfolded.errors.length, 1);
  assert.equal(lines(read('seed2-unfolded.cfg'))[unfolded.errors[0].line - 1], 'aaa-server AuthInbound protocol radius | tacacs+');
  // `[OK]` (printed by `write memory`) is kept as an ignored command.
  assert.deepEqual(folded.ignored.at(-1), { line: 58, command: '[OK]', text: '[OK]' });
});

for (const protocol of ['radius', 'tacacs+'] as const) {
  test(`seed 2 checks clean once '${protocol}' is chosen, folded and unfolded`, () => {
    for (const name of ['seed2-folded.cfg', 'seed2-unfolded.cfg']) {
      const text = read(name).replace(/protocol radius \|\s+tacacs\+/, `protocol ${protocol}`);
      const { config, errors } = parseConfig(text);
      assert.deepEqual(errors, [], name);
      const s = config.aaaServers.find((x) => x.tag === 'AuthInbound')!;
      assert.equal(s.protocol, protocol);
      assert.equal(s.hosts.length, 1);
      assert.deepEqual(
        [s.hosts[0].interface, s.hosts[0].address, s.hosts[0].key, s.hosts[0].timeoutSeconds],
        ['outside', '172.18.124.99', 'cisco', 5],
      );
      assert.deepEqual(config.groups[0].authentication, { kind: 'aaa', tag: 'AuthInbound' });
      assert.deepEqual(config.logging, { on: true, timestamp: true, console: 7, buffered: 7, trap: 7, facility: 20, hosts: [] });
    }
  });
}
