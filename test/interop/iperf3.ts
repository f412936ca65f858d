/** iperf3 in guests: a one-test server and a client that reports the received rate. */
import { shellQuote, type Guest } from './harness.js';

export interface Iperf3Result {
  /** Receiver-side rate of the whole test. */
  bitsPerSecond: number;
  bytes: number;
  /** iperf3's full JSON report. */
  report: unknown;
}

/** Starts `iperf3 -s -1` (exits after one test) and waits until it listens. */
export async function iperf3Server(guest: Guest, opts: { bind?: string; port?: number } = {}): Promise<{ id: string; port: number }> {
  const port = opts.port ?? 5201;
  const bind = opts.bind ? ` -B ${shellQuote(opts.bind)}` : '';
  const { id } = await guest.start(`exec iperf3 -s -1 -p ${port}${bind}`);
  await guest.waitListening(port);
  return { id, port };
}

export async function iperf3Client(
  guest: Guest,
  opts: { server: string; port?: number; seconds?: number; bind?: string; reverse?: boolean },
): Promise<Iperf3Result> {
  const seconds = opts.seconds ?? 2;
  const args = ['-c', opts.server, '-p', String(opts.port ?? 5201), '-t', String(seconds), '-J'];
  if (opts.bind) args.push('-B', opts.bind);
  if (opts.reverse) args.push('-R');
  const r = await guest.run(`iperf3 ${args.map(shellQuote).join(' ')}`, { timeoutMs: seconds * 1000 + 30000 });
  let report: { error?: string; end?: { sum_received?: { bits_per_second: number; bytes: number } } };
  try {
    report = JSON.parse(r.stdout) as typeof report;
  } catch {
    throw new Error(`iperf3 in ${guest.name} gave no JSON (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
  const sum = report.end?.sum_received;
  if (r.code !== 0 || !sum) throw new Error(`iperf3 in ${guest.name} failed: ${report.error ?? r.stderr}`);
  return { bitsPerSecond: sum.bits_per_second, bytes: sum.bytes, report };
}
