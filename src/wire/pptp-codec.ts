/**
 * PPTP control message codec (RFC 2637 §2). Pure: decode returns a message or a DecodeError and
 * never reads outside the bytes it is given; encode returns one new buffer of the exact length.
 */
import { DecodeError, type Decoded } from './errors.js';
import {
  CONTROL_MESSAGE_LENGTH,
  ControlMessageType as T,
  PPTP_HEADER_LENGTH,
  PPTP_MAGIC_COOKIE,
  PptpMessageType,
} from './pptp-constants.js';
import type { PptpControlMessage } from './pptp-messages.js';

const VALID_LENGTHS = new Set(CONTROL_MESSAGE_LENGTH.filter((n) => n > 0));

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** A NUL-padded string field: the octets before the first NUL, as Latin-1. */
function text(b: Uint8Array, o: number, size: number): string {
  let end = o;
  const limit = o + size;
  while (end < limit && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + o, end - o).toString('latin1');
}

/**
 * Checks the fixed header (RFC 2637 §1.4) of the message starting at `offset`, as far as the bytes
 * up to `end` allow. Returns the message length once Length, PPTP Message Type, Magic Cookie and
 * Control Message Type are all present and agree; undefined while more bytes are needed.
 */
export function inspectControlHeader(b: Uint8Array, offset = 0, end = b.length): Decoded<number> | undefined {
  const available = end - offset;
  if (available < 2) return undefined;
  const length = u16(b, offset);
  if (!VALID_LENGTHS.has(length)) {
    return new DecodeError('PPTP', 'length', `${length} is not the length of any control message`);
  }
  if (available < 4) return undefined;
  const pptpType = u16(b, offset + 2);
  if (pptpType !== PptpMessageType.Control) {
    return new DecodeError('PPTP', 'pptpMessageType', `${pptpType} is not 1 (control message)`);
  }
  if (available < 8) return undefined;
  const cookie = u32(b, offset + 4);
  if (cookie !== PPTP_MAGIC_COOKIE) {
    return new DecodeError('PPTP', 'magicCookie', `0x${cookie.toString(16)} is not 0x1a2b3c4d`);
  }
  if (available < 10) return undefined;
  const type = u16(b, offset + 8);
  if (type < 1 || type > 15) {
    return new DecodeError('PPTP', 'controlMessageType', `${type} is not a control message type`);
  }
  if (CONTROL_MESSAGE_LENGTH[type] !== length) {
    return new DecodeError('PPTP', 'length', `${length} is wrong for type ${type} (${CONTROL_MESSAGE_LENGTH[type]})`);
  }
  return length;
}

/** Decodes exactly one control message; trailing or missing bytes are an error. */
export function decodeControlMessage(b: Uint8Array): Decoded<PptpControlMessage> {
  const length = inspectControlHeader(b, 0, b.length);
  if (length === undefined) {
    return new DecodeError('PPTP', 'length', `${b.length} bytes is shorter than a header`);
  }
  if (typeof length !== 'number') return length;
  if (b.length !== length) {
    return new DecodeError('PPTP', 'length', `message says ${length} bytes, got ${b.length}`);
  }
  return decodeBody(b, 0);
}

/** The body of a message whose header inspectControlHeader() accepted and whose bytes are all present. */
export function decodeBody(b: Uint8Array, o: number): PptpControlMessage {
  const type = u16(b, o + 8);
  const p = o + PPTP_HEADER_LENGTH;
  switch (type) {
    case T.StartControlConnectionRequest:
      return {
        messageType: T.StartControlConnectionRequest,
        protocolVersion: u16(b, p),
        framingCapabilities: u32(b, p + 4),
        bearerCapabilities: u32(b, p + 8),
        maximumChannels: u16(b, p + 12),
        firmwareRevision: u16(b, p + 14),
        hostName: text(b, p + 16, 64),
        vendorString: text(b, p + 80, 64),
      };
    case T.StartControlConnectionReply:
      return {
        messageType: T.StartControlConnectionReply,
        protocolVersion: u16(b, p),
        resultCode: b[p + 2],
        errorCode: b[p + 3],
        framingCapabilities: u32(b, p + 4),
        bearerCapabilities: u32(b, p + 8),
        maximumChannels: u16(b, p + 12),
        firmwareRevision: u16(b, p + 14),
        hostName: text(b, p + 16, 64),
        vendorString: text(b, p + 80, 64),
      };
    case T.StopControlConnectionRequest:
      return { messageType: T.StopControlConnectionRequest, reason: b[p] };
    case T.StopControlConnectionReply:
      return { messageType: T.StopControlConnectionReply, resultCode: b[p], errorCode: b[p + 1] };
    case T.EchoRequest:
      return { messageType: T.EchoRequest, identifier: u32(b, p) };
    case T.EchoReply:
      return { messageType: T.EchoReply, identifier: u32(b, p), resultCode: b[p + 4], errorCode: b[p + 5] };
    case T.OutgoingCallRequest:
      return {
        messageType: T.OutgoingCallRequest,
        callId: u16(b, p),
        callSerialNumber: u16(b, p + 2),
        minimumBps: u32(b, p + 4),
        maximumBps: u32(b, p + 8),
        bearerType: u32(b, p + 12),
        framingType: u32(b, p + 16),
        packetRecvWindowSize: u16(b, p + 20),
        packetProcessingDelay: u16(b, p + 22),
        phoneNumberLength: u16(b, p + 24),
        phoneNumber: text(b, p + 28, 64),
        subaddress: text(b, p + 92, 64),
      };
    case T.OutgoingCallReply:
      return {
        messageType: T.OutgoingCallReply,
        callId: u16(b, p),
        peerCallId: u16(b, p + 2),
        resultCode: b[p + 4],
        errorCode: b[p + 5],
        causeCode: u16(b, p + 6),
        connectSpeed: u32(b, p + 8),
        packetRecvWindowSize: u16(b, p + 12),
        packetProcessingDelay: u16(b, p + 14),
        physicalChannelId: u32(b, p + 16),
      };
    case T.IncomingCallRequest:
      return {
        messageType: T.IncomingCallRequest,
        callId: u16(b, p),
        callSerialNumber: u16(b, p + 2),
        callBearerType: u32(b, p + 4),
        physicalChannelId: u32(b, p + 8),
        dialedNumberLength: u16(b, p + 12),
        dialingNumberLength: u16(b, p + 14),
        dialedNumber: text(b, p + 16, 64),
        dialingNumber: text(b, p + 80, 64),
        subaddress: text(b, p + 144, 64),
      };
    case T.IncomingCallReply:
      return {
        messageType: T.IncomingCallReply,
        callId: u16(b, p),
        peerCallId: u16(b, p + 2),
        resultCode: b[p + 4],
        errorCode: b[p + 5],
        packetRecvWindowSize: u16(b, p + 6),
        packetTransmitDelay: u16(b, p + 8),
      };
    case T.IncomingCallConnected:
      return {
        messageType: T.IncomingCallConnected,
        peerCallId: u16(b, p),
        connectSpeed: u32(b, p + 4),
        packetRecvWindowSize: u16(b, p + 8),
        packetTransmitDelay: u16(b, p + 10),
        framingType: u32(b, p + 12),
      };
    case T.CallClearRequest:
      return { messageType: T.CallClearRequest, callId: u16(b, p) };
    case T.CallDisconnectNotify:
      return {
        messageType: T.CallDisconnectNotify,
        callId: u16(b, p),
        resultCode: b[p + 2],
        errorCode: b[p + 3],
        causeCode: u16(b, p + 4),
        callStatistics: text(b, p + 8, 128),
      };
    case T.WanErrorNotify:
      return {
        messageType: T.WanErrorNotify,
        peerCallId: u16(b, p),
        crcErrors: u32(b, p + 4),
        framingErrors: u32(b, p + 8),
        hardwareOverruns: u32(b, p + 12),
        bufferOverruns: u32(b, p + 16),
        timeoutErrors: u32(b, p + 20),
        alignmentErrors: u32(b, p + 24),
      };
    default:
      return { messageType: T.SetLinkInfo, peerCallId: u16(b, p), sendAccm: u32(b, p + 4), receiveAccm: u32(b, p + 8) };
  }
}

/** Encodes one message into a new buffer of its exact length (RFC 2637 §2). */
export function encodeControlMessage(m: PptpControlMessage): Uint8Array {
  const length = CONTROL_MESSAGE_LENGTH[m.messageType];
  const b = new Uint8Array(length);
  const v = new DataView(b.buffer);
  v.setUint16(0, length);
  v.setUint16(2, PptpMessageType.Control);
  v.setUint32(4, PPTP_MAGIC_COOKIE);
  v.setUint16(8, m.messageType);
  const p = PPTP_HEADER_LENGTH;
  // Latin-1: one octet per character, cut at the field size.
  const str = (o: number, size: number, s: string) => {
    for (let i = 0; i < size && i < s.length; i++) b[o + i] = s.charCodeAt(i) & 0xff;
  };
  switch (m.messageType) {
    case T.StartControlConnectionRequest:
    case T.StartControlConnectionReply:
      v.setUint16(p, m.protocolVersion);
      if (m.messageType === T.StartControlConnectionReply) {
        v.setUint8(p + 2, m.resultCode);
        v.setUint8(p + 3, m.errorCode);
      }
      v.setUint32(p + 4, m.framingCapabilities);
      v.setUint32(p + 8, m.bearerCapabilities);
      v.setUint16(p + 12, m.maximumChannels);
      v.setUint16(p + 14, m.firmwareRevision);
      str(p + 16, 64, m.hostName);
      str(p + 80, 64, m.vendorString);
      break;
    case T.StopControlConnectionRequest:
      v.setUint8(p, m.reason);
      break;
    case T.StopControlConnectionReply:
      v.setUint8(p, m.resultCode);
      v.setUint8(p + 1, m.errorCode);
      break;
    case T.EchoRequest:
      v.setUint32(p, m.identifier);
      break;
    case T.EchoReply:
      v.setUint32(p, m.identifier);
      v.setUint8(p + 4, m.resultCode);
      v.setUint8(p + 5, m.errorCode);
      break;
    case T.OutgoingCallRequest:
      v.setUint16(p, m.callId);
      v.setUint16(p + 2, m.callSerialNumber);
      v.setUint32(p + 4, m.minimumBps);
      v.setUint32(p + 8, m.maximumBps);
      v.setUint32(p + 12, m.bearerType);
      v.setUint32(p + 16, m.framingType);
      v.setUint16(p + 20, m.packetRecvWindowSize);
      v.setUint16(p + 22, m.packetProcessingDelay);
      v.setUint16(p + 24, m.phoneNumberLength);
      str(p + 28, 64, m.phoneNumber);
      str(p + 92, 64, m.subaddress);
      break;
    case T.OutgoingCallReply:
      v.setUint16(p, m.callId);
      v.setUint16(p + 2, m.peerCallId);
      v.setUint8(p + 4, m.resultCode);
      v.setUint8(p + 5, m.errorCode);
      v.setUint16(p + 6, m.causeCode);
      v.setUint32(p + 8, m.connectSpeed);
      v.setUint16(p + 12, m.packetRecvWindowSize);
      v.setUint16(p + 14, m.packetProcessingDelay);
      v.setUint32(p + 16, m.physicalChannelId);
      break;
    case T.IncomingCallRequest:
      v.setUint16(p, m.callId);
      v.setUint16(p + 2, m.callSerialNumber);
      v.setUint32(p + 4, m.callBearerType);
      v.setUint32(p + 8, m.physicalChannelId);
      v.setUint16(p + 12, m.dialedNumberLength);
      v.setUint16(p + 14, m.dialingNumberLength);
      str(p + 16, 64, m.dialedNumber);
      str(p + 80, 64, m.dialingNumber);
      str(p + 144, 64, m.subaddress);
      break;
    case T.IncomingCallReply:
      v.setUint16(p, m.callId);
      v.setUint16(p + 2, m.peerCallId);
      v.setUint8(p + 4, m.resultCode);
      v.setUint8(p + 5, m.errorCode);
      v.setUint16(p + 6, m.packetRecvWindowSize);
      v.setUint16(p + 8, m.packetTransmitDelay);
      break;
    case T.IncomingCallConnected:
      v.setUint16(p, m.peerCallId);
      v.setUint32(p + 4, m.connectSpeed);
      v.setUint16(p + 8, m.packetRecvWindowSize);
      v.setUint16(p + 10, m.packetTransmitDelay);
      v.setUint32(p + 12, m.framingType);
      break;
    case T.CallClearRequest:
      v.setUint16(p, m.callId);
      break;
    case T.CallDisconnectNotify:
      v.setUint16(p, m.callId);
      v.setUint8(p + 2, m.resultCode);
      v.setUint8(p + 3, m.errorCode);
      v.setUint16(p + 4, m.causeCode);
      str(p + 8, 128, m.callStatistics);
      break;
    case T.WanErrorNotify:
      v.setUint16(p, m.peerCallId);
      v.setUint32(p + 4, m.crcErrors);
      v.setUint32(p + 8, m.framingErrors);
      v.setUint32(p + 12, m.hardwareOverruns);
      v.setUint32(p + 16, m.bufferOverruns);
      v.setUint32(p + 20, m.timeoutErrors);
      v.setUint32(p + 24, m.alignmentErrors);
      break;
    case T.SetLinkInfo:
      v.setUint16(p, m.peerCallId);
      v.setUint32(p + 4, m.sendAccm);
      v.setUint32(p + 8, m.receiveAccm);
      break;
  }
  return b;
}
