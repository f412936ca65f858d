/**
 * The load generator: many `vpdn dial` sessions (DialSession) in one process over one shared
 * GreMux, run inside the client namespace and driven by the bench over stdin/stdout, one JSON
 * object per line each way. Started by loadgen-control.ts; argv[2] is a JSON LoadgenConfig.
 */
import { createInterface } from 'node:readline';
import { DialError, DialSession } from '../src/client/dial-session.js';
import { GreMux } from '../src/client/gre-mux.js';
import { Rc4 } from '../src/ppp/crypto/rc4.js';
import { buildUdp, parseUdp } from '../test/io/ipv4-udp.js';
import { percentile } from './stats.js';

export interface LoadgenConfig {
  server: string;
  /** Source address for TCP and GRE (one per load generator process); default: the route's. */
  local?: string;
  username: string;
  password: string;
}

export type LoadgenRequest =
  | { op: 'dial'; count: number; concurrency: number; mppe: 'none' | 'required'; echoMs: number }
  | { op: 'status' }
  | { op: 'hangup'; concurrency: number }
  | { op: 'blast'; seconds: number; ipBytes: number; dst: string; port: number; pps: number }
  | { op: 'received' }
  | { op: 'rc4'; ms: number; bytes: number }
  | { op: 'process' };

export interface DialReply {
  established: number;
  failed: number;
  errors: Record<string, number>;
  /** From the first TCP connect to the last session up, seconds. */
  seconds: number;
  setupMsP50: number;
  setupMsP99: number;
  cpuMs: number;
  addresses: string[];
}

const config = JSON.parse(process.argv[2] ?? '{}') as LoadgenConfig;
const mux = new GreMux({ bindAddress: config.local });
let sessions: DialSession[] = [];

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function dial(r: Extract<LoadgenRequest, { op: 'dial' }>): Promise<DialReply> {
  const errors: Record<string, number> = {};
  const setupMs: number[] = [];
  const cpu0 = cpuMs();
  const t0 = performance.now();
  let lastUp = t0;
  let next = 0;
  let failed = 0;
  const fresh: DialSession[] = [];
  const worker = async (): Promise<void> => {
    while (next < r.count) {
      next++;
      const s = new DialSession(mux, {
        server: config.server,
        localAddress: config.local,
        username: config.username,
        password: config.password,
        authTypes: ['mschap-v2'],
        mppe: r.mppe,
        allow40: false,
        allow128: true,
        stateless: 'require',
        echoIntervalMs: r.echoMs,
        timeoutMs: 30_000,
      });
      const started = performance.now();
      try {
        await s.connect();
        lastUp = performance.now();
        setupMs.push(lastUp - started);
        fresh.push(s);
      } catch (e) {
        failed++;
        const key = e instanceof DialError ? e.message : String(e);
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(r.concurrency, r.count) }, worker));
  sessions = sessions.concat(fresh);
  setupMs.sort((a, b) => a - b);
  return {
    established: fresh.length,
    failed,
    errors,
    seconds: (lastUp - t0) / 1000,
    setupMsP50: round(percentile(setupMs, 50)),
    setupMsP99: round(percentile(setupMs, 99)),
    cpuMs: Math.round(cpuMs() - cpu0),
    addresses: fresh.slice(0, 4).map((s) => s.up!.localAddress),
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function status(): { sessions: number; up: number; gone: Record<string, number> } {
  let up = 0;
  const gone: Record<string, number> = {};
  for (const s of sessions) {
    if (s.isUp) up++;
    else gone.down = (gone.down ?? 0) + 1;
  }
  return { sessions: sessions.length, up, gone };
}

async function hangup(concurrency: number): Promise<{ closed: number; seconds: number }> {
  const all = sessions;
  sessions = [];
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) await all[next++]!.hangup('bench');
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, all.length) }, worker));
  return { closed: all.length, seconds: (performance.now() - t0) / 1000 };
}

/** Sends one valid IPv4/UDP datagram through the first session at `pps` (0: as fast as the loop allows). */
async function blast(r: Extract<LoadgenRequest, { op: 'blast' }>): Promise<{ sent: number; refused: number; greDropped: number; seconds: number; cpuMs: number }> {
  const s = sessions[0];
  if (!s?.isUp) throw new Error('no session up to send through');
  const packet = buildUdp(s.up!.localAddress, r.dst, 40000, r.port, new Uint8Array(r.ipBytes - 28).fill(0x5a));
  const cpu0 = cpuMs();
  const dropped0 = mux.dropped;
  const t0 = performance.now();
  const end = t0 + r.seconds * 1000;
  let sent = 0;
  let refused = 0;
  for (let now = t0; now < end; now = performance.now()) {
    // Token bucket: what the rate allows by now, at most 256 at a time.
    const due = r.pps > 0 ? Math.min(256, Math.floor(((now - t0) * r.pps) / 1000) - sent - refused) : 64;
    for (let i = 0; i < due; i++) {
      if (s.sendIp(packet)) sent++;
      else refused++;
    }
    // Let acknowledgments and keepalives in.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { sent, refused, greDropped: mux.dropped - dropped0, seconds: (performance.now() - t0) / 1000, cpuMs: Math.round(cpuMs() - cpu0) };
}

/** IP packets received per session since the last call; every 256th is checked as UDP. */
const received = { packets: 0, bytes: 0, checked: 0, bad: 0 };
function countReceived(s: DialSession): void {
  s.onIp = (p) => {
    received.packets++;
    received.bytes += p.length;
    if ((received.packets & 255) === 0) {
      received.checked++;
      const u = parseUdp(p);
      if (!u || !u.udpChecksumOk || !u.headerChecksumOk) received.bad++;
    }
  };
}

function rc4(ms: number, bytes: number): { mbitPerSecond: number; packetsPerSecond: number } {
  const key = new Uint8Array(16).fill(7);
  const data = new Uint8Array(bytes).fill(0x5a);
  const r = new Rc4(key);
  // Warm up, then measure CPU time (not wall time) so that other load does not count.
  for (let i = 0; i < 2000; i++) r.process(data);
  const c0 = cpuMs();
  let n = 0;
  while (cpuMs() - c0 < ms) {
    for (let i = 0; i < 200; i++) r.process(data);
    n += 200;
  }
  const seconds = (cpuMs() - c0) / 1000;
  return { packetsPerSecond: Math.round(n / seconds), mbitPerSecond: Math.round((n * bytes * 8) / seconds / 1e6) };
}

async function handle(r: LoadgenRequest): Promise<unknown> {
  switch (r.op) {
    case 'dial': {
      const reply = await dial(r);
      for (const s of sessions) countReceived(s);
      return reply;
    }
    case 'status':
      return status();
    case 'hangup':
      return hangup(r.concurrency);
    case 'blast':
      return blast(r);
    case 'received': {
      const out = { ...received };
      received.packets = received.bytes = received.checked = received.bad = 0;
      return out;
    }
    case 'rc4':
      return rc4(r.ms, r.bytes);
    case 'process': {
      const m = process.memoryUsage();
      return { rssBytes: m.rss, heapUsedBytes: m.heapUsed, cpuMs: Math.round(cpuMs()), greDropped: mux.dropped };
    }
  }
}

const write = (o: object): boolean => process.stdout.write(JSON.stringify(o) + '\n');
// Requests are answered in order, one at a time.
let queue = Promise.resolve();
createInterface({ input: process.stdin })
  .on('line', (line) => {
    queue = queue.then(async () => {
      try {
        write({ ok: true, result: await handle(JSON.parse(line) as LoadgenRequest) });
      } catch (e) {
        write({ ok: false, error: (e as Error).message });
      }
    });
  })
  .on('close', () => {
    void queue.then(async () => {
      await hangup(1000);
      mux.close();
      process.exit(0);
    });
  });
write({ ok: true, result: { ready: true, pid: process.pid } });
