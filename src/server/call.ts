/**
 * One PPTP call: its enhanced GRE channel and the PPP session riding on it (server role).
 * The Call turns engine outputs into I/O through its owner (the Tunnel and the Server), asks the
 * AAA back end, takes an address from the pool, and keeps the counters `show vpdn` prints.
 */
import type { AuthRequest } from '../aaa/authenticator.js';
import { GreChannel } from '../pptp/gre-channel.js';
import { PppSession, type PppOutput, type PppUpInfo } from '../ppp/session.js';
import { GRE_MAX_HEADER_LENGTH, type GreHeader } from '../wire/gre.js';
import { MAX_FRAME_OVERHEAD } from '../ppp/data-path.js';
import { ipv4ToU32 } from '../wire/bytes.js';
import type { CallView } from './view.js';
import type { CallHost } from './call-host.js';
import type { DeadlineHolder } from './deadlines.js';

export type CallState = 'starting' | 'authenticating' | 'estabd' | 'closing' | 'closed';

/** How long an administrative close waits for the peer's LCP Terminate-Ack. */
const TERMINATE_WAIT_MS = 2000;

/** `ppp encryption mppe ... [stateful|stateless]` as the CCP H-bit policy (RFC 3078 §2). */
const STATELESS_POLICY = { client: 'prefer', stateful: 'refuse', stateless: 'require' } as const;

export class Call implements DeadlineHolder {
  readonly pppInterfaceId: number;
  readonly gre: GreChannel;
  readonly ppp: PppSession;
  state: CallState = 'starting';
  private stateSince: number;
  username = '';
  authType: string | null = null;
  authServer = '';
  clientAddress: string | null = null;
  clientAddressU32 = 0;
  /** Whether clientAddress was taken from a pool (and so must go back). */
  private addressFromPool = false;
  mppe: { bits: 40 | 128; stateless: boolean } | null = null;
  upSince: number | null = null;
  lastActivity: number;
  /** RADIUS Class attributes, echoed in accounting (RFC 2865 §5.25). */
  classes: Uint8Array[] | undefined;
  /** RADIUS Idle-Timeout in seconds; 0 for none. Only these two of the AAA answer outlive the login. */
  private idleTimeout = 0;
  readonly dropped = { spoofed: 0, notUp: 0, mppe: 0 };
  deadlineAt = Infinity;
  deadlineSlot = -1;
  private sessionDeadline = Infinity;
  private closed = false;
  /** Ends an administrative close's wait for the Terminate exchange. */
  private terminated: (() => void) | undefined;

  constructor(
    private readonly host: CallHost,
    readonly tunnelId: number,
    readonly callId: number,
    readonly peerCallId: number,
    readonly peerAddress: string,
    readonly peerAddressU32: number,
    peerReceiveWindow: number,
    now: number,
  ) {
    this.pppInterfaceId = host.nextPppInterfaceId();
    this.stateSince = now;
    this.lastActivity = now;
    const g = host.group;
    this.gre = new GreChannel({
      peerCallId,
      peerReceiveWindow,
      receiveWindow: g.pptpWindow,
      respectPeerWindow: g.pptpTransmitWindowEnforce,
    });
    this.ppp = new PppSession({
      role: 'server',
      random: host.random,
      echoIntervalMs: g.lcpEcho.intervalSeconds * 1000,
      echoFailures: g.lcpEcho.failures,
      authTypes: host.offeredAuthTypes,
      serverMppe: g.encryption
        ? { mode: g.encryption.required ? 'required' : 'auto', bits: g.encryption.bits, stateless: STATELESS_POLICY[g.encryption.mode] }
        : { mode: 'none', bits: 'auto' },
      localAddress: host.serverAddress,
      dns: g.dns,
      nbns: g.wins,
    });
  }

  open(now: number): void {
    this.ppp.open(now);
    this.flush(now);
  }

  private setState(s: CallState, now: number): void {
    this.state = s;
    this.stateSince = now;
  }

  /** A GRE packet for this call (source already checked). Hot path. */
  receiveGre(h: GreHeader, buffer: Uint8Array, offset: number, now: number): void {
    const payload = this.gre.receive(h, buffer, now, offset);
    if (payload === undefined) return;
    this.lastActivity = now;
    const ip = this.ppp.input(payload, now);
    if (ip !== undefined) {
      // Anti-spoofing: a client may only send from the address it was given.
      if (ip.length < 20 || (((ip[12]! << 24) | (ip[13]! << 16) | (ip[14]! << 8) | ip[15]!) >>> 0) !== this.clientAddressU32) {
        this.dropped.spoofed++;
        this.host.counters.spoofedDropped++;
      } else {
        this.host.deliverToTun(ip);
      }
    }
    this.flush(now);
  }

  /**
   * An IP packet from the TUN for this client. Hot path: framed, encrypted and given its GRE header
   * in the host's transmit memory, with one copy of the datagram and no allocation.
   */
  sendIp(packet: Uint8Array, now: number): void {
    const buffer = this.host.txBuffer(GRE_MAX_HEADER_LENGTH + MAX_FRAME_OVERHEAD + packet.length);
    const end = this.ppp.encapsulateIpInto(packet, buffer, GRE_MAX_HEADER_LENGTH);
    if (end < 0) {
      this.dropped.notUp++;
      return;
    }
    this.lastActivity = now;
    const start = this.gre.encapsulateInto(buffer, GRE_MAX_HEADER_LENGTH, end - GRE_MAX_HEADER_LENGTH, now);
    if (start >= 0) this.host.sendGre(this.peerAddressU32, buffer.subarray(start, end));
  }

  private sendFrame(frame: Uint8Array, now: number): void {
    const pkt = this.gre.encapsulate(frame, now);
    if (pkt !== undefined) this.host.sendGre(this.peerAddressU32, pkt);
  }

  /** Processes engine outputs and re-arms the timer. */
  flush(now: number): void {
    if (this.closed) return;
    // Handlers may call back into the engine, queueing more outputs: drain until empty.
    for (let outputs = this.ppp.drain(); outputs.length > 0; outputs = this.ppp.drain()) {
      for (let i = 0; i < outputs.length; i++) this.handle(outputs[i]!, now);
      if (this.closed) return;
    }
    const ack = this.gre.pollAck(now);
    if (ack !== undefined) this.host.sendGre(this.peerAddressU32, ack);
    this.arm();
  }

  private handle(o: PppOutput, now: number): void {
    switch (o.type) {
      case 'frame':
        this.host.tracePpp('xmit', this, o.frame);
        this.sendFrame(o.frame, now);
        break;
      case 'authenticate':
        this.setState('authenticating', now);
        void this.authenticate(o.request, now);
        break;
      case 'up':
        this.onUp(o.info, now);
        break;
      case 'down':
        if (this.terminated) this.terminated();
        else void this.close(o.reason, now, o.cause);
        break;
      case 'log':
        this.host.pppLog(this, o.category, o.message);
        break;
    }
  }

  private async authenticate(request: Omit<AuthRequest, 'context'>, startedAt: number): Promise<void> {
    this.username = request.username;
    const result = await this.host.authenticate(this, request);
    if (this.closed) return;
    const now = this.host.now();
    let address: string | undefined;
    if (result.accepted) {
      address = await this.host.allocateAddress(this, result.framedAddress);
      if (this.closed) {
        if (address) await this.host.releaseAddress(address, result.framedAddress === undefined);
        return;
      }
      if (address) {
        this.clientAddress = address;
        this.clientAddressU32 = ipv4ToU32(address)!;
        this.addressFromPool = result.framedAddress === undefined;
      }
    }
    this.classes = result.classes;
    this.idleTimeout = result.idleTimeout ?? 0;
    this.authServer = result.server ?? '';
    if (result.sessionTimeout && result.sessionTimeout > 0) this.sessionDeadline = startedAt + result.sessionTimeout * 1000;
    this.ppp.authResult(result, address, now);
    this.flush(now);
  }

  private onUp(info: PppUpInfo, now: number): void {
    this.setState('estabd', now);
    this.authType = info.authType;
    this.mppe = info.mppe;
    this.upSince = now;
    this.host.callUp(this);
  }

  /** Ends the call: PPP (if still up), the PPTP call, the address, accounting. */
  async close(reason: string, now: number, cause?: string): Promise<void> {
    if (this.closed) return;
    if (cause === undefined && (this.state === 'estabd' || this.state === 'authenticating' || this.state === 'starting')) {
      // Administrative close: LCP Terminate-Request, and the call goes only after the Terminate
      // exchange (RFC 1661 §3.7): the peer's Terminate-Ack, or TERMINATE_WAIT_MS without one.
      this.setState('closing', now);
      this.ppp.close(reason, now);
      const outputs = this.ppp.drain();
      for (const o of outputs) if (o.type === 'frame') this.sendFrame(o.frame, now);
      if (!outputs.some((o) => o.type === 'down')) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, TERMINATE_WAIT_MS);
          this.terminated = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.terminated = undefined;
        if (this.closed) return;
        now = this.host.now();
      }
    }
    this.terminated?.();
    this.closed = true;
    this.setState('closed', now);
    this.host.deadlines.set(this, Infinity);
    if (this.clientAddress && this.addressFromPool) await this.host.releaseAddress(this.clientAddress, true);
    else if (this.clientAddress) await this.host.releaseAddress(this.clientAddress, false);
    this.host.callDown(this, reason, cause);
  }

  /** RADIUS CoA (RFC 5176): a new Session-Timeout counted from now; 0 removes it. */
  setSessionTimeout(seconds: number, now: number): void {
    this.sessionDeadline = seconds > 0 ? now + seconds * 1000 : Infinity;
    this.arm();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private arm(): void {
    let t = this.sessionDeadline;
    const a = this.ppp.nextTimeout();
    if (a !== undefined && a < t) t = a;
    const b = this.gre.nextTimeout();
    if (b !== undefined && b < t) t = b;
    const idle = this.idleDeadline();
    if (idle < t) t = idle;
    // A deadline no later than t stays: firing early only re-arms (onDeadline checks every
    // deadline), and the GRE ack deadline moves with nearly every data packet.
    if (this.deadlineAt <= t) return;
    this.host.deadlines.set(this, t);
  }

  private idleDeadline(): number {
    const idle = this.idleTimeout;
    return idle > 0 && this.upSince !== null ? this.lastActivity + idle * 1000 : Infinity;
  }

  onDeadline(): void {
    if (this.closed) return;
    const now = this.host.now();
    if (now >= this.sessionDeadline) {
      void this.close('session timeout', now);
      return;
    }
    if (now >= this.idleDeadline()) {
      void this.close('idle timeout', now);
      return;
    }
    this.ppp.handleTimeout(now);
    this.flush(now);
  }

  view(now: number): CallView {
    const s = this.gre.stats;
    return {
      callId: this.callId,
      peerCallId: this.peerCallId,
      tunnelId: this.tunnelId,
      username: this.username,
      state: this.state,
      sinceEventSecs: Math.floor((now - this.stateSince) / 1000),
      interfaceName: this.host.interfaceName,
      pppInterfaceId: this.pppInterfaceId,
      peerAddress: this.peerAddress,
      clientAddress: this.clientAddress,
      authType: this.authType,
      mppeBits: this.mppe?.bits ?? null,
      mppeStateless: this.mppe?.stateless ?? null,
      upSince: this.upSince === null ? null : this.host.wallClock(this.upSince),
      traffic: { packetsIn: s.packetsIn, packetsOut: s.packetsOut, bytesIn: s.bytesIn, bytesOut: s.bytesOut },
      gre: { seq: s.seqSent, ack: s.ackSent, ackReceived: s.ackReceived, peerRws: s.peerReceiveWindow, outOfOrder: s.outOfOrder },
      dropped: {
        ...this.dropped,
        mppe: this.ppp.counters.mppeErrors,
        sequence: s.duplicates + s.stale + s.farAhead,
        discarded: this.ppp.counters.discardedFrames,
      },
    };
  }
}
