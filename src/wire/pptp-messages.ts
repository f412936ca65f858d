/**
 * The 15 PPTP control messages as typed values (RFC 2637 §2.1-2.15). Field names follow the RFC;
 * reserved fields are not represented (sent as 0, ignored on receipt). 64- and 128-octet string
 * fields are NUL-padded on the wire and carried here without the padding.
 */
import type { ControlMessageType as T } from './pptp-constants.js';

type Of<K extends keyof typeof T> = (typeof T)[K];

/** RFC 2637 §2.1. */
export interface StartControlConnectionRequest {
  messageType: Of<'StartControlConnectionRequest'>;
  protocolVersion: number;
  framingCapabilities: number;
  bearerCapabilities: number;
  maximumChannels: number;
  firmwareRevision: number;
  hostName: string;
  vendorString: string;
}

/** RFC 2637 §2.2. */
export interface StartControlConnectionReply {
  messageType: Of<'StartControlConnectionReply'>;
  protocolVersion: number;
  resultCode: number;
  errorCode: number;
  framingCapabilities: number;
  bearerCapabilities: number;
  maximumChannels: number;
  firmwareRevision: number;
  hostName: string;
  vendorString: string;
}

/** RFC 2637 §2.3. */
export interface StopControlConnectionRequest {
  messageType: Of<'StopControlConnectionRequest'>;
  reason: number;
}

/** RFC 2637 §2.4. */
export interface StopControlConnectionReply {
  messageType: Of<'StopControlConnectionReply'>;
  resultCode: number;
  errorCode: number;
}

/** RFC 2637 §2.5. */
export interface EchoRequest {
  messageType: Of<'EchoRequest'>;
  identifier: number;
}

/** RFC 2637 §2.6. */
export interface EchoReply {
  messageType: Of<'EchoReply'>;
  identifier: number;
  resultCode: number;
  errorCode: number;
}

/** RFC 2637 §2.7. */
export interface OutgoingCallRequest {
  messageType: Of<'OutgoingCallRequest'>;
  callId: number;
  callSerialNumber: number;
  minimumBps: number;
  maximumBps: number;
  bearerType: number;
  framingType: number;
  packetRecvWindowSize: number;
  packetProcessingDelay: number;
  phoneNumberLength: number;
  phoneNumber: string;
  subaddress: string;
}

/** RFC 2637 §2.8. */
export interface OutgoingCallReply {
  messageType: Of<'OutgoingCallReply'>;
  callId: number;
  peerCallId: number;
  resultCode: number;
  errorCode: number;
  causeCode: number;
  connectSpeed: number;
  packetRecvWindowSize: number;
  packetProcessingDelay: number;
  physicalChannelId: number;
}

/** RFC 2637 §2.9. */
export interface IncomingCallRequest {
  messageType: Of<'IncomingCallRequest'>;
  callId: number;
  callSerialNumber: number;
  callBearerType: number;
  physicalChannelId: number;
  dialedNumberLength: number;
  dialingNumberLength: number;
  dialedNumber: string;
  dialingNumber: string;
  subaddress: string;
}

/** RFC 2637 §2.10. */
export interface IncomingCallReply {
  messageType: Of<'IncomingCallReply'>;
  callId: number;
  peerCallId: number;
  resultCode: number;
  errorCode: number;
  packetRecvWindowSize: number;
  packetTransmitDelay: number;
}

/** RFC 2637 §2.11. */
export interface IncomingCallConnected {
  messageType: Of<'IncomingCallConnected'>;
  peerCallId: number;
  connectSpeed: number;
  packetRecvWindowSize: number;
  packetTransmitDelay: number;
  framingType: number;
}

/** RFC 2637 §2.12: Call ID is the one the PNS assigned. */
export interface CallClearRequest {
  messageType: Of<'CallClearRequest'>;
  callId: number;
}

/** RFC 2637 §2.13: Call ID is the one the PAC assigned. */
export interface CallDisconnectNotify {
  messageType: Of<'CallDisconnectNotify'>;
  callId: number;
  resultCode: number;
  errorCode: number;
  causeCode: number;
  callStatistics: string;
}

/** RFC 2637 §2.14: Peer's Call ID is the one the PNS assigned. */
export interface WanErrorNotify {
  messageType: Of<'WanErrorNotify'>;
  peerCallId: number;
  crcErrors: number;
  framingErrors: number;
  hardwareOverruns: number;
  bufferOverruns: number;
  timeoutErrors: number;
  alignmentErrors: number;
}

/** RFC 2637 §2.15: Peer's Call ID is the one the PAC assigned. */
export interface SetLinkInfo {
  messageType: Of<'SetLinkInfo'>;
  peerCallId: number;
  sendAccm: number;
  receiveAccm: number;
}

export type PptpControlMessage =
  | StartControlConnectionRequest
  | StartControlConnectionReply
  | StopControlConnectionRequest
  | StopControlConnectionReply
  | EchoRequest
  | EchoReply
  | OutgoingCallRequest
  | OutgoingCallReply
  | IncomingCallRequest
  | IncomingCallReply
  | IncomingCallConnected
  | CallClearRequest
  | CallDisconnectNotify
  | WanErrorNotify
  | SetLinkInfo;
