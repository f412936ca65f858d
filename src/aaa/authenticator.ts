/**
 * The one interface every password checker (local users, RADIUS, TACACS+) sits behind.
 * The PPP engine turns what the peer sent into an AuthRequest; the server hands it to the
 * Authenticator configured for the group and gives the AuthResult back to the engine.
 */

/** Authentication protocols in the order a server prefers them (strongest first). */
export type AuthType = 'mschap-v2' | 'mschap-v1' | 'chap-md5' | 'pap';

/** Where a login comes from; back ends use it for NAS attributes and logs. */
export interface AuthContext {
  /** vpdn's session id (also RADIUS Acct-Session-Id). */
  sessionId: string;
  /** Client's outside address, dotted quad (RADIUS Calling-Station-Id). */
  callingStationId: string;
  /** Address the client dialled (RADIUS Called-Station-Id). */
  calledStationId: string;
  /** PPP virtual interface id (RADIUS NAS-Port). */
  nasPort: number;
  /** vpdn group name. */
  group: string;
}

interface AuthRequestBase {
  /** The user name exactly as the peer sent it (may carry a DOMAIN\ prefix). */
  username: string;
  context: AuthContext;
}

/** RFC 1334 PAP: the cleartext password. */
export interface PapRequest extends AuthRequestBase {
  method: 'pap';
  password: Uint8Array;
}

/** RFC 1994 CHAP with MD5: response = MD5(id || secret || challenge). */
export interface ChapMd5Request extends AuthRequestBase {
  method: 'chap-md5';
  id: number;
  challenge: Uint8Array;
  response: Uint8Array; // 16 bytes
}

/** RFC 2433 MS-CHAP v1: the 8-byte challenge and the 24-byte NT response (LM response unused). */
export interface MschapV1Request extends AuthRequestBase {
  method: 'mschap-v1';
  id: number;
  challenge: Uint8Array; // 8 bytes
  lmResponse: Uint8Array; // 24 bytes, zero when the NT response is used
  ntResponse: Uint8Array; // 24 bytes
  useNtResponse: boolean; // the Flags field (1 = use NT response)
}

/** RFC 2759 MS-CHAP v2. */
export interface MschapV2Request extends AuthRequestBase {
  method: 'mschap-v2';
  id: number;
  authenticatorChallenge: Uint8Array; // 16 bytes, ours
  peerChallenge: Uint8Array; // 16 bytes
  ntResponse: Uint8Array; // 24 bytes
  flags: number;
}

export type AuthRequest = PapRequest | ChapMd5Request | MschapV1Request | MschapV2Request;

/**
 * MPPE master keys as the server uses them (RFC 3079 §3.4; RFC 2548 MS-MPPE-Send-Key/Recv-Key).
 * sendKey protects server→client traffic, recvKey client→server. 16 bytes each. For MS-CHAP v1
 * both are the same start key (RFC 3079 §2.4).
 */
export interface MppeKeys {
  sendKey: Uint8Array;
  recvKey: Uint8Array;
}

/** What the back end allows for encryption (RFC 2548 MS-MPPE-Encryption-Policy/-Types). */
export interface MppePolicy {
  /** true: encryption required (policy 2); false: allowed (policy 1). */
  required: boolean;
  allow40: boolean;
  allow128: boolean;
}

export interface AuthResult {
  accepted: boolean;
  /** Why, for the operator's log (never contains a secret). */
  reason: string;
  /** Text to put in the PAP/CHAP Success or Failure message, if the back end supplied one. */
  replyMessage?: string;
  /** MS-CHAP v2 authenticator response "S=<40 hex>" (RFC 2759 §8.7); required to accept v2. */
  authenticatorResponse?: string;
  /** MS-CHAP failure code for "E=" (RFC 2433 §3: 691 authentication failure, 646, 647, 648, 649). */
  mschapError?: number;
  /** MPPE master keys, when the back end can provide them (local: always for MS-CHAP; RADIUS: if returned). */
  mppeKeys?: MppeKeys;
  mppePolicy?: MppePolicy;
  /** Address the back end assigns (RADIUS Framed-IP-Address, TACACS+ addr=), dotted quad. */
  framedAddress?: string;
  /** Seconds; RADIUS Session-Timeout / Idle-Timeout. */
  sessionTimeout?: number;
  idleTimeout?: number;
  /** RADIUS Class attributes, echoed in accounting. */
  classes?: Uint8Array[];
  /** Which back end answered (e.g. "LOCAL", "RADIUS 127.0.0.1", "TACACS+ 127.0.0.1"). */
  server?: string;
}

export interface Authenticator {
  /** Never rejects: back-end failures come back as { accepted: false, reason }. */
  authenticate(request: AuthRequest): Promise<AuthResult>;
  /** Which methods this back end can check at all (e.g. TACACS+ servers may lack MS-CHAP). */
  readonly methods: ReadonlySet<AuthType>;
  /** Whether it can supply MPPE keys (TACACS+ cannot). */
  readonly providesMppeKeys: boolean;
  close?(): Promise<void>;
}

/** Accounting records (RFC 2866 / RFC 8907 §7); a no-op back end is valid. */
export interface AccountingRecord {
  sessionId: string;
  username: string;
  callingStationId: string;
  calledStationId: string;
  nasPort: number;
  framedAddress?: string;
  classes?: Uint8Array[];
  /** Seconds since the session came up (Interim/Stop). */
  sessionTime?: number;
  inputOctets?: bigint;
  outputOctets?: bigint;
  inputPackets?: bigint;
  outputPackets?: bigint;
  /** RFC 2866 Acct-Terminate-Cause value name, e.g. 'User-Request', 'Admin-Reset', 'Idle-Timeout'. */
  terminateCause?: string;
}

export interface Accounting {
  start(record: AccountingRecord): Promise<void>;
  interim(record: AccountingRecord): Promise<void>;
  stop(record: AccountingRecord): Promise<void>;
  /** Accounting-On / -Off (RFC 2866 Acct-Status-Type 7/8); optional for back ends without it. */
  on?(): Promise<void>;
  off?(): Promise<void>;
  close?(): Promise<void>;
}
