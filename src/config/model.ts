/**
 * The typed configuration model: plain data produced by parseConfig() from a PIX-style file
 * (SPEC §2). Every field is already validated and defaulted; consumers never re-parse text.
 */
import type { AuthType } from '../aaa/authenticator.js';

export type { AuthType };

/** `nameif HARDWARE NAME securityN` plus the interface's `ip address NAME A.B.C.D MASK`. */
export interface InterfaceConfig {
  /** e.g. 'ethernet0'. */
  hardwareId: string;
  /** e.g. 'outside'. */
  name: string;
  /** 0..100 from `securityN`. */
  securityLevel: number;
  /** Dotted quad, or null when no `ip address` line names the interface. 0.0.0.0 = all addresses. */
  address: string | null;
  mask: string | null;
}

/** `ip local pool NAME FIRST-LAST`; clients get one address each (mask 255.255.255.255). */
export interface PoolConfig {
  name: string;
  first: string;
  last: string;
  /** Number of addresses, last - first + 1. */
  size: number;
}

/** `ppp encryption mppe 40|128|auto [required] [stateful|stateless]` (RFC 3078). */
export interface EncryptionConfig {
  bits: 40 | 128 | 'auto';
  required: boolean;
  /**
   * Extension: which MPPE mode (RFC 3078 §2, the H bit) the server insists on. 'client' (no
   * keyword, as PIX) follows each client's request; 'stateful' asks every client for stateful
   * mode (pppd agrees only with `mppe-stateful`); 'stateless' asks for stateless mode.
   */
  mode: 'client' | 'stateful' | 'stateless';
}

/** `client authentication local` | `client authentication aaa TAG` (`aaa LOCAL` = local). */
export type GroupAuthentication = { kind: 'local' } | { kind: 'aaa'; tag: string };

/**
 * Extension `client authentication aaa TAG domain NAME`: users `NAME\user` (NAME compared without
 * case) are checked by TAG; the PIX built-in tag LOCAL means the `vpdn username` list.
 */
export interface DomainAuthentication {
  domain: string;
  authentication: GroupAuthentication;
}

/** Everything `vpdn group NAME ...` sets. */
export interface VpdnGroupConfig {
  name: string;
  acceptDialinPptp: boolean;
  /** Offered strongest first (mschap-v2, mschap-v1, chap-md5, pap); `mschap` enables both v1 and v2. */
  authTypes: AuthType[];
  /** null = no `mppe` line: CCP is refused. */
  encryption: EncryptionConfig | null;
  /** `client configuration address local POOL`. */
  pool: string | null;
  /** Extension `client configuration server-address A`; null = the `inside` interface address. */
  serverAddress: string | null;
  /** `client configuration dns A [B]` (RFC 1877), at most 2. */
  dns: string[];
  /** `client configuration wins A [B]` (RFC 1877 NBNS), at most 2. */
  wins: string[];
  authentication: GroupAuthentication;
  /** Extension: per-domain AAA choice, in configuration order. */
  domainAuthentication: DomainAuthentication[];
  /** Extension `client authentication strip-domain`: `DOMAIN\user` also tries `user`. */
  stripDomain: boolean;
  /** `client accounting TAG`, or null. */
  accountingTag: string | null;
  /** Extension `client accounting TAG interim SECONDS`; null = no interim updates. */
  accountingInterimSeconds: number | null;
  /** `pptp echo SECONDS`: PPTP Echo-Request interval (RFC 2637 §2.8), 0 = off. Default 60. */
  pptpEcho: number;
  /** Extension `pptp window N`: our receive window (RFC 2637 §2.7 Packet Recv. Window Size). Default 64. */
  pptpWindow: number;
  /** Extension `pptp transmit-window enforce`: never have more unacknowledged packets out than the peer's window. */
  pptpTransmitWindowEnforce: boolean;
  /** Extension `ppp lcp echo SECONDS FAILURES` (RFC 1661 §5.8 keepalive). Default 60 and 3; interval 0 = off. */
  lcpEcho: { intervalSeconds: number; failures: number };
}

/** `vpdn username NAME password PASSWORD`; `DOMAIN\user` is a distinct name. */
export interface VpdnUser {
  name: string;
  password: string;
}

export type AaaProtocol = 'radius' | 'tacacs+';

/** `aaa-server TAG (IF) host A [KEY] [timeout N] ...`: one server, in failover order. */
export interface AaaHostConfig {
  /** Interface the server sits behind. */
  interface: string;
  address: string;
  /** Shared secret; null only for TACACS+ without a key (unencrypted, RFC 8907 §4.5). */
  key: string | null;
  /** Seconds per try; PIX default 5. */
  timeoutSeconds: number;
  /** Extension `retries N`: extra tries before the next host. Default 3. */
  retries: number;
  /** RADIUS Access-Request port (RFC 2865 §3). Default 1812, or `aaa-server radius-authport`. */
  authPort: number;
  /** RADIUS Accounting-Request port (RFC 2866 §3). Default 1813, or `aaa-server radius-acctport`. */
  acctPort: number;
  /** TACACS+ TCP port (RFC 8907 §4.1). Default 49. */
  port: number;
  /** RADIUS: require Message-Authenticator in responses (RFC 3579 §3.2); `no-message-authenticator` clears it. */
  requireMessageAuthenticator: boolean;
}

/** `aaa-server TAG protocol radius|tacacs+` and its hosts. */
export interface AaaServerConfig {
  tag: string;
  protocol: AaaProtocol;
  hosts: AaaHostConfig[];
  /** Extension `aaa-server TAG dynamic-authorization [port N]` (RFC 5176); null = off. */
  dynamicAuthorizationPort: number | null;
  /** `aaa-server TAG max-failed-attempts N`: failures before a host is marked dead. Default 3. */
  maxFailedAttempts: number;
  /** `aaa-server TAG deadtime MINUTES`: how long a dead host is skipped. Default 10. */
  deadtimeMinutes: number;
}

/** `logging host [IF] A [udp/PORT]`: syslog over UDP (RFC 5426). */
export interface LoggingHost {
  interface: string;
  address: string;
  port: number;
}

/** Syslog severities 0 (emergencies) .. 7 (debugging), RFC 5424 §6.2.1. null = that destination is off. */
export interface LoggingConfig {
  on: boolean;
  timestamp: boolean;
  console: number | null;
  buffered: number | null;
  trap: number | null;
  /** `logging facility N`, 16..23 (local0..local7); PIX default 20. */
  facility: number;
  hosts: LoggingHost[];
}

/** Extension `vpdn lockout attempts N window SECONDS duration SECONDS`. */
export interface LockoutConfig {
  attempts: number;
  windowSeconds: number;
  durationSeconds: number;
}

export interface VpdnConfig {
  hostname: string;
  interfaces: InterfaceConfig[];
  /** `vpdn enable IF`: interface names to listen on (TCP 1723 + GRE). */
  vpdnEnable: string[];
  pools: PoolConfig[];
  groups: VpdnGroupConfig[];
  users: VpdnUser[];
  aaaServers: AaaServerConfig[];
  logging: LoggingConfig;
  /** `sysopt connection permit-pptp`. */
  sysoptPermitPptp: boolean;
  /** Extension `vpdn max-sessions N`. Default 10000. */
  maxSessions: number;
  /** Extension `vpdn interface NAME`: the TUN device. Default 'vpdn0'. */
  tunInterface: string;
  /** Extension `vpdn forwarding enable`: turn on IPv4 forwarding. */
  forwarding: boolean;
  /** Extension `vpdn lockout ...`; null = no lockout. */
  lockout: LockoutConfig | null;
  /** Extension `vpdn idle-timeout SECONDS`: close a control connection that sends no SCCRQ. Default 10. */
  idleTimeoutSeconds: number;
}

/** A configuration error: the server refuses to start on any of these. */
export interface ConfigError {
  file?: string;
  /** Physical line where the command starts (1-based). */
  line: number;
  message: string;
}

/** A command vpdn keeps but does not act on (fixup, nat, ...). Secrets in `text` are masked. */
export interface IgnoredCommand {
  line: number;
  /** Short name for listings, e.g. 'fixup', 'no failover', 'logging standby'. */
  command: string;
  text: string;
}

export interface ParseResult {
  config: VpdnConfig;
  errors: ConfigError[];
  ignored: IgnoredCommand[];
}
