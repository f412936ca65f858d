/**
 * One TCP connection to a TACACS+ server. Requests are matched to replies by session_id, so
 * in Single Connection Mode (RFC 8907 §4.3) several sessions share it; otherwise it closes
 * after its one session (§4.4).
 */
import { connect, type Socket } from 'node:net';
import { DecodeError } from '../../wire/errors.js';
import {
  decodePacket,
  encodePacket,
  TAC_PLUS_SINGLE_CONNECT_FLAG,
  type TacacsHeader,
  type TacacsPacket,
} from '../../wire/tacacs.js';
import { PacketFramer } from './framer.js';
import { replyHeaderProblem } from './reply-check.js';

export type ExchangeOutcome =
  | { ok: true; packet: TacacsPacket }
  /** stale: a reused single connection went away before answering, worth one retry elsewhere. */
  | { ok: false; reason: string; stale: boolean };

export type RequestHeader = Omit<TacacsHeader, 'length'>;

interface Waiter {
  request: RequestHeader;
  resolve: (o: ExchangeOutcome) => void;
  timer: NodeJS.Timeout;
}

export interface ConnectionTarget {
  address: string;
  port: number;
  key: string;
  localAddress?: string;
  idleCloseMs: number;
}

export class TacacsConnection {
  private readonly socket: Socket;
  private readonly framer = new PacketFramer();
  private readonly waiters = new Map<number, Waiter>();
  private closedReason: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private askedSingle = false;
  /** RFC 8907 §4.3: settled by the first reply on the connection. */
  single: 'unknown' | 'yes' | 'no' = 'unknown';
  /** Exchanges answered on this connection. */
  completed = 0;

  constructor(
    private readonly target: ConnectionTarget,
    private readonly onClosed: (c: TacacsConnection) => void,
  ) {
    this.socket = connect({ host: target.address, port: target.port, localAddress: target.localAddress });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.close(describeSocketError(err)));
    this.socket.on('close', () => this.close('connection closed by the server'));
  }

  get usable(): boolean {
    return this.closedReason === undefined;
  }

  hasSession(sessionId: number): boolean {
    return this.waiters.has(sessionId);
  }

  /** Sends one request packet and waits for its reply, at most timeoutMs (connecting included). */
  send(header: RequestHeader, body: Uint8Array, timeoutMs: number): Promise<ExchangeOutcome> {
    if (this.closedReason !== undefined) {
      return Promise.resolve({ ok: false, reason: this.closedReason, stale: this.completed > 0 });
    }
    if (this.completed === 0 && this.waiters.size === 0) {
      this.askedSingle = (header.flags & TAC_PLUS_SINGLE_CONNECT_FLAG) !== 0;
    }
    const wire = encodePacket(header, body, this.target.key);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(header.sessionId);
        resolve({ ok: false, reason: `no reply within ${timeoutMs} ms`, stale: false });
        this.close(`another session timed out after ${timeoutMs} ms`);
      }, timeoutMs);
      this.waiters.set(header.sessionId, { request: header, resolve, timer });
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      this.socket.ref();
      this.socket.write(wire);
    });
  }

  /** Ends the connection; sessions still waiting fail with `reason`. */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const stale = this.completed > 0;
    for (const w of this.waiters.values()) {
      clearTimeout(w.timer);
      w.resolve({ ok: false, reason, stale });
    }
    this.waiters.clear();
    this.socket.destroy();
    this.onClosed(this);
  }

  private onData(chunk: Uint8Array): void {
    const packets = this.framer.push(chunk);
    if (packets instanceof DecodeError) return this.close(`unusable reply: ${packets.message}`);
    for (const raw of packets) {
      const packet = decodePacket(raw, this.target.key);
      if (packet instanceof DecodeError) return this.close(`malformed reply: ${packet.message}`);
      const waiter = this.waiters.get(packet.header.sessionId);
      if (!waiter) {
        const expected = [...this.waiters.values()][0]?.request;
        const problem = expected ? replyHeaderProblem(expected, packet.header) : undefined;
        return this.close(problem ?? `reply for unknown session 0x${packet.header.sessionId.toString(16)}`);
      }
      const problem = replyHeaderProblem(waiter.request, packet.header);
      if (problem) return this.close(problem);
      if (this.single === 'unknown') {
        this.single = this.askedSingle && packet.header.flags & TAC_PLUS_SINGLE_CONNECT_FLAG ? 'yes' : 'no';
      }
      clearTimeout(waiter.timer);
      this.waiters.delete(packet.header.sessionId);
      this.completed++;
      waiter.resolve({ ok: true, packet });
    }
    this.afterReplies();
  }

  /** RFC 8907 §4.4: without Single Connection Mode the connection ends with its session. */
  private afterReplies(): void {
    if (this.waiters.size > 0 || this.closedReason !== undefined) return;
    if (this.single !== 'yes') return this.close('session complete');
    this.socket.unref();
    this.idleTimer = setTimeout(() => this.close('idle'), this.target.idleCloseMs);
    this.idleTimer.unref();
  }
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (server down?)';
    case 'ECONNRESET':
      return 'connection reset by the server';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'server unreachable';
    default:
      return err.code ? `${err.code}: ${err.message}` : err.message;
  }
}
