/**
 * Sans-IO PPTP control connection (RFC 2637 §2-3) for both roles. Bytes from TCP go in with
 * receive(), time with handleTimeout()/nextTimeout(), and everything it wants done comes out of
 * drain(): bytes to send, decisions to make (start-request, call-request), call and connection
 * changes and debug lines. Malformed or unexpected input is answered or logged, never thrown.
 */
import { isDecodeError } from '../wire/errors.js';
import { encodeControlMessage } from '../wire/pptp-codec.js';
import {
  DISCONNECT_RESULT_TEXT,
  DisconnectResult,
  EchoResult,
  GENERAL_ERROR_TEXT,
  GeneralErrorCode,
  IncomingCallResult,
  OUTGOING_CALL_RESULT_TEXT,
  OutgoingCallResult,
  PPTP_PROTOCOL_VERSION,
  START_RESULT_TEXT,
  STOP_REASON_TEXT,
  StartResult,
  StopReason,
  StopResult,
  codeText,
  ControlMessageType as T,
} from '../wire/pptp-constants.js';
import type {
  CallClearRequest,
  CallDisconnectNotify,
  EchoReply,
  IncomingCallRequest,
  OutgoingCallReply,
  OutgoingCallRequest,
  PptpControlMessage,
  SetLinkInfo,
  StartControlConnectionReply,
  StartControlConnectionRequest,
  WanErrorNotify,
} from '../wire/pptp-messages.js';
import { ControlStreamDecoder } from '../wire/pptp-stream.js';
import type {
  CallInfo,
  CallState,
  ControlState,
  PlaceCallOptions,
  PptpControlEvent,
  PptpControlOptions,
  PptpDebug,
  PptpRole,
  WanErrors,
} from './control-types.js';
import { abbreviation, describeControlMessage, hexPreview } from './debug.js';

interface Call {
  callId: number | undefined;
  peerCallId: number | undefined;
  state: CallState;
  callSerialNumber: number;
  receiveWindow: number;
  peerReceiveWindow: number;
  peerPacketProcessingDelay: number;
  connectSpeed: number;
  sendAccm: number;
  receiveAccm: number;
  wanErrors: WanErrors | undefined;
  /** When a pending state times out (RFC 2637 §3.2.1). */
  deadline: number | undefined;
}

interface PeerInfo {
  hostName: string;
  vendorString: string;
  firmwareRevision: number;
  protocolVersion: number;
  framingCapabilities: number;
  bearerCapabilities: number;
  maximumChannels: number;
}

const PIX_STATE: Record<ControlState, string> = {
  idle: 'idle',
  'wait-ctl-reply': 'wt-sccrp',
  established: 'estabd',
  'wait-stop-reply': 'wt-stop-reply',
  closed: 'closed',
};

function checkCallId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffff) throw new RangeError(`call id ${id} is not 16-bit`);
}

export class PptpControlConnection {
  readonly role: PptpRole;
  readonly tunnelId: number;
  /** `debug vpdn packets|events` for this connection; may be switched at any time. */
  readonly debug: PptpDebug;
  private readonly options: Required<Omit<PptpControlOptions, 'debug'>>;
  private readonly decoder = new ControlStreamDecoder();
  private out: PptpControlEvent[] = [];
  private current: ControlState = 'idle';
  private now: number;
  private readonly byLocal = new Map<number, Call>();
  private readonly byPeer = new Map<number, Call>();
  private peerInfo: PeerInfo | undefined;
  /** PAC: an SCCRQ is waiting for acceptControl()/rejectControl(). */
  private startPending = false;
  private setupDeadline: number | undefined;
  private stopDeadline: number | undefined;
  private lastReceived: number;
  private noCallSince: number;
  private echoIdentifier = 0;
  private echoDeadline: number | undefined;
  private serial = 0;

  constructor(options: PptpControlOptions, now: number) {
    this.role = options.role;
    this.tunnelId = options.tunnelId;
    this.debug = { packets: false, events: false, ...options.debug };
    this.options = {
      role: options.role,
      tunnelId: options.tunnelId,
      hostName: options.hostName ?? 'vpdn',
      vendorString: options.vendorString ?? 'vpdn',
      firmwareRevision: options.firmwareRevision ?? 1,
      maximumChannels: options.maximumChannels ?? (options.role === 'pac' ? 65535 : 0),
      echoInterval: options.echoInterval ?? 60_000,
      echoTimeout: options.echoTimeout ?? 60_000,
      idleTimeout: options.idleTimeout ?? 10_000,
      replyTimeout: options.replyTimeout ?? 60_000,
      receiveWindow: options.receiveWindow ?? 64,
      packetProcessingDelay: options.packetProcessingDelay ?? 0,
    };
    this.now = now;
    this.lastReceived = now;
    this.noCallSince = now;
    // A PAC waits for the peer's SCCRQ (RFC 2637 §3.1.4 item 1, shortened to idleTimeout).
    if (this.role === 'pac') this.setupDeadline = now + this.options.idleTimeout;
  }

  get state(): ControlState {
    return this.current;
  }

  /** The peer's SCCRQ/SCCRP fields once they arrived. */
  get peer(): Readonly<PeerInfo> | undefined {
    return this.peerInfo;
  }

  /**
   * Every call, pending ones included, in creation order: keyed by the id that exists from the
   * call's start and is unique in the tunnel, the peer's on a PAC (OCRQ) and ours on a PNS. No
   * third collection: a held tunnel pays for each one.
   */
  private get calls(): Map<number, Call> {
    return this.role === 'pac' ? this.byPeer : this.byLocal;
  }

  get callCount(): number {
    return this.calls.size;
  }

  /** Snapshot of every call, pending ones included. */
  listCalls(): CallInfo[] {
    return [...this.calls.values()].map((c) => ({ ...c }));
  }

  /** A call by our call id. */
  call(callId: number): CallInfo | undefined {
    const c = this.byLocal.get(callId);
    return c && { ...c };
  }

  /** Everything produced since the last drain(), in order. */
  drain(): PptpControlEvent[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Bytes read from the TCP connection. */
  receive(bytes: Uint8Array, now: number): void {
    if (this.current === 'closed') return;
    this.now = now;
    if (this.debug.packets) this.log('packets', `${this.tnl()}cc rcv ${bytes.length} bytes of data`);
    this.decoder.push(bytes);
    while (this.state !== 'closed') {
      const m = this.decoder.next();
      if (m === undefined) return;
      if (isDecodeError(m)) {
        // Loss of synchronization closes the connection at once (RFC 2637 §1.4).
        this.log('error', `${this.tnl()}bad control message, ${m}`);
        this.close(`bad control message: ${m}`);
        return;
      }
      this.lastReceived = now;
      if (this.debug.packets) {
        this.log('packets', `${this.tnl()}CC I ${hexPreview(this.decoder.lastBytes!)}`);
        this.log('packets', `${this.tnl()}CC I ${abbreviation(m)}`);
        for (const line of describeControlMessage(m)) this.log('packets', `${this.tnl()}${line}`);
      }
      this.dispatch(m);
    }
  }

  /** PNS: open the control connection with an SCCRQ (RFC 2637 §3.1.1). */
  start(now: number): void {
    this.now = now;
    if (this.role !== 'pns' || this.current !== 'idle' || this.setupDeadline !== undefined) return;
    this.send({
      messageType: T.StartControlConnectionRequest,
      protocolVersion: PPTP_PROTOCOL_VERSION,
      framingCapabilities: 1,
      bearerCapabilities: 1,
      maximumChannels: this.options.maximumChannels,
      firmwareRevision: this.options.firmwareRevision,
      hostName: this.options.hostName,
      vendorString: this.options.vendorString,
    });
    this.setState('wait-ctl-reply');
    this.setupDeadline = now + this.options.idleTimeout;
  }

  /** PAC: accept the pending SCCRQ. */
  acceptControl(now: number = this.now): boolean {
    this.now = now;
    if (!this.startPending || this.current !== 'idle') return false;
    this.startPending = false;
    this.sendStartReply(StartResult.Success, GeneralErrorCode.None);
    this.log('events', `${this.tnl()}SCCRQ-ok -> state change wt-sccrq to estabd`);
    this.becomeEstablished(now);
    return true;
  }

  /** PAC: refuse the pending SCCRQ (e.g. result 2 + error 4 No-Resource at a session limit), then close. */
  rejectControl(resultCode: number, errorCode: number = GeneralErrorCode.None, now: number = this.now): boolean {
    this.now = now;
    if (!this.startPending || this.current !== 'idle') return false;
    this.startPending = false;
    this.sendStartReply(resultCode, errorCode);
    this.close(`Start-Control-Connection-Request refused: result ${codeText(START_RESULT_TEXT, resultCode)}`);
    return true;
  }

  /** PNS: ask the PAC to place a call with our `localCallId` (RFC 2637 §2.7, §3.2.4.2). */
  placeCall(localCallId: number, now: number, options: PlaceCallOptions = {}): boolean {
    checkCallId(localCallId);
    this.now = now;
    if (this.role !== 'pns' || this.current !== 'established' || this.byLocal.has(localCallId)) return false;
    const call = this.addCall(localCallId, undefined, 'wait-reply', options.callSerialNumber ?? (++this.serial & 0xffff));
    call.deadline = now + this.options.replyTimeout;
    const phoneNumber = options.phoneNumber ?? '';
    this.send({
      messageType: T.OutgoingCallRequest,
      callId: localCallId,
      callSerialNumber: call.callSerialNumber,
      minimumBps: options.minimumBps ?? 300,
      maximumBps: options.maximumBps ?? 100_000_000,
      bearerType: options.bearerType ?? 3,
      framingType: options.framingType ?? 3,
      packetRecvWindowSize: call.receiveWindow,
      packetProcessingDelay: this.options.packetProcessingDelay,
      phoneNumberLength: phoneNumber.length,
      phoneNumber,
      subaddress: options.subaddress ?? '',
    });
    return true;
  }

  /** PAC: accept the call the peer asked for in its OCRQ, under our `localCallId`. */
  acceptCall(
    peerCallId: number,
    localCallId: number,
    receiveWindow: number = this.options.receiveWindow,
    now: number = this.now,
  ): boolean {
    checkCallId(localCallId);
    this.now = now;
    const call = this.byPeer.get(peerCallId);
    if (!call || call.state !== 'wait-cs-ans' || this.byLocal.has(localCallId)) return false;
    call.callId = localCallId;
    call.state = 'established';
    call.deadline = undefined;
    call.receiveWindow = receiveWindow;
    this.byLocal.set(localCallId, call);
    this.send(this.outgoingCallReply(localCallId, peerCallId, OutgoingCallResult.Connected, 0, call.connectSpeed));
    this.log('events', `${this.tnlCl(localCallId)}vacc-ok -> state change wt-vacc to estabd`);
    this.emitConnected(call);
    return true;
  }

  /** PAC: refuse the pending OCRQ with an Outgoing-Call-Reply result (RFC 2637 §2.8), e.g. 4 Busy. */
  rejectCall(peerCallId: number, resultCode: number, errorCode: number = GeneralErrorCode.None, now: number = this.now): boolean {
    this.now = now;
    const call = this.byPeer.get(peerCallId);
    if (!call || call.state !== 'wait-cs-ans') return false;
    this.send(this.outgoingCallReply(0, peerCallId, resultCode, errorCode, 0));
    this.removeCall(call, `Outgoing-Call-Request refused: result ${codeText(OUTGOING_CALL_RESULT_TEXT, resultCode)}`);
    return true;
  }

  /**
   * Clear one of our calls: a PAC sends Call-Disconnect-Notify with `resultCode` (default 3 Admin
   * Shutdown) and forgets the call; a PNS sends Call-Clear-Request and waits for the CDN.
   */
  clearCall(callId: number, reason: string, now: number, resultCode: number = DisconnectResult.AdminShutdown): boolean {
    this.now = now;
    const call = this.byLocal.get(callId);
    if (!call) return false;
    this.log('events', `PPTP: Call id ${callId}, reason: ${reason}, call cleared`);
    if (this.role === 'pac') {
      this.send(this.callDisconnectNotify(callId, resultCode));
      this.removeCall(call, reason);
    } else if (call.state !== 'wait-disconnect') {
      this.send({ messageType: T.CallClearRequest, callId });
      call.state = 'wait-disconnect';
      call.deadline = now + this.options.replyTimeout;
    }
    return true;
  }

  /** PNS: tell the PAC the ACCMs PPP negotiated (RFC 2637 §2.15). */
  setLinkInfo(callId: number, sendAccm: number, receiveAccm: number, now: number = this.now): boolean {
    this.now = now;
    const call = this.byLocal.get(callId);
    if (!call || call.peerCallId === undefined || this.current !== 'established') return false;
    this.send({ messageType: T.SetLinkInfo, peerCallId: call.peerCallId, sendAccm, receiveAccm });
    return true;
  }

  /**
   * Local termination (RFC 2637 §3.1.1): a PAC first sends Call-Disconnect-Notify (Admin Shutdown)
   * for its calls, then Stop-Control-Connection-Request, and waits for the reply.
   */
  stop(reason: string, now: number, stopReason: number = StopReason.None): void {
    this.now = now;
    if (this.current === 'closed' || this.current === 'wait-stop-reply') return;
    if (this.current !== 'established') {
      this.close(reason);
      return;
    }
    this.log('events', `${this.tnl()}${reason}, tunnel terminated`);
    for (const call of [...this.calls.values()]) {
      if (this.role === 'pac' && call.callId !== undefined) {
        this.send(this.callDisconnectNotify(call.callId, DisconnectResult.AdminShutdown));
      }
      this.removeCall(call, reason);
    }
    this.send({ messageType: T.StopControlConnectionRequest, reason: stopReason });
    this.setState('wait-stop-reply');
    this.stopDeadline = now + this.options.replyTimeout;
  }

  /** The TCP connection went away underneath us. */
  connectionLost(reason: string, now: number): void {
    this.now = now;
    if (this.current !== 'closed') this.close(reason);
  }

  /** When handleTimeout() next has work, or undefined when nothing is timed. */
  nextTimeout(): number | undefined {
    if (this.current === 'closed') return undefined;
    let t = Infinity;
    const at = (d: number | undefined) => {
      if (d !== undefined && d < t) t = d;
    };
    at(this.setupDeadline);
    if (this.current === 'wait-stop-reply') at(this.stopDeadline);
    if (this.current === 'established') {
      at(this.echoDeadline);
      if (this.echoDeadline === undefined && this.options.echoInterval > 0) {
        at(this.lastReceived + this.options.echoInterval);
      }
      if (this.role === 'pac' && this.calls.size === 0) at(this.noCallSince + this.options.idleTimeout);
      for (const call of this.calls.values()) at(call.deadline);
    }
    return t === Infinity ? undefined : t;
  }

  /** Runs whatever timers expired by `now`. */
  handleTimeout(now: number): void {
    this.now = now;
    const o = this.options;
    if (this.current === 'closed') return;
    if (this.setupDeadline !== undefined && now >= this.setupDeadline) {
      const what = this.role === 'pac' ? 'Start-Control-Connection-Request' : 'Start-Control-Connection-Reply';
      this.log('error', `${this.tnl()}no ${what} within ${o.idleTimeout / 1000} s`);
      this.close(`no ${what} within ${o.idleTimeout / 1000} s`);
      return;
    }
    if (this.current === 'wait-stop-reply' && this.stopDeadline !== undefined && now >= this.stopDeadline) {
      this.close('no Stop-Control-Connection-Reply');
      return;
    }
    if (this.current !== 'established') return;
    if (this.echoDeadline !== undefined && now >= this.echoDeadline) {
      // RFC 2637 §3.1.4 item 2: no Echo-Reply in time, close the control connection.
      this.log('error', `${this.tnl()}no Echo-Reply within ${o.echoTimeout / 1000} s`);
      this.close(`no Echo-Reply within ${o.echoTimeout / 1000} s`);
      return;
    }
    if (this.echoDeadline === undefined && o.echoInterval > 0 && now >= this.lastReceived + o.echoInterval) {
      this.echoIdentifier = (this.echoIdentifier + 1) >>> 0;
      this.send({ messageType: T.EchoRequest, identifier: this.echoIdentifier });
      this.echoDeadline = now + o.echoTimeout;
    }
    if (this.role === 'pac' && this.calls.size === 0 && now >= this.noCallSince + o.idleTimeout) {
      this.log('error', `${this.tnl()}no Outgoing-Call-Request within ${o.idleTimeout / 1000} s`);
      this.stop(`no Outgoing-Call-Request within ${o.idleTimeout / 1000} s`, now);
      return;
    }
    for (const call of [...this.calls.values()]) {
      if (call.deadline === undefined || now < call.deadline) continue;
      if (call.state === 'wait-cs-ans') {
        // RFC 2637 §3.2.4.1: a timer expired on an outbound call, reply with an error.
        this.send(this.outgoingCallReply(0, call.peerCallId!, OutgoingCallResult.TimeOut, 0, 0));
        this.removeCall(call, 'no decision on the Outgoing-Call-Request in time');
      } else {
        // RFC 2637 §3.2.1: a call state stuck for a minute means the whole connection is suspect.
        const what = call.state === 'wait-reply' ? 'Outgoing-Call-Reply' : 'Call-Disconnect-Notify';
        this.log('error', `${this.tnlCl(call.callId!)}no ${what}`);
        this.close(`no ${what} for call ${call.callId}`);
        return;
      }
    }
  }

  private dispatch(m: PptpControlMessage): void {
    switch (m.messageType) {
      case T.StartControlConnectionRequest:
        return this.onStartRequest(m);
      case T.StartControlConnectionReply:
        return this.onStartReply(m);
      case T.StopControlConnectionRequest:
        this.send({ messageType: T.StopControlConnectionReply, resultCode: StopResult.Ok, errorCode: 0 });
        this.close(`peer sent Stop-Control-Connection-Request, reason ${codeText(STOP_REASON_TEXT, m.reason)}`);
        return;
      case T.StopControlConnectionReply:
        if (this.current === 'wait-stop-reply') this.close('Stop-Control-Connection-Reply received');
        else this.unexpected(m);
        return;
      case T.EchoRequest: {
        const ok = this.current === 'established' || this.current === 'wait-stop-reply';
        this.send({
          messageType: T.EchoReply,
          identifier: m.identifier,
          resultCode: ok ? EchoResult.Ok : EchoResult.GeneralError,
          errorCode: ok ? GeneralErrorCode.None : GeneralErrorCode.NotConnected,
        });
        return;
      }
      case T.EchoReply:
        return this.onEchoReply(m);
      case T.OutgoingCallRequest:
        return this.onOutgoingCallRequest(m);
      case T.OutgoingCallReply:
        return this.onOutgoingCallReply(m);
      case T.IncomingCallRequest:
        return this.onIncomingCallRequest(m);
      case T.CallClearRequest:
        return this.onCallClearRequest(m);
      case T.CallDisconnectNotify:
        return this.onCallDisconnectNotify(m);
      case T.WanErrorNotify:
        return this.onWanErrorNotify(m);
      case T.SetLinkInfo:
        return this.onSetLinkInfo(m);
      default:
        // Incoming-Call-Reply and -Connected answer an ICRQ, which we never send.
        return this.unexpected(m);
    }
  }

  private onStartRequest(m: StartControlConnectionRequest): void {
    if (this.role === 'pns' || this.current !== 'idle' || this.startPending) {
      // A second SCCRQ on a control connection (RFC 2637 §2.2 result 3).
      this.log('error', `${this.tnl()}SCCRQ in state ${this.current}, answered "already exists"`);
      this.sendStartReply(StartResult.ChannelExists, GeneralErrorCode.None);
      return;
    }
    this.peerInfo = {
      hostName: m.hostName,
      vendorString: m.vendorString,
      firmwareRevision: m.firmwareRevision,
      protocolVersion: m.protocolVersion,
      framingCapabilities: m.framingCapabilities,
      bearerCapabilities: m.bearerCapabilities,
      maximumChannels: m.maximumChannels,
    };
    if (m.protocolVersion < PPTP_PROTOCOL_VERSION) {
      // An earlier version we cannot speak: reply and close (RFC 2637 §3.1.2).
      this.sendStartReply(StartResult.BadProtocolVersion, GeneralErrorCode.None);
      this.close(`protocol version 0x${m.protocolVersion.toString(16)} not supported`);
      return;
    }
    this.startPending = true;
    this.out.push({
      type: 'start-request',
      protocolVersion: m.protocolVersion,
      framingCapabilities: m.framingCapabilities,
      bearerCapabilities: m.bearerCapabilities,
      maximumChannels: m.maximumChannels,
      firmwareRevision: m.firmwareRevision,
      hostName: m.hostName,
      vendorString: m.vendorString,
    });
  }

  private onStartReply(m: StartControlConnectionReply): void {
    if (this.role !== 'pns' || this.current !== 'wait-ctl-reply') return this.unexpected(m);
    this.setupDeadline = undefined;
    if (m.resultCode !== StartResult.Success) {
      this.close(
        `Start-Control-Connection-Reply: result ${codeText(START_RESULT_TEXT, m.resultCode)}, ` +
          `error ${codeText(GENERAL_ERROR_TEXT, m.errorCode)}`,
      );
      return;
    }
    this.peerInfo = {
      hostName: m.hostName,
      vendorString: m.vendorString,
      firmwareRevision: m.firmwareRevision,
      protocolVersion: m.protocolVersion,
      framingCapabilities: m.framingCapabilities,
      bearerCapabilities: m.bearerCapabilities,
      maximumChannels: m.maximumChannels,
    };
    if (m.protocolVersion < PPTP_PROTOCOL_VERSION) {
      // Earlier and unsupported: Stop-Control-Connection-Request, reason Stop-Protocol (RFC 2637 §3.1.1).
      this.send({ messageType: T.StopControlConnectionRequest, reason: StopReason.StopProtocol });
      this.setState('wait-stop-reply');
      this.stopDeadline = this.now + this.options.replyTimeout;
      return;
    }
    this.log('events', `${this.tnl()}SCCRP-ok -> state change wt-sccrp to estabd`);
    this.becomeEstablished(this.now);
  }

  private onEchoReply(m: EchoReply): void {
    if (this.echoDeadline === undefined) return this.unexpected(m);
    if (m.identifier !== this.echoIdentifier) {
      this.log('error', `${this.tnl()}Echo-Reply identifier ${m.identifier}, sent ${this.echoIdentifier}`);
    }
    this.echoDeadline = undefined;
  }

  private onOutgoingCallRequest(m: OutgoingCallRequest): void {
    let refusal: [number, number] | undefined;
    if (this.role === 'pns') refusal = [OutgoingCallResult.DoNotAccept, GeneralErrorCode.None];
    else if (this.current !== 'established') refusal = [OutgoingCallResult.GeneralError, GeneralErrorCode.NotConnected];
    else if (this.byPeer.has(m.callId)) refusal = [OutgoingCallResult.GeneralError, GeneralErrorCode.BadCallId];
    if (refusal) {
      // RFC 2637 §2.16: Not-Connected before SCCRQ/SCCRP, Bad-Call ID for a call id in use.
      this.log('error', `${this.tnl()}OCRQ for call id ${m.callId} refused in state ${this.current}`);
      this.send(this.outgoingCallReply(0, m.callId, refusal[0], refusal[1], 0));
      return;
    }
    const call = this.addCall(undefined, m.callId, 'wait-cs-ans', m.callSerialNumber);
    call.peerReceiveWindow = m.packetRecvWindowSize;
    call.peerPacketProcessingDelay = m.packetProcessingDelay;
    call.connectSpeed = m.maximumBps;
    call.deadline = this.now + this.options.replyTimeout;
    this.out.push({
      type: 'call-request',
      peerCallId: m.callId,
      callSerialNumber: m.callSerialNumber,
      minimumBps: m.minimumBps,
      maximumBps: m.maximumBps,
      bearerType: m.bearerType,
      framingType: m.framingType,
      peerReceiveWindow: m.packetRecvWindowSize,
      peerPacketProcessingDelay: m.packetProcessingDelay,
      phoneNumber: m.phoneNumber,
      subaddress: m.subaddress,
    });
  }

  private onOutgoingCallReply(m: OutgoingCallReply): void {
    const call = this.role === 'pns' ? this.byLocal.get(m.peerCallId) : undefined;
    if (!call || call.state !== 'wait-reply') return this.unexpected(m);
    if (m.resultCode !== OutgoingCallResult.Connected) {
      this.removeCall(
        call,
        `Outgoing-Call-Reply: result ${codeText(OUTGOING_CALL_RESULT_TEXT, m.resultCode)}, ` +
          `error ${codeText(GENERAL_ERROR_TEXT, m.errorCode)}`,
      );
      return;
    }
    call.peerCallId = m.callId;
    call.state = 'established';
    call.deadline = undefined;
    call.peerReceiveWindow = m.packetRecvWindowSize;
    call.peerPacketProcessingDelay = m.packetProcessingDelay;
    call.connectSpeed = m.connectSpeed;
    this.byPeer.set(m.callId, call);
    this.log('events', `${this.tnlCl(call.callId!)}OCRP-ok -> state change wt-ocrp to estabd`);
    this.emitConnected(call);
  }

  private onIncomingCallRequest(m: IncomingCallRequest): void {
    // vpdn takes no incoming calls (RFC 2637 §3.2.3): Do Not Accept, or Not-Connected before SCCRP.
    const established = this.current === 'established';
    this.log('events', `${this.tnl()}ICRQ for call id ${m.callId} not accepted`);
    this.send({
      messageType: T.IncomingCallReply,
      callId: 0,
      peerCallId: m.callId,
      resultCode: established ? IncomingCallResult.DoNotAccept : IncomingCallResult.GeneralError,
      errorCode: established ? GeneralErrorCode.None : GeneralErrorCode.NotConnected,
      packetRecvWindowSize: this.options.receiveWindow,
      packetTransmitDelay: this.options.packetProcessingDelay,
    });
  }

  private onCallClearRequest(m: CallClearRequest): void {
    // The Call ID is the PNS's (RFC 2637 §2.12); the PAC answers with a CDN (§3.2.4.1).
    const call = this.role === 'pac' ? this.byPeer.get(m.callId) : undefined;
    if (!call) return this.unexpected(m);
    this.send(this.callDisconnectNotify(call.callId ?? 0, DisconnectResult.Request));
    this.removeCall(call, 'peer sent Call-Clear-Request');
  }

  private onCallDisconnectNotify(m: CallDisconnectNotify): void {
    // The Call ID is the PAC's (RFC 2637 §2.13).
    const call = this.role === 'pns' ? this.byPeer.get(m.callId) : undefined;
    if (!call) return this.unexpected(m);
    this.removeCall(
      call,
      `Call-Disconnect-Notify: result ${codeText(DISCONNECT_RESULT_TEXT, m.resultCode)}, ` +
        `error ${codeText(GENERAL_ERROR_TEXT, m.errorCode)}, cause ${m.causeCode}`,
    );
  }

  private onWanErrorNotify(m: WanErrorNotify): void {
    // The Peer's Call ID is the one the PNS assigned (RFC 2637 §2.14).
    const call = this.role === 'pns' ? this.byLocal.get(m.peerCallId) : this.byPeer.get(m.peerCallId);
    if (!call) return this.unexpected(m);
    const { messageType: _type, peerCallId: _id, ...errors } = m;
    call.wanErrors = errors;
    this.log('events', `${this.tnl()}WAN-Error-Notify for call id ${m.peerCallId}, crc ${m.crcErrors}`);
    this.out.push({ type: 'wan-error-notify', callId: call.callId, peerCallId: call.peerCallId, ...errors });
  }

  private onSetLinkInfo(m: SetLinkInfo): void {
    // The Peer's Call ID is the PAC's (RFC 2637 §2.15); some peers put their own there.
    const call =
      this.role === 'pac'
        ? (this.byLocal.get(m.peerCallId) ?? this.byPeer.get(m.peerCallId))
        : (this.byPeer.get(m.peerCallId) ?? this.byLocal.get(m.peerCallId));
    if (!call || call.callId === undefined) return this.unexpected(m);
    // The ACCMs matter only on async serial links; a packet tunnel records and ignores them.
    call.sendAccm = m.sendAccm;
    call.receiveAccm = m.receiveAccm;
    this.out.push({
      type: 'set-link-info',
      callId: call.callId,
      peerCallId: call.peerCallId,
      sendAccm: m.sendAccm,
      recvAccm: m.receiveAccm,
    });
  }

  private unexpected(m: PptpControlMessage): void {
    this.log('error', `${this.tnl()}unexpected ${abbreviation(m)} in state ${this.current}, ignored`);
  }

  private becomeEstablished(now: number): void {
    this.setupDeadline = undefined;
    this.setState('established');
    this.lastReceived = now;
    this.noCallSince = now;
    const p = this.peerInfo!;
    this.out.push({
      type: 'established',
      peerHostName: p.hostName,
      peerVendor: p.vendorString,
      peerFirmwareRevision: p.firmwareRevision,
      peerProtocolVersion: p.protocolVersion,
      peerFramingCapabilities: p.framingCapabilities,
      peerBearerCapabilities: p.bearerCapabilities,
      peerMaximumChannels: p.maximumChannels,
    });
  }

  private addCall(callId: number | undefined, peerCallId: number | undefined, state: CallState, serial: number): Call {
    const call: Call = {
      callId,
      peerCallId,
      state,
      callSerialNumber: serial,
      receiveWindow: this.options.receiveWindow,
      peerReceiveWindow: 0,
      peerPacketProcessingDelay: 0,
      connectSpeed: 0,
      sendAccm: 0xffffffff,
      receiveAccm: 0xffffffff,
      wanErrors: undefined,
      deadline: undefined,
    };
    if (callId !== undefined) this.byLocal.set(callId, call);
    if (peerCallId !== undefined) this.byPeer.set(peerCallId, call);
    return call;
  }

  private removeCall(call: Call, reason: string): void {
    const key = this.role === 'pac' ? call.peerCallId : call.callId;
    if (key === undefined || this.calls.get(key) !== call) return;
    if (call.callId !== undefined) this.byLocal.delete(call.callId);
    if (call.peerCallId !== undefined) this.byPeer.delete(call.peerCallId);
    if (this.calls.size === 0) this.noCallSince = this.now;
    this.out.push({ type: 'call-cleared', callId: call.callId, peerCallId: call.peerCallId, reason });
  }

  private emitConnected(call: Call): void {
    this.out.push({
      type: 'call-connected',
      callId: call.callId!,
      peerCallId: call.peerCallId!,
      callSerialNumber: call.callSerialNumber,
      receiveWindow: call.receiveWindow,
      peerReceiveWindow: call.peerReceiveWindow,
      peerPacketProcessingDelay: call.peerPacketProcessingDelay,
      connectSpeed: call.connectSpeed,
    });
  }

  private close(reason: string): void {
    for (const call of [...this.calls.values()]) this.removeCall(call, reason);
    this.log('events', `${this.tnl()}state change ${PIX_STATE[this.current]} to closed, ${reason}`);
    this.current = 'closed';
    this.startPending = false;
    this.setupDeadline = this.stopDeadline = this.echoDeadline = undefined;
    this.out.push({ type: 'closed', reason });
  }

  private setState(next: ControlState): void {
    if (next !== this.current && next !== 'established') {
      this.log('events', `${this.tnl()}state change ${PIX_STATE[this.current]} to ${PIX_STATE[next]}`);
    }
    this.current = next;
  }

  private sendStartReply(resultCode: number, errorCode: number): void {
    this.send({
      messageType: T.StartControlConnectionReply,
      protocolVersion: PPTP_PROTOCOL_VERSION,
      resultCode,
      errorCode,
      framingCapabilities: 3,
      bearerCapabilities: 3,
      maximumChannels: this.options.maximumChannels,
      firmwareRevision: this.options.firmwareRevision,
      hostName: this.options.hostName,
      vendorString: this.options.vendorString,
    });
  }

  private outgoingCallReply(
    callId: number,
    peerCallId: number,
    resultCode: number,
    errorCode: number,
    connectSpeed: number,
  ): OutgoingCallReply {
    return {
      messageType: T.OutgoingCallReply,
      callId,
      peerCallId,
      resultCode,
      errorCode,
      causeCode: 0,
      connectSpeed,
      packetRecvWindowSize: this.byPeer.get(peerCallId)?.receiveWindow ?? this.options.receiveWindow,
      packetProcessingDelay: this.options.packetProcessingDelay,
      physicalChannelId: 0,
    };
  }

  private callDisconnectNotify(callId: number, resultCode: number): CallDisconnectNotify {
    return { messageType: T.CallDisconnectNotify, callId, resultCode, errorCode: 0, causeCode: 0, callStatistics: '' };
  }

  private send(m: PptpControlMessage): void {
    const bytes = encodeControlMessage(m);
    if (this.debug.packets) {
      this.log('packets', `${this.tnl()}CC O ${abbreviation(m)}`);
      this.log('packets', `${this.tnl()}cc snddata, Len=${bytes.length}, data: ${hexPreview(bytes)}`);
    }
    this.out.push({ type: 'send', bytes });
  }

  private log(category: 'events' | 'packets' | 'error', message: string): void {
    if (category === 'error' || this.debug[category]) this.out.push({ type: 'log', category, message });
  }

  private tnl(): string {
    return `Tnl ${this.tunnelId} PPTP: `;
  }

  private tnlCl(callId: number): string {
    return `Tnl/Cl ${this.tunnelId}/${callId} PPTP: `;
  }
}
