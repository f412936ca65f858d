/** iperf3 in guests: a one-test server and a client that reports the received rate. */
import type { Netns } from '../helpers/netns.js';
import { Proc } from '../helpers/vpdn.js';
import { shellQuote, type Guest } from './harness.js';

export interface Iperf3Result {
  /** Receiver-side rate of the whole test (client → server). */
  bitsPerSecond: number;
  bytes: number;
  /** With bidir: what the client received from the server in the same run. */
  reverse?: { bitsPerSecond: number; bytes: number };
  /** iperf3's full JSON report. */
  report: unknown;
}

interface Sum {
  bits_per_second: number;
  bytes: number;
}

interface Report {
  error?: string;
  end?: { sum_received?: Sum; sum_received_bidir_reverse?: Sum };
}

/** Starts `iperf3 -s -1` (exits after one test) and waits until it listens. */
export async function iperf3Server(guest: Guest, opts: { bind?: string; port?: number } = {}): Promise<{ id: string; port: number }> {
  const port = opts.port ?? 5201;
  const bind = opts.bind ? ` -B ${shellQuote(opts.bind)}` : '';
  const { id } = await guest.start(`exec iperf3 -s -1 -p ${port}${bind}`);
  await guest.waitListening(port);
  return { id, port };
}

/** The iperf3 client arguments for iperf3Client (exported for host-side runs of the same test). */
export function iperf3ClientArgs(opts: Iperf3ClientOptions): string[] {
  const args = ['-c', opts.server, '-p', String(opts.port ?? 5201), '-t', String(opts.seconds ?? 2), '-J'];
  if (opts.bind) args.push('-B', opts.bind);
  // SO_BINDTODEVICE: with one ppp link per session, each test leaves by its own link.
  if (opts.bindDev) args.push('--bind-dev', opts.bindDev);
  if (opts.reverse) args.push('-R');
  if (opts.bidir) args.push('--bidir');
  return args;
}

export interface Iperf3ClientOptions {
  server: string;
  port?: number;
  seconds?: number;
  bind?: string;
  bindDev?: string;
  reverse?: boolean;
  /** Both directions at once (iperf3 --bidir). */
  bidir?: boolean;
}

/** Reads an iperf3 -J report; throws with iperf3's own error when the test did not complete. */
export function parseIperf3Report(where: string, code: number, stdout: string, stderr: string): Iperf3Result {
  let report: Report;
  try {
    report = JSON.parse(stdout) as Report;
  } catch {
    throw new Error(`iperf3 in ${where} gave no JSON (exit ${code}): ${stdout}${stderr}`);
  }
  const sum = report.end?.sum_received;
  if (code !== 0 || !sum) throw new Error(`iperf3 in ${where} failed: ${report.error ?? stderr}`);
  const rev = report.end?.sum_received_bidir_reverse;
  return {
    bitsPerSecond: sum.bits_per_second,
    bytes: sum.bytes,
    ...(rev ? { reverse: { bitsPerSecond: rev.bits_per_second, bytes: rev.bytes } } : {}),
    report,
  };
}

export async function iperf3Client(guest: Guest, opts: Iperf3ClientOptions): Promise<Iperf3Result> {
  const seconds = opts.seconds ?? 2;
  const r = await guest.run(`iperf3 ${iperf3ClientArgs(opts).map(shellQuote).join(' ')}`, { timeoutMs: seconds * 1000 + 30000 });
  return parseIperf3Report(guest.name, r.code, r.stdout, r.stderr);
}

/** `iperf3 -s -1` in a host namespace (e.g. the inside host); resolves once it listens. */
export async function hostIperf3Server(ns: Netns, port: number, bind?: string): Promise<Proc> {
  const p = new Proc(ns.spawn('iperf3', ['-s', '-1', '--forceflush', '-p', String(port), ...(bind ? ['-B', bind] : [])]));
  await p.waitFor(/Server listening/, 10_000);
  return p;
}
