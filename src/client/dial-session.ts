/**
 * One PPTP dial-out in the PNS role (RFC 2637): TCP to the server, SCCRQ, OCRQ, then PPP over
 * enhanced GRE as the authenticated peer. Used by `vpdn dial` and by the load generator.
 */
import { connect, type Socket } from 'node:net';
import type { AuthType } from '../aaa/authenticator.js';
import { PptpControlConnection } from '../pptp/control-connection.js';
import type { PptpControlEvent } from '../pptp/control-types.js';
import { GreChannel } from '../pptp/gre-channel.js';
import { pooledRandom } from '../ppp/crypto/random.js';
import { MAX_FRAME_OVERHEAD } from '../ppp/data-path.js';
import { PppSession, type PppOutput, type PppUpInfo } from '../ppp/session.js';
import { ipv4ToU32 } from '../wire/bytes.js';
import { GRE_MAX_HEADER_LENGTH, decodeGreHeader, type GreHeader } from '../wire/gre.js';
import { isDecodeError } from '../wire/errors.js';
import type { GreEndpoint, GreMux } from './gre-mux.js';

/** How long a hang-up waits for the server's LCP Terminate-Ack (the server waits as long). */
const TERMINATE_WAIT_MS = 2000;

export interface DialOptions {
  server: string;
  port?: number;
  /** Local address to connect from (one per session when several dial one server). */
  localAddress?: string;
  username: string;
  password: string;
  /** Prepended as DOMAIN\user, the way Windows MS-CHAP sends it. */
  domain?: string;
  authTypes: AuthType[];
  mppe: 'none' | 'optional' | 'required';
  allow40: boolean;
  allow128: boolean;
  stateless?: 'prefer' | 'require' | 'refuse';
  /** LCP echo keepalive; 0 = off (default 30 s, 3 failures). */
  echoIntervalMs?: number;
  /** Give up when the session is not up within this (default 30 s). */
  timeoutMs?: number;
  receiveWindow?: number;
}

/** A failure as a Windows user would see it (691 credentials, 732 no common protocol, 742 encryption). */
export class DialError extends Error {
  constructor(
    readonly windowsError: number,
    readonly reason: string,
  ) {
    super(`Error ${windowsError}: ${reason}`);
  }
}

export class DialSession implements GreEndpoint {
  private socket: Socket | undefined;
  private control: PptpControlConnection | undefined;
  private gre: GreChannel | undefined;
  private ppp: PppSession | undefined;
  /** GRE that overtook the Outgoing-Call-Reply on TCP (the server's first LCP packet): replayed when PPP starts. */
  private early: Uint8Array[] = [];
  private callId = 0;
  readonly peerAddressU32: number;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private upResolve: ((info: PppUpInfo) => void) | undefined;
  private upReject: ((e: DialError) => void) | undefined;
  private closedResolve: ((reason: string) => void) | undefined;
  /** Resolves with the reason when the session has ended, however it ended. */
  readonly closed: Promise<string>;
  private finished = false;
  /** Set while hangup() waits for the Terminate exchange: PPP's down is then expected. */
  private pppDownResolve: (() => void) | undefined;
  up: PppUpInfo | undefined;
  /** IP packets from the tunnel. */
  onIp: (packet: Uint8Array) => void = () => undefined;
  readonly counters = { ipIn: 0, ipOut: 0 };

  constructor(
    private readonly mux: GreMux,
    private readonly options: DialOptions,
  ) {
    const u32 = ipv4ToU32(options.server);
    if (u32 === undefined) throw new DialError(868, `server must be an IPv4 address: ${options.server}`);
    this.peerAddressU32 = u32;
    this.closed = new Promise((r) => (this.closedResolve = r));
  }

  /** Brings the session up; rejects with a DialError. */
  connect(): Promise<PppUpInfo> {
    const o = this.options;
    const up = new Promise<PppUpInfo>((resolve, reject) => {
      this.upResolve = resolve;
      this.upReject = reject;
    });
    const deadline = setTimeout(() => this.fail(new DialError(718, 'timed out waiting for the session to come up')), o.timeoutMs ?? 30_000);
    void this.closed.then(() => clearTimeout(deadline));
    void up.then(
      () => clearTimeout(deadline),
      () => clearTimeout(deadline),
    );
    const now = performance.now();
    this.control = new PptpControlConnection({ role: 'pns', tunnelId: 0, hostName: 'vpdn-dial', vendorString: 'vpdn', receiveWindow: o.receiveWindow }, now);
    const socket = connect({ host: o.server, port: o.port ?? 1723, localAddress: o.localAddress, noDelay: true });
    this.socket = socket;
    socket.on('connect', () => {
      this.control!.start(performance.now());
      this.flushControl();
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.finished) return;
      this.control!.receive(chunk, performance.now());
      this.flushControl();
    });
    // After a hang-up these events change nothing: no DialError (and its stack trace) for them.
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // 800: "Unable to establish the VPN connection" is what Windows shows when TCP 1723 fails.
      if (!this.finished) this.fail(new DialError(800, `cannot reach ${o.server}:${o.port ?? 1723}: ${e.code ?? e.message}`));
    });
    socket.on('close', () => {
      if (!this.finished) this.fail(new DialError(619, 'the server closed the control connection'));
    });
    return up;
  }

  private flushControl(): void {
    const now = performance.now();
    // Handlers call back into the engine (placeCall), queueing more events: drain until empty.
    for (let events = this.control!.drain(); events.length > 0; events = this.control!.drain()) {
      for (const e of events) this.onControl(e, now);
    }
    this.arm(now);
  }

  private onControl(e: PptpControlEvent, now: number): void {
    switch (e.type) {
      case 'send':
        this.mux.flush(); // GRE queued before this control message goes first
        this.socket?.write(e.bytes);
        break;
      case 'established':
        this.callId = this.mux.register(this);
        this.control!.placeCall(this.callId, now);
        break;
      case 'call-connected':
        this.startPpp(e.peerCallId, e.peerReceiveWindow, now);
        break;
      case 'call-cleared':
        // The CDN (TCP) can overtake the end of PPP (GRE): if PPP already knows why, say that.
        this.fail(this.pppFailure(now) ?? new DialError(619, `call cleared by the server: ${e.reason}`));
        break;
      case 'closed':
        this.fail(this.pppFailure(now) ?? new DialError(619, `control connection closed: ${e.reason}`));
        break;
      default:
        break;
    }
  }

  private startPpp(peerCallId: number, peerReceiveWindow: number, now: number): void {
    const o = this.options;
    this.gre = new GreChannel({ peerCallId, peerReceiveWindow, receiveWindow: o.receiveWindow });
    this.ppp = new PppSession({
      role: 'client',
      random: pooledRandom,
      echoIntervalMs: o.echoIntervalMs ?? 30_000,
      echoFailures: 3,
      authTypes: o.authTypes,
      username: o.domain ? `${o.domain}\\${o.username}` : o.username,
      password: o.password,
      clientMppe: { mode: o.mppe, allow40: o.allow40, allow128: o.allow128, stateless: o.stateless ?? 'prefer' },
    });
    this.ppp.open(now);
    for (const p of this.early.splice(0)) {
      const h = decodeGreHeader(p, 0);
      if (!isDecodeError(h)) this.receiveGre(h, p, now);
    }
    this.flushPpp(now);
  }

  receiveGre(h: GreHeader, packet: Uint8Array, now: number): void {
    if (this.finished) return;
    if (!this.gre || !this.ppp) {
      if (this.early.length < 8) this.early.push(packet.slice());
      return;
    }
    const payload = this.gre.receive(h, packet, now);
    if (payload !== undefined) {
      const ip = this.ppp.input(payload, now);
      if (ip !== undefined) {
        this.counters.ipIn++;
        this.onIp(ip);
      }
    }
    this.flushPpp(now);
  }

  /**
   * Sends an IP packet through the tunnel; false when the session is not up. The packet is framed,
   * encrypted and given its GRE header in the mux's transmit memory (one copy, no allocation).
   */
  sendIp(packet: Uint8Array): boolean {
    if (!this.ppp || !this.gre || this.finished) return false;
    const buffer = this.mux.txBuffer(GRE_MAX_HEADER_LENGTH + MAX_FRAME_OVERHEAD + packet.length);
    const end = this.ppp.encapsulateIpInto(packet, buffer, GRE_MAX_HEADER_LENGTH);
    if (end < 0) return false;
    const start = this.gre.encapsulateInto(buffer, GRE_MAX_HEADER_LENGTH, end - GRE_MAX_HEADER_LENGTH, performance.now());
    if (start < 0) return false;
    this.counters.ipOut++;
    this.mux.send(this.peerAddressU32, buffer.subarray(start, end));
    return true;
  }

  private flushPpp(now: number): void {
    if (!this.ppp || !this.gre) return;
    for (let outputs = this.ppp.drain(); outputs.length > 0; outputs = this.ppp.drain()) {
      for (const o of outputs) this.onPpp(o, now);
    }
    const ack = this.gre.pollAck(now);
    if (ack) this.mux.send(this.peerAddressU32, ack);
    this.arm(now);
  }

  private onPpp(o: PppOutput, now: number): void {
    switch (o.type) {
      case 'frame': {
        const pkt = this.gre!.encapsulate(o.frame, now);
        if (pkt) this.mux.send(this.peerAddressU32, pkt);
        break;
      }
      case 'up':
        this.up = o.info;
        this.upResolve?.(o.info);
        this.upResolve = undefined;
        this.upReject = undefined;
        break;
      case 'down':
        if (this.pppDownResolve) this.pppDownResolve();
        else this.fail(new DialError(o.windowsError ?? 619, o.reason));
        break;
      default:
        break;
    }
  }

  private arm(now: number): void {
    let t = this.control?.nextTimeout() ?? Infinity;
    const a = this.ppp?.nextTimeout();
    if (a !== undefined && a < t) t = a;
    const b = this.gre?.nextTimeout();
    if (b !== undefined && b < t) t = b;
    // An armed timer no later than t stays: firing early only re-arms (every handleTimeout checks
    // its deadlines), and the GRE ack deadline moves with nearly every data packet.
    if (this.timer !== undefined && this.timerAt <= t) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = t;
    if (t === Infinity || this.finished) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      const n = performance.now();
      this.control?.handleTimeout(n);
      this.ppp?.handleTimeout(n);
      this.flushControl();
      this.flushPpp(n);
    }, Math.max(0, t - now));
  }

  /** Clean hang-up: LCP Terminate, Call-Clear-Request, Stop-Control-Connection, close. */
  async hangup(reason = 'user request'): Promise<void> {
    if (this.finished) return;
    const now = performance.now();
    if (this.ppp) {
      // RFC 1661 §3.7: the call goes only after the Terminate exchange, the peer's Terminate-Ack
      // (or TERMINATE_WAIT_MS without one): cleared sooner, a slow peer never sees our reason.
      const pppDown = new Promise<void>((r) => (this.pppDownResolve = r));
      this.ppp.close(reason, now);
      this.flushPpp(now);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pppDown, this.closed, new Promise((r) => (timer = setTimeout(r, TERMINATE_WAIT_MS)))]);
      clearTimeout(timer);
    }
    if (this.finished) return;
    if (this.control && this.callId) {
      this.control.clearCall(this.callId, reason, performance.now());
      this.flushControl();
    }
    await Promise.race([this.closed, new Promise((r) => setTimeout(r, 300))]);
    if (this.finished) return;
    this.control?.stop(reason, performance.now());
    this.flushControl();
    await Promise.race([this.closed, new Promise((r) => setTimeout(r, 500))]);
    this.finish(reason);
  }

  /** Ends PPP under a cleared call; the failure it was already closing for (Error 691, 742), if any. */
  private pppFailure(now: number): DialError | undefined {
    if (!this.ppp || this.finished) return undefined;
    this.ppp.lowerDown(now);
    const down = this.ppp.drain().find((o) => o.type === 'down');
    return down?.type === 'down' && down.windowsError !== undefined ? new DialError(down.windowsError, down.reason) : undefined;
  }

  private fail(e: DialError): void {
    if (this.finished) return;
    if (this.upReject) {
      this.upReject(e);
      this.upResolve = undefined;
      this.upReject = undefined;
    }
    this.finish(e.message);
  }

  private finish(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    if (this.callId) this.mux.unregister(this.callId);
    this.mux.flush();
    this.socket?.end();
    this.socket?.destroy();
    this.closedResolve?.(reason);
  }

  get isUp(): boolean {
    return this.up !== undefined && !this.finished;
  }
}
