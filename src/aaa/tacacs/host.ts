/**
 * One configured TACACS+ server: opens connections, negotiates Single Connection Mode
 * (RFC 8907 §4.3) when asked, and runs single-packet sessions (request, reply) on them.
 */
import { randomBytes } from 'node:crypto';
import { DecodeError, type Decoded } from '../../wire/errors.js';
import { TAC_PLUS_SINGLE_CONNECT_FLAG, TAC_PLUS_UNENCRYPTED_FLAG, type TacacsPacketType } from '../../wire/tacacs.js';
import { TacacsConnection, type ExchangeOutcome, type RequestHeader } from './connection.js';
import { TACACS_DEFAULT_PORT, type TacacsHostOptions } from './options.js';

export type HostResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface HostCommon {
  nasAddress?: string;
  singleConnection: boolean;
  idleCloseMs: number;
}

type Negotiation = Promise<ExchangeOutcome>;

export class TacacsHost {
  /** "address:port", for logs and AuthResult.server. */
  readonly name: string;
  private shared: TacacsConnection | undefined;
  private negotiating: Negotiation | undefined;
  /** The server answered a first packet without the flag: it does not do Single Connection Mode. */
  private singleRefused = false;
  private readonly open = new Set<TacacsConnection>();

  constructor(
    readonly options: TacacsHostOptions,
    private readonly common: HostCommon,
  ) {
    this.name = `${options.address}:${options.port ?? TACACS_DEFAULT_PORT}`;
  }

  /** One session of one request and one reply; `decode` reads the reply body (bad key shows there). */
  async exchange<T>(
    type: TacacsPacketType,
    minorVersion: number,
    body: Uint8Array,
    decode: (body: Uint8Array) => Decoded<T>,
  ): Promise<HostResult<T>> {
    const { connection, outcome } = await this.send(type, minorVersion, body);
    if (!outcome.ok) return { ok: false, reason: `${this.name}: ${outcome.reason}` };
    const value = decode(outcome.packet.body);
    if (value instanceof DecodeError) {
      // RFC 8907 §4.4: after an error such as a wrong secret, no new sessions on this connection.
      connection?.close(value.message);
      return { ok: false, reason: `${this.name}: ${value.message}` };
    }
    return { ok: true, value };
  }

  close(): void {
    for (const c of [...this.open]) c.close('client closed');
  }

  private async send(
    type: TacacsPacketType,
    minorVersion: number,
    body: Uint8Array,
  ): Promise<{ connection?: TacacsConnection; outcome: ExchangeOutcome }> {
    const timeoutMs = this.options.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      if (!this.common.singleConnection || this.singleRefused) {
        const connection = this.connect();
        const outcome = await connection.send(this.header(type, minorVersion, 0, connection), body, timeoutMs);
        return { connection, outcome };
      }
      const shared = this.shared;
      if (shared?.usable) {
        const outcome = await shared.send(this.header(type, minorVersion, TAC_PLUS_SINGLE_CONNECT_FLAG, shared), body, timeoutMs);
        // The server may close an idle single connection at any time (§4.3): retry once on a new one.
        if (!outcome.ok && outcome.stale && attempt === 0) continue;
        return { connection: shared, outcome };
      }
      if (this.negotiating) {
        const first = await this.negotiating;
        if (!first.ok) return { outcome: first };
        continue;
      }
      const connection = this.connect();
      const negotiation = connection.send(
        this.header(type, minorVersion, TAC_PLUS_SINGLE_CONNECT_FLAG, connection),
        body,
        timeoutMs,
      );
      this.negotiating = negotiation;
      const outcome = await negotiation;
      this.negotiating = undefined;
      if (outcome.ok && connection.single === 'yes') this.shared = connection;
      else if (outcome.ok) this.singleRefused = true;
      return { connection, outcome };
    }
  }

  private connect(): TacacsConnection {
    const connection = new TacacsConnection(
      {
        address: this.options.address,
        port: this.options.port ?? TACACS_DEFAULT_PORT,
        key: this.options.key,
        localAddress: this.common.nasAddress,
        idleCloseMs: this.common.idleCloseMs,
      },
      (c) => {
        this.open.delete(c);
        if (this.shared === c) this.shared = undefined;
      },
    );
    this.open.add(connection);
    return connection;
  }

  /**
   * RFC 8907 §4.1: a new session starts at seq_no 1 with a random session_id. No key (empty)
   * means an unobfuscated body (§4.5, deprecated: test set-ups only).
   */
  private header(type: TacacsPacketType, minorVersion: number, flags: number, on: TacacsConnection): RequestHeader {
    let sessionId: number;
    do sessionId = randomBytes(4).readUInt32BE(0);
    while (on.hasSession(sessionId));
    if (this.options.key === '') flags |= TAC_PLUS_UNENCRYPTED_FLAG;
    return { type, minorVersion, seqNo: 1, flags, sessionId };
  }
}
