/** PPTP control message numbers, lengths and code values (RFC 2637 §1.4, §2). */

/** TCP port of the control connection (RFC 2637 §1.4). */
export const PPTP_TCP_PORT = 1723;
/** Sent in every control message header; a mismatch means lost framing (RFC 2637 §1.4). */
export const PPTP_MAGIC_COOKIE = 0x1a2b3c4d;
/** Version 1, revision 0 (RFC 2637 §1.4). */
export const PPTP_PROTOCOL_VERSION = 0x0100;
/** Length of the header every control message starts with (RFC 2637 §2.1). */
export const PPTP_HEADER_LENGTH = 12;

/** PPTP Message Type field (RFC 2637 §1.4); management messages are not defined. */
export const PptpMessageType = { Control: 1, Management: 2 } as const;

/** Control Message Type field (RFC 2637 §1.4). */
export const ControlMessageType = {
  StartControlConnectionRequest: 1,
  StartControlConnectionReply: 2,
  StopControlConnectionRequest: 3,
  StopControlConnectionReply: 4,
  EchoRequest: 5,
  EchoReply: 6,
  OutgoingCallRequest: 7,
  OutgoingCallReply: 8,
  IncomingCallRequest: 9,
  IncomingCallReply: 10,
  IncomingCallConnected: 11,
  CallClearRequest: 12,
  CallDisconnectNotify: 13,
  WanErrorNotify: 14,
  SetLinkInfo: 15,
} as const;
export type ControlMessageType = (typeof ControlMessageType)[keyof typeof ControlMessageType];

/** Exact length of each control message, indexed by its type (RFC 2637 §2.1-2.15). */
export const CONTROL_MESSAGE_LENGTH: readonly number[] = [
  0, 156, 156, 16, 16, 16, 20, 168, 32, 220, 24, 28, 16, 148, 40, 24,
];

/** Short names as PIX debug output and most tools print them. */
export const CONTROL_MESSAGE_ABBREVIATION: readonly string[] = [
  '', 'SCCRQ', 'SCCRP', 'StopCCRQ', 'StopCCRP', 'ECHORQ', 'ECHORP', 'OCRQ', 'OCRP', 'ICRQ', 'ICRP',
  'ICCN', 'CCRQ', 'CDN', 'WEN', 'SLI',
];

/** Full names in RFC words (Wireshark prints the same). */
export const CONTROL_MESSAGE_NAME: readonly string[] = [
  '', 'Start-Control-Connection-Request', 'Start-Control-Connection-Reply',
  'Stop-Control-Connection-Request', 'Stop-Control-Connection-Reply', 'Echo-Request', 'Echo-Reply',
  'Outgoing-Call-Request', 'Outgoing-Call-Reply', 'Incoming-Call-Request', 'Incoming-Call-Reply',
  'Incoming-Call-Connected', 'Call-Clear-Request', 'Call-Disconnect-Notify', 'WAN-Error-Notify',
  'Set-Link-Info',
];

/** Framing Capabilities bits (RFC 2637 §2.1). */
export const FramingCapability = { Asynchronous: 1, Synchronous: 2 } as const;
/** Bearer Capabilities bits (RFC 2637 §2.1). */
export const BearerCapability = { Analog: 1, Digital: 2 } as const;
/** Bearer Type of a call (RFC 2637 §2.7). */
export const BearerType = { Analog: 1, Digital: 2, Any: 3 } as const;
/** Framing Type of a call (RFC 2637 §2.7). */
export const FramingType = { Asynchronous: 1, Synchronous: 2, Any: 3 } as const;

/** Start-Control-Connection-Reply Result Code (RFC 2637 §2.2). */
export const StartResult = {
  Success: 1,
  GeneralError: 2,
  ChannelExists: 3,
  NotAuthorized: 4,
  BadProtocolVersion: 5,
} as const;

/** Stop-Control-Connection-Request Reason (RFC 2637 §2.3). */
export const StopReason = { None: 1, StopProtocol: 2, StopLocalShutdown: 3 } as const;
/** Stop-Control-Connection-Reply Result Code (RFC 2637 §2.4). */
export const StopResult = { Ok: 1, GeneralError: 2 } as const;
/** Echo-Reply Result Code (RFC 2637 §2.6). */
export const EchoResult = { Ok: 1, GeneralError: 2 } as const;

/** Outgoing-Call-Reply Result Code (RFC 2637 §2.8). */
export const OutgoingCallResult = {
  Connected: 1,
  GeneralError: 2,
  NoCarrier: 3,
  Busy: 4,
  NoDialTone: 5,
  TimeOut: 6,
  DoNotAccept: 7,
} as const;

/** Incoming-Call-Reply Result Code (RFC 2637 §2.10). */
export const IncomingCallResult = { Connect: 1, GeneralError: 2, DoNotAccept: 3 } as const;

/** Call-Disconnect-Notify Result Code (RFC 2637 §2.13). */
export const DisconnectResult = { LostCarrier: 1, GeneralError: 2, AdminShutdown: 3, Request: 4 } as const;

/** General Error Codes, meaningful when a Result Code is 2 (RFC 2637 §2.16). */
export const GeneralErrorCode = {
  None: 0,
  NotConnected: 1,
  BadFormat: 2,
  BadValue: 3,
  NoResource: 4,
  BadCallId: 5,
  PacError: 6,
} as const;

/** Texts as Wireshark's packet-pptp.c prints them. */
export const START_RESULT_TEXT: readonly string[] = [
  '', 'Successful channel establishment', 'General error', 'Command channel already exists',
  'Requester not authorized', 'Protocol version not supported',
];
export const STOP_REASON_TEXT: readonly string[] = ['', 'None', 'Stop-Protocol', 'Stop-Local-Shutdown'];
export const STOP_RESULT_TEXT: readonly string[] = ['', 'OK', 'General error'];
export const OUTGOING_CALL_RESULT_TEXT: readonly string[] = [
  '', 'Connected', 'General Error', 'No Carrier', 'Busy', 'No Dial Tone', 'Time-out', 'Do Not Accept',
];
export const INCOMING_CALL_RESULT_TEXT: readonly string[] = ['', 'Connect', 'General error', 'Do Not Accept'];
export const DISCONNECT_RESULT_TEXT: readonly string[] = [
  '', 'Lost Carrier', 'General Error', 'Admin Shutdown', 'Request',
];
export const GENERAL_ERROR_TEXT: readonly string[] = [
  'None', 'Not-Connected', 'Bad-Format', 'Bad-Value', 'No-Resource', 'Bad-Call ID', 'PAC-Error',
];

/** `n (Text)` for a code and its table, or just `n` when the table has no entry. */
export function codeText(table: readonly string[], code: number): string {
  const text = table[code];
  return text ? `${code} (${text})` : String(code);
}
