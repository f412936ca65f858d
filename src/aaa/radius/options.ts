/** Plain options for the RADIUS client, and their defaults. */
import { ipv4ToU32 } from '../../wire/bytes.js';

export interface RadiusHostOptions {
  address: string;
  /** Default 1812 (RFC 2865 §3). PIX 6.x used 1645; set it when the server listens there. */
  authPort?: number;
  /** Default 1813 (RFC 2866 §3). PIX 6.x used 1646. */
  acctPort?: number;
  secret: string;
  /** Wait for one answer before retransmitting. */
  timeoutMs: number;
  /** Retransmissions after the first try, per host. Default 3 (four tries in all). */
  retries?: number;
  /** Drop replies without a valid Message-Authenticator (RFC 3579 §3.2). Default true. */
  requireMessageAuthenticator?: boolean;
}

export interface RadiusOptions {
  /** In failover order. */
  hosts: RadiusHostOptions[];
  nasIpAddress: string;
  nasIdentifier?: string;
  /** How long a host that timed out is skipped before a Status-Server probe. Default 60000; 0 = never skip. */
  deadTimeMs?: number;
  /** Interim-Update period for sessions started with a snapshot function. Default 0 (none). */
  interimIntervalSec?: number;
  /** Local address to send from (default: chosen by the kernel). */
  sourceAddress?: string;
  /** Most UDP sockets (256 identifiers each) open at once. Default 64. */
  maxSockets?: number;
}

export const DEFAULT_AUTH_PORT = 1812;
export const DEFAULT_ACCT_PORT = 1813;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_DEAD_TIME_MS = 60_000;
export const DEFAULT_MAX_SOCKETS = 64;

/** One host as the client uses it. */
export interface RadiusHost {
  address: string;
  port: number;
  secret: Buffer;
  timeoutMs: number;
  retries: number;
  requireMessageAuthenticator: boolean;
  /** "127.0.0.1:1812", for logs and reasons. */
  label: string;
}

export function resolveHosts(options: RadiusOptions, kind: 'auth' | 'acct'): RadiusHost[] {
  if (options.hosts.length === 0) throw new RangeError('RADIUS: no hosts configured');
  if (ipv4ToU32(options.nasIpAddress) === undefined) {
    throw new RangeError(`RADIUS: nasIpAddress ${options.nasIpAddress} is not an IPv4 address`);
  }
  return options.hosts.map((h) => {
    if (ipv4ToU32(h.address) === undefined) throw new RangeError(`RADIUS: host ${h.address} is not an IPv4 address`);
    const port = kind === 'auth' ? (h.authPort ?? DEFAULT_AUTH_PORT) : (h.acctPort ?? DEFAULT_ACCT_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`RADIUS: bad port ${port}`);
    if (!(h.timeoutMs > 0)) throw new RangeError(`RADIUS: timeoutMs must be positive for ${h.address}`);
    if (h.secret.length === 0) throw new RangeError(`RADIUS: empty secret for ${h.address}`);
    return {
      address: h.address,
      port,
      secret: Buffer.from(h.secret, 'utf8'),
      timeoutMs: h.timeoutMs,
      retries: Math.max(0, Math.floor(h.retries ?? DEFAULT_RETRIES)),
      requireMessageAuthenticator: h.requireMessageAuthenticator ?? true,
      label: `${h.address}:${port}`,
    };
  });
}
