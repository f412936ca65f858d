/**
 * How to start a sibling bench script in another process: the compiled .js under dist, or the
 * .ts source through tsx when the bench itself runs from source.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function benchScriptArgs(name: string): string[] {
  const self = fileURLToPath(import.meta.url);
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  const script = join(dirname(self), name + ext);
  return ext === '.ts' ? ['--import', 'tsx', script] : [script];
}

/** This process's hard limit on open descriptors (raising it needs CAP_SYS_RESOURCE). */
export function nofileHardLimit(): number {
  const m = /^Max open files\s+\S+\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return m?.[1] === 'unlimited' ? 1 << 20 : Number(m?.[1] ?? 1024);
}

/**
 * Command prefix that runs a program with its descriptor limit raised to the hard limit (10,000
 * TCP connections need more than the usual 1024) and, when `cpus` is given, pinned to those CPUs.
 */
export function launchPrefix(cpus: string | undefined): string[] {
  const nofile = nofileHardLimit();
  const out = ['prlimit', `--nofile=${nofile}:${nofile}`];
  if (cpus !== undefined) out.push('taskset', '-c', cpus);
  return out;
}

/** Moves a running process (all its threads) to other CPUs. */
export function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}
