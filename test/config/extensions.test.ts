// vpdn's commands beyond PIX 6.3 (docs/configuration.md), their defaults and their checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';
import { authenticationFor, groupServerAddress } from '../../src/config/resolve.js';

const BASE = [
  'nameif ethernet0 outside security0',
  'nameif ethernet1 inside security100',
  'ip address outside 192.0.2.1 255.255.255.0',
  'ip address inside 10.1.1.1 255.255.255.0',
  'ip local pool p 192.168.1.1-192.168.1.254',
  'aaa-server RAD protocol radius',
  'aaa-server RAD (inside) host 10.1.1.9 k1 timeout 3 retries 5 auth-port 11812 acct-port 11813 no-message-authenticator',
  'aaa-server RAD (inside) host 10.1.1.10 k2',
  'aaa-server RAD dynamic-authorization port 13799',
  'aaa-server RAD max-failed-attempts 2',
  'aaa-server RAD deadtime 1',
  'aaa-server TAC protocol tacacs+',
  'aaa-server TAC (inside) host 10.1.1.11 timeout 7 port 10049',
  'vpdn group 1 accept dialin pptp',
  'vpdn group 1 ppp authentication ms-chap-v2',
  'vpdn group 1 ppp authentication pap',
  'vpdn group 1 ppp encryption mppe 128 required',
  'vpdn group 1 ppp lcp echo 20 4',
  'vpdn group 1 client configuration address local p',
  'vpdn group 1 client configuration server-address 10.99.0.1',
  'vpdn group 1 client configuration dns 10.1.1.53 10.1.1.54',
  'vpdn group 1 client configuration wins 10.1.1.137',
  'vpdn group 1 client authentication aaa RAD',
  'vpdn group 1 client authentication aaa TAC domain SITEB',
  'vpdn group 1 client authentication aaa LOCAL domain LAB',
  'vpdn group 1 client authentication strip-domain',
  'vpdn group 1 client accounting RAD interim 300',
  'vpdn group 1 pptp echo 30',
  'vpdn group 1 pptp window 128',
  'vpdn group 1 pptp transmit-window enforce',
  'vpdn username DOMAIN\\cisco password a',
  'vpdn username cisco password b',
  'vpdn enable outside',
  'vpdn max-sessions 500',
  'vpdn interface tun7',
  'vpdn forwarding enable',
  'vpdn lockout attempts 5 window 60 duration 300',
  'vpdn idle-timeout 15',
  'logging host inside 10.1.1.5 udp/5514',
  'logging host 10.1.1.6',
];

test('every extension lands in the model', () => {
  const { config, errors, ignored } = parseConfig(BASE.join('\n'));
  assert.deepEqual(errors, []);
  assert.deepEqual(ignored, []);
  const [rad, tac] = config.aaaServers;
  assert.deepEqual(rad, {
    tag: 'RAD',
    protocol: 'radius',
    hosts: [
      { interface: 'inside', address: '10.1.1.9', key: 'k1', timeoutSeconds: 3, retries: 5, authPort: 11812, acctPort: 11813, port: 49, requireMessageAuthenticator: false },
      { interface: 'inside', address: '10.1.1.10', key: 'k2', timeoutSeconds: 5, retries: 3, authPort: 1812, acctPort: 1813, port: 49, requireMessageAuthenticator: true },
    ],
    dynamicAuthorizationPort: 13799,
    maxFailedAttempts: 2,
    deadtimeMinutes: 1,
  });
  assert.deepEqual(tac.hosts, [
    { interface: 'inside', address: '10.1.1.11', key: null, timeoutSeconds: 7, retries: 3, authPort: 1812, acctPort: 1813, port: 10049, requireMessageAuthenticator: true },
  ]);
  const g = config.groups[0];
  assert.deepEqual(g.authTypes, ['mschap-v2', 'pap']);
  assert.deepEqual(g.encryption, { bits: 128, required: true, mode: 'client' });
  assert.deepEqual(g.lcpEcho, { intervalSeconds: 20, failures: 4 });
  assert.equal(g.serverAddress, '10.99.0.1');
  assert.equal(groupServerAddress(config, g), '10.99.0.1');
  assert.deepEqual([g.dns, g.wins], [['10.1.1.53', '10.1.1.54'], ['10.1.1.137']]);
  assert.deepEqual(g.authentication, { kind: 'aaa', tag: 'RAD' });
  assert.deepEqual(g.domainAuthentication, [
    { domain: 'SITEB', authentication: { kind: 'aaa', tag: 'TAC' } },
    { domain: 'LAB', authentication: { kind: 'local' } },
  ]);
  assert.deepEqual(authenticationFor(g, 'siteb\\john'), { kind: 'aaa', tag: 'TAC' });
  assert.deepEqual(authenticationFor(g, 'LAB\\john'), { kind: 'local' });
  assert.deepEqual(authenticationFor(g, 'OTHER\\john'), { kind: 'aaa', tag: 'RAD' });
  assert.deepEqual(authenticationFor(g, 'john'), { kind: 'aaa', tag: 'RAD' });
  assert.equal(g.stripDomain, true);
  assert.deepEqual([g.accountingTag, g.accountingInterimSeconds], ['RAD', 300]);
  assert.deepEqual([g.pptpEcho, g.pptpWindow, g.pptpTransmitWindowEnforce], [30, 128, true]);
  assert.deepEqual(config.users, [
    { name: 'DOMAIN\\cisco', password: 'a' },
    { name: 'cisco', password: 'b' },
  ]);
  assert.deepEqual(
    [config.maxSessions, config.tunInterface, config.forwarding, config.lockout, config.idleTimeoutSeconds],
    [500, 'tun7', true, { attempts: 5, windowSeconds: 60, durationSeconds: 300 }, 15],
  );
  assert.deepEqual(config.logging.hosts, [
    { interface: 'inside', address: '10.1.1.5', port: 5514 },
    { interface: 'inside', address: '10.1.1.6', port: 514 },
  ]);
});

test('defaults when no line says otherwise', () => {
  const { config, errors } = parseConfig(
    ['nameif ethernet1 inside security100', 'ip address inside 10.1.1.1 255.255.255.0', 'ip local pool p 192.168.1.1-192.168.1.9',
      'vpdn group g accept dialin pptp', 'vpdn group g ppp authentication chap', 'vpdn group g client configuration address local p'].join('\n'),
  );
  assert.deepEqual(errors, []);
  const g = config.groups[0];
  assert.equal(groupServerAddress(config, g), '10.1.1.1');
  assert.deepEqual(
    [g.encryption, g.authentication, g.stripDomain, g.accountingTag, g.pptpEcho, g.pptpWindow, g.pptpTransmitWindowEnforce, g.lcpEcho],
    [null, { kind: 'local' }, false, null, 60, 64, false, { intervalSeconds: 60, failures: 3 }],
  );
  assert.deepEqual(
    [config.hostname, config.maxSessions, config.tunInterface, config.forwarding, config.lockout, config.idleTimeoutSeconds, config.sysoptPermitPptp],
    ['vpdn', 10000, 'vpdn0', false, null, 10, false],
  );
});

test('`ppp encryption mppe ... stateful|stateless` sets the MPPE mode the server insists on; no keyword follows the client', () => {
  const base = ['nameif ethernet1 inside security100', 'ip address inside 10.1.1.1 255.255.255.0', 'ip local pool p 192.168.1.1-192.168.1.9',
    'vpdn group g accept dialin pptp', 'vpdn group g ppp authentication mschap', 'vpdn group g client configuration address local p'];
  const cases: [string, object][] = [
    ['vpdn group g ppp encryption mppe 128', { bits: 128, required: false, mode: 'client' }],
    ['vpdn group g ppp encryption mppe auto required stateful', { bits: 'auto', required: true, mode: 'stateful' }],
    ['vpdn group g ppp encryption mppe 40 STATELESS', { bits: 40, required: false, mode: 'stateless' }],
  ];
  for (const [line, want] of cases) {
    const { config, errors } = parseConfig([...base, line].join('\n'));
    assert.deepEqual(errors, [], line);
    assert.deepEqual(config.groups[0].encryption, want, line);
  }
  const { errors } = parseConfig([...base, 'vpdn group g ppp encryption mppe 128 stateful required'].join('\n'));
  assert.equal(errors.length, 1, 'required comes before the mode, as PIX prints it');
});

test('PIX global RADIUS ports apply to hosts without their own; `aaa-server radius-authport` alone means 1645', () => {
  const { config, errors } = parseConfig(
    ['nameif ethernet1 inside security100', 'aaa-server radius-authport', 'aaa-server radius-acctport 2000', 'aaa-server R protocol radius',
      'aaa-server R (inside) host 10.0.0.1 k', 'aaa-server R (inside) host 10.0.0.2 k auth-port 1812'].join('\n'),
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(
    config.aaaServers[0].hosts.map((h) => [h.authPort, h.acctPort]),
    [
      [1645, 2000],
      [1812, 2000],
    ],
  );
});

test('`no` forms of logging and sysopt turn things off; `lcp echo 0` is off', () => {
  const { config, errors } = parseConfig(
    ['logging on', 'logging console debugging', 'logging facility 17', 'no logging console', 'no logging on', 'no logging facility',
      'sysopt connection permit-pptp', 'no sysopt connection permit-pptp'].join('\n'),
  );
  assert.deepEqual(errors, []);
  assert.deepEqual([config.logging.on, config.logging.console, config.logging.facility, config.sysoptPermitPptp], [false, null, 20, false]);
});

// [line, message] for lines appended to BASE (line numbers from BASE.length + 1)
const BAD: [string, RegExp][] = [
  ['vpdn max-sessions 0', /session limit must be 1\.\.65535/],
  ['vpdn interface this-name-is-too-long', /not a valid Linux interface name/],
  ['vpdn lockout attempts 0 window 60 duration 60', /attempts must be 1\.\.1000/],
  ['vpdn idle-timeout 0', /idle timeout must be 1\.\.3600/],
  ['vpdn group 1 client accounting RAD interim 30', /interim interval must be 60\.\.86400/],
  ['vpdn group 1 client accounting LOCAL', /accounting needs a RADIUS or TACACS\+ server tag/],
  ['vpdn group 1 pptp window 0', /receive window must be 1\.\.65535/],
  ['vpdn group 1 ppp lcp echo 10 0', /failure count must be 1\.\.255/],
  ['aaa-server RAD (inside) host 10.1.1.12 k port 49', /port does not apply to radius servers/],
  ['aaa-server TAC (inside) host 10.1.1.12 auth-port 1', /auth-port does not apply to tacacs\+ servers/],
  ['aaa-server RAD (inside) host 10.1.1.12', /RADIUS server needs a shared secret/],
  ['aaa-server RAD (dmz) host 10.1.1.12 k', /unknown interface 'dmz'/],
  ['aaa-server RAD (inside) host 10.1.1.9 k auth-port 11812', /host 10\.1\.1\.9 is listed twice/],
  ['aaa-server TAC dynamic-authorization', /only RADIUS servers send Disconnect\/CoA/],
  ['aaa-server NONE deadtime 5', /aaa-server NONE: unknown tag/],
  ['aaa-server TAC protocol radius', /aaa-server TAC is already tacacs\+/],
  ['logging host inside 10.1.1.5 tcp/1470', /syslog over TCP is not supported/],
  ['logging host dmz 10.1.1.5', /logging host: unknown interface 'dmz'/],
  ['logging facility 3', /facility must be 16\.\.23/],
];

for (const [line, message] of BAD) {
  test(`extension error: ${line}`, () => {
    const { errors } = parseConfig([...BASE, line].join('\n'));
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].line, BASE.length + 1);
    assert.match(errors[0].message, message);
  });
}

test('two RADIUS daemons on one address with different ports are two failover hosts', () => {
  const r = parseConfig(
    [
      'nameif ethernet1 inside security100',
      'ip address inside 10.1.1.1 255.255.255.0',
      'aaa-server RAD protocol radius',
      'aaa-server RAD (inside) host 127.0.0.1 k timeout 2 auth-port 18121 acct-port 18131',
      'aaa-server RAD (inside) host 127.0.0.1 k timeout 2 auth-port 18122 acct-port 18132',
    ].join('\n'),
  );
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.config.aaaServers[0]!.hosts.map((h) => h.authPort),
    [18121, 18122],
  );
});

test('a Windows domain named NO is a value, not the start of a `no` command (found by the property test)', () => {
  const r = parseConfig(
    [
      'nameif ethernet1 inside security100',
      'ip address inside 10.1.1.1 255.255.255.0',
      'ip local pool p 192.168.0.1-192.168.0.9',
      'vpdn group 0 accept dialin pptp',
      'vpdn group 0 ppp authentication chap',
      'vpdn group 0 client configuration address local p',
      'vpdn group 0 client authentication local',
      'vpdn group 0 client authentication aaa LOCAL domain NO',
      'vpdn group 0 pptp echo 0',
    ].join('\n'),
  );
  assert.deepEqual(r.errors, []);
  assert.equal(r.config.groups[0]!.domainAuthentication[0]!.domain, 'NO');
  assert.equal(r.config.groups[0]!.pptpEcho, 0);
});
