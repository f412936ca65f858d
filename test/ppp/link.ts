/**
 * Two PPP sessions joined by an in-memory link with a virtual clock (quinn-proto's test Pair):
 * frames are delayed, dropped and reordered by a seeded generator, the server's `authenticate`
 * outputs go to a real Authenticator, and timers fire in virtual time. Deterministic per seed.
 */
import type { AuthContext, AuthRequest, AuthResult, Authenticator } from '../../src/aaa/authenticator.js';
import { PppSession, type PppOutput, type PppSessionOptions } from '../../src/ppp/session.js';

/** A small seeded generator (mulberry32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}

export interface LinkConditions {
  seed: number;
  /** Probability a frame is lost (each direction). */
  loss?: number;
  /**
   * When a side goes down, the other gets lowerDown this long after (the PPTP control connection
   * clearing the call, as the server does); undefined: never.
   */
  clearCallMs?: number;
  /** Probability a frame is held back by up to `reorderMs` more. */
  reorder?: number;
  reorderMs?: number;
  /** One-way delay. */
  delayMs?: number;
}

export const CONTEXT: AuthContext = {
  sessionId: 'test-1',
  callingStationId: '10.44.17.104',
  calledStationId: '10.1.1.1',
  nasPort: 1,
  group: '1',
};

type Side = 'server' | 'client';

interface Event {
  at: number;
  order: number;
  run: () => void | Promise<void>;
}

export class Pair {
  now = 0;
  readonly server: PppSession;
  readonly client: PppSession;
  /** Every output of each side, in order (frames excluded). */
  readonly events: Record<Side, PppOutput[]> = { server: [], client: [] };
  /** IP datagrams each side received through the link. */
  readonly received: Record<Side, Uint8Array[]> = { server: [], client: [] };
  /** Frames each side sent. */
  readonly sent: Record<Side, Uint8Array[]> = { server: [], client: [] };
  readonly rng: Rng;
  /** While false, frames from that side vanish (a peer that stopped answering). */
  readonly deliver: Record<Side, boolean> = { server: true, client: true };
  /** Frames for which this returns false are dropped on purpose (a peer that ignores a protocol). */
  filter: (from: Side, frame: Uint8Array) => boolean = () => true;
  private readonly queue: Event[] = [];
  private order = 0;

  constructor(
    serverOptions: Omit<PppSessionOptions, 'role' | 'random'>,
    clientOptions: Omit<PppSessionOptions, 'role' | 'random'>,
    private readonly authenticator: Authenticator,
    /** Link conditions; tests may change them between phases (e.g. stop the loss). */
    readonly conditions: LinkConditions,
    /** The address IPCP gives the client (null: the pool is empty). */
    private readonly poolAddress: string | null = '192.168.1.1',
  ) {
    this.rng = new Rng(conditions.seed);
    const random = (n: number) => this.rng.bytes(n);
    this.server = new PppSession({ ...serverOptions, role: 'server', random });
    this.client = new PppSession({ ...clientOptions, role: 'client', random });
  }

  session(side: Side): PppSession {
    return side === 'server' ? this.server : this.client;
  }

  /** Both sessions start at virtual time 0. */
  start(): void {
    this.server.open(this.now);
    this.client.open(this.now);
    this.collect();
  }

  last(side: Side, type: 'up' | 'down'): PppOutput | undefined {
    return this.events[side].filter((e) => e.type === type).at(-1);
  }

  /** Send an IP datagram from one side; false if the session would not encapsulate it. */
  sendIp(from: Side, packet: Uint8Array): boolean {
    const frame = this.session(from).encapsulateIp(packet);
    if (!frame) return false;
    this.transmit(from, frame);
    return true;
  }

  /** Run until nothing is left to happen or `limitMs` of virtual time passed. */
  async run(limitMs = 300_000): Promise<void> {
    const end = this.now + limitMs;
    for (;;) {
      this.collect();
      const next = this.nextEventTime();
      if (next === undefined || next > end) break;
      this.now = Math.max(this.now, next);
      await this.step();
    }
  }

  /** Run for exactly `ms` of virtual time. */
  async runFor(ms: number): Promise<void> {
    const end = this.now + ms;
    await this.run(ms);
    this.now = Math.max(this.now, end);
  }

  private nextEventTime(): number | undefined {
    let t: number | undefined;
    for (const e of this.queue) if (t === undefined || e.at < t) t = e.at;
    for (const s of [this.server, this.client]) {
      const d = s.nextTimeout();
      if (d !== undefined && (t === undefined || d < t)) t = d;
    }
    return t;
  }

  private async step(): Promise<void> {
    this.queue.sort((a, b) => a.at - b.at || a.order - b.order);
    while (this.queue.length > 0 && this.queue[0].at <= this.now) {
      await this.queue.shift()!.run();
      this.collect();
    }
    for (const s of [this.server, this.client]) {
      const d = s.nextTimeout();
      if (d !== undefined && d <= this.now) s.handleTimeout(this.now);
    }
  }

  private schedule(at: number, run: () => void | Promise<void>): void {
    this.queue.push({ at, order: this.order++, run });
  }

  private transmit(from: Side, frame: Uint8Array): void {
    this.sent[from].push(frame);
    if (!this.deliver[from] || !this.filter(from, frame)) return;
    const c = this.conditions;
    if (this.rng.next() < (c.loss ?? 0)) return;
    let delay = c.delayMs ?? 5;
    if (this.rng.next() < (c.reorder ?? 0)) delay += this.rng.next() * (c.reorderMs ?? 40);
    const to: Side = from === 'server' ? 'client' : 'server';
    const copy = frame.slice(); // the receiver may keep views into what it is given
    this.schedule(this.now + delay, () => {
      const ip = this.session(to).input(copy, this.now);
      if (ip) this.received[to].push(ip.slice());
    });
  }

  /** Move outputs off both sessions: frames onto the link, authenticate to the back end. */
  private collect(): void {
    for (const side of ['server', 'client'] as const) {
      for (const out of this.session(side).drain()) {
        if (out.type === 'frame') this.transmit(side, out.frame);
        else {
          this.events[side].push(out);
          if (out.type === 'authenticate') this.authenticate(out.request);
          if (out.type === 'down' && this.conditions.clearCallMs !== undefined) {
            const other = this.session(side === 'server' ? 'client' : 'server');
            this.schedule(this.now + this.conditions.clearCallMs, () => other.lowerDown(this.now));
          }
        }
      }
    }
  }

  private authenticate(request: Omit<AuthRequest, 'context'>): void {
    const full = { ...request, context: CONTEXT } as AuthRequest;
    const answer = this.authenticator.authenticate(full);
    this.schedule(this.now + 2, async () => {
      const result: AuthResult = await answer;
      this.server.authResult(result, result.accepted ? (result.framedAddress ?? this.poolAddress ?? undefined) : undefined, this.now);
    });
  }
}

/** An Authenticator that passes requests to another and then edits the result (e.g. drops keys). */
export function editedAuthenticator(inner: Authenticator, edit: (r: AuthResult) => AuthResult): Authenticator {
  return {
    methods: inner.methods,
    providesMppeKeys: inner.providesMppeKeys,
    authenticate: async (request) => edit(await inner.authenticate(request)),
  };
}
