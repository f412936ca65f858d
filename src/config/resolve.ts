/** Small look-ups over a checked configuration, shared by the server and the CLI. */
import type { AaaServerConfig, GroupAuthentication, PoolConfig, VpdnConfig, VpdnGroupConfig } from './model.js';

/** The group's own IPCP address (RFC 1332 IP-Address of the server): server-address, else the inside interface's. */
export function groupServerAddress(config: VpdnConfig, group: VpdnGroupConfig): string | null {
  if (group.serverAddress !== null) return group.serverAddress;
  const inside = config.interfaces.find((i) => i.name === 'inside');
  return inside?.address != null && inside.address !== '0.0.0.0' ? inside.address : null;
}

export function groupPool(config: VpdnConfig, group: VpdnGroupConfig): PoolConfig | undefined {
  return config.pools.find((p) => p.name === group.pool);
}

export function aaaServer(config: VpdnConfig, tag: string): AaaServerConfig | undefined {
  return config.aaaServers.find((s) => s.tag === tag);
}

/** Which back end checks `username`: a `domain` line matching its `DOMAIN\` prefix, else the group's default. */
export function authenticationFor(group: VpdnGroupConfig, username: string): GroupAuthentication {
  const slash = username.indexOf('\\');
  if (slash > 0) {
    const domain = username.slice(0, slash).toLowerCase();
    const hit = group.domainAuthentication.find((d) => d.domain.toLowerCase() === domain);
    if (hit !== undefined) return hit.authentication;
  }
  return group.authentication;
}
