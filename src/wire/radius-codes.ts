/**
 * RADIUS numbers: packet codes (RFC 2865 §3, RFC 2866 §3, RFC 5997, RFC 5176 §2.3), attribute types
 * (RFC 2865 §5, RFC 2866 §5, RFC 2869, RFC 3579, RFC 5176 §3.6), Microsoft vendor attributes (RFC 2548).
 */

export const RadiusCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
  DisconnectRequest: 40,
  DisconnectAck: 41,
  DisconnectNak: 42,
  CoaRequest: 43,
  CoaAck: 44,
  CoaNak: 45,
} as const;

export type RadiusCodeName = keyof typeof RadiusCode;

const codeNames = new Map<number, string>(
  Object.entries(RadiusCode).map(([name, code]) => [code, name.replace(/([a-z])([A-Z])/g, '$1-$2')]),
);

/** "Access-Accept", "CoA-NAK"-style name for logs; "Code 99" when unknown. */
export function radiusCodeName(code: number): string {
  const name = codeNames.get(code);
  if (!name) return `Code ${code}`;
  return name.replace('Coa', 'CoA').replace(/-(Ack|Nak)$/, (m) => m.toUpperCase());
}

export const RadiusAttr = {
  UserName: 1,
  UserPassword: 2,
  ChapPassword: 3,
  NasIpAddress: 4,
  NasPort: 5,
  ServiceType: 6,
  FramedProtocol: 7,
  FramedIpAddress: 8,
  ReplyMessage: 18,
  State: 24,
  Class: 25,
  VendorSpecific: 26,
  SessionTimeout: 27,
  IdleTimeout: 28,
  CalledStationId: 30,
  CallingStationId: 31,
  NasIdentifier: 32,
  ProxyState: 33,
  AcctStatusType: 40,
  AcctDelayTime: 41,
  AcctInputOctets: 42,
  AcctOutputOctets: 43,
  AcctSessionId: 44,
  AcctAuthentic: 45,
  AcctSessionTime: 46,
  AcctInputPackets: 47,
  AcctOutputPackets: 48,
  AcctTerminateCause: 49,
  AcctInputGigawords: 52,
  AcctOutputGigawords: 53,
  EventTimestamp: 55,
  ChapChallenge: 60,
  NasPortType: 61,
  MessageAuthenticator: 80,
  AcctInterimInterval: 85,
  ErrorCause: 101,
} as const;

/** RFC 2865 §5.6 Service-Type values used here. */
export const ServiceType = { Framed: 2, AuthorizeOnly: 17 } as const;
/** RFC 2865 §5.7 Framed-Protocol. */
export const FramedProtocol = { PPP: 1 } as const;
/** RFC 2865 §5.41 NAS-Port-Type. */
export const NasPortType = { Virtual: 5 } as const;

/** RFC 2866 §5.1 Acct-Status-Type. */
export const AcctStatusType = {
  Start: 1,
  Stop: 2,
  InterimUpdate: 3,
  AccountingOn: 7,
  AccountingOff: 8,
} as const;

/** RFC 2866 §5.10 Acct-Terminate-Cause, by the RFC's value names. */
export const AcctTerminateCause: Readonly<Record<string, number>> = {
  'User-Request': 1,
  'Lost-Carrier': 2,
  'Lost-Service': 3,
  'Idle-Timeout': 4,
  'Session-Timeout': 5,
  'Admin-Reset': 6,
  'Admin-Reboot': 7,
  'Port-Error': 8,
  'NAS-Error': 9,
  'NAS-Request': 10,
  'NAS-Reboot': 11,
  'Port-Unneeded': 12,
  'Port-Preempted': 13,
  'Port-Suspended': 14,
  'Service-Unavailable': 15,
  Callback: 16,
  'User-Error': 17,
  'Host-Request': 18,
};

/** RFC 5176 §3.6 Error-Cause values. */
export const ErrorCause = {
  ResidualSessionContextRemoved: 201,
  UnsupportedAttribute: 401,
  MissingAttribute: 402,
  NasIdentificationMismatch: 403,
  InvalidRequest: 404,
  UnsupportedService: 405,
  InvalidAttributeValue: 407,
  AdministrativelyProhibited: 501,
  SessionContextNotFound: 503,
  ResourcesUnavailable: 506,
} as const;

/** SMI network management private enterprise code of Microsoft (RFC 2548 §2). */
export const VENDOR_MICROSOFT = 311;

/** RFC 2548 §2 Microsoft vendor-type numbers. */
export const MsAttr = {
  ChapResponse: 1,
  ChapError: 2,
  MppeEncryptionPolicy: 7,
  MppeEncryptionTypes: 8,
  ChapChallenge: 11,
  ChapMppeKeys: 12,
  MppeSendKey: 16,
  MppeRecvKey: 17,
  Chap2Response: 25,
  Chap2Success: 26,
} as const;

/** RFC 2548 §2.4.4 MS-MPPE-Encryption-Policy. */
export const MppeEncryptionPolicy = { Allowed: 1, Required: 2 } as const;
/** RFC 2548 §2.4.5 MS-MPPE-Encryption-Types bits. */
export const MppeEncryptionTypes = { Rc4Bits40: 0x2, Rc4Bits128: 0x4 } as const;
