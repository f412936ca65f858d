/**
 * Picks the AAA back end for a login: the group's `client authentication local|aaa TAG`, or a
 * per-domain tag (extension `client authentication aaa TAG domain NAME`, SPEC §5.7), and the
 * group's accounting tag. One client object per tag, shared by every group that names it.
 */
import type { Accounting, Authenticator } from '../aaa/authenticator.js';
import { LocalAuthenticator } from '../aaa/local.js';
import { RadiusAccounting, RadiusAuthenticator } from '../aaa/radius/index.js';
import { TacacsAccounting, TacacsAuthenticator } from '../aaa/tacacs/index.js';
import type { RadiusOptions } from '../aaa/radius/options.js';
import type { TacacsOptions } from '../aaa/tacacs/options.js';
import type { AaaServerConfig, GroupAuthentication, VpdnConfig, VpdnGroupConfig } from '../config/model.js';

export interface AaaChoice {
  authenticator: Authenticator;
  /** 'LOCAL' or the tag, for logs. */
  label: string;
  /** The tag's protocol, or 'local'. */
  protocol: 'local' | 'radius' | 'tacacs+';
}

export function radiusOptions(server: AaaServerConfig, nasIpAddress: string, interimSeconds?: number): RadiusOptions {
  return {
    hosts: server.hosts.map((h) => ({
      address: h.address,
      authPort: h.authPort,
      acctPort: h.acctPort,
      secret: h.key ?? '',
      timeoutMs: h.timeoutSeconds * 1000,
      retries: h.retries,
      requireMessageAuthenticator: h.requireMessageAuthenticator,
    })),
    nasIpAddress,
    deadTimeMs: server.deadtimeMinutes * 60_000,
    interimIntervalSec: interimSeconds,
  };
}

export function tacacsOptions(server: AaaServerConfig): TacacsOptions {
  return {
    hosts: server.hosts.map((h) => ({ address: h.address, port: h.port, key: h.key ?? '', timeoutMs: h.timeoutSeconds * 1000 })),
    singleConnection: true,
  };
}

export class AaaRouter {
  private readonly byTag = new Map<string, AaaChoice>();
  private readonly local = new Map<string, LocalAuthenticator>();
  private readonly accounting = new Map<string, Accounting>();

  constructor(
    private readonly config: VpdnConfig,
    private readonly nasIpAddress: string,
  ) {}

  private server(tag: string): AaaServerConfig {
    const s = this.config.aaaServers.find((a) => a.tag === tag);
    // The parser refuses unknown tags, so this is a programming error, not an operator's.
    if (!s) throw new Error(`aaa-server ${tag} is not configured`);
    return s;
  }

  private tagChoice(tag: string): AaaChoice {
    let c = this.byTag.get(tag);
    if (!c) {
      const s = this.server(tag);
      const authenticator =
        s.protocol === 'radius' ? new RadiusAuthenticator(radiusOptions(s, this.nasIpAddress)) : new TacacsAuthenticator(tacacsOptions(s));
      c = { authenticator, label: tag, protocol: s.protocol };
      this.byTag.set(tag, c);
    }
    return c;
  }

  /** The back end for this user in this group. */
  choose(group: VpdnGroupConfig, username: string): AaaChoice {
    let auth: GroupAuthentication = group.authentication;
    const slash = username.indexOf('\\');
    if (slash > 0 && group.domainAuthentication.length > 0) {
      const domain = username.slice(0, slash).toLowerCase();
      const d = group.domainAuthentication.find((x) => x.domain.toLowerCase() === domain);
      if (d) auth = d.authentication;
    }
    if (auth.kind === 'aaa') return this.tagChoice(auth.tag);
    let l = this.local.get(group.name);
    if (!l) {
      l = new LocalAuthenticator(
        this.config.users.map((u) => ({ username: u.name, password: u.password })),
        { stripDomain: group.stripDomain },
      );
      this.local.set(group.name, l);
    }
    return { authenticator: l, label: 'LOCAL', protocol: 'local' };
  }

  /** The group's accounting back end (`client accounting TAG`), or null. */
  accountingFor(group: VpdnGroupConfig): Accounting | null {
    const tag = group.accountingTag;
    if (!tag) return null;
    let a = this.accounting.get(tag);
    if (!a) {
      const s = this.server(tag);
      a =
        s.protocol === 'radius'
          ? new RadiusAccounting(radiusOptions(s, this.nasIpAddress, group.accountingInterimSeconds ?? undefined))
          : new TacacsAccounting(tacacsOptions(s));
      this.accounting.set(tag, a);
    }
    return a;
  }

  /** Every accounting back end of the configuration (for Accounting-On/-Off). */
  allAccounting(): Accounting[] {
    for (const g of this.config.groups) this.accountingFor(g);
    return [...this.accounting.values()];
  }

  async close(): Promise<void> {
    for (const c of this.byTag.values()) await c.authenticator.close?.();
    for (const a of this.accounting.values()) await a.close?.();
  }
}
