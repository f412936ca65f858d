/**
 * An RFC 8907 TACACS+ server for the test suite: PAP, CHAP, ASCII, MS-CHAP v1/v2 logins,
 * authorization with per-user AV pairs, accounting kept in memory and appended to a file,
 * Single Connection Mode, per-client keys and failure injection.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { DecodeError } from '../../src/wire/errors.js';
import { PacketFramer } from '../../src/aaa/tacacs/framer.js';
import { ConnectionEngine, type AccountingEntry, type EngineConfig, type ServerEvent } from './engine.js';
import { appliesTo, injectReply, type Injection } from './inject.js';
import type { TacacsUser } from './users.js';

export type { AccountingEntry, ServerEvent } from './engine.js';
export type { Injection, InjectionMode } from './inject.js';
export type { TacacsUser } from './users.js';

export interface TacacsServerOptions {
  /** Listen address, default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Shared secret; empty: no key, unobfuscated requests accepted (like tac_plus without a key). */
  key: string;
  /** Per-client keys by source address (RFC 8907 §4.5: a unique key per client). */
  keys?: Record<string, string>;
  users: TacacsUser[];
  /** MS-CHAP v1/v2 logins (default true). */
  msChap?: boolean;
  /** Agree to Single Connection Mode (default false). */
  singleConnection?: boolean;
  /** Close a connection idle this long (default 10 s). */
  idleTimeoutMs?: number;
  /** Delay every FAIL this long (tac_plus-ng waits about 1 s). */
  failDelayMs?: number;
  /** Accounting records are appended here as JSON lines. */
  accountingFile?: string;
  inject?: Injection;
  /** Every packet as it crosses the wire (obfuscated). */
  onPacket?: (direction: 'in' | 'out', raw: Uint8Array, remote: string) => void;
}

export interface TacacsTestServer {
  readonly address: string;
  readonly port: number;
  /** Accounting records in arrival order. */
  readonly records: AccountingEntry[];
  /** Everything the server decided (logins, authorizations, errors). */
  readonly events: ServerEvent[];
  readonly stats: { connections: number; packetsIn: number; repliesOut: number };
  /** Replace the failure injection (undefined: behave normally). */
  inject(injection?: Injection): void;
  close(): Promise<void>;
}

export async function startTacacsServer(options: TacacsServerOptions): Promise<TacacsTestServer> {
  const config: EngineConfig = {
    users: new Map(options.users.map((u) => [u.name, u])),
    msChap: options.msChap ?? true,
    singleConnection: options.singleConnection ?? false,
  };
  const records: AccountingEntry[] = [];
  const events: ServerEvent[] = [];
  const stats = { connections: 0, packetsIn: 0, repliesOut: 0 };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let injection = options.inject ? { ...options.inject } : undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = createServer((socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.setNoDelay(true);
    const remote = socket.remoteAddress?.replace(/^::ffff:/, '') ?? '?';
    const key = options.keys?.[remote] ?? options.key;
    const engine = new ConnectionEngine(config, remote);
    const framer = new PacketFramer();
    let chain = Promise.resolve();
    /** Set once a step said to close: later packets on this connection are ignored. */
    let closing = false;
    socket.setTimeout(options.idleTimeoutMs ?? 10_000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));

    const handle = async (raw: Uint8Array): Promise<void> => {
      if (socket.destroyed || closing) return;
      stats.packetsIn++;
      options.onPacket?.('in', raw, remote);
      const step = engine.handle(raw, key);
      if (step.event) events.push(step.event);
      if (step.close) closing = true;
      if (step.accounting) {
        records.push(step.accounting);
        if (options.accountingFile) appendFileSync(options.accountingFile, JSON.stringify(step.accounting) + '\n');
      }
      if (!step.reply) {
        if (step.close) socket.end();
        return;
      }
      let active: Injection | undefined;
      if (appliesTo(injection, step.reply)) {
        active = injection;
        if (injection?.times !== undefined) injection.times--;
      }
      const out = injectReply(step.reply, key, active);
      const delay = out.delayMs + (step.reply.failed ? (options.failDelayMs ?? 0) : 0);
      if (delay > 0) await sleep(delay);
      if (socket.destroyed) return;
      if (out.bytes) {
        options.onPacket?.('out', out.bytes, remote);
        stats.repliesOut++;
        socket.write(out.bytes);
      }
      if (out.drop) socket.destroy();
      else if (step.close && out.bytes) socket.end();
    };

    socket.on('data', (chunk: Buffer) => {
      const packets = framer.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      if (packets instanceof DecodeError) {
        events.push({ kind: 'error', remote, reason: packets.message });
        socket.destroy();
        return;
      }
      for (const raw of packets) chain = chain.then(() => handle(raw));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('TACACS+ test server: no TCP address');

  return {
    address: bound.address,
    port: bound.port,
    records,
    events,
    stats,
    inject(next?: Injection) {
      injection = next ? { ...next } : undefined;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
