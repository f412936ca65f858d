/** Read-only snapshots of the server's state, for `show` commands, the JSON API and metrics. */
import type { PoolStats } from './pool.js';

export interface TrafficCounters {
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
}

export interface CallView {
  callId: number;
  peerCallId: number;
  tunnelId: number;
  username: string;
  state: string; // 'estabd' once up, PIX's words
  sinceEventSecs: number;
  interfaceName: string;
  pppInterfaceId: number;
  peerAddress: string;
  clientAddress: string | null;
  authType: string | null;
  mppeBits: number | null;
  mppeStateless: boolean | null;
  upSince: number | null; // epoch ms
  traffic: TrafficCounters;
  gre: { seq: number; ack: number; ackReceived: number; peerRws: number; outOfOrder: number };
  /**
   * Packets dropped: spoofed source address, before the session was up, MPPE that did not decrypt;
   * sequence: GRE duplicates, stale and far-ahead numbers; discarded: PPP frames malformed, of an
   * unreached phase, or plain IP on an encrypted session.
   */
  dropped: { spoofed: number; notUp: number; mppe: number; sequence?: number; discarded?: number };
}

export interface TunnelView {
  tunnelId: number;
  remoteId: number;
  state: string;
  sinceEventSecs: number;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  peerHostName: string;
  peerVendor: string;
  traffic: TrafficCounters;
  calls: CallView[];
}

export interface UauthView {
  username: string;
  clientAddress: string;
  authType: string;
  server: string;
  upSecs: number;
}

export interface ServerView {
  hostname: string;
  tunnels(): TunnelView[];
  pools(): PoolStats[];
  uauth(): UauthView[];
  global(): GlobalCounters;
  maxSessions: number;
}

export interface GlobalCounters {
  tunnelsCreated: number;
  tunnelsDeleted: number;
  tunnelsRefused: number;
  authAccepted: number;
  authRejected: number;
  greIn: number;
  greOut: number;
  greDropped: number;
  tunIn: number;
  tunOut: number;
  tunDropped: number;
  controlErrors: number;
}

export function newGlobalCounters(): GlobalCounters {
  return {
    tunnelsCreated: 0,
    tunnelsDeleted: 0,
    tunnelsRefused: 0,
    authAccepted: 0,
    authRejected: 0,
    greIn: 0,
    greOut: 0,
    greDropped: 0,
    tunIn: 0,
    tunOut: 0,
    tunDropped: 0,
    controlErrors: 0,
  };
}
