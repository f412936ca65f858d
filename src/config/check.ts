/**
 * Checks that need the whole file: AAA hosts against their tag's protocol, references from
 * groups to pools and tags, pool overlaps, interfaces named by other commands.
 */
import { u32 } from './addresses.js';
import { LOCAL_TAG, type Draft } from './draft.js';
import type { VpdnConfig } from './model.js';
import { groupServerAddress } from './resolve.js';

export function checkDraft(d: Draft): void {
  const { config, src } = d;
  const error = (line: number, message: string): void => {
    d.errors.push({ line, message });
  };
  const knownInterface = (name: string): boolean => config.interfaces.some((i) => i.name === name);
  const server = (tag: string) => config.aaaServers.find((s) => s.tag === tag);

  // AAA hosts, in file order, once their tag's protocol is known.
  for (const p of src.hosts) {
    const s = server(p.tag);
    if (s === undefined) {
      if (!src.brokenTags.has(p.tag)) {
        error(p.line, `aaa-server ${p.tag} has hosts but no protocol: add 'aaa-server ${p.tag} protocol radius' (or tacacs+) first`);
      }
      continue;
    }
    const h = p.host;
    if (!knownInterface(h.interface)) {
      error(p.line, `aaa-server ${p.tag} host ${h.address}: unknown interface '${h.interface}'`);
      continue;
    }
    const wrong = s.protocol === 'radius' ? p.tacacsOnly : p.radiusOnly;
    if (wrong.length > 0) {
      error(p.line, `aaa-server ${p.tag} host ${h.address}: ${wrong.join(', ')} does not apply to ${s.protocol} servers`);
      continue;
    }
    if (s.protocol === 'radius' && h.key === null) {
      error(p.line, `aaa-server ${p.tag} host ${h.address}: a RADIUS server needs a shared secret (RFC 2865 §3): add the key after the address`);
      continue;
    }
    if (s.protocol === 'radius') {
      if (!p.explicitAuthPort) h.authPort = src.radiusAuthPort;
      if (!p.explicitAcctPort) h.acctPort = src.radiusAcctPort;
    }
    // Two daemons on one address are two servers when their ports differ.
    if (s.hosts.some((x) => x.address === h.address && x.authPort === h.authPort && x.port === h.port)) {
      error(p.line, `aaa-server ${p.tag}: host ${h.address} is listed twice`);
      continue;
    }
    s.hosts.push(h);
  }
  for (const t of src.tagSettings) {
    if (server(t.tag) === undefined) {
      if (!src.brokenTags.has(t.tag)) error(t.line, `aaa-server ${t.tag}: unknown tag (no 'aaa-server ${t.tag} protocol ...' line)`);
      continue;
    }
    const problem = t.apply(config);
    if (problem !== undefined) error(t.line, problem);
  }

  const tagProblem = (tag: string): string | undefined =>
    tag === LOCAL_TAG || server(tag) !== undefined || src.brokenTags.has(tag)
      ? undefined
      : `unknown aaa-server tag '${tag}' (no 'aaa-server ${tag} protocol radius|tacacs+' line)`;

  for (const g of config.groups) {
    const first = src.groups.get(g.name)!;
    const lines = src.groupLines.get(g.name)!;
    const name = `vpdn group ${g.name}`;
    if (!g.acceptDialinPptp) {
      error(first, `${name} is configured but never accepts calls: add '${name} accept dialin pptp'`);
      continue;
    }
    if (g.authTypes.length === 0) error(first, `${name} has no 'ppp authentication' line: add pap, chap or mschap`);
    if (g.encryption !== null && !g.authTypes.some((t) => t === 'mschap-v1' || t === 'mschap-v2')) {
      error(lines.mppe!, `${name} ppp encryption mppe needs MS-CHAP (MPPE keys come from it, RFC 3079): add '${name} ppp authentication mschap'`);
    }
    if (g.pool === null) error(first, `${name} accepts dialin pptp but has no pool: add '${name} client configuration address local POOL'`);
    else if (!config.pools.some((p) => p.name === g.pool)) error(lines.pool!, `${name}: unknown pool '${g.pool}' (no 'ip local pool ${g.pool}' line)`);
    if (g.authentication.kind === 'aaa') {
      const problem = tagProblem(g.authentication.tag);
      if (problem !== undefined) error(lines.auth!, `${name} client authentication: ${problem}`);
    }
    for (const da of g.domainAuthentication) {
      const problem = da.authentication.kind === 'aaa' ? tagProblem(da.authentication.tag) : undefined;
      if (problem !== undefined) error(src.domainLines.get(g.name)!.get(da.domain.toLowerCase())!, `${name} client authentication domain ${da.domain}: ${problem}`);
    }
    if (g.accountingTag !== null) {
      const problem = tagProblem(g.accountingTag);
      if (problem !== undefined) error(lines.accounting!, `${name} client accounting: ${problem}`);
    }
    checkServerAddress(config, g.name, lines.serverAddress ?? first, error);
  }

  for (const name of config.vpdnEnable) {
    const line = src.vpdnEnable.get(name)!;
    const iface = config.interfaces.find((i) => i.name === name);
    if (iface === undefined) error(line, `vpdn enable ${name}: unknown interface '${name}' (no nameif line names it)`);
    else if (iface.address === null) error(line, `vpdn enable ${name}: interface ${name} has no 'ip address' to listen on`);
  }

  const pools = config.pools;
  for (let j = 0; j < pools.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = pools[i];
      const b = pools[j];
      if (u32(a.first) <= u32(b.last) && u32(b.first) <= u32(a.last)) {
        error(src.pools.get(b.name)!, `ip local pool ${b.name} ${b.first}-${b.last} overlaps pool ${a.name} ${a.first}-${a.last} (line ${src.pools.get(a.name)})`);
      }
    }
  }

  for (const h of src.loggingHosts) {
    if (!knownInterface(h.interface)) error(h.line, `logging host: unknown interface '${h.interface}'`);
  }
}

/** SPEC §7: the server's own IPCP address exists and is never a pool address. */
function checkServerAddress(config: VpdnConfig, group: string, line: number, error: (line: number, message: string) => void): void {
  const g = config.groups.find((x) => x.name === group)!;
  const address = groupServerAddress(config, g);
  const source = g.serverAddress !== null ? 'server-address' : "the inside interface's address (the default server address)";
  if (address === null) {
    error(
      line,
      `vpdn group ${group} has no server address for IPCP: give the inside interface an address or add 'vpdn group ${group} client configuration server-address A.B.C.D'`,
    );
    return;
  }
  const pool = config.pools.find((p) => u32(p.first) <= u32(address) && u32(address) <= u32(p.last));
  if (pool !== undefined) {
    error(line, `vpdn group ${group}: ${source} ${address} is inside pool ${pool.name}; it must not be a pool address`);
  }
}
