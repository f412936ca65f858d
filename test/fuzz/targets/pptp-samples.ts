/** One valid PPTP control message of each type (RFC 2637 §2), with the values Windows and PIX send. */
import {
  ControlMessageType as T,
  encodeControlMessage,
  type OutgoingCallReply,
  type OutgoingCallRequest,
  type PptpControlMessage,
  type StartControlConnectionReply,
} from '../../../src/wire/pptp.js';

export const SCCRQ: PptpControlMessage = {
  messageType: T.StartControlConnectionRequest,
  protocolVersion: 0x100,
  framingCapabilities: 1,
  bearerCapabilities: 1,
  maximumChannels: 0,
  firmwareRevision: 0x870,
  hostName: '',
  vendorString: 'Microsoft Windows NT',
};

export const OCRQ: OutgoingCallRequest = {
  messageType: T.OutgoingCallRequest,
  callId: 0x4000,
  callSerialNumber: 0xe4f5,
  minimumBps: 300,
  maximumBps: 100_000_000,
  bearerType: 3,
  framingType: 3,
  packetRecvWindowSize: 64,
  packetProcessingDelay: 0,
  phoneNumberLength: 0,
  phoneNumber: '',
  subaddress: '',
};

export const SCCRP: StartControlConnectionReply = {
  messageType: T.StartControlConnectionReply,
  protocolVersion: 0x100,
  resultCode: 1,
  errorCode: 0,
  framingCapabilities: 3,
  bearerCapabilities: 3,
  maximumChannels: 0,
  firmwareRevision: 0,
  hostName: 'PIX',
  vendorString: 'Cisco Systems, Inc.',
};

export const OCRP: OutgoingCallReply = {
  messageType: T.OutgoingCallReply,
  callId: 9,
  peerCallId: 0x4000,
  resultCode: 1,
  errorCode: 0,
  causeCode: 0,
  connectSpeed: 100_000_000,
  packetRecvWindowSize: 64,
  packetProcessingDelay: 0,
  physicalChannelId: 0,
};

export const OTHERS: PptpControlMessage[] = [
  { messageType: T.StopControlConnectionRequest, reason: 1 },
  { messageType: T.StopControlConnectionReply, resultCode: 1, errorCode: 0 },
  { messageType: T.EchoRequest, identifier: 7 },
  { messageType: T.EchoReply, identifier: 7, resultCode: 1, errorCode: 0 },
  {
    messageType: T.IncomingCallRequest,
    callId: 5,
    callSerialNumber: 1,
    callBearerType: 1,
    physicalChannelId: 0,
    dialedNumberLength: 3,
    dialingNumberLength: 3,
    dialedNumber: '123',
    dialingNumber: '456',
    subaddress: '',
  },
  { messageType: T.IncomingCallReply, callId: 9, peerCallId: 5, resultCode: 1, errorCode: 0, packetRecvWindowSize: 64, packetTransmitDelay: 0 },
  { messageType: T.IncomingCallConnected, peerCallId: 9, connectSpeed: 64000, packetRecvWindowSize: 64, packetTransmitDelay: 0, framingType: 1 },
  { messageType: T.CallClearRequest, callId: 0x4000 },
  { messageType: T.CallDisconnectNotify, callId: 9, resultCode: 3, errorCode: 0, causeCode: 0, callStatistics: 'stats' },
  { messageType: T.WanErrorNotify, peerCallId: 0x4000, crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 },
  { messageType: T.SetLinkInfo, peerCallId: 9, sendAccm: 0xffffffff, receiveAccm: 0xffffffff },
];

export const ALL_MESSAGES: PptpControlMessage[] = [SCCRQ, SCCRP, OCRQ, OCRP, ...OTHERS];

export function bytesOf(...ms: PptpControlMessage[]): Uint8Array {
  return new Uint8Array(Buffer.concat(ms.map((m) => Buffer.from(encodeControlMessage(m)))));
}

/** The magic cookie, the header of each type and the valid lengths: worth inserting anywhere. */
export function pptpDictionary(): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array([0x1a, 0x2b, 0x3c, 0x4d]), new Uint8Array([0x00, 0x01, 0x1a, 0x2b, 0x3c, 0x4d])];
  for (const m of ALL_MESSAGES) out.push(encodeControlMessage(m).subarray(0, 12));
  for (const n of [156, 16, 20, 168, 32, 220, 24, 28, 148, 40]) out.push(new Uint8Array([n >> 8, n & 255]));
  return out;
}
