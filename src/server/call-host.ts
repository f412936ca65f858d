/** What a Call needs from the server around it (kept narrow so calls can be tested alone). */
import type { AuthRequest, AuthResult, AuthType } from '../aaa/authenticator.js';
import type { VpdnGroupConfig } from '../config/model.js';
import type { Call } from './call.js';
import type { DeadlineQueue } from './deadlines.js';

export interface DataCounters {
  spoofedDropped: number;
}

export interface CallHost {
  readonly group: VpdnGroupConfig;
  /** The group's `ppp authentication` types that its back end can check (TACACS+: PAP and CHAP). */
  readonly offeredAuthTypes: AuthType[];
  readonly serverAddress: string;
  readonly interfaceName: string;
  readonly counters: DataCounters;
  random(n: number): Uint8Array;
  now(): number;
  /** The one timer behind every call's deadline. */
  readonly deadlines: DeadlineQueue;
  /** Converts the monotonic `now` to epoch ms for display. */
  wallClock(now: number): number;
  nextPppInterfaceId(): number;
  /**
   * Room for the next data packet for sendGre, at least `length` octets: the host's transmit memory,
   * reused once that packet is sent, so it goes to sendGre before anything else is sent or asked for.
   */
  txBuffer(length: number): Uint8Array;
  sendGre(destination: number, packet: Uint8Array): void;
  deliverToTun(packet: Uint8Array): void;
  authenticate(call: Call, request: Omit<AuthRequest, 'context'>): Promise<AuthResult>;
  /** A Framed address from AAA, or one from the group's pool; undefined when none can be had. */
  allocateAddress(call: Call, framed: string | undefined): Promise<string | undefined>;
  releaseAddress(address: string, fromPool: boolean): Promise<void>;
  callUp(call: Call): void;
  callDown(call: Call, reason: string, cause: string | undefined): void;
  tracePpp(direction: 'xmit' | 'rcvd', call: Call, frame: Uint8Array): void;
  pppLog(call: Call, category: 'error' | 'uauth' | 'event', message: string): void;
}
