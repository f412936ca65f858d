/**
 * Fuzz target for the PIX configuration parser (SPEC §2): any text gives a model, errors with line
 * numbers and ignored commands, never an exception; a configuration that checks clean prints to
 * canonical text that parses back to the same model.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatConfig, parseConfig } from '../../../src/config/index.js';
import { fixture, repoRoot } from '../../helpers/paths.js';
import type { FuzzTarget } from '../harness.js';

/** Extension commands the seed configurations do not show. */
const EXTENSIONS = `hostname vpn
nameif ethernet0 outside security0
nameif ethernet1 inside security100
ip address outside 172.18.124.152 255.255.255.0
ip address inside 10.1.1.1 255.255.255.0
ip local pool p 192.168.1.1-192.168.1.2
aaa-server R protocol radius
aaa-server R (inside) host 10.1.1.5 secret timeout 5 retries 2
aaa-server R dynamic-authorization port 3799
aaa-server T protocol tacacs+
aaa-server T (inside) host 10.1.1.6 key timeout 3
vpdn group 1 accept dialin pptp
vpdn group 1 ppp authentication mschap
vpdn group 1 ppp authentication ms-chap-v2
vpdn group 1 ppp encryption mppe auto required
vpdn group 1 client configuration address local p
vpdn group 1 client configuration dns 10.1.1.53 10.1.1.54
vpdn group 1 client configuration wins 10.1.1.55
vpdn group 1 client authentication aaa R
vpdn group 1 client authentication aaa T domain CORP
vpdn group 1 client authentication strip-domain
vpdn group 1 client accounting R interim 60
vpdn group 1 pptp echo 5
vpdn group 1 ppp lcp echo 2 2
vpdn username DOMAIN\\cisco password cisco
vpdn enable outside
vpdn max-sessions 3
vpdn lockout attempts 3 window 60 duration 30
vpdn idle-timeout 3
logging on
logging console debugging
logging host inside 10.1.1.5 udp/5514
`;

function seeds(): Uint8Array[] {
  const dir = fixture('config');
  const files = readdirSync(dir).filter((f) => f.endsWith('.cfg'));
  const texts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
  texts.push(readFileSync(join(repoRoot, 'config', 'default.cfg'), 'utf8'), EXTENSIONS);
  return texts.map((t) => new Uint8Array(Buffer.from(t, 'utf8')));
}

const WORDS = ['vpdn ', 'group 1 ', 'ppp ', 'authentication ', 'encryption mppe ', 'aaa-server ', 'host ', 'ip local pool ', 'client ', 'configuration ', 'logging ', ' !', '\n', '\\', '"', ' 999999999999', ' -1', ' 255.255.255.255', '-'];

export const pixConfig: FuzzTarget = {
  name: 'pix-config',
  seeds,
  dictionary: WORDS.map((w) => new Uint8Array(Buffer.from(w))),
  maxInputBytes: 8192,
  run(input) {
    const text = Buffer.from(input).toString('utf8');
    const r = parseConfig(text);
    for (const e of r.errors) assert.ok(Number.isInteger(e.line) && e.line >= 1 && typeof e.message === 'string', `error ${JSON.stringify(e)}`);
    if (r.errors.length > 0) return `errors:${Math.min(r.errors.length, 3)}:${r.errors[0]!.message.replace(/[\d.]+|'[^']*'|"[^"]*"/g, '#').slice(0, 40)}`;
    const again = parseConfig(formatConfig(r.config));
    assert.deepEqual(again.errors, [], `canonical text does not parse back:\n${formatConfig(r.config)}`);
    assert.deepEqual(again.config, r.config);
    return `clean:${r.config.groups.length}:${r.ignored.length > 0}`;
  },
};
