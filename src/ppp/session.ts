/**
 * One PPP link, server or client, sans-IO (the quinn-proto / h11 shape): frames in through input(),
 * time through handleTimeout(now), everything else out through drain(). The phases follow RFC 1661
 * §3: Establish (LCP), Authenticate (PAP/CHAP/MS-CHAP), Network (IPCP, and CCP for MPPE), then open.
 * Layer callbacks never re-enter an automaton: reactions are queued and run when the call returns.
 */
import type { AuthResult, AuthType, MppeKeys } from '../aaa/authenticator.js';
import { PppProtocol, writePppHeader } from '../wire/ppp.js';
import { ControlCode } from '../wire/ppp-control.js';
import { AuthClient, type AuthClientOutcome } from './auth-client.js';
import { AuthServer, type AuthAnswer } from './auth-server.js';
import { refusal } from './auth-verdict.js';
import { AUTH_NAMES, keysMppe } from './auth-types.js';
import { CcpOptions, ccpResetHandler } from './ccp.js';
import { DEFAULT_LIMITS, type Fsm, type FsmLimits, type FsmState } from './fsm.js';
import { IpcpOptions, assignedAddress, type IpcpSettings } from './ipcp.js';
import { Lcp } from './lcp.js';
import { DataPath } from './data-path.js';
import { layerFsm, type LayerEvents } from './ncp.js';
import {
  WindowsError,
  type ClientMppePolicy,
  type PppCounters,
  type PppDownCause,
  type PppOutput,
  type PppPhase,
  type PppSessionOptions,
  type PppUpInfo,
  type ServerMppePolicy,
} from './session-types.js';

export * from './session-types.js';

/** RFC 3078 §3: the MPPE header and the encrypted protocol field cost 4 octets of MTU. */
export const MPPE_OVERHEAD = 4;
const NO_OUTPUTS: readonly PppOutput[] = Object.freeze([]);
const CLIENT_MPPE_DEFAULT: ClientMppePolicy = { mode: 'optional', allow40: true, allow128: true, stateless: 'prefer' };
const SERVER_MPPE_DEFAULT: ServerMppePolicy = { mode: 'none', bits: 'auto' };
/** A peer that keeps renegotiating LCP before it authenticates is not going anywhere. */
const MAX_EARLY_RENEGOTIATIONS = 3;

interface DownReason {
  cause: PppDownCause;
  reason: string;
  windowsError?: number;
}

export class PppSession {
  readonly counters: PppCounters = { discardedFrames: 0, mppeErrors: 0, protocolRejects: 0 };

  private phase: PppPhase = 'dead';
  private readonly outputs: PppOutput[] = [];
  private readonly queue: (() => void)[] = [];
  private flushing = false;
  private readonly server: boolean;
  private readonly limits: FsmLimits;
  private readonly serverMppe: ServerMppePolicy;
  private readonly clientMppe: ClientMppePolicy;
  private readonly mppeRequired: boolean;

  private readonly lcp: Lcp;
  private readonly ipcpSettings: IpcpSettings;
  private readonly ipcpOptions: IpcpOptions;
  private readonly ipcp: Fsm;
  private readonly ccpOptions: CcpOptions | undefined;
  private readonly ccp: Fsm | undefined;
  private ccpActive = false;
  private ccpSettled = false;
  private ipcpStarted = false;
  private ccpProtocolRejected = false;

  private authServer: AuthServer | undefined;
  /** Server, once answered: what is kept of the exchange for the peer's repeats (RFC 1994 §4.2). */
  private authAnswer: AuthAnswer | undefined;
  private authClient: AuthClient | undefined;
  private authType: AuthType | null = null;
  private username = '';
  private mppeKeys: MppeKeys | undefined;
  private mppe: PppUpInfo['mppe'] = null;
  private readonly data: DataPath;
  private closing: DownReason | undefined;
  private downEmitted = false;
  /** LCP renegotiations the peer started before authentication completed (see lcpDown). */
  private earlyRenegotiations = 0;

  constructor(private readonly options: PppSessionOptions) {
    this.server = options.role === 'server';
    this.limits = {
      restartMs: options.restartMs ?? DEFAULT_LIMITS.restartMs,
      maxConfigure: options.maxConfigure ?? DEFAULT_LIMITS.maxConfigure,
      maxTerminate: options.maxTerminate ?? DEFAULT_LIMITS.maxTerminate,
      maxFailure: options.maxFailure ?? DEFAULT_LIMITS.maxFailure,
    };
    this.serverMppe = options.serverMppe ?? SERVER_MPPE_DEFAULT;
    this.clientMppe = options.clientMppe ?? CLIENT_MPPE_DEFAULT;
    this.mppeRequired = this.server ? this.serverMppe.mode === 'required' : this.clientMppe.mode === 'required';
    if (!this.server) this.username = options.username ?? '';

    this.data = new DataPath(this.counters, () => this.ccp?.sendPacket(ControlCode.ResetRequest, new Uint8Array(0)));
    const echoIntervalMs = options.echoIntervalMs ?? 0;
    this.lcp = new Lcp(
      { role: options.role, mru: options.mru ?? 1400, authTypes: options.authTypes, random: options.random },
      this.limits,
      { intervalMs: echoIntervalMs, failures: echoIntervalMs > 0 ? (options.echoFailures ?? 3) : 0 },
      {
        send: (p, packet) => this.sendControl(p, packet),
        up: (now) => this.defer(() => this.lcpUp(now)),
        down: (now) => this.defer(() => this.lcpDown(now)),
        finished: (now) => this.defer(() => this.lcpFinished(now)),
        terminateRequested: (before, now) => this.defer(() => this.lcpTerminateRequested(before, now)),
        protocolRejected: (protocol, now) => this.defer(() => this.protocolRejected(protocol, now)),
        echoTimeout: (now) =>
          this.defer(() => this.fail('echo-timeout', `no answer to ${options.echoFailures ?? 3} LCP Echo-Requests`, now)),
        log: (message) => this.log('event', message),
      },
    );

    this.ipcpSettings = {
      role: options.role,
      localAddress: options.localAddress,
      dns: options.dns ?? [],
      nbns: options.nbns ?? [],
    };
    this.ipcpOptions = new IpcpOptions(this.ipcpSettings);
    this.ipcp = layerFsm(PppProtocol.IPCP, 'IPCP', this.ipcpOptions, this.limits, this.layerEvents(
      (now) => this.ipcpUp(now),
      () => undefined,
      (now) => this.ipcpFinished(now),
    ));

    const policy = this.mppePolicy();
    if (policy) {
      this.ccpOptions = new CcpOptions(policy);
      this.ccp = layerFsm(
        PppProtocol.CCP,
        'CCP',
        this.ccpOptions,
        this.limits,
        this.layerEvents((now) => this.ccpUp(now), () => this.ccpDown(), (now) => this.ccpFinished(now)),
        ccpResetHandler(() => this.ccp!, () => this.data.resetRequested()),
      );
    }
  }

  get state(): PppPhase {
    return this.phase;
  }

  /** Lower layer up and administrative Open for LCP (RFC 1661 §4.3). */
  open(now: number): void {
    if (this.phase !== 'dead' || this.downEmitted) return;
    this.phase = 'establish';
    this.lcp.fsm.open(now);
    this.lcp.fsm.up(now);
    this.flush();
  }

  /** Administrative Close: LCP Terminate-Request; down follows the Terminate-Ack. */
  close(reason: string, now: number): void {
    if (this.downEmitted) return;
    this.fail('local-close', reason, now);
    this.flush();
  }

  /** The tunnel is gone: down at once. */
  lowerDown(now: number): void {
    if (!this.downEmitted) this.emitDown(this.closingReason() ?? { cause: 'lower-down', reason: 'the tunnel went down' }, now);
    this.lcp.fsm.down(now);
    this.flush();
  }

  /**
   * Server: the back end answered the `authenticate` output. peerAddress is the address IPCP gives
   * the peer; without one the login cannot go on and the session goes down.
   */
  authResult(result: AuthResult, peerAddress: string | undefined, now: number): void {
    const auth = this.authServer;
    if (this.downEmitted || !auth || auth.phase !== 'checking') return;
    const type = auth.type;
    const user = auth.pendingRequest?.username ?? '';
    const failure = refusal(type, user, result, peerAddress, this.serverMppe.mode === 'required');
    auth.finish(failure === undefined, failure === undefined ? result : { ...result, accepted: false });
    // The exchange is over: the session keeps only the answer, not the challenge, request and callbacks.
    this.authAnswer = auth.answered;
    this.authServer = undefined;
    if (failure) {
      this.log('uauth', `${AUTH_NAMES[type]} user ${user}: authentication failed (${failure.reason})`);
      this.fail(failure.cause, failure.reason, now);
    } else {
      this.log('uauth', `${AUTH_NAMES[type]} user ${user}: authentication succeeded${result.server ? ` (${result.server})` : ''}`);
      this.username = user;
      this.mppeKeys = keysMppe(type) ? result.mppeKeys : undefined;
      this.ipcpSettings.peerAddress = peerAddress;
      this.enterNetwork(now);
    }
    this.flush();
  }

  /**
   * A PPP frame from GRE; returns the IPv4 datagram it carries (decrypted), if any. MPPE decrypts
   * in place: the frame's encrypted octets are overwritten and the datagram is a view into it.
   */
  input(frame: Uint8Array, now: number): Uint8Array | undefined {
    // RFC 1661 §2 / §6.5-6.6: ff 03 may be elided, a protocol below 0x100 may take one octet.
    let offset = frame.length >= 2 && frame[0] === 0xff && frame[1] === 0x03 ? 2 : 0;
    if (frame.length <= offset) return this.discard();
    let protocol = frame[offset];
    if ((protocol & 1) === 1) offset += 1;
    else {
      if (frame.length < offset + 2 || (frame[offset + 1] & 1) === 0) return this.discard();
      protocol = (protocol << 8) | frame[offset + 1];
      offset += 2;
    }
    const info = frame.subarray(offset);
    if (protocol === PppProtocol.IP) {
      if (this.phase === 'open' && !this.data.encrypting) return info;
      return this.plainIpOutOfPlace(now);
    }
    if (protocol === PppProtocol.CompressedDatagram) {
      if (this.phase === 'open') return this.data.decrypt(info, now);
      if (this.phase === 'network' && this.data.decrypting) {
        // CCP is open, IPCP not yet: decrypt to stay in step (stateful mode) but deliver nothing.
        if (this.data.decrypt(info, now)) this.counters.discardedFrames++;
        return undefined;
      }
      return this.discard();
    }
    this.controlInput(protocol, info, now);
    this.flush();
    return undefined;
  }

  /** The PPP frame for an IPv4 datagram (MPPE-encrypted when MPPE is on), or undefined if not open. */
  encapsulateIp(packet: Uint8Array): Uint8Array | undefined {
    if (this.phase !== 'open') return undefined;
    return this.data.encapsulate(packet);
  }

  /**
   * encapsulateIp into `out` at `offset` (MAX_FRAME_OVERHEAD octets more than the datagram must
   * fit): where the frame ends, or -1 when it cannot be sent (as encapsulateIp's undefined).
   */
  encapsulateIpInto(packet: Uint8Array, out: Uint8Array, offset: number): number {
    if (this.phase !== 'open') return -1;
    return this.data.encapsulateInto(packet, out, offset);
  }

  handleTimeout(now: number): void {
    this.lcp.handleTimeout(now);
    if (!this.downEmitted) {
      this.ipcp.handleTimeout(now);
      this.ccp?.handleTimeout(now);
      this.authServer?.handleTimeout(now);
      this.authClient?.handleTimeout(now);
    }
    this.flush();
  }

  /** The earliest deadline of any layer. Runs after every frame, so it allocates nothing. */
  nextTimeout(): number | undefined {
    if (this.downEmitted) return this.lcp.fsm.deadline;
    let t = earlier(this.lcp.deadline, this.ipcp.deadline);
    t = earlier(t, this.ccp?.deadline);
    t = earlier(t, this.authServer?.deadline);
    return earlier(t, this.authClient?.deadline);
  }

  /** Outputs since the last drain, in order. When there are none this is a shared, frozen empty array. */
  drain(): PppOutput[] {
    if (this.outputs.length === 0) return NO_OUTPUTS as PppOutput[];
    return this.outputs.splice(0);
  }

  // --- data path helpers ---

  private discard(): undefined {
    this.counters.discardedFrames++;
    return undefined;
  }

  /** Plain IP while MPPE is on, before the link is open, or on a server that requires MPPE. */
  private plainIpOutOfPlace(now: number): undefined {
    if (this.server && this.mppeRequired && !this.mppe && (this.phase === 'network' || this.phase === 'open')) {
      // SPEC §5.3: PIX tears the session down ("protocol: 21, reason: mppe required but not active").
      this.fail('mppe-required', 'protocol: 21, reason: mppe required but not active', now);
      this.flush();
    }
    return this.discard();
  }

  // --- control path ---

  private controlInput(protocol: number, info: Uint8Array, now: number): void {
    switch (protocol) {
      case PppProtocol.LCP:
        // After down only the Terminate exchange goes on; nothing may restart LCP.
        if (this.downEmitted && info[0] !== ControlCode.TerminateRequest && info[0] !== ControlCode.TerminateAck) break;
        if (!this.lcp.fsm.input(info, now)) this.counters.discardedFrames++;
        return;
      case PppProtocol.PAP:
      case PppProtocol.CHAP:
        if (this.downEmitted || (!this.authServer && !this.authClient && !this.authAnswer)) break;
        this.authServer?.input(protocol, info);
        this.authClient?.input(protocol, info, now);
        this.repeatAuthAnswer(protocol, info);
        return;
      case PppProtocol.IPCP:
        if (!this.inNetworkPhase()) break;
        this.startIpcp(now); // the peer is not waiting for CCP
        if (!this.ipcp.input(info, now)) this.counters.discardedFrames++;
        return;
      case PppProtocol.CCP:
        if (!this.inNetworkPhase()) break;
        if (this.ccpActive) {
          if (!this.ccp!.input(info, now)) this.counters.discardedFrames++;
          return;
        }
        // No CCP on this link: "peer has no CCP" is what the peer should conclude (RFC 1661 §5.7).
        if (this.lcp.rejectProtocol(protocol, info)) {
          this.counters.protocolRejects++;
          return;
        }
        break;
      default:
        if (!this.downEmitted && this.lcp.rejectProtocol(protocol, info)) {
          this.counters.protocolRejects++;
          this.log('event', `Protocol-Reject sent for protocol 0x${protocol.toString(16).padStart(4, '0')}`);
          return;
        }
    }
    this.counters.discardedFrames++;
  }

  private repeatAuthAnswer(protocol: number, info: Uint8Array): void {
    const packet = this.authAnswer?.repeatFor(protocol, info);
    if (packet) this.sendControl(protocol, packet);
  }

  private inNetworkPhase(): boolean {
    return !this.downEmitted && (this.phase === 'network' || this.phase === 'open');
  }

  private sendControl(protocol: number, packet: Uint8Array): void {
    const out = new Uint8Array(4 + packet.length);
    writePppHeader(out, 0, protocol);
    out.set(packet, 4);
    this.outputs.push({ type: 'frame', frame: out });
  }

  private layerEvents(up: (now: number) => void, down: () => void, finished: (now: number) => void): LayerEvents {
    return {
      send: (p, packet) => this.sendControl(p, packet),
      up: (now) => this.defer(() => up(now)),
      down: () => this.defer(down),
      finished: (now) => this.defer(() => finished(now)),
    };
  }

  private defer(task: () => void): void {
    this.queue.push(task);
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let task = this.queue.shift(); task; task = this.queue.shift()) task();
    } finally {
      this.flushing = false;
    }
  }

  private log(category: 'error' | 'uauth' | 'event', message: string): void {
    this.outputs.push({ type: 'log', category, message });
  }

  // --- phases ---

  private lcpUp(now: number): void {
    if (this.downEmitted) return;
    const o = this.lcp.options;
    this.data.acfc = o.peerAcfc;
    this.data.pfc = o.peerPfc;
    this.ipcp.peerMru = o.peerMru;
    if (this.ccp) this.ccp.peerMru = o.peerMru;
    this.authType = this.server ? o.ackedAuth : o.peerAuth;
    this.log('event', `LCP open: authentication ${this.authType ? AUTH_NAMES[this.authType] : 'none'}, peer MRU ${o.peerMru}`);
    if (!this.authType) return this.enterNetwork(now);
    this.phase = 'authenticate';
    const common = { type: this.authType, random: this.options.random, restartMs: this.limits.restartMs, maxConfigure: this.limits.maxConfigure };
    if (this.server) {
      this.authServer = new AuthServer({ ...common, name: this.options.name ?? 'vpdn' }, {
        send: (p, packet) => this.sendControl(p, packet),
        authenticate: (request) => {
          this.log('uauth', `${AUTH_NAMES[request.method]} user ${request.username}: asking the aaa server`);
          this.outputs.push({ type: 'authenticate', request });
        },
        timedOut: (t) => this.defer(() => this.fail('auth-failed', 'the peer did not authenticate in time', t)),
        log: (message) => this.log('uauth', message),
      });
      this.authServer.start(now);
    } else {
      this.authClient = new AuthClient({ ...common, username: this.username, password: this.options.password ?? '' }, {
        send: (p, packet) => this.sendControl(p, packet),
        finished: (outcome, t) => this.defer(() => this.clientAuthFinished(outcome, t)),
      });
      this.authClient.start(now);
    }
  }

  private clientAuthFinished(outcome: AuthClientOutcome, now: number): void {
    if (this.downEmitted) return;
    if (!outcome.success) {
      this.log('uauth', `authentication failed: ${outcome.reason}`);
      this.fail('auth-failed', outcome.reason, now, WindowsError.AuthenticationFailed);
      return;
    }
    this.log('uauth', `${AUTH_NAMES[this.authType!]} authentication succeeded${outcome.message ? `: ${outcome.message}` : ''}`);
    this.mppeKeys = outcome.mppeKeys;
    this.enterNetwork(now);
  }

  private enterNetwork(now: number): void {
    this.phase = 'network';
    if (!this.server && this.mppeRequired && !this.mppeKeys) {
      const how = this.authType ? AUTH_NAMES[this.authType] : 'no authentication';
      this.fail('mppe-required', `MPPE is required but ${how} yields no MPPE keys`, now, WindowsError.EncryptionRequired);
      return;
    }
    this.ccpActive = this.ccp !== undefined && this.mppeKeys !== undefined;
    if (this.ccp && !this.ccpActive) {
      const why = keysMppe(this.authType) ? 'the aaa server returned no MPPE keys' : `${this.authType ? AUTH_NAMES[this.authType] : 'no authentication'} yields no MPPE keys`;
      this.log('event', `MPPE not possible: ${why}; continuing without encryption`);
    }
    this.ipcpStarted = false;
    this.ccpSettled = !this.ccpActive;
    if (this.ccpActive) {
      this.ccp!.open(now);
      this.ccp!.up(now);
    } else {
      this.startIpcp(now);
    }
  }

  /**
   * IPCP starts once CCP has settled, or when the peer starts IPCP first. A peer that requires
   * MPPE (pppd) holds IPCP Closed until CCP is up and answers an early Configure-Request with
   * Terminate-Ack (RFC 1661 §4.1, Closed state), which would leave ours waiting a Restart time.
   */
  private startIpcp(now: number): void {
    if (this.ipcpStarted) return;
    this.ipcpStarted = true;
    this.ipcp.open(now);
    this.ipcp.up(now);
  }

  private lcpDown(now: number): void {
    const backEndAsked = this.authServer?.phase === 'checking';
    this.authServer = undefined;
    this.authAnswer = undefined;
    this.authClient = undefined;
    this.ipcp.down(now);
    this.ccp?.down(now);
    this.dropCiphers();
    const renegotiating = this.lcp.fsm.state === 'req-sent' || this.lcp.fsm.state === 'ack-sent' || this.lcp.fsm.state === 'ack-rcvd';
    if (this.downEmitted || this.closing || !renegotiating) return;
    // RFC 1661 §3.2: a Configure-Request on an opened link goes back to Link Establishment. Before
    // the back end was asked that costs nothing: authenticate again once LCP is open. pptp-linux
    // causes it when its call came up late and it then delivers every Configure-Request pppd
    // queued meanwhile. Later (an address given, accounting started) the session ends instead.
    const early = (this.phase === 'establish' || this.phase === 'authenticate') && !backEndAsked;
    if (early && this.earlyRenegotiations < MAX_EARLY_RENEGOTIATIONS) {
      this.earlyRenegotiations++;
      this.phase = 'establish';
      this.authType = null;
      this.log('event', 'the peer renegotiated LCP before authentication completed; authenticating again once LCP is open');
      return;
    }
    this.fail('lcp-failed', 'the peer renegotiated LCP on an open link', now);
  }

  private lcpTerminateRequested(before: FsmState, now: number): void {
    if (this.downEmitted || before === 'closing' || before === 'closed' || before === 'stopping' || before === 'stopped') return;
    const text = this.lcp.fsm.peerTerminateReason;
    const said = text && text.length > 0 ? `: "${Buffer.from(text).toString('latin1')}"` : '';
    let down: DownReason = { cause: 'peer-terminated', reason: `the peer sent LCP Terminate-Request${said}` };
    if (!this.server && this.phase === 'establish' && this.lcp.options.refusedAuth) {
      down = { cause: 'no-common-auth', reason: `no common authentication protocol${said}`, windowsError: WindowsError.NoCommonProtocols };
    } else if (!this.server && this.phase === 'authenticate') {
      down = { cause: 'auth-failed', reason: `the server ended the link during authentication${said}`, windowsError: WindowsError.AuthenticationFailed };
    }
    this.emitDown(this.closing ?? down, now);
  }

  /** Why we are closing, if we are: our own failure, or LCP giving up negotiation. */
  private closingReason(): DownReason | undefined {
    if (this.closing) return this.closing;
    const failure = this.lcp.options.failure;
    if (!failure && !this.server && this.phase === 'establish' && this.lcp.options.refusedAuth) {
      return { cause: 'no-common-auth', reason: 'no common authentication protocol', windowsError: WindowsError.NoCommonProtocols };
    }
    if (!failure) return undefined;
    return { ...failure, windowsError: failure.cause === 'no-common-auth' ? WindowsError.NoCommonProtocols : undefined };
  }

  private lcpFinished(now: number): void {
    if (this.downEmitted) return;
    const client = !this.server;
    const closing = this.closingReason();
    if (closing) return this.emitDown(closing, now);
    this.emitDown({ cause: 'lcp-failed', reason: 'LCP negotiation failed (no answer or no agreement)', windowsError: client ? WindowsError.NoCommonProtocols : undefined }, now);
  }

  private protocolRejected(protocol: number, now: number): void {
    this.log('event', `the peer Protocol-Rejected 0x${protocol.toString(16).padStart(4, '0')}`);
    if (protocol === PppProtocol.CCP && this.ccpActive) {
      this.ccpProtocolRejected = true;
      this.ccp!.protocolRejected(now);
    } else if (protocol === PppProtocol.IPCP) {
      this.ipcp.protocolRejected(now);
    }
  }

  private ipcpUp(now: number): void {
    if (this.downEmitted) return;
    if (!this.server && !assignedAddress(this.ipcpOptions.localAddress)) {
      this.fail('ipcp-failed', 'the server gave no IP address', now);
      return;
    }
    this.checkUp(now);
  }

  private ipcpFinished(now: number): void {
    if (!this.inNetworkPhase()) return;
    this.fail('ipcp-failed', this.ipcpOptions.failure ?? 'IPCP did not come up', now);
  }

  private ccpUp(now: number): void {
    if (this.downEmitted || !this.mppeKeys) return;
    const receive = this.ccpOptions!.receive;
    const transmit = this.ccpOptions!.transmit;
    this.data.startMppe(this.mppeKeys, receive, transmit);
    this.mppe = receive && transmit ? { bits: transmit.bits, stateless: transmit.stateless } : null;
    if (this.mppe) this.log('event', `MPPE ${this.mppe.bits}-bit ${this.mppe.stateless ? 'stateless' : 'stateful'} on`);
    else this.log('error', 'CCP opened without MPPE in both directions');
    this.ccpSettled = true;
    this.startIpcp(now);
    this.checkUp(now);
  }

  private ccpDown(): void {
    this.dropCiphers();
    if (this.inNetworkPhase()) this.ccpSettled = false;
  }

  private ccpFinished(now: number): void {
    if (!this.inNetworkPhase()) return;
    this.dropCiphers();
    this.ccpSettled = true;
    const why = this.ccpProtocolRejected ? 'the peer Protocol-Rejected CCP' : (this.ccpOptions!.failure ?? 'CCP negotiation failed');
    if (this.server && this.mppeRequired) return this.fail('mppe-required', `mppe required but not active: ${why}`, now);
    if (!this.server && this.mppeRequired) {
      return this.fail('ccp-rejected', `encryption required but not agreed: ${why}`, now, WindowsError.EncryptionRequired);
    }
    this.log('event', `MPPE not negotiated (${why}); continuing without encryption`);
    this.startIpcp(now);
    this.checkUp(now);
  }

  private checkUp(now: number): void {
    if (this.phase !== 'network' || this.downEmitted || !this.ipcp.opened || !this.ccpSettled) return;
    if (this.mppeRequired && !this.mppe) {
      if (this.server) return this.fail('mppe-required', 'mppe required but not active', now);
      return this.fail('ccp-rejected', 'encryption required but MPPE is not on in both directions', now, WindowsError.EncryptionRequired);
    }
    this.phase = 'open';
    this.data.encrypting = this.mppe !== null;
    const o = this.ipcpOptions;
    const client = !this.server;
    const info: PppUpInfo = {
      authType: this.authType,
      username: this.username,
      peerAddress: o.peerAddress,
      localAddress: o.localAddress,
      dns: client ? o.givenNameServers('dns') : [...this.ipcpSettings.dns],
      nbns: client ? o.givenNameServers('nbns') : [...this.ipcpSettings.nbns],
      mppe: this.mppe,
      mtu: this.lcp.options.peerMru - (this.mppe ? MPPE_OVERHEAD : 0),
    };
    this.log('event', `network up: ${info.localAddress} <-> ${info.peerAddress}, MPPE ${info.mppe ? `${info.mppe.bits}-bit` : 'none'}`);
    this.outputs.push({ type: 'up', info });
  }

  /** Go down for a reason: close LCP (Terminate-Request); down is emitted when LCP finishes. */
  private fail(cause: PppDownCause, reason: string, now: number, windowsError?: number): void {
    if (this.downEmitted) return;
    if (!this.closing) {
      this.closing = { cause, reason, windowsError: this.server ? undefined : windowsError };
      this.log(cause === 'local-close' ? 'event' : 'error', reason);
    }
    this.phase = 'terminate';
    this.lcp.fsm.close(now, reason);
    const s = this.lcp.fsm.state;
    if (s === 'initial' || s === 'closed') this.emitDown(this.closing, now);
  }

  private emitDown(down: DownReason, now: number): void {
    if (this.downEmitted) return;
    this.downEmitted = true;
    this.phase = 'dead';
    this.authServer = undefined;
    this.authAnswer = undefined;
    this.authClient = undefined;
    this.dropCiphers();
    this.ipcp.down(now);
    this.ccp?.down(now);
    if (down !== this.closing) this.log(down.cause === 'peer-terminated' || down.cause === 'lower-down' ? 'event' : 'error', down.reason);
    const windowsError = this.server ? undefined : down.windowsError;
    this.outputs.push(windowsError === undefined ? { type: 'down', cause: down.cause, reason: down.reason } : { type: 'down', cause: down.cause, reason: down.reason, windowsError });
  }

  private dropCiphers(): void {
    this.data.stopMppe();
    this.mppe = null;
  }

  /** The MPPE policy this side negotiates with, or undefined if it never runs CCP. */
  private mppePolicy(): { allow40: boolean; allow128: boolean; stateless: 'prefer' | 'require' | 'refuse' } | undefined {
    if (this.server) {
      const { mode, bits, stateless } = this.serverMppe;
      if (mode === 'none') return undefined;
      return { allow40: bits !== 128, allow128: bits !== 40, stateless: stateless ?? 'prefer' };
    }
    const c = this.clientMppe;
    if (c.mode === 'none' || (!c.allow40 && !c.allow128)) return undefined;
    return { allow40: c.allow40, allow128: c.allow128, stateless: c.stateless };
  }
}

function earlier(a: number | undefined, b: number | undefined): number | undefined {
  return b !== undefined && (a === undefined || b < a) ? b : a;
}
