/**
 * One request/reply exchange with failover: each host in order gets 1 + retries tries of
 * timeoutMs; a host that never answered is marked down for deadTimeMs, then probed with
 * Status-Server (RFC 5997) until it answers. When every host is down, all are tried anyway.
 */
import { sealAccessRequest } from '../../wire/radius-authenticator.js';
import { RadiusAttr, RadiusCode } from '../../wire/radius-codes.js';
import type { RadiusPacket } from '../../wire/radius-packet.js';
import { textAttribute } from '../../wire/radius-values.js';
import type { RadiusHost } from './options.js';
import { randomAuthenticator } from './random.js';
import { type Lease, type RadiusCounters, RadiusTransport } from './transport.js';

export interface BuiltRequest {
  bytes: Uint8Array;
  requestAuthenticator: Uint8Array;
}

export interface RadiusExchange {
  /** The datagram for this host, Identifier and try (0 = first). */
  build(host: RadiusHost, identifier: number, attempt: number): BuiltRequest;
  /**
   * false: retransmit the same datagram with the same Identifier (Access-Request, RFC 2865 §3).
   * true: rebuild with a new Identifier per try (Accounting-Request whose Acct-Delay-Time changed,
   * RFC 2866 §5.2).
   */
  rebuildPerTry: boolean;
  replyCodes: readonly number[];
  /** Overrides the host's requireMessageAuthenticator for these replies. */
  requireMessageAuthenticator?: boolean;
}

export type ExchangeOutcome =
  | { ok: true; host: RadiusHost; packet: RadiusPacket; raw: Uint8Array; requestAuthenticator: Uint8Array }
  | { ok: false; reason: string };

export interface RadiusHostStatus {
  host: string;
  up: boolean;
  /** Epoch ms until which a down host is skipped (then probed). */
  downUntil?: number;
}

interface HostState {
  host: RadiusHost;
  downUntil: number;
  lastValidReply: number;
  probe: NodeJS.Timeout | undefined;
}

export interface RadiusClientOptions {
  deadTimeMs: number;
  maxSockets: number;
  sourceAddress?: string;
  /** Reply to Status-Server on this port: Access-Accept (auth) or Accounting-Response (acct). */
  statusReplyCode: number;
  nasIdentifier: string;
}

export class RadiusClient {
  private readonly transport: RadiusTransport;
  private readonly states: HostState[];
  private closed = false;

  constructor(
    hosts: RadiusHost[],
    private readonly options: RadiusClientOptions,
  ) {
    this.transport = new RadiusTransport(options.maxSockets, options.sourceAddress);
    this.states = hosts.map((host) => ({ host, downUntil: 0, lastValidReply: 0, probe: undefined }));
  }

  get counters(): Readonly<RadiusCounters> {
    return this.transport.counters;
  }

  get sockets(): number {
    return this.transport.sockets;
  }

  hostStatus(): RadiusHostStatus[] {
    const now = Date.now();
    return this.states.map((s) =>
      s.downUntil > 0 ? { host: s.host.label, up: false, downUntil: Math.max(now, s.downUntil) } : { host: s.host.label, up: true },
    );
  }

  async exchange(x: RadiusExchange): Promise<ExchangeOutcome> {
    const up = this.states.filter((s) => s.downUntil === 0);
    const order = up.length > 0 ? up : this.states;
    const failures: string[] = [];
    for (const state of order) {
      if (this.closed) break;
      const started = Date.now();
      const result = await this.tryHost(state.host, x);
      if (result.ok) {
        this.markUp(state);
        return result;
      }
      failures.push(result.reason);
      if (state.lastValidReply < started) this.markDown(state);
    }
    return { ok: false, reason: `timeout: ${failures.join('; ') || 'client closed'}` };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.states) clearTimeout(s.probe);
    await this.transport.close();
  }

  private async tryHost(host: RadiusHost, x: RadiusExchange): Promise<ExchangeOutcome> {
    let lease: Lease | undefined;
    let built: BuiltRequest | undefined;
    let invalid = 0;
    let problem: string | undefined;
    const tries = 1 + host.retries;
    try {
      for (let attempt = 0; attempt < tries && !this.closed; attempt++) {
        if (!lease || x.rebuildPerTry) {
          if (lease) this.transport.release(lease);
          lease = undefined;
          lease = await this.transport.lease(host);
          built = x.build(host, lease.identifier, attempt);
        }
        const expect = {
          host,
          requestAuthenticator: built!.requestAuthenticator,
          replyCodes: x.replyCodes,
          requireMessageAuthenticator: x.requireMessageAuthenticator ?? host.requireMessageAuthenticator,
        };
        const r = await this.transport.transmit(lease, built!.bytes, expect, host.timeoutMs, attempt > 0);
        if (r.ok) {
          const state = this.states.find((s) => s.host === host);
          if (state) state.lastValidReply = Date.now();
          return { ok: true, host, packet: r.packet, raw: r.raw, requestAuthenticator: built!.requestAuthenticator };
        }
        invalid += r.invalidReplies;
        problem = r.problem ?? problem;
      }
    } finally {
      if (lease) this.transport.release(lease);
    }
    const count = invalid > 0 ? `${invalid} invalid ${invalid === 1 ? 'reply' : 'replies'}, last: ` : '';
    const detail = problem ? ` (${count}${problem})` : '';
    return { ok: false, reason: `no valid reply from ${host.label} after ${tries} ${tries === 1 ? 'try' : 'tries'}${detail}` };
  }

  private markUp(state: HostState): void {
    state.downUntil = 0;
    clearTimeout(state.probe);
    state.probe = undefined;
  }

  private markDown(state: HostState): void {
    if (this.options.deadTimeMs <= 0 || this.closed) return;
    state.downUntil = Date.now() + this.options.deadTimeMs;
    clearTimeout(state.probe);
    state.probe = setTimeout(() => void this.probe(state), this.options.deadTimeMs);
    state.probe.unref();
  }

  /** RFC 5997 §3: Status-Server with Message-Authenticator; any authentic reply means the host is back. */
  private async probe(state: HostState): Promise<void> {
    state.probe = undefined;
    if (this.closed) return;
    const probe: RadiusExchange = {
      build: (host, identifier) => {
        const requestAuthenticator = randomAuthenticator();
        const attrs = [textAttribute(RadiusAttr.NasIdentifier, this.options.nasIdentifier)];
        const bytes = sealAccessRequest(RadiusCode.StatusServer, identifier, requestAuthenticator, attrs, host.secret);
        return { bytes, requestAuthenticator };
      },
      rebuildPerTry: false,
      replyCodes: [this.options.statusReplyCode],
      // FreeRADIUS 3.2 answers Status-Server without Message-Authenticator; the Response
      // Authenticator still proves the secret, and a forged "alive" only costs one try.
      requireMessageAuthenticator: false,
    };
    const host = { ...state.host, retries: 0 };
    let result: ExchangeOutcome;
    try {
      result = await this.tryHost(host, probe);
    } catch {
      return;
    }
    if (this.closed) return;
    if (result.ok) {
      state.lastValidReply = Date.now();
      this.markUp(state);
    } else this.markDown(state);
  }
}
