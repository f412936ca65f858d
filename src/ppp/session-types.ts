/** The public shapes of a PPP session (options, outputs, up info, down causes). */
import type { AuthType } from '../aaa/authenticator.js';
import type { PeerAuthRequest } from './auth-server.js';

export interface ServerMppePolicy {
  /** PIX `ppp encryption mppe ...`: none = no mppe line, auto = if the client agrees, required. */
  mode: 'none' | 'auto' | 'required';
  bits: 40 | 128 | 'auto';
  /** RFC 3078 §2 H bit: 'prefer' follows the client, 'require' = stateless only, 'refuse' = stateful only. */
  stateless?: 'prefer' | 'require' | 'refuse';
}

export interface ClientMppePolicy {
  mode: 'none' | 'optional' | 'required';
  allow40: boolean;
  allow128: boolean;
  stateless: 'prefer' | 'require' | 'refuse';
}

export interface PppSessionOptions {
  role: 'server' | 'client';
  /** Injected randomness (challenges, magic numbers). */
  random(n: number): Uint8Array;
  /** Our MRU; default 1400 (what Windows offers). */
  mru?: number;
  /** LCP echo keepalive (RFC 1661 §5.8): interval and unanswered count; 0 = off (default). */
  echoIntervalMs?: number;
  echoFailures?: number;
  /** RFC 1661 §4.6: Restart timer (3000 ms), Max-Configure (10), Max-Terminate (2), Max-Failure (5). */
  restartMs?: number;
  maxConfigure?: number;
  maxTerminate?: number;
  maxFailure?: number;
  /** Server: offered in this order. Client: the types it allows. */
  authTypes: AuthType[];
  /** Our name in CHAP Challenges (server); default "vpdn". */
  name?: string;
  // server only
  serverMppe?: ServerMppePolicy;
  localAddress?: string;
  dns?: string[];
  nbns?: string[];
  // client only
  /** May include "DOMAIN\". */
  username?: string;
  password?: string;
  clientMppe?: ClientMppePolicy;
}

export interface PppUpInfo {
  authType: AuthType | null;
  username: string;
  /** The other end's address: the client's assigned address on the server, the server's on the client. */
  peerAddress: string;
  /** Our own address: the server's configured one, or the address the client was given. */
  localAddress: string;
  dns: string[];
  nbns: string[];
  mppe: null | { bits: 40 | 128; stateless: boolean };
  /** Largest IP datagram to send: the peer's MRU less MPPE's 4 octets when encrypting (RFC 3078 §3). */
  mtu: number;
}

export type PppDownCause =
  | 'auth-failed'
  | 'no-common-auth'
  | 'mppe-required'
  | 'mppe-keys-missing'
  | 'ccp-rejected'
  | 'lcp-failed'
  | 'ipcp-failed'
  | 'echo-timeout'
  | 'peer-terminated'
  | 'local-close'
  | 'lower-down'
  | 'loopback';

export type PppOutput =
  | { type: 'frame'; frame: Uint8Array }
  | { type: 'authenticate'; request: PeerAuthRequest }
  | { type: 'up'; info: PppUpInfo }
  | { type: 'down'; reason: string; cause: PppDownCause; windowsError?: number }
  | { type: 'log'; category: 'error' | 'uauth' | 'event'; message: string };

export type PppPhase = 'dead' | 'establish' | 'authenticate' | 'network' | 'open' | 'terminate';

export interface PppCounters {
  /** Frames dropped: malformed, of a phase not reached, plain IP while MPPE is on, and the like. */
  discardedFrames: number;
  /** MPPE packets that did not decrypt (loss in stateful mode, coherency errors). */
  mppeErrors: number;
  /** Protocol-Rejects we sent for protocols we do not run. */
  protocolRejects: number;
}

/** Windows client error numbers (RAS): how a Windows PC would report the failure. */
export const WindowsError = {
  /** Access denied: bad user name or password. */
  AuthenticationFailed: 691,
  /** Could not agree on PPP control protocols. */
  NoCommonProtocols: 732,
  /** The remote computer does not support the required data encryption type. */
  EncryptionRequired: 742,
} as const;
