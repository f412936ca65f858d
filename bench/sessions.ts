/**
 * Issue 8 parts 1 and 2: setup rate (TCP connect to IPCP and CCP up, MS-CHAP v2 + MPPE-128,
 * local users) for 1,000 and 10,000 sessions with the server on core 0 and the load generator on
 * core 1; then the 10,000 held with keepalives running (RSS per session, event-loop delay p99,
 * every session still up); then the all-core figure with two load generators.
 */
import { cpus } from 'node:os';
import { benchHandshakes } from './ppp.js';
import { BenchContext, sleep } from './context.js';
import { Loadgen } from './loadgen-control.js';
import type { DialReply } from './loadgen.js';
import { coreShare, kernelShare, waitShare, type ProcSample } from './proc-stats.js';
import { summariseProfileDir } from './cpu-profile.js';
import { pin } from './script.js';
import { BenchServer, type ServerCounters } from './server-proc.js';
import { KIB, MIB, round } from './stats.js';
import { benchConfig, benchTopology, CLIENT, EXTRA_CLIENTS, SERVER, USER } from './topology.js';

const SECTION_SETUP = '1 setup rate';
const SECTION_SCALE = '2 scale';

interface SetupRun {
  reply: DialReply;
  rate: number;
  serverCpuMsPerSetup: number;
  serverSystemShare: number;
  /** Share of the run the server was runnable but kept off its core by other work. */
  serverWaitShare: number;
  loadgenCpuMsPerSetup: number;
}

async function setup(ctx: BenchContext, server: BenchServer, lg: Loadgen, n: number): Promise<SetupRun> {
  const s0 = server.sample();
  const reply = await lg.dial(n, ctx.sizes.concurrency);
  const s1 = server.sample();
  const cpu = s1.cpuMs - s0.cpuMs;
  return {
    reply,
    rate: round(reply.established / reply.seconds),
    serverCpuMsPerSetup: round(cpu / n, 3),
    serverSystemShare: kernelShare(s0, s1),
    serverWaitShare: waitShare(s0, s1),
    loadgenCpuMsPerSetup: round(reply.cpuMs / n, 3),
  };
}

function failures(r: DialReply): string {
  if (r.failed === 0) return '';
  const top = Object.entries(r.errors)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([m, c]) => `${c}× ${m}`)
    .join('; ');
  return ` ${r.failed} failed (${top}).`;
}

/** The engine-to-engine handshake rate on core 0, in this process: the reference with no I/O. */
async function engineReference(): Promise<number> {
  pin(process.pid, '0');
  try {
    await benchHandshakes({ seconds: 2 }); // warm-up: the first second is mostly compilation
    const figures = await benchHandshakes({ seconds: 2 });
    return figures[0]!.value;
  } finally {
    pin(process.pid, `0-${cpus().length - 1}`);
  }
}

function setupFigures(ctx: BenchContext, label: string, run: SetupRun, engineRate: number): void {
  const { reply } = run;
  const capacity = round(1000 / run.serverCpuMsPerSetup);
  ctx.add({
    section: SECTION_SETUP,
    name: `${label}: sessions up per second (server on core 0, load generator on core 1)`,
    value: run.rate,
    unit: 'sessions/s',
    reference: { name: 'engine-to-engine MS-CHAP v2 + MPPE handshakes on core 0, no sockets', value: engineRate, unit: 'handshakes/s' },
    aim: '≥ 1,000/s',
    met: run.rate >= 1000 && reply.failed === 0,
    note:
      `${reply.established} up in ${round(reply.seconds, 2)} s, setup time p50 ${reply.setupMsP50} ms, p99 ${reply.setupMsP99} ms; ` +
      `server event loop runnable but waiting for the CPU ${Math.round(run.serverWaitShare * 100)}% of the time (other processes, or its own GC threads on the same core).${failures(reply)}` +
      (run.rate < 1000
        ? ` Missed because the server spends ${run.serverCpuMsPerSetup} ms of CPU per session (${Math.round(run.serverSystemShare * 100)}% of it in the kernel), ` +
          `i.e. at most ~${capacity}/s on one core, and the load generator needs ${run.loadgenCpuMsPerSetup} ms per session on the other core.`
        : ''),
  });
  ctx.add({
    section: SECTION_SETUP,
    name: `${label}: server CPU per session set up`,
    value: run.serverCpuMsPerSetup,
    unit: 'ms',
    reference: { name: 'load generator CPU per session (client side)', value: run.loadgenCpuMsPerSetup, unit: 'ms' },
    note: `one core's worth: ${capacity} sessions/s`,
  });
}

/** Loop-delay windows that lay wholly between `from` and `to` (epoch ms), collected while polling. */
class LoopWindows {
  readonly p99: number[] = [];
  readonly max: number[] = [];
  private lastEnd = 0;

  constructor(private readonly from: number) {}

  take(c: ServerCounters): void {
    const end = c.loopDelayWindowEnd;
    if (end === 0 || end === this.lastEnd || end - c.loopDelayWindowMs < this.from) return;
    this.lastEnd = end;
    this.p99.push(c.loopDelayP99Ms);
    this.max.push(c.loopDelayMaxMs);
  }
}

/** Waits until one whole loop-delay window has passed with nothing happening; returns its p99. */
async function idleLoopDelay(server: BenchServer): Promise<number> {
  const w = new LoopWindows(Date.now());
  const deadline = Date.now() + 15_000;
  while (w.p99.length === 0 && Date.now() < deadline) {
    await sleep(500);
    w.take(await server.counters());
  }
  return w.p99[0] ?? NaN;
}

export async function sessionsScenario(ctx: BenchContext): Promise<void> {
  const z = ctx.sizes;
  ctx.log(`sessions: setup ${z.setupSmall} and ${z.setupLarge}, hold ${z.setupLarge} for ${z.holdSeconds} s, all-core`);
  const engineRate = await engineReference();
  const topo = benchTopology();
  const destroyTopo = ctx.defer(() => topo.destroy());
  const profileDir = ctx.profileDirFor('sessions');
  const server = await BenchServer.start(topo.server, benchConfig(z.setupLarge + 2000), { cpus: '0', cpuProfDir: profileDir });
  const stopServer = ctx.defer(async () => void (await server.stop()));
  const lg = await Loadgen.start(topo.client, { server: SERVER, local: CLIENT, ...USER }, '1');
  const stopLg = ctx.defer(() => lg.stop());

  // Warm-up (JIT, pools, buffers), not measured.
  await lg.dial(z.warmup, z.concurrency);
  await lg.hangup();

  const small = await setup(ctx, server, lg, z.setupSmall);
  setupFigures(ctx, `${z.setupSmall.toLocaleString('en-US')} sessions`, small, engineRate);
  await lg.hangup();
  await sleep(3000); // the server's delayed socket destroys (2 s) run out

  const idleLoop = await idleLoopDelay(server);
  await server.collectGarbage();
  const idle = server.sample();
  const idleCounters = await server.counters();

  const large = await setup(ctx, server, lg, z.setupLarge);
  setupFigures(ctx, `${z.setupLarge.toLocaleString('en-US')} sessions`, large, engineRate);
  const n = large.reply.established;

  // Hold: keepalives (PPTP echo 30 s, LCP echo 20 s from both ends) run; poll everything.
  const holdStart = Date.now();
  const c0 = await server.counters();
  const windows = new LoopWindows(holdStart);
  const samples: ProcSample[] = [server.sample()];
  let minUp = n;
  while (Date.now() - holdStart < z.holdSeconds * 1000) {
    await sleep(2000);
    windows.take(await server.counters());
    samples.push(server.sample());
    minUp = Math.min(minUp, (await lg.status()).up);
  }
  const status = await lg.status();
  const c1 = await server.counters();
  windows.take(c1);
  const pool = (await server.pools())[0]!;
  const busy = server.sample();
  // Memory figures compare live data: a full collection before each reading (see gc-preload.ts).
  await server.collectGarbage();
  const end = server.sample();
  const endCounters = await server.counters();
  const serverActive = c1.tunnelsCreated - c1.tunnelsDeleted;
  const held = status.up === z.setupLarge && serverActive === z.setupLarge && pool.inUse === z.setupLarge;
  ctx.add({
    section: SECTION_SCALE,
    name: `sessions still up after ${z.holdSeconds} s held with keepalives`,
    value: `${status.up} of ${z.setupLarge}`,
    unit: '',
    reference: { name: 'server: active calls / pool addresses in use', value: `${serverActive} / ${pool.inUse}`, unit: '' },
    aim: `${z.setupLarge} of ${z.setupLarge}`,
    met: held,
    note: `fewest up at any poll: ${minUp}; GRE packets in the hold: ${c1.greIn - c0.greIn} in, ${c1.greOut - c0.greOut} out (LCP echoes both ways); PPTP echo 30 s, LCP echo 20 s`,
  });
  const perSession = (end.rssBytes - idle.rssBytes) / Math.max(1, n);
  ctx.add({
    section: SECTION_SCALE,
    name: `server RSS per session ((RSS with ${n} − idle RSS) / ${n})`,
    value: round(perSession / KIB, 1),
    unit: 'KiB',
    reference: { name: 'idle server RSS after the warm-up', value: round(idle.rssBytes / MIB, 1), unit: 'MiB' },
    aim: '≤ 16 KiB',
    met: perSession <= 16 * KIB,
    note:
      `RSS with ${n}: ${round(end.rssBytes / MIB, 1)} MiB after a full GC (${round(busy.rssBytes / MIB, 1)} MiB before it); V8 heap in use ${round((endCounters.heapUsedBytes - idleCounters.heapUsedBytes) / Math.max(1, n) / KIB, 1)} KiB/session` +
      (perSession > 16 * KIB ? '; missed: per-session JS objects (PPP automata, MPPE state, net.Socket + its stream state, timers) outweigh the aim' : ''),
  });
  const p99 = windows.p99.length > 0 ? Math.max(...windows.p99) : NaN;
  ctx.add({
    section: SECTION_SCALE,
    name: `event-loop delay p99 during the hold (worst ${c1.loopDelayWindowMs / 1000} s window of ${windows.p99.length})`,
    value: round(p99, 2),
    unit: 'ms',
    reference: { name: 'idle server, same measure', value: round(idleLoop, 2), unit: 'ms' },
    aim: '< 20 ms',
    met: p99 < 20,
    note: `worst single delay in the hold ${round(Math.max(...windows.max), 1)} ms; server used ${Math.round(coreShare(samples[0]!, busy) * 100)}% of a core holding ${n} sessions`,
  });

  const down = await lg.hangup();
  ctx.add({
    section: SECTION_SCALE,
    name: `hang-up of ${down.closed} sessions (LCP Terminate, call clear)`,
    value: round(down.closed / down.seconds),
    unit: 'sessions/s',
  });
  await sleep(3000);

  // All cores: the server may use both; two load generators (own addresses, own GRE sockets) share them.
  server.pin('0,1');
  pin(lg.pid, '0,1');
  const lg2 = await Loadgen.start(topo.client, { server: SERVER, local: EXTRA_CLIENTS[0], ...USER }, undefined);
  const stopLg2 = ctx.defer(() => lg2.stop());
  const half = Math.floor(z.setupLarge / 2);
  const s0 = server.sample();
  const [a, b] = await Promise.all([lg.dial(half, z.concurrency), lg2.dial(z.setupLarge - half, z.concurrency)]);
  const s1 = server.sample();
  const total = a.established + b.established;
  const seconds = Math.max(a.seconds, b.seconds);
  const allRate = round(total / seconds);
  ctx.add({
    section: SECTION_SETUP,
    name: `${z.setupLarge.toLocaleString('en-US')} sessions, all cores: server on both, two load generator processes`,
    value: allRate,
    unit: 'sessions/s',
    reference: { name: 'server on one core, same count', value: large.rate, unit: 'sessions/s' },
    note:
      `2 cores shared by 3 processes: server used ${round(coreShare(s0, s1), 2)} cores, ${round((s1.cpuMs - s0.cpuMs) / Math.max(1, total), 3)} ms CPU per session.` +
      failures({ ...a, failed: a.failed + b.failed, errors: { ...a.errors, ...b.errors } }),
  });
  await Promise.all([lg.hangup(), lg2.hangup()]);
  await stopLg2();
  await stopLg();
  await stopServer();
  await destroyTopo();
  if (profileDir) ctx.profiles.sessions = summariseProfileDir(profileDir, 'server during set-up, hold and hang-up (per handshake)');
}
