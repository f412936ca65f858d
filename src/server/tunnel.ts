/**
 * One PPTP control connection (TCP 1723) in the PAC role, and the calls it carries.
 * PIX shows one call per tunnel ("Tunnel id 13 ... Call id 13"); vpdn allows what RFC 2637 allows.
 */
import type { Socket } from 'node:net';
import { PptpControlConnection } from '../pptp/control-connection.js';
import type { PptpControlEvent } from '../pptp/control-types.js';
import type { Call } from './call.js';
import type { DeadlineHolder, DeadlineQueue } from './deadlines.js';
import type { TunnelView } from './view.js';

export interface TunnelHost {
  now(): number;
  /** The one timer behind every tunnel's and call's deadline. */
  readonly deadlines: DeadlineQueue;
  /** Session limit check for a new control connection / call. */
  admitTunnel(t: Tunnel): boolean;
  admitCall(t: Tunnel): boolean;
  allocateCallId(): number | undefined;
  createCall(t: Tunnel, callId: number, peerCallId: number, peerReceiveWindow: number): Call;
  tunnelClosed(t: Tunnel, reason: string): void;
  controlLog(t: Tunnel, category: 'events' | 'packets' | 'error', message: string): void;
  readonly debugPackets: () => boolean;
  readonly debugEvents: () => boolean;
}

/** Replies a peer leaves unread beyond what TCP holds: more means it sends and never reads. */
const MAX_UNREAD_OCTETS = 64 * 1024;

/*
 * The socket's listeners are shared functions that find their tunnel on the socket (an emitter
 * calls listeners with `this` set to itself), not three closures per tunnel: thousands are held.
 */
const TUNNEL = Symbol('tunnel');
type TunnelSocket = Socket & { [TUNNEL]: Tunnel };

function onSocketData(this: TunnelSocket, chunk: Buffer): void {
  this[TUNNEL].onData(chunk);
}
function onSocketClose(this: TunnelSocket): void {
  this[TUNNEL].lost('TCP connection closed by peer');
}
function onSocketError(this: TunnelSocket, e: Error): void {
  this[TUNNEL].lost(`TCP error: ${e.message}`);
}

export class Tunnel implements DeadlineHolder {
  readonly control: PptpControlConnection;
  readonly calls = new Map<number, Call>();
  deadlineAt = Infinity;
  deadlineSlot = -1;
  private closed = false;
  private stateSince: number;
  readonly traffic = { packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0 };
  peerHostName = '';
  peerVendor = '';

  constructor(
    private readonly host: TunnelHost,
    readonly tunnelId: number,
    readonly socket: Socket,
    readonly remoteAddress: string,
    readonly remoteAddressU32: number,
    readonly localAddress: string,
    options: { echoIntervalMs: number; idleTimeoutMs: number; receiveWindow: number; hostName: string },
  ) {
    const now = host.now();
    this.stateSince = now;
    this.control = new PptpControlConnection(
      {
        role: 'pac',
        tunnelId,
        hostName: options.hostName,
        vendorString: 'vpdn',
        echoInterval: options.echoIntervalMs,
        echoTimeout: options.echoIntervalMs > 0 ? options.echoIntervalMs : undefined,
        idleTimeout: options.idleTimeoutMs,
        // How long a Stop-Control-Connection-Reply may take: a silent peer must not hold its slot a minute.
        replyTimeout: Math.max(1000, options.idleTimeoutMs),
        receiveWindow: options.receiveWindow,
        debug: { packets: host.debugPackets(), events: host.debugEvents() },
      },
      now,
    );
    socket.setNoDelay(true);
    (socket as TunnelSocket)[TUNNEL] = this;
    socket.on('data', onSocketData);
    socket.on('close', onSocketClose);
    socket.on('error', onSocketError);
    this.arm();
  }

  get state(): string {
    return this.control.state === 'established' ? 'estabd' : this.control.state;
  }

  /** Bytes from the control connection (the socket's 'data' listener). */
  onData(chunk: Buffer): void {
    if (this.closed) return;
    const now = this.host.now();
    this.traffic.packetsIn++;
    this.traffic.bytesIn += chunk.length;
    // Debug switches can change at any time; the engine reads them per message.
    this.control.debug.packets = this.host.debugPackets();
    this.control.debug.events = this.host.debugEvents();
    try {
      this.control.receive(chunk, now);
      this.flush(now);
    } catch (e) {
      // An engine fault must cost this tunnel only, never the process or other sessions.
      this.host.controlLog(this, 'error', `PPTP: Tnl ${this.tunnelId} internal error, tunnel dropped: ${(e as Error).message}`);
      this.finish('internal error', now);
    }
  }

  /** Processes control engine outputs. */
  flush(now: number): void {
    // Handlers may call back into the engine (acceptControl, acceptCall), queueing more events.
    for (let events = this.control.drain(); events.length > 0; events = this.control.drain()) {
      for (const e of events) this.handle(e, now);
    }
    if (!this.closed) this.arm();
  }

  private handle(e: PptpControlEvent, now: number): void {
    switch (e.type) {
      case 'send':
        if (this.closed || this.socket.destroyed) break;
        if (this.socket.writableLength > MAX_UNREAD_OCTETS) {
          // Answers queue in our memory once TCP's buffers are full: a flood we must not keep.
          this.host.controlLog(this, 'error', `PPTP: Tnl ${this.tunnelId} peer does not read its control connection (${this.socket.writableLength} octets unread), closed`);
          this.finish('peer does not read the control connection', now);
          break;
        }
        this.socket.write(e.bytes);
        this.traffic.packetsOut++;
        this.traffic.bytesOut += e.bytes.length;
        break;
      case 'start-request':
        this.peerHostName = e.hostName;
        this.peerVendor = e.vendorString;
        // Result 2 General error with error 4 No-Resource: RFC 2637 §2.2 for a PAC out of capacity.
        if (this.host.admitTunnel(this)) this.control.acceptControl(now);
        else this.control.rejectControl(2, 4, now);
        break;
      case 'established':
        this.stateSince = now;
        break;
      case 'call-request': {
        // OCRP result 4 Busy (RFC 2637 §2.8) when the session limit or the call id space is full.
        const callId = this.host.admitCall(this) ? this.host.allocateCallId() : undefined;
        if (callId === undefined) this.control.rejectCall(e.peerCallId, 4, 0, now);
        else this.control.acceptCall(e.peerCallId, callId, undefined, now);
        break;
      }
      case 'call-connected': {
        const call = this.host.createCall(this, e.callId, e.peerCallId, e.peerReceiveWindow);
        this.calls.set(e.callId, call);
        this.stateSince = now;
        call.open(now);
        break;
      }
      case 'call-cleared':
        if (e.callId !== undefined) {
          const call = this.calls.get(e.callId);
          if (call) void call.close(`PPTP call cleared: ${e.reason}`, now, 'lower-down');
        }
        break;
      case 'set-link-info':
      case 'wan-error-notify':
        break;
      case 'closed':
        this.finish(e.reason, now);
        break;
      case 'log':
        this.host.controlLog(this, e.category, e.message);
        break;
    }
  }

  /** A call ended (from the Call): tell the peer, and end the tunnel when it was the last one. */
  callEnded(call: Call, reason: string, now: number): void {
    this.calls.delete(call.callId);
    if (this.closed) return;
    this.control.clearCall(call.callId, reason, now);
    if (this.calls.size === 0) this.control.stop(reason, now);
    this.flush(now);
  }

  /** `clear vpdn tunnel`: end every call, then the control connection. */
  async clear(reason: string): Promise<void> {
    const now = this.host.now();
    for (const call of [...this.calls.values()]) await call.close(reason, now);
    if (!this.closed) {
      this.control.stop(reason, now);
      this.flush(now);
      // Wait briefly for the Stop-Control-Connection-Reply, then close regardless.
      if (!this.closed) setTimeout(() => this.finish(reason, this.host.now()), 1000).unref();
    }
  }

  /** The TCP connection closed or failed (the socket's 'close' and 'error' listeners). */
  lost(reason: string): void {
    if (this.closed) return;
    const now = this.host.now();
    this.control.connectionLost(reason, now);
    this.flush(now);
    this.finish(reason, now);
  }

  private finish(reason: string, now: number): void {
    if (this.closed) return;
    this.closed = true;
    this.host.deadlines.set(this, Infinity);
    for (const call of [...this.calls.values()]) void call.close(reason, now, 'lower-down');
    this.calls.clear();
    if (!this.socket.destroyed) this.socket.end();
    // A peer that never reads must not hold the socket open forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
    this.host.tunnelClosed(this, reason);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private arm(): void {
    this.host.deadlines.set(this, this.control.nextTimeout() ?? Infinity);
  }

  onDeadline(): void {
    const now = this.host.now();
    this.control.handleTimeout(now);
    this.flush(now);
  }

  view(now: number): TunnelView {
    return {
      tunnelId: this.tunnelId,
      remoteId: this.tunnelId,
      state: this.state,
      sinceEventSecs: Math.floor((now - this.stateSince) / 1000),
      remoteAddress: this.remoteAddress,
      remotePort: this.socket.remotePort ?? 0,
      localAddress: this.localAddress,
      localPort: this.socket.localPort ?? 1723,
      peerHostName: this.peerHostName,
      peerVendor: this.peerVendor,
      traffic: { ...this.traffic },
      calls: [...this.calls.values()].map((c) => c.view(now)),
    };
  }
}
