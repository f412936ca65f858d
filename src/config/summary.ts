/** summarizeConfig: what an operator wants to see after `vpdn check-config`. Never prints secrets. */
import { prefixLength } from './addresses.js';
import { levelName } from './levels.js';
import type { GroupAuthentication, IgnoredCommand, VpdnConfig } from './model.js';
import { groupServerAddress } from './resolve.js';

const AUTH_WORDS: Record<string, string> = { 'mschap-v2': 'MS-CHAP v2', 'mschap-v1': 'MS-CHAP v1', 'chap-md5': 'CHAP', pap: 'PAP' };

function auth(a: GroupAuthentication): string {
  return a.kind === 'local' ? 'local users' : `aaa-server ${a.tag}`;
}

export function summarizeConfig(c: VpdnConfig): string {
  const out: string[] = [`hostname ${c.hostname}`];
  for (const i of c.interfaces) {
    const addr = i.address === null ? 'no address' : `${i.address}/${prefixLength(i.mask!)}`;
    out.push(`interface ${i.name} (${i.hardwareId}, security${i.securityLevel}): ${addr}`);
  }
  const listen = c.vpdnEnable.map((n) => {
    const a = c.interfaces.find((i) => i.name === n)?.address;
    return `${n} ${a === '0.0.0.0' ? '(all addresses)' : (a ?? '?')}`;
  });
  out.push(`vpdn enable: ${listen.length > 0 ? listen.join(', ') : 'none (PPTP is not listening)'}`);
  for (const p of c.pools) out.push(`pool ${p.name}: ${p.first}-${p.last} (${p.size} address${p.size === 1 ? '' : 'es'})`);
  for (const g of c.groups) {
    const enc = g.encryption === null ? 'none' : `mppe ${g.encryption.bits}${g.encryption.bits === 'auto' ? '' : ' bit'}${g.encryption.required ? ' required' : ''}${g.encryption.mode === 'client' ? '' : `, ${g.encryption.mode} only`}`;
    out.push(`vpdn group ${g.name}: ${g.acceptDialinPptp ? 'accepts' : 'does not accept'} dialin pptp`);
    out.push(`  authentication types: ${g.authTypes.map((t) => AUTH_WORDS[t]).join(', ') || 'none'}`);
    out.push(`  encryption: ${enc}`);
    out.push(`  pool: ${g.pool ?? 'none'}; server address ${groupServerAddress(c, g) ?? 'none'}`);
    if (g.dns.length > 0 || g.wins.length > 0) out.push(`  dns: ${g.dns.join(' ') || '-'}; wins: ${g.wins.join(' ') || '-'}`);
    const domains = g.domainAuthentication.map((d) => `; domain ${d.domain} → ${auth(d.authentication)}`).join('');
    out.push(`  authentication: ${auth(g.authentication)}${domains}${g.stripDomain ? '; strip-domain' : ''}`);
    if (g.accountingTag !== null) {
      out.push(`  accounting: aaa-server ${g.accountingTag}${g.accountingInterimSeconds === null ? '' : `, interim every ${g.accountingInterimSeconds} s`}`);
    }
    const lcp = g.lcpEcho.intervalSeconds === 0 ? 'off' : `${g.lcpEcho.intervalSeconds} s x ${g.lcpEcho.failures}`;
    out.push(`  pptp echo ${g.pptpEcho} s, window ${g.pptpWindow}${g.pptpTransmitWindowEnforce ? ' (peer window enforced)' : ''}; lcp echo ${lcp}`);
  }
  out.push(`local users: ${c.users.length}`);
  for (const s of c.aaaServers) {
    const hosts = s.hosts.map((h) => `${h.address} (${h.interface}) timeout ${h.timeoutSeconds} s`);
    const coa = s.dynamicAuthorizationPort === null ? '' : `; dynamic-authorization on port ${s.dynamicAuthorizationPort}`;
    out.push(`aaa-server ${s.tag} ${s.protocol}: ${hosts.length > 0 ? hosts.join(', ') : 'no hosts'}${coa}`);
  }
  const log = c.logging;
  const dests = [
    log.console !== null ? `console ${levelName(log.console)}` : '',
    log.buffered !== null ? `buffered ${levelName(log.buffered)}` : '',
    log.trap !== null ? `trap ${levelName(log.trap)}` : '',
    ...log.hosts.map((h) => `host ${h.address} udp/${h.port}`),
  ].filter(Boolean);
  out.push(`logging: ${log.on ? 'on' : 'off'}${log.timestamp ? ', timestamp' : ''}${dests.length > 0 ? `; ${dests.join(', ')}` : ''}`);
  out.push(`max sessions ${c.maxSessions}; tun ${c.tunInterface}; forwarding ${c.forwarding ? 'on' : 'off'}; idle-timeout ${c.idleTimeoutSeconds} s`);
  if (c.lockout !== null) {
    out.push(`lockout: ${c.lockout.attempts} failures in ${c.lockout.windowSeconds} s locks for ${c.lockout.durationSeconds} s`);
  }
  if (c.sysoptPermitPptp) out.push('sysopt connection permit-pptp');
  return out.join('\n') + '\n';
}

/** "N commands ignored: fixup, nat, ..." (each name once, in file order). */
export function summarizeIgnored(ignored: IgnoredCommand[]): string {
  if (ignored.length === 0) return 'no commands ignored';
  const names = [...new Set(ignored.map((i) => i.command))];
  return `${ignored.length} command${ignored.length === 1 ? '' : 's'} ignored: ${names.join(', ')}`;
}
