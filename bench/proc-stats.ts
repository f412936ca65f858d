/**
 * Readings of another process from /proc (Linux): resident memory, CPU time, open descriptors.
 * Namespaces do not hide /proc of the same PID namespace, so the bench reads the server directly.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux architecture vpdn runs on. */
const TICKS_PER_SECOND = 100;

export interface ProcSample {
  /** performance.now() of the reading, ms. */
  at: number;
  rssBytes: number;
  /** CPU time of all threads, ms, to the nanosecond (schedstat). */
  cpuMs: number;
  /** Time its main thread (the event loop) was runnable but waiting for a CPU, ms: interference from other work. */
  waitMs: number;
  /** User and kernel (system calls and the network stack work they run) CPU time, ms, in 10 ms ticks. */
  userMs: number;
  systemMs: number;
  fds: number;
}

export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** User and system CPU time of all the process's threads, ms. */
export function cpuTimes(pid: number): { userMs: number; systemMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name (which may contain spaces): state is field 3.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { userMs: (Number(rest[11]) * 1000) / TICKS_PER_SECOND, systemMs: (Number(rest[12]) * 1000) / TICKS_PER_SECOND };
}

/**
 * On-CPU time of all the process's threads (V8's GC helpers work too) and run-queue time of its
 * main thread (the event loop), ms, from /proc/PID/task/TID/schedstat.
 */
export function schedTimes(pid: number): { cpuMs: number; waitMs: number } {
  let cpu = 0;
  let wait = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [run, queued] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
      cpu += Number(run);
      if (Number(tid) === pid) wait = Number(queued);
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return { cpuMs: cpu / 1e6, waitMs: wait / 1e6 };
}

export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export function sample(pid: number): ProcSample {
  const t = cpuTimes(pid);
  const s = schedTimes(pid);
  return { at: performance.now(), rssBytes: rssBytes(pid), cpuMs: s.cpuMs, waitMs: s.waitMs, userMs: t.userMs, systemMs: t.systemMs, fds: fdCount(pid) };
}

/** Share of one core the process used between two samples (1 = one core busy). */
export function coreShare(a: ProcSample, b: ProcSample): number {
  return b.at > a.at ? (b.cpuMs - a.cpuMs) / (b.at - a.at) : 0;
}

/** The kernel's share of the process's CPU time between two samples. */
export function kernelShare(a: ProcSample, b: ProcSample): number {
  const user = b.userMs - a.userMs;
  const system = b.systemMs - a.systemMs;
  return user + system > 0 ? system / (user + system) : 0;
}

/** Share of the time between two samples the process spent runnable but waiting for a CPU. */
export function waitShare(a: ProcSample, b: ProcSample): number {
  return b.at > a.at ? (b.waitMs - a.waitMs) / (b.at - a.at) : 0;
}

/** The machine's 1-minute load average, from /proc/loadavg. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}
