/** `aaa-server` commands: server groups, their hosts and settings (SPEC §2, §4). */
import type { ActId } from './commands.js';
import { DEFAULTS, defaultHost } from './defaults.js';
import type { PendingHost, PendingTagSetting } from './draft.js';
import type { Line } from './line.js';

export type AaaId = Extract<ActId, `aaa-${string}`>;

export function aaaCommand(x: Line, id: AaaId): void {
  switch (id) {
    case 'aaa-protocol':
      return protocolLine(x);
    case 'aaa-host':
      return hostLine(x);
    case 'aaa-radius-authport':
    case 'aaa-radius-acctport': {
      // PIX 6.3: without a number these restore the old RADIUS ports 1645/1646.
      const auth = id === 'aaa-radius-authport';
      const n = x.has('port') ? x.int('port', 'the port', 1, 65535) : auth ? 1645 : 1646;
      if (n !== undefined && auth) x.src.radiusAuthPort = n;
      else if (n !== undefined) x.src.radiusAcctPort = n;
      return;
    }
    default:
      return tagSetting(x, id);
  }
}

function protocolLine(x: Line): void {
  const tag = x.one('tag');
  const protocol = x.one('protocol').toLowerCase();
  const alternatives = x.caps.alternative ?? [];
  if (alternatives.length > 0) {
    x.src.brokenTags.add(tag);
    const all = [x.one('protocol'), ...alternatives].join(' | ');
    return x.error(`aaa-server ${tag} protocol: choose one protocol, radius or tacacs+ (the line lists '${all}')`);
  }
  if (protocol === 'local') {
    x.d.ignored.push({ line: x.line, command: 'aaa-server protocol local', text: x.shown });
    return;
  }
  if (protocol !== 'radius' && protocol !== 'tacacs+') {
    x.src.brokenTags.add(tag);
    return x.error(`aaa-server ${tag} protocol: unknown protocol '${x.one('protocol')}'; use radius or tacacs+`);
  }
  const existing = x.config.aaaServers.find((s) => s.tag === tag);
  if (existing !== undefined) {
    if (existing.protocol !== protocol) {
      x.error(`aaa-server ${tag} is already ${existing.protocol} (line ${x.src.tags.get(tag)}); use another tag for ${protocol}`);
    }
    return;
  }
  x.config.aaaServers.push({
    tag,
    protocol,
    hosts: [],
    dynamicAuthorizationPort: null,
    maxFailedAttempts: DEFAULTS.maxFailedAttempts,
    deadtimeMinutes: DEFAULTS.deadtimeMinutes,
  });
  x.src.tags.set(tag, x.line);
}

function hostLine(x: Line): void {
  const tag = x.one('tag');
  const iface = x.one('interface').slice(1, -1);
  const address = x.address(x.one('address'), `aaa-server ${tag} host`);
  if (address === undefined) return;
  const host = defaultHost(iface, address);
  if (x.has('key')) host.key = x.one('key');
  const pending: PendingHost = { tag, line: x.line, host, explicitAuthPort: false, explicitAcctPort: false, tacacsOnly: [], radiusOnly: [] };
  const opt = (name: string, what: string, min: number, max: number): number | undefined =>
    x.has(name) ? x.int(name, what, min, max) : undefined;
  const timeout = opt('timeout', 'the timeout', 1, 300);
  const retries = opt('retries', 'retries', 0, 10);
  const authPort = opt('authport', 'auth-port', 1, 65535);
  const acctPort = opt('acctport', 'acct-port', 1, 65535);
  const port = opt('port', 'port', 1, 65535);
  if (timeout !== undefined) host.timeoutSeconds = timeout;
  if (retries !== undefined) host.retries = retries;
  if (authPort !== undefined) {
    host.authPort = authPort;
    pending.explicitAuthPort = true;
    pending.radiusOnly.push('auth-port');
  }
  if (acctPort !== undefined) {
    host.acctPort = acctPort;
    pending.explicitAcctPort = true;
    pending.radiusOnly.push('acct-port');
  }
  if (x.has('nomessageauthenticator')) {
    host.requireMessageAuthenticator = false;
    pending.radiusOnly.push('no-message-authenticator');
  }
  if (port !== undefined) {
    host.port = port;
    pending.tacacsOnly.push('port');
  }
  x.src.hosts.push(pending);
}

function tagSetting(x: Line, id: 'aaa-dynauth' | 'aaa-max-failed' | 'aaa-deadtime'): void {
  const tag = x.one('tag');
  let apply: PendingTagSetting['apply'];
  if (id === 'aaa-dynauth') {
    const port = x.has('port') ? x.int('port', 'the port', 1, 65535) : DEFAULTS.dynamicAuthorizationPort;
    if (port === undefined) return;
    apply = (c) => {
      const s = c.aaaServers.find((x) => x.tag === tag)!;
      if (s.protocol !== 'radius') return `aaa-server ${tag} dynamic-authorization: only RADIUS servers send Disconnect/CoA (RFC 5176)`;
      s.dynamicAuthorizationPort = port;
      return undefined;
    };
  } else if (id === 'aaa-max-failed') {
    const n = x.int('count', 'max-failed-attempts', 1, 100);
    if (n === undefined) return;
    apply = (c) => {
      c.aaaServers.find((x) => x.tag === tag)!.maxFailedAttempts = n;
      return undefined;
    };
  } else {
    const n = x.int('minutes', 'deadtime', 0, 1440);
    if (n === undefined) return;
    apply = (c) => {
      c.aaaServers.find((x) => x.tag === tag)!.deadtimeMinutes = n;
      return undefined;
    };
  }
  x.src.tagSettings.push({ tag, line: x.line, apply });
}
