/** Options, states, call records and output events of PptpControlConnection. */

/** 'pac' answers SCCRQ and OCRQ (vpdn serve); 'pns' sends them (vpdn dial). RFC 2637 §1.2, SPEC §8. */
export type PptpRole = 'pac' | 'pns';

/** Control connection states (RFC 2637 §3.1.1-3.1.2) plus 'closed' once the TCP connection must go. */
export type ControlState = 'idle' | 'wait-ctl-reply' | 'established' | 'wait-stop-reply' | 'closed';

/**
 * Call states: PAC outgoing calls wait-cs-ans → established (RFC 2637 §3.2.4.1); PNS outgoing calls
 * wait-reply → established → wait-disconnect (§3.2.4.2).
 */
export type CallState = 'wait-cs-ans' | 'wait-reply' | 'established' | 'wait-disconnect';

export interface PptpControlOptions {
  role: PptpRole;
  /** Our number for this control connection, printed as `Tnl N` in debug lines. */
  tunnelId: number;
  /** Host Name and Vendor String we send (RFC 2637 §2.1-2.2). */
  hostName?: string;
  vendorString?: string;
  firmwareRevision?: number;
  /** Sent in SCCRP; the PNS sends 0 (RFC 2637 §2.2). Default 65535 for a PAC. */
  maximumChannels?: number;
  /** Echo-Request after this long without a control message, ms (RFC 2637 §3.1.4). Default 60000, 0 = never. */
  echoInterval?: number;
  /** Close when the Echo-Reply does not come within this, ms (RFC 2637 §3.1.4). Default 60000. */
  echoTimeout?: number;
  /** Close a connection that sends no SCCRQ/SCCRP, or (PAC) no OCRQ, within this, ms. Default 10000. */
  idleTimeout?: number;
  /** Expected replies and pending call states time out after this, ms (RFC 2637 §3, §3.2.1). Default 60000. */
  replyTimeout?: number;
  /** Packet Recv. Window Size we advertise (RFC 2637 §2.7-2.8). Default 64. */
  receiveWindow?: number;
  /** Packet Processing Delay we advertise, in 1/10 s (RFC 2637 §2.7-2.8). Default 0. */
  packetProcessingDelay?: number;
  /** Debug categories switched on at start (they can be changed later on `debug`). */
  debug?: Partial<PptpDebug>;
}

/** `debug vpdn packets|events`; errors are always reported. */
export interface PptpDebug {
  packets: boolean;
  events: boolean;
}

/** What PlaceCall sends in the OCRQ (RFC 2637 §2.7); defaults are what Windows sends. */
export interface PlaceCallOptions {
  callSerialNumber?: number;
  minimumBps?: number;
  maximumBps?: number;
  bearerType?: number;
  framingType?: number;
  phoneNumber?: string;
  subaddress?: string;
}

/** Counters of a WAN-Error-Notify (RFC 2637 §2.14). */
export interface WanErrors {
  crcErrors: number;
  framingErrors: number;
  hardwareOverruns: number;
  bufferOverruns: number;
  timeoutErrors: number;
  alignmentErrors: number;
}

/** One call as the engine tracks it. */
export interface CallInfo {
  /** Our call id; undefined for a PAC call the owner has not accepted yet. */
  readonly callId: number | undefined;
  /** The peer's call id; undefined for a PNS call until the OCRP arrives. */
  readonly peerCallId: number | undefined;
  readonly state: CallState;
  readonly callSerialNumber: number;
  /** Windows and delays each side announced (RFC 2637 §2.7-2.8). */
  readonly receiveWindow: number;
  readonly peerReceiveWindow: number;
  readonly peerPacketProcessingDelay: number;
  readonly connectSpeed: number;
  /** From the last Set-Link-Info (RFC 2637 §2.15); 0xffffffff until one arrives. */
  readonly sendAccm: number;
  readonly receiveAccm: number;
  readonly wanErrors: WanErrors | undefined;
}

export type PptpControlEvent =
  /** Write these bytes to the TCP connection. */
  | { type: 'send'; bytes: Uint8Array }
  /** PAC: an SCCRQ arrived; answer with acceptControl() or rejectControl(). */
  | {
      type: 'start-request';
      protocolVersion: number;
      framingCapabilities: number;
      bearerCapabilities: number;
      maximumChannels: number;
      firmwareRevision: number;
      hostName: string;
      vendorString: string;
    }
  /** The control connection is up. */
  | {
      type: 'established';
      peerHostName: string;
      peerVendor: string;
      peerFirmwareRevision: number;
      peerProtocolVersion: number;
      peerFramingCapabilities: number;
      peerBearerCapabilities: number;
      peerMaximumChannels: number;
    }
  /** PAC: an OCRQ arrived; answer with acceptCall() or rejectCall(). */
  | {
      type: 'call-request';
      peerCallId: number;
      callSerialNumber: number;
      minimumBps: number;
      maximumBps: number;
      bearerType: number;
      framingType: number;
      peerReceiveWindow: number;
      peerPacketProcessingDelay: number;
      phoneNumber: string;
      subaddress: string;
    }
  /** A call is up: PAC after acceptCall(), PNS when the OCRP said Connected. Start its GreChannel. */
  | {
      type: 'call-connected';
      callId: number;
      peerCallId: number;
      callSerialNumber: number;
      receiveWindow: number;
      peerReceiveWindow: number;
      peerPacketProcessingDelay: number;
      connectSpeed: number;
    }
  /** A call is gone (callId undefined: a PAC call that was never accepted). */
  | { type: 'call-cleared'; callId: number | undefined; peerCallId: number | undefined; reason: string }
  /** Set-Link-Info arrived (RFC 2637 §2.15): recorded, nothing to do on a packet link. */
  | { type: 'set-link-info'; callId: number; peerCallId: number | undefined; sendAccm: number; recvAccm: number }
  /** WAN-Error-Notify arrived (RFC 2637 §2.14): recorded on the call. */
  | ({ type: 'wan-error-notify'; callId: number | undefined; peerCallId: number | undefined } & WanErrors)
  /** Close the TCP connection now; nothing more will come out. */
  | { type: 'closed'; reason: string }
  /** A debug line; 'packets' and 'events' only when switched on in `debug`. */
  | { type: 'log'; category: 'events' | 'packets' | 'error'; message: string };
