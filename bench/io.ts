/**
 * GRE data-plane benchmark: packets/s of GreSocket send -> receive over veth between two
 * namespaces, batched (sendmmsg/recvmmsg) against unbatched (one packet per syscall), with
 * iperf3 UDP between the same namespaces as the kernel's own reference. Root only.
 * Run alone: node dist/bench/io.js [seconds] [packetBytes]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Netns, link } from '../test/helpers/netns.js';
import { GrePeer, type Reply } from '../test/io/gre-peer-control.js';

export interface GreBenchOptions {
  seconds?: number;
  /** GRE packet size (the kernel adds a 20-byte IPv4 header). Default 1400. */
  packetBytes?: number;
  /** Packets per sendmmsg/recvmmsg in the batched run. Default 64. */
  batchSize?: number;
  /** Also measure iperf3 UDP (skipped when iperf3 is missing). Default true. */
  reference?: boolean;
}

export interface GreBenchRun {
  mode: 'batched' | 'unbatched';
  batchSize: number;
  seconds: number;
  packetBytes: number;
  sent: number;
  received: number;
  sentPps: number;
  receivedPps: number;
  receivedMbps: number;
  sendSyscalls: number;
  recvSyscalls: number;
  recvBatches: number;
}

export interface GreBenchReport {
  batched: GreBenchRun;
  unbatched: GreBenchRun;
  iperf3?: { sentPps: number; receivedPps: number; lostPercent: number };
}

const A = '10.78.0.1';
const B = '10.78.0.2';

async function settle(receiver: GrePeer): Promise<Reply> {
  let last = await receiver.request({ op: 'stats' });
  for (;;) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await receiver.request({ op: 'stats' });
    if (now.received === last.received) return now;
    last = now;
  }
}

async function run(a: Netns, b: Netns, mode: GreBenchRun['mode'], batch: number, opts: Required<GreBenchOptions>): Promise<GreBenchRun> {
  const [{ peer: tx }, { peer: rx }] = await Promise.all([
    GrePeer.start(a, { bindAddress: A, batchSize: batch, store: 0 }),
    GrePeer.start(b, { bindAddress: B, batchSize: batch, store: 0 }),
  ]);
  try {
    const blast = await tx.request(
      { op: 'blast', dst: B, size: opts.packetBytes, seconds: opts.seconds, batch },
      opts.seconds * 1000 + 10000,
    );
    const got = await settle(rx);
    return {
      mode,
      batchSize: batch,
      seconds: blast.seconds,
      packetBytes: opts.packetBytes,
      sent: blast.sent,
      received: got.received,
      sentPps: Math.round(blast.sent / blast.seconds),
      receivedPps: Math.round(got.received / blast.seconds),
      receivedMbps: Math.round((got.received * opts.packetBytes * 8) / blast.seconds / 1e6),
      sendSyscalls: blast.stats.txSyscalls,
      recvSyscalls: got.stats.rxSyscalls,
      recvBatches: got.stats.rxBatches,
    };
  } finally {
    await Promise.all([tx.stop(), rx.stop()]);
  }
}

function iperf3(a: Netns, b: Netns, opts: Required<GreBenchOptions>): GreBenchReport['iperf3'] {
  const server = b.spawn('iperf3', ['-s', '-1', '-B', B]);
  try {
    execFileSync('sleep', ['0.3']);
    // UDP payload sized so the IP packet matches the GRE run's (8 UDP vs 0 extra bytes).
    const out = a.exec('iperf3', '-c', B, '-u', '-b', '0', '-l', String(opts.packetBytes - 8), '-t', String(opts.seconds), '-J');
    const sum = JSON.parse(out).end.sum as { packets: number; lost_packets: number; seconds: number; lost_percent: number };
    return {
      sentPps: Math.round(sum.packets / sum.seconds),
      receivedPps: Math.round((sum.packets - sum.lost_packets) / sum.seconds),
      lostPercent: Math.round(sum.lost_percent * 10) / 10,
    };
  } finally {
    server.kill('SIGKILL');
  }
}

function hasIperf3(): boolean {
  try {
    execFileSync('iperf3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function benchGre(options: GreBenchOptions = {}): Promise<GreBenchReport> {
  const opts: Required<GreBenchOptions> = { seconds: 3, packetBytes: 1400, batchSize: 64, reference: true, ...options };
  const a = new Netns('ba');
  const b = new Netns('bb');
  try {
    link(a, `${A}/24`, b, `${B}/24`);
    const batched = await run(a, b, 'batched', opts.batchSize, opts);
    const unbatched = await run(a, b, 'unbatched', 1, opts);
    const report: GreBenchReport = { batched, unbatched };
    if (opts.reference && hasIperf3()) report.iperf3 = iperf3(a, b, opts);
    return report;
  } finally {
    a.destroy();
    b.destroy();
  }
}

export function formatGreBench(r: GreBenchReport): string {
  const row = (x: GreBenchRun): string =>
    `${x.mode.padEnd(10)} batch ${String(x.batchSize).padStart(3)}: sent ${x.sentPps} pkt/s, received ${x.receivedPps} pkt/s ` +
    `(${x.receivedMbps} Mbit/s), ${(x.sent / x.sendSyscalls).toFixed(1)} pkt/send syscall, ` +
    `${(x.received / Math.max(1, x.recvSyscalls)).toFixed(1)} pkt/recv syscall, ${(x.received / Math.max(1, x.recvBatches)).toFixed(1)} pkt/callback`;
  const lines = [row(r.batched), row(r.unbatched)];
  if (r.iperf3) {
    lines.push(`iperf3 UDP : sent ${r.iperf3.sentPps} pkt/s, received ${r.iperf3.receivedPps} pkt/s (${r.iperf3.lostPercent}% lost)`);
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seconds = Number(process.argv[2] ?? 3);
  const packetBytes = Number(process.argv[3] ?? 1400);
  console.log(formatGreBench(await benchGre({ seconds, packetBytes })));
}
