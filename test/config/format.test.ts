// formatConfig re-emits the vpdn part canonically: parse(format(m)) is m again, for random
// valid models (fast-check) and for the seed and default configurations.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { AuthType } from '../../src/aaa/authenticator.js';
import { DEFAULTS } from '../../src/config/defaults.js';
import { formatConfig } from '../../src/config/format.js';
import type { AaaServerConfig, GroupAuthentication, VpdnConfig, VpdnGroupConfig } from '../../src/config/model.js';
import { parseConfig } from '../../src/config/parse.js';
import { fixture, repoRoot } from '../helpers/paths.js';

const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.+\-/]{0,10}$/);
// Values of optional positions must not read as the options that may follow them.
const key = name.filter((k) => !['timeout', 'retries', 'auth-port', 'acct-port', 'port', 'no-message-authenticator'].includes(k.toLowerCase()));
const ifName = fc.stringMatching(/^if[a-z0-9]{1,6}$/);
const octet = fc.integer({ min: 0, max: 255 });
const addr = (a: number, b?: number) => fc.tuple(octet, octet).map(([x, y]) => `${a}.${b ?? x}.${b === undefined ? y : x}.${y}`);
const maskOf = (bits: number): string => {
  const n = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
};
const uniqueBy = <T>(arb: fc.Arbitrary<T>, k: (t: T) => string, max: number) => fc.uniqueArray(arb, { selector: k, maxLength: max });

const AUTH: AuthType[] = ['mschap-v2', 'mschap-v1', 'chap-md5', 'pap'];

const modelArb: fc.Arbitrary<VpdnConfig> = fc
  .record({
    hostname: name,
    extraIfs: uniqueBy(ifName, (s) => s, 2),
    ifAddrs: fc.array(fc.option(fc.tuple(addr(172), fc.integer({ min: 0, max: 32 }))), { minLength: 4, maxLength: 4 }),
    inside: fc.tuple(addr(10), fc.integer({ min: 8, max: 32 })),
    pools: uniqueBy(fc.tuple(name, fc.integer({ min: 0, max: 255 }), octet, octet), (p) => p[0], 4),
    servers: uniqueBy(
      fc.record({
        tag: name.filter((t) => t !== 'LOCAL' && !t.startsWith('radius-')),
        radius: fc.boolean(),
        hosts: uniqueBy(
          fc.record({
            ifIndex: fc.nat(),
            address: addr(10, 77),
            key: fc.option(key),
            timeout: fc.integer({ min: 1, max: 300 }),
            retries: fc.integer({ min: 0, max: 10 }),
            authPort: fc.integer({ min: 1, max: 65535 }),
            acctPort: fc.integer({ min: 1, max: 65535 }),
            port: fc.integer({ min: 1, max: 65535 }),
            requireMA: fc.boolean(),
          }),
          (h) => h.address,
          3,
        ),
        coa: fc.option(fc.integer({ min: 1, max: 65535 })),
        maxFailed: fc.integer({ min: 1, max: 100 }),
        deadtime: fc.integer({ min: 0, max: 1440 }),
      }),
      (s) => s.tag,
      3,
    ),
    groups: fc.uniqueArray(
      fc.record({
        name,
        auth: fc.subarray(AUTH, { minLength: 1 }),
        enc: fc.option(fc.record({ bits: fc.constantFrom<40 | 128 | 'auto'>(40, 128, 'auto'), required: fc.boolean(), mode: fc.constantFrom<'client' | 'stateful' | 'stateless'>('client', 'stateful', 'stateless') })),
        poolIndex: fc.nat(),
        serverAddress: fc.option(addr(10, 200)),
        dns: fc.array(addr(10, 53), { maxLength: 2 }),
        wins: fc.array(addr(10, 137), { maxLength: 2 }),
        authTag: fc.option(fc.nat()),
        domains: uniqueBy(fc.tuple(name, fc.option(fc.nat())), (d) => d[0].toLowerCase(), 3),
        strip: fc.boolean(),
        acct: fc.option(fc.tuple(fc.nat(), fc.option(fc.integer({ min: 60, max: 86400 })))),
        pptpEcho: fc.integer({ min: 0, max: 3600 }),
        window: fc.integer({ min: 1, max: 65535 }),
        enforce: fc.boolean(),
        lcp: fc.tuple(fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 1, max: 255 })),
      }),
      { selector: (g) => g.name, minLength: 1, maxLength: 3 },
    ),
    users: uniqueBy(fc.tuple(fc.oneof(name, fc.tuple(name, name).map(([d, u]) => `${d}\\${u}`)), name), (u) => u[0], 4),
    enableMask: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    logging: fc.record({
      on: fc.boolean(),
      timestamp: fc.boolean(),
      console: fc.option(fc.integer({ min: 0, max: 7 })),
      buffered: fc.option(fc.integer({ min: 0, max: 7 })),
      trap: fc.option(fc.integer({ min: 0, max: 7 })),
      facility: fc.integer({ min: 16, max: 23 }),
      hosts: fc.array(fc.tuple(fc.nat(), addr(10, 5), fc.integer({ min: 1, max: 65535 })), { maxLength: 2 }),
    }),
    sysopt: fc.boolean(),
    maxSessions: fc.integer({ min: 1, max: 65535 }),
    tun: fc.stringMatching(/^[A-Za-z0-9_.-]{1,15}$/),
    forwarding: fc.boolean(),
    lockout: fc.option(fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 86400 }), fc.integer({ min: 1, max: 86400 }))),
    idle: fc.integer({ min: 1, max: 3600 }),
  })
  .map((r): VpdnConfig => {
    const ifNames = ['outside', 'inside', ...r.extraIfs];
    const interfaces = ifNames.map((n, i) => {
      const a = n === 'inside' ? r.inside : r.ifAddrs[i];
      return { hardwareId: `ethernet${i}`, name: n, securityLevel: n === 'inside' ? 100 : i * 7, address: a?.[0] ?? null, mask: a ? maskOf(a[1]) : null };
    });
    // One pool per /24 of 192.168.0.0/16: never overlapping, never holding a 10.x server address.
    const seen = new Set<number>();
    const pools = r.pools
      .filter(([, block]) => !seen.has(block) && seen.add(block) !== undefined)
      .map(([n, block, a, b]) => ({ name: n, first: `192.168.${block}.${Math.min(a, b)}`, last: `192.168.${block}.${Math.max(a, b)}`, size: Math.abs(a - b) + 1 }));
    if (pools.length === 0) pools.push({ name: 'pool', first: '192.168.0.1', last: '192.168.0.9', size: 9 });
    const aaaServers: AaaServerConfig[] = r.servers.map((s) => ({
      tag: s.tag,
      protocol: s.radius ? 'radius' : 'tacacs+',
      hosts: s.hosts.map((h) => ({
        interface: ifNames[h.ifIndex % ifNames.length],
        address: h.address,
        key: s.radius ? (h.key ?? 'secret') : h.key,
        timeoutSeconds: h.timeout,
        retries: h.retries,
        authPort: s.radius ? h.authPort : DEFAULTS.radiusAuthPort,
        acctPort: s.radius ? h.acctPort : DEFAULTS.radiusAcctPort,
        port: s.radius ? DEFAULTS.tacacsPort : h.port,
        requireMessageAuthenticator: s.radius ? h.requireMA : true,
      })),
      dynamicAuthorizationPort: s.radius ? s.coa : null,
      maxFailedAttempts: s.maxFailed,
      deadtimeMinutes: s.deadtime,
    }));
    const tagAuth = (i: number | null): GroupAuthentication =>
      i === null || aaaServers.length === 0 ? { kind: 'local' } : { kind: 'aaa', tag: aaaServers[i % aaaServers.length].tag };
    const groups: VpdnGroupConfig[] = r.groups.map((g) => {
      const mschap = g.auth.some((t) => t.startsWith('mschap'));
      const acct = g.acct !== null && aaaServers.length > 0 ? g.acct : null;
      return {
        name: g.name,
        acceptDialinPptp: true,
        authTypes: AUTH.filter((t) => g.auth.includes(t)),
        encryption: mschap ? g.enc : null,
        pool: pools[g.poolIndex % pools.length].name,
        serverAddress: g.serverAddress,
        dns: g.dns,
        wins: g.wins,
        authentication: tagAuth(g.authTag),
        domainAuthentication: g.domains.map(([domain, t]) => ({ domain, authentication: tagAuth(t) })),
        stripDomain: g.strip,
        accountingTag: acct === null ? null : aaaServers[acct[0] % aaaServers.length].tag,
        accountingInterimSeconds: acct === null ? null : acct[1],
        pptpEcho: g.pptpEcho,
        pptpWindow: g.window,
        pptpTransmitWindowEnforce: g.enforce,
        lcpEcho: { intervalSeconds: g.lcp[0], failures: g.lcp[1] },
      };
    });
    return {
      hostname: r.hostname,
      interfaces,
      vpdnEnable: interfaces.filter((i, k) => i.address !== null && r.enableMask[k]).map((i) => i.name),
      pools,
      groups,
      users: r.users.map(([n, password]) => ({ name: n, password })),
      aaaServers,
      logging: {
        ...r.logging,
        hosts: r.logging.hosts.map(([i, address, port]) => ({ interface: ifNames[i % ifNames.length], address, port })),
      },
      sysoptPermitPptp: r.sysopt,
      maxSessions: r.maxSessions,
      tunInterface: r.tun,
      forwarding: r.forwarding,
      lockout: r.lockout === null ? null : { attempts: r.lockout[0], windowSeconds: r.lockout[1], durationSeconds: r.lockout[2] },
      idleTimeoutSeconds: r.idle,
    };
  });

test('property: parse(format(m)) gives m back with no errors, and formatting is stable', () => {
  fc.assert(
    fc.property(modelArb, (m) => {
      const text = formatConfig(m);
      const r = parseConfig(text);
      assert.deepEqual(r.errors, [], text);
      assert.deepEqual(r.ignored, [], text);
      assert.deepEqual(r.config, m, text);
      assert.equal(formatConfig(r.config), text);
    }),
    { numRuns: 150 },
  );
});

test('seed and default configurations: parse(format(parse(x))) has the same model', () => {
  const seed2 = readFileSync(fixture('config', 'seed2-folded.cfg'), 'utf8').replace(/radius \|\s+tacacs\+/, 'radius');
  const texts = [
    readFileSync(fixture('config', 'seed1-folded.cfg'), 'utf8'),
    readFileSync(fixture('config', 'seed1-unfolded.cfg'), 'utf8'),
    seed2,
    readFileSync(join(repoRoot, 'config', 'default.cfg'), 'utf8'),
  ];
  for (const t of texts) {
    const first = parseConfig(t);
    assert.deepEqual(first.errors, []);
    const again = parseConfig(formatConfig(first.config));
    assert.deepEqual(again.errors, []);
    assert.deepEqual(again.config, first.config);
  }
});

test('the canonical form of seed 1 (vpdn-related commands only, one per line)', () => {
  const { config } = parseConfig(readFileSync(fixture('config', 'seed1-folded.cfg'), 'utf8'));
  assert.equal(
    formatConfig(config),
    [
      'hostname PIX',
      'nameif ethernet0 outside security0',
      'nameif ethernet1 inside security100',
      'nameif ethernet2 pix/intf2 security10',
      'ip address outside 172.18.124.152 255.255.255.0',
      'ip address inside 10.1.1.1 255.255.255.0',
      'ip address pix/intf2 127.0.0.1 255.255.255.255',
      'ip local pool pptp-pool 192.168.1.1-192.168.1.50',
      'aaa-server TACACS+ protocol tacacs+',
      'aaa-server RADIUS protocol radius',
      'vpdn group 1 accept dialin pptp',
      'vpdn group 1 ppp authentication mschap',
      'vpdn group 1 ppp authentication chap',
      'vpdn group 1 ppp authentication pap',
      'vpdn group 1 client configuration address local pptp-pool',
      'vpdn group 1 client authentication local',
      'vpdn group 1 pptp echo 60',
      'vpdn username cisco password cisco',
      'vpdn enable outside',
      'logging on',
      'logging trap debugging',
      'sysopt connection permit-pptp',
      '',
    ].join('\n'),
  );
});
