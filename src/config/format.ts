/**
 * formatConfig: the vpdn-related part of a model as canonical PIX text, one command per line,
 * such that parseConfig(formatConfig(m)).config equals m. Secrets are written: this is a config.
 */
import { DEFAULTS } from './defaults.js';
import { levelName } from './levels.js';
import type { AaaServerConfig, GroupAuthentication, VpdnConfig, VpdnGroupConfig } from './model.js';

export function formatConfig(c: VpdnConfig): string {
  const out: string[] = [`hostname ${c.hostname}`];
  for (const i of c.interfaces) out.push(`nameif ${i.hardwareId} ${i.name} security${i.securityLevel}`);
  for (const i of c.interfaces) if (i.address !== null) out.push(`ip address ${i.name} ${i.address} ${i.mask}`);
  for (const p of c.pools) out.push(`ip local pool ${p.name} ${p.first}-${p.last}`);
  for (const s of c.aaaServers) out.push(...aaaServer(s));
  for (const g of c.groups) out.push(...group(g));
  for (const u of c.users) out.push(`vpdn username ${u.name} password ${u.password}`);
  for (const name of c.vpdnEnable) out.push(`vpdn enable ${name}`);
  if (c.maxSessions !== DEFAULTS.maxSessions) out.push(`vpdn max-sessions ${c.maxSessions}`);
  if (c.tunInterface !== DEFAULTS.tunInterface) out.push(`vpdn interface ${c.tunInterface}`);
  if (c.forwarding) out.push('vpdn forwarding enable');
  if (c.lockout !== null) {
    const l = c.lockout;
    out.push(`vpdn lockout attempts ${l.attempts} window ${l.windowSeconds} duration ${l.durationSeconds}`);
  }
  if (c.idleTimeoutSeconds !== DEFAULTS.idleTimeoutSeconds) out.push(`vpdn idle-timeout ${c.idleTimeoutSeconds}`);
  const log = c.logging;
  if (log.on) out.push('logging on');
  if (log.timestamp) out.push('logging timestamp');
  if (log.console !== null) out.push(`logging console ${levelName(log.console)}`);
  if (log.buffered !== null) out.push(`logging buffered ${levelName(log.buffered)}`);
  if (log.trap !== null) out.push(`logging trap ${levelName(log.trap)}`);
  if (log.facility !== DEFAULTS.loggingFacility) out.push(`logging facility ${log.facility}`);
  for (const h of log.hosts) out.push(`logging host ${h.interface} ${h.address}${h.port === DEFAULTS.syslogPort ? '' : ` udp/${h.port}`}`);
  if (c.sysoptPermitPptp) out.push('sysopt connection permit-pptp');
  return out.join('\n') + '\n';
}

function aaaServer(s: AaaServerConfig): string[] {
  const out = [`aaa-server ${s.tag} protocol ${s.protocol}`];
  if (s.maxFailedAttempts !== DEFAULTS.maxFailedAttempts) out.push(`aaa-server ${s.tag} max-failed-attempts ${s.maxFailedAttempts}`);
  if (s.deadtimeMinutes !== DEFAULTS.deadtimeMinutes) out.push(`aaa-server ${s.tag} deadtime ${s.deadtimeMinutes}`);
  for (const h of s.hosts) {
    let line = `aaa-server ${s.tag} (${h.interface}) host ${h.address}${h.key === null ? '' : ` ${h.key}`} timeout ${h.timeoutSeconds}`;
    if (h.retries !== DEFAULTS.aaaRetries) line += ` retries ${h.retries}`;
    if (s.protocol === 'radius') {
      if (h.authPort !== DEFAULTS.radiusAuthPort) line += ` auth-port ${h.authPort}`;
      if (h.acctPort !== DEFAULTS.radiusAcctPort) line += ` acct-port ${h.acctPort}`;
      if (!h.requireMessageAuthenticator) line += ' no-message-authenticator';
    } else if (h.port !== DEFAULTS.tacacsPort) {
      line += ` port ${h.port}`;
    }
    out.push(line);
  }
  if (s.dynamicAuthorizationPort !== null) out.push(`aaa-server ${s.tag} dynamic-authorization port ${s.dynamicAuthorizationPort}`);
  return out;
}

function authTag(a: GroupAuthentication): string {
  return a.kind === 'local' ? 'LOCAL' : a.tag;
}

function group(g: VpdnGroupConfig): string[] {
  const p = `vpdn group ${g.name}`;
  const out: string[] = [];
  if (g.acceptDialinPptp) out.push(`${p} accept dialin pptp`);
  const types = new Set(g.authTypes);
  if (types.has('mschap-v1') && types.has('mschap-v2')) out.push(`${p} ppp authentication mschap`);
  else if (types.has('mschap-v2')) out.push(`${p} ppp authentication ms-chap-v2`);
  else if (types.has('mschap-v1')) out.push(`${p} ppp authentication ms-chap-v1`);
  if (types.has('chap-md5')) out.push(`${p} ppp authentication chap`);
  if (types.has('pap')) out.push(`${p} ppp authentication pap`);
  if (g.encryption !== null) out.push(`${p} ppp encryption mppe ${g.encryption.bits}${g.encryption.required ? ' required' : ''}${g.encryption.mode === 'client' ? '' : ` ${g.encryption.mode}`}`);
  if (g.lcpEcho.intervalSeconds !== DEFAULTS.lcpEchoInterval || g.lcpEcho.failures !== DEFAULTS.lcpEchoFailures) {
    out.push(`${p} ppp lcp echo ${g.lcpEcho.intervalSeconds} ${g.lcpEcho.failures}`);
  }
  if (g.pool !== null) out.push(`${p} client configuration address local ${g.pool}`);
  if (g.serverAddress !== null) out.push(`${p} client configuration server-address ${g.serverAddress}`);
  if (g.dns.length > 0) out.push(`${p} client configuration dns ${g.dns.join(' ')}`);
  if (g.wins.length > 0) out.push(`${p} client configuration wins ${g.wins.join(' ')}`);
  out.push(g.authentication.kind === 'local' ? `${p} client authentication local` : `${p} client authentication aaa ${g.authentication.tag}`);
  for (const d of g.domainAuthentication) out.push(`${p} client authentication aaa ${authTag(d.authentication)} domain ${d.domain}`);
  if (g.stripDomain) out.push(`${p} client authentication strip-domain`);
  if (g.accountingTag !== null) {
    out.push(`${p} client accounting ${g.accountingTag}${g.accountingInterimSeconds === null ? '' : ` interim ${g.accountingInterimSeconds}`}`);
  }
  out.push(`${p} pptp echo ${g.pptpEcho}`);
  if (g.pptpWindow !== DEFAULTS.pptpWindow) out.push(`${p} pptp window ${g.pptpWindow}`);
  if (g.pptpTransmitWindowEnforce) out.push(`${p} pptp transmit-window enforce`);
  return out;
}
