// Every error rule of the brief: one bad line added to a good configuration gives exactly one
// error, at the right line, with a message an operator can act on; secrets never show.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';

const BASE = [
  'hostname test',
  'nameif ethernet0 outside security0',
  'nameif ethernet1 inside security100',
  'ip address outside 192.0.2.1 255.255.255.0',
  'ip address inside 10.1.1.1 255.255.255.0',
  'ip local pool pptp-pool 192.168.1.1-192.168.1.50',
  'aaa-server R protocol radius',
  'aaa-server R (inside) host 10.1.1.9 radkey timeout 5',
  'aaa-server T protocol tacacs+',
  'vpdn group 1 accept dialin pptp',
  'vpdn group 1 ppp authentication mschap',
  'vpdn group 1 ppp encryption mppe auto',
  'vpdn group 1 client configuration address local pptp-pool',
  'vpdn group 1 client authentication local',
  'vpdn username cisco password cisco',
  'vpdn enable outside',
];
const NEXT = BASE.length + 1;

function withLines(...extra: string[]): string {
  return [...BASE, ...extra].join('\n') + '\n';
}

test('the base configuration checks clean', () => {
  assert.deepEqual(parseConfig(withLines()).errors, []);
});

// [what, extra lines, line of the error (offset from the first added line), words the message must contain]
const CASES: [string, string[], number, RegExp][] = [
  ['bad pool range', ['ip local pool p2 10.9.9.1-10.9.9.2-10.9.9.3'], 0, /bad pool range/],
  ['bad IP in a pool', ['ip local pool p2 10.9.9.1-10.9.9.256'], 0, /'10\.9\.9\.256' is not an IPv4 address/],
  ['pool start above end', ['ip local pool p2 10.9.9.9-10.9.9.1'], 0, /first address 10\.9\.9\.9 is above last address 10\.9\.9\.1/],
  ['overlapping pools', ['ip local pool p2 192.168.1.50-192.168.1.60'], 0, /p2 .* overlaps pool pptp-pool .*line 6/],
  ['pool defined twice', ['ip local pool pptp-pool 10.9.9.1-10.9.9.2'], 0, /already defined at line 6/],
  ['unknown aaa tag (authentication)', ['vpdn group 1 client authentication aaa NOSUCH'], 0, /unknown aaa-server tag 'NOSUCH'/],
  ['unknown aaa tag (accounting)', ['vpdn group 1 client accounting NOSUCH'], 0, /client accounting: unknown aaa-server tag 'NOSUCH'/],
  ['unknown aaa tag (domain)', ['vpdn group 1 client authentication aaa NOSUCH domain CORP'], 0, /domain CORP: unknown aaa-server tag/],
  ['mppe 56', ['vpdn group 1 ppp encryption mppe 56'], 0, /MPPE key length '56' is not supported; use 40, 128 or auto/],
  [
    'mppe without mschap',
    ['vpdn group 2 accept dialin pptp', 'vpdn group 2 ppp authentication pap', 'vpdn group 2 ppp encryption mppe 40 required',
      'vpdn group 2 client configuration address local pptp-pool'],
    2,
    /mppe needs MS-CHAP/,
  ],
  ['group without a pool', ['vpdn group 2 accept dialin pptp', 'vpdn group 2 ppp authentication pap'], 0, /group 2 accepts dialin pptp but has no pool/],
  [
    'unknown pool',
    ['vpdn group 2 accept dialin pptp', 'vpdn group 2 ppp authentication pap', 'vpdn group 2 client configuration address local nosuch'],
    2,
    /unknown pool 'nosuch'/,
  ],
  ['bad IP on an interface', ['ip address inside 10.1.1.300 255.255.255.0'], 0, /bad IP address '10\.1\.1\.300'/],
  ['bad IP shape', ['ip address inside 10.1.1 255.255.255.0'], 0, /ip address inside: unexpected '10\.1\.1', expected <address> \(A\.B\.C\.D\)/],
  ['bad IP for DNS', ['vpdn group 1 client configuration dns 10.0.0.256'], 0, /bad IP address '10\.0\.0\.256' for DNS server/],
  ['bad mask', ['ip address inside 10.1.1.1 255.255.0.255'], 0, /bad mask '255\.255\.0\.255'/],
  ['vpdn enable on an unknown interface', ['vpdn enable dmz'], 0, /vpdn enable dmz: unknown interface 'dmz'/],
  ['vpdn enable on an interface without address', ['nameif ethernet2 dmz security50', 'vpdn enable dmz'], 1, /has no 'ip address'/],
  ['group never accepting pptp', ['vpdn group 9 ppp authentication pap'], 0, /vpdn group 9 is configured but never accepts calls/],
  ['duplicate user', ['vpdn username cisco password other'], 0, /duplicate vpdn username 'cisco' \(first defined at line 15\)/],
  ['hosts for a tag with no protocol', ['aaa-server NOPROTO (inside) host 10.1.1.8 k timeout 5'], 0, /NOPROTO has hosts but no protocol/],
  ['radius | tacacs+ placeholder', ['aaa-server X protocol radius | tacacs+'], 0, /choose one protocol, radius or tacacs\+/],
  ['unknown aaa protocol', ['aaa-server X protocol kerberos'], 0, /unknown protocol 'kerberos'/],
  ['server address in a pool', ['vpdn group 1 client configuration server-address 192.168.1.10'], 0, /server-address 192\.168\.1\.10 is inside pool pptp-pool/],
  ['inside address (default server address) in a pool', ['ip local pool p2 10.1.1.1-10.1.1.5'], -(NEXT - 10), /inside interface's address .* is inside pool p2/],
  ['unknown nameif interface', ['ip address dmz 10.2.2.2 255.255.255.0'], 0, /unknown interface 'dmz' \(no nameif/],
  ['bad security level', ['nameif ethernet2 dmz security101'], 0, /security0\.\.security100/],
  ['incomplete command', ['vpdn group 1 ppp encryption mppe'], 0, /incomplete command, expected <bits>/],
  ['unknown authentication type', ['vpdn group 1 ppp authentication eap'], 0, /unexpected 'eap', expected pap\|chap\|mschap\|ms-chap-v1\|ms-chap-v2/],
  ['unknown vpdn command', ['vpdn frobnicate 1'], 0, /vpdn: unexpected 'frobnicate', expected one of group, username, enable/],
  ['unknown vpdn group command', ['vpdn group 1 frobnicate'], 0, /vpdn group 1: unexpected 'frobnicate'/],
  ['extra words', ['vpdn enable outside now'], 0, /vpdn enable outside: unexpected 'now'/],
  ["'no' form of a vpdn command", ['no vpdn enable outside'], 0, /'no' form is not supported/],
  ['unknown logging level', ['logging console loud'], 0, /expected <level> \(0-7 or a level name\)/],
  ['dynamic interface address', ['ip address outside dhcp setroute'], 0, /dynamic interface address is not supported/],
];

for (const [what, extra, offset, message] of CASES) {
  test(`error: ${what}`, () => {
    const { errors } = parseConfig(withLines(...extra), 'x.cfg');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].line, NEXT + offset);
    assert.equal(errors[0].file, 'x.cfg');
    assert.match(errors[0].message, message);
  });
}

test('errors are sorted by line and a bad file reports all of them', () => {
  const { errors } = parseConfig(withLines('vpdn enable dmz', 'vpdn group 1 ppp encryption mppe 56', 'vpdn username cisco password x'));
  assert.deepEqual(
    errors.map((e) => e.line),
    [NEXT, NEXT + 1, NEXT + 2],
  );
});

test('passwords and keys never appear in error messages', () => {
  const secretLines = [
    'vpdn username cisco password TOPSECRET1',
    'vpdn username bob password TOPSECRET2 extra',
    'vpdn username carol TOPSECRET3',
    'aaa-server NOPROTO (inside) host 10.1.1.8 TOPSECRET4 timeout 5',
    'aaa-server R (inside) host 10.1.1.7 TOPSECRET5 timeout 5 bogus',
    'aaa-server R (inside) host 10.1.1.6 TOPSECRET6 timeout 99999',
    'aaa-server T (inside) host 10.1.1.5 TOPSECRET7 no-message-authenticator',
  ];
  const { errors } = parseConfig(withLines(...secretLines));
  assert.equal(errors.length, secretLines.length, JSON.stringify(errors));
  for (const e of errors) assert.doesNotMatch(e.message, /TOPSECRET/);
});

test('unknown and inert commands are never fatal', () => {
  const { errors, ignored } = parseConfig(
    withLines('frobnicate the widget', 'sysopt connection tcpmss 1380', 'ip verify reverse-path interface outside', 'logging standby',
      'nat (inside) 0 0 0 garbage words', 'snmp-server something odd'),
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(
    ignored.map((i) => [i.line, i.command, i.text]),
    [
      [NEXT, 'frobnicate', 'frobnicate the widget'],
      [NEXT + 1, 'sysopt', 'sysopt connection tcpmss 1380'],
      [NEXT + 2, 'ip verify', 'ip verify reverse-path interface outside'],
      [NEXT + 3, 'logging standby', 'logging standby'],
      [NEXT + 4, 'nat', 'nat (inside) 0 0 0 garbage words'],
      [NEXT + 5, 'snmp-server', 'snmp-server something odd'],
    ],
  );
});
