// Where commands start and end, folded or not (the cases the two seeds do not cover).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';
import { unfoldConfig } from '../../src/config/unfold.js';

const texts = (s: string): string[] => unfoldConfig(s).map((c) => c.text);

test('a word broken at its hyphen by the fold is joined, and keeps the line where it starts', () => {
  assert.deepEqual(unfoldConfig('logging on aaa-\nserver R protocol radius ip local pool pptp-\npool 10.0.0.1-10.0.0.9'), [
    { line: 1, text: 'logging on' },
    { line: 1, text: 'aaa-server R protocol radius' },
    { line: 2, text: 'ip local pool pptp-pool 10.0.0.1-10.0.0.9' },
  ]);
});

test('a line ending in a hyphen is not joined to a following command', () => {
  assert.deepEqual(texts('ip local pool p 10.0.0.1-\nvpdn enable outside'), ['ip local pool p 10.0.0.1-', 'vpdn enable outside']);
});

test('`no` at the end of a line belongs to the command on the next line', () => {
  assert.deepEqual(unfoldConfig('logging on no\nlogging timestamp'), [
    { line: 1, text: 'logging on' },
    { line: 1, text: 'no logging timestamp' },
  ]);
});

test('optional words never swallow the next command on the following line', () => {
  // failover has an optional `ip address IF A` form; the next line is a whole `ip address` command.
  assert.deepEqual(texts('failover\nip address inside 10.1.1.1 255.255.255.0\ntelnet 10.1.1.5 255.255.255.255\nroute outside 0.0.0.0 0.0.0.0 192.0.2.1'), [
    'failover',
    'ip address inside 10.1.1.1 255.255.255.0',
    'telnet 10.1.1.5 255.255.255.255',
    'route outside 0.0.0.0 0.0.0.0 192.0.2.1',
  ]);
  // ...nor a whole command on the same line
  assert.deepEqual(texts('telnet 10.1.1.5 255.255.255.255 telnet timeout 5'), ['telnet 10.1.1.5 255.255.255.255', 'telnet timeout 5']);
});

test('a folded comment runs until the next command; comment lines of an unfolded file stay apart', () => {
  assert.deepEqual(texts('radius !--- use either RADIUS or\nTACACS+ here. vpdn enable outside'), [
    'radius',
    '!--- use either RADIUS or TACACS+ here.',
    'vpdn enable outside',
  ]);
  assert.deepEqual(texts('! one\n! two\nhostname x'), ['! one', '! two', 'hostname x']);
});

test('free text ends only where a whole command starts', () => {
  assert.deepEqual(texts('banner motd the logging system is watching\nvpdn enable outside'), [
    'banner motd the logging system is watching',
    'vpdn enable outside',
  ]);
});

test('a blank line always ends a command', () => {
  const r = parseConfig('nameif ethernet1 inside security100\nip address inside 10.1.1.1\n\n255.255.255.0\n');
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].line, 2);
  assert.match(r.errors[0].message, /incomplete command, expected <mask>/);
  assert.deepEqual(r.ignored, [{ line: 4, command: '255.255.255.0', text: '255.255.255.0' }]);
});

test('command words are fine as values in the middle of a line', () => {
  const r = parseConfig(
    [
      'hostname vpdn',
      'nameif ethernet0 outside security0',
      'ip address outside 192.0.2.1 255.255.255.0',
      'ip address outside 192.0.2.1 255.255.255.0',
      'ip local pool names 10.9.0.1-10.9.0.9',
      'aaa-server logging protocol radius',
      'aaa-server logging (outside) host 192.0.2.9 timeout timeout 7',
      'vpdn group vpdn accept dialin pptp',
      'vpdn group vpdn ppp authentication pap',
      'vpdn group vpdn client configuration address local names',
      'vpdn group vpdn client configuration server-address 10.8.0.1',
      'vpdn group vpdn client authentication aaa logging',
      'vpdn username route password static',
    ].join('\n'),
  );
  assert.deepEqual(r.errors, []);
  assert.equal(r.config.hostname, 'vpdn');
  assert.equal(r.config.groups[0].name, 'vpdn');
  assert.equal(r.config.pools[0].name, 'names');
  assert.deepEqual(r.config.users, [{ name: 'route', password: 'static' }]);
  assert.deepEqual([r.config.aaaServers[0].hosts[0].key, r.config.aaaServers[0].hosts[0].timeoutSeconds], ['timeout', 7]);
});

test('a required argument at the start of a line is not taken from the next command', () => {
  const r = parseConfig('hostname\nvpdn max-sessions 5\n');
  assert.equal(r.config.maxSessions, 5);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.message]),
    [[1, 'hostname: incomplete command, expected <name> (syntax: hostname <name>)']],
  );
});

test('an unknown word starts an ignored command that ends at the line end or at a known command', () => {
  assert.deepEqual(unfoldConfig('frob 1 2 vpdn max-sessions 9\nwibble\nwobble 3'), [
    { line: 1, text: 'frob 1 2' },
    { line: 1, text: 'vpdn max-sessions 9' },
    { line: 2, text: 'wibble' },
    { line: 3, text: 'wobble 3' },
  ]);
});

test('keywords are case-insensitive, names are kept as written; CRLF and tabs are fine', () => {
  const r = parseConfig('NAMEIF ethernet0 Outside security0\r\nIP Address Outside 192.0.2.1\t255.255.255.0\r\nVPDN Enable Outside\r\n');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.config.vpdnEnable, ['Outside']);
  assert.equal(r.config.interfaces[0].address, '192.0.2.1');
});

test('the PIX header, checksum and `:` lines in either spelling', () => {
  assert.deepEqual(texts(': Saved\n:\nPIX Version 6.3(5)\nCryptochecksum: 0123abcd\n: end'), [
    ': Saved',
    ':',
    'PIX Version 6.3(5)',
    'Cryptochecksum: 0123abcd',
    ': end',
  ]);
});
