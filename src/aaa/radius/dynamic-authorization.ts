/**
 * Dynamic Authorization Server (RFC 5176): listens for Disconnect-Request and CoA-Request from
 * known RADIUS clients, checks the Request Authenticator (§3.5) with that client's secret, hands
 * the session selector to the lead's handlers, and answers ACK or NAK. Retransmitted requests get
 * the cached reply instead of a second handler call (§2.3).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isDecodeError } from '../../wire/errors.js';
import { verifyMessageAuthenticator, verifyRequestAuthenticator } from '../../wire/radius-authenticator.js';
import { ErrorCause, RadiusAttr, RadiusCode } from '../../wire/radius-codes.js';
import { decodeRadiusPacket, getAttribute, type RadiusPacket } from '../../wire/radius-packet.js';
import { optionalInteger } from '../../wire/radius-values.js';
import { ipv4ToU32 } from '../../wire/bytes.js';
import {
  dynamicAuthorizationAction,
  dynamicAuthorizationReply,
  type SessionSelector,
} from './dynamic-authorization-request.js';

export type { SessionSelector } from './dynamic-authorization-request.js';

export interface DynamicAuthorizationClient {
  address: string;
  secret: string;
}

export interface DynamicAuthorizationOptions {
  /** UDP port; RFC 5176 §3 assigns 3799. 0 picks a free one (see .port). */
  port: number;
  /** Local address to listen on; default 0.0.0.0. */
  address?: string;
  clients: DynamicAuthorizationClient[];
  /** When set, requests naming another NAS-IP-Address / NAS-Identifier are NAKed with 403. */
  nasIpAddress?: string;
  nasIdentifier?: string;
  /** Tear the session down. */
  disconnect(selector: SessionSelector): Promise<{ found: boolean }>;
  /** Apply a CoA; without it every CoA-Request is NAKed (405 Unsupported-Service). */
  changeSession?(selector: SessionSelector, change: { sessionTimeout?: number }): Promise<{ found: boolean }>;
  /** Accept Event-Timestamp up to this far from our clock (RFC 5176 §3.5 replay window). Default 300. */
  eventTimestampWindowSec?: number;
}

export interface DynamicAuthorizationCounters {
  requests: number;
  acks: number;
  naks: number;
  /** From an address that is not a configured client. */
  unknownClient: number;
  malformed: number;
  badAuthenticator: number;
  /** Event-Timestamp outside the replay window. */
  stale: number;
  /** Retransmissions answered from the cache. */
  duplicates: number;
}

const DUPLICATE_CACHE_MS = 30_000;

interface Cached {
  at: number;
  reply: Buffer | undefined;
}

export class DynamicAuthorizationServer {
  readonly counters: DynamicAuthorizationCounters = {
    requests: 0,
    acks: 0,
    naks: 0,
    unknownClient: 0,
    malformed: 0,
    badAuthenticator: 0,
    stale: 0,
    duplicates: 0,
  };
  private readonly secrets = new Map<string, Buffer>();
  private readonly seen = new Map<string, Cached>();

  private constructor(
    private readonly socket: Socket,
    private readonly options: DynamicAuthorizationOptions,
  ) {
    for (const c of options.clients) {
      if (ipv4ToU32(c.address) === undefined) throw new RangeError(`dynamic authorization client ${c.address} is not IPv4`);
      this.secrets.set(c.address, Buffer.from(c.secret, 'utf8'));
    }
    socket.on('message', (msg, rinfo) => {
      this.receive(msg, rinfo).catch(() => undefined);
    });
  }

  static async listen(options: DynamicAuthorizationOptions): Promise<DynamicAuthorizationServer> {
    const socket = createSocket({ type: 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port: options.port, address: options.address ?? '0.0.0.0' }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => undefined);
    try {
      return new DynamicAuthorizationServer(socket, options);
    } catch (err) {
      socket.close();
      throw err;
    }
  }

  get port(): number {
    return this.socket.address().port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private async receive(msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    const secret = this.secrets.get(rinfo.address);
    if (!secret) {
      this.counters.unknownClient++;
      return;
    }
    const packet = decodeRadiusPacket(msg);
    if (isDecodeError(packet) || (packet.code !== RadiusCode.DisconnectRequest && packet.code !== RadiusCode.CoaRequest)) {
      this.counters.malformed++;
      return;
    }
    const ma = verifyMessageAuthenticator(msg, new Uint8Array(16), secret);
    if (!verifyRequestAuthenticator(msg, secret) || ma === 'invalid') {
      this.counters.badAuthenticator++;
      return;
    }
    const now = Date.now();
    const key = `${rinfo.address}:${rinfo.port}:${packet.identifier}:${Buffer.from(packet.authenticator).toString('hex')}`;
    this.expire(now);
    const cached = this.seen.get(key);
    if (cached) {
      this.counters.duplicates++;
      if (cached.reply) this.socket.send(cached.reply, rinfo.port, rinfo.address);
      return;
    }
    if (!this.fresh(packet, now)) {
      this.counters.stale++;
      return;
    }
    this.counters.requests++;
    const entry: Cached = { at: now, reply: undefined };
    this.seen.set(key, entry);
    const { ack, errorCause } = await this.decide(packet);
    if (ack) this.counters.acks++;
    else this.counters.naks++;
    entry.reply = dynamicAuthorizationReply(packet, ack, errorCause, secret, ma === 'valid');
    this.socket.send(entry.reply, rinfo.port, rinfo.address);
  }

  private async decide(packet: RadiusPacket): Promise<{ ack: boolean; errorCause?: number }> {
    const action = dynamicAuthorizationAction(packet, this.options);
    try {
      switch (action.kind) {
        case 'nak':
          return { ack: false, errorCause: action.errorCause };
        case 'disconnect': {
          const { found } = await this.options.disconnect(action.selector);
          return found ? { ack: true } : { ack: false, errorCause: ErrorCause.SessionContextNotFound };
        }
        case 'coa': {
          if (!this.options.changeSession) return { ack: false, errorCause: ErrorCause.UnsupportedService };
          const change = action.sessionTimeout === undefined ? {} : { sessionTimeout: action.sessionTimeout };
          const { found } = await this.options.changeSession(action.selector, change);
          return found ? { ack: true } : { ack: false, errorCause: ErrorCause.SessionContextNotFound };
        }
      }
    } catch {
      return { ack: false, errorCause: ErrorCause.ResourcesUnavailable };
    }
  }

  /** RFC 5176 §3.5: a present Event-Timestamp must be within the window. */
  private fresh(packet: RadiusPacket, now: number): boolean {
    const ts = optionalInteger(getAttribute(packet.attributes, RadiusAttr.EventTimestamp));
    if (ts === undefined) return true;
    const window = this.options.eventTimestampWindowSec ?? 300;
    return Math.abs(now / 1000 - ts) <= window;
  }

  private expire(now: number): void {
    for (const [key, value] of this.seen) {
      if (now - value.at < DUPLICATE_CACHE_MS) break;
      this.seen.delete(key);
    }
  }
}
