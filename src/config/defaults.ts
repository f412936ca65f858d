/** Default values of the configuration model (what applies when no line says otherwise). */
import type { AaaHostConfig, VpdnConfig, VpdnGroupConfig } from './model.js';

export const DEFAULTS = {
  hostname: 'vpdn',
  maxSessions: 10000,
  tunInterface: 'vpdn0',
  idleTimeoutSeconds: 10,
  pptpEcho: 60,
  pptpWindow: 64,
  lcpEchoInterval: 60,
  lcpEchoFailures: 3,
  aaaTimeoutSeconds: 5,
  aaaRetries: 3,
  /** RFC 2865 §3 / RFC 2866 §3 ports; PIX 6.x used 1645/1646 (`aaa-server radius-authport 1645`). */
  radiusAuthPort: 1812,
  radiusAcctPort: 1813,
  /** RFC 8907 §4.1. */
  tacacsPort: 49,
  /** RFC 5176 §3.1. */
  dynamicAuthorizationPort: 3799,
  maxFailedAttempts: 3,
  deadtimeMinutes: 10,
  loggingFacility: 20,
  syslogPort: 514,
  /** PIX sends syslog from `logging host` without an interface via `inside`. */
  loggingHostInterface: 'inside',
} as const;

export function emptyConfig(): VpdnConfig {
  return {
    hostname: DEFAULTS.hostname,
    interfaces: [],
    vpdnEnable: [],
    pools: [],
    groups: [],
    users: [],
    aaaServers: [],
    logging: { on: false, timestamp: false, console: null, buffered: null, trap: null, facility: DEFAULTS.loggingFacility, hosts: [] },
    sysoptPermitPptp: false,
    maxSessions: DEFAULTS.maxSessions,
    tunInterface: DEFAULTS.tunInterface,
    forwarding: false,
    lockout: null,
    idleTimeoutSeconds: DEFAULTS.idleTimeoutSeconds,
  };
}

export function emptyGroup(name: string): VpdnGroupConfig {
  return {
    name,
    acceptDialinPptp: false,
    authTypes: [],
    encryption: null,
    pool: null,
    serverAddress: null,
    dns: [],
    wins: [],
    authentication: { kind: 'local' },
    domainAuthentication: [],
    stripDomain: false,
    accountingTag: null,
    accountingInterimSeconds: null,
    pptpEcho: DEFAULTS.pptpEcho,
    pptpWindow: DEFAULTS.pptpWindow,
    pptpTransmitWindowEnforce: false,
    lcpEcho: { intervalSeconds: DEFAULTS.lcpEchoInterval, failures: DEFAULTS.lcpEchoFailures },
  };
}

export function defaultHost(iface: string, address: string): AaaHostConfig {
  return {
    interface: iface,
    address,
    key: null,
    timeoutSeconds: DEFAULTS.aaaTimeoutSeconds,
    retries: DEFAULTS.aaaRetries,
    authPort: DEFAULTS.radiusAuthPort,
    acctPort: DEFAULTS.radiusAcctPort,
    port: DEFAULTS.tacacsPort,
    requireMessageAuthenticator: true,
  };
}
