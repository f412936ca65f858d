/**
 * PIX-style `debug vpdn packets` lines for control messages, as the seed's debug output shows them:
 * `Tnl 9 PPTP: CC I 009c00011a2b3c4d...`, `Tnl 9 PPTP: firmware rev 0x870`, `vendor "..."`.
 */
import { toHex } from '../wire/bytes.js';
import {
  CONTROL_MESSAGE_ABBREVIATION,
  DISCONNECT_RESULT_TEXT,
  GENERAL_ERROR_TEXT,
  INCOMING_CALL_RESULT_TEXT,
  OUTGOING_CALL_RESULT_TEXT,
  START_RESULT_TEXT,
  STOP_REASON_TEXT,
  STOP_RESULT_TEXT,
  codeText,
  ControlMessageType as T,
} from '../wire/pptp-constants.js';
import type { PptpControlMessage } from '../wire/pptp-messages.js';

/** PIX prints the first 22 bytes of a message, then `...`. */
export function hexPreview(bytes: Uint8Array, count = 22): string {
  const hex = toHex(bytes.subarray(0, count));
  return bytes.length > count ? `${hex}...` : hex;
}

const hex = (n: number) => `0x${n.toString(16)}`;
const quoted = (s: string) => `"${s}"`;
const error = (n: number) => `error ${codeText(GENERAL_ERROR_TEXT, n)}`;

/** One line per field, in the words PIX uses where the seed shows them (SCCRQ, OCRQ). */
export function describeControlMessage(m: PptpControlMessage): string[] {
  switch (m.messageType) {
    case T.StartControlConnectionRequest:
    case T.StartControlConnectionReply: {
      const lines = [`protocol version ${hex(m.protocolVersion)}`];
      if (m.messageType === T.StartControlConnectionReply) {
        lines.push(`result ${codeText(START_RESULT_TEXT, m.resultCode)}`, error(m.errorCode));
      }
      lines.push(
        `framing caps ${hex(m.framingCapabilities)}`,
        `bearer caps ${hex(m.bearerCapabilities)}`,
        `max channels ${m.maximumChannels}`,
        `firmware rev ${hex(m.firmwareRevision)}`,
        `hostname ${quoted(m.hostName)}`,
        `vendor ${quoted(m.vendorString)}`,
      );
      return lines;
    }
    case T.StopControlConnectionRequest:
      return [`reason ${codeText(STOP_REASON_TEXT, m.reason)}`];
    case T.StopControlConnectionReply:
      return [`result ${codeText(STOP_RESULT_TEXT, m.resultCode)}`, error(m.errorCode)];
    case T.EchoRequest:
      return [`identifier ${m.identifier}`];
    case T.EchoReply:
      return [`identifier ${m.identifier}`, `result ${codeText(STOP_RESULT_TEXT, m.resultCode)}`, error(m.errorCode)];
    case T.OutgoingCallRequest:
      return [
        `call id ${hex(m.callId)}`,
        `serial num ${m.callSerialNumber}`,
        `min bps ${m.minimumBps}:${hex(m.minimumBps)}`,
        `max BPS ${m.maximumBps}:${hex(m.maximumBps)}`,
        `bearer type ${m.bearerType}`,
        `framing type ${m.framingType}`,
        `recv win size ${m.packetRecvWindowSize}`,
        `ppd ${m.packetProcessingDelay}`,
        `phone num Len ${m.phoneNumberLength}`,
        `phone num ${quoted(m.phoneNumber)}`,
      ];
    case T.OutgoingCallReply:
      return [
        `call id ${hex(m.callId)}`,
        `peer call id ${hex(m.peerCallId)}`,
        `result ${codeText(OUTGOING_CALL_RESULT_TEXT, m.resultCode)}`,
        error(m.errorCode),
        `cause ${m.causeCode}`,
        `connect speed ${m.connectSpeed}`,
        `recv win size ${m.packetRecvWindowSize}`,
        `ppd ${m.packetProcessingDelay}`,
        `phys channel id ${m.physicalChannelId}`,
      ];
    case T.IncomingCallRequest:
      return [
        `call id ${hex(m.callId)}`,
        `serial num ${m.callSerialNumber}`,
        `bearer type ${m.callBearerType}`,
        `phys channel id ${m.physicalChannelId}`,
        `dialed num ${quoted(m.dialedNumber)}`,
        `dialing num ${quoted(m.dialingNumber)}`,
      ];
    case T.IncomingCallReply:
      return [
        `call id ${hex(m.callId)}`,
        `peer call id ${hex(m.peerCallId)}`,
        `result ${codeText(INCOMING_CALL_RESULT_TEXT, m.resultCode)}`,
        error(m.errorCode),
        `recv win size ${m.packetRecvWindowSize}`,
        `ppd ${m.packetTransmitDelay}`,
      ];
    case T.IncomingCallConnected:
      return [
        `peer call id ${hex(m.peerCallId)}`,
        `connect speed ${m.connectSpeed}`,
        `recv win size ${m.packetRecvWindowSize}`,
        `ppd ${m.packetTransmitDelay}`,
        `framing type ${m.framingType}`,
      ];
    case T.CallClearRequest:
      return [`call id ${hex(m.callId)}`];
    case T.CallDisconnectNotify:
      return [
        `call id ${hex(m.callId)}`,
        `result ${codeText(DISCONNECT_RESULT_TEXT, m.resultCode)}`,
        error(m.errorCode),
        `cause ${m.causeCode}`,
        `call stats ${quoted(m.callStatistics)}`,
      ];
    case T.WanErrorNotify:
      return [
        `peer call id ${hex(m.peerCallId)}`,
        `crc errors ${m.crcErrors}, framing errors ${m.framingErrors}, hardware overruns ${m.hardwareOverruns}`,
        `buffer overruns ${m.bufferOverruns}, time-out errors ${m.timeoutErrors}, alignment errors ${m.alignmentErrors}`,
      ];
    case T.SetLinkInfo:
      return [`peer call id ${hex(m.peerCallId)}`, `send accm ${hex(m.sendAccm)}`, `recv accm ${hex(m.receiveAccm)}`];
  }
}

/** `SCCRQ`, `OCRP`, ... */
export function abbreviation(m: PptpControlMessage): string {
  return CONTROL_MESSAGE_ABBREVIATION[m.messageType];
}
