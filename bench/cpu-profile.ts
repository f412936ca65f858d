/**
 * Summary of a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and
 * how much of the run was idle, garbage collection or native code ("(program)").
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../test/helpers/paths.js';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileFrame {
  name: string;
  /** Share of the busy (non-idle) samples, %. */
  selfPercent: number;
  selfMs: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  gcPercent: number;
  /** Functions by self time. */
  top: ProfileFrame[];
  /** Source files (node: internals as one, native frames by name) by self time. */
  files: ProfileFrame[];
}

function fileOf(url: string): string {
  try {
    return url.startsWith('file:') ? relative(repoRoot, fileURLToPath(url)) : url;
  } catch {
    return url;
  }
}

function frameName(n: CpuProfileNode): string {
  const f = n.callFrame;
  const fn = f.functionName || '(anonymous)';
  return f.url ? `${fn} ${fileOf(f.url)}:${f.lineNumber + 1}` : fn;
}

/** The file a frame belongs to; Node's own JavaScript as one bucket, native frames as "(native)". */
function fileBucket(n: CpuProfileNode): string {
  const f = n.callFrame;
  if (!f.url) return f.functionName.startsWith('(') ? f.functionName : '(native: syscalls, V8 builtins)';
  return f.url.startsWith('node:') ? 'node: internals (net, streams, timers, crypto wrappers)' : fileOf(f.url);
}

function topOf(m: Map<string, number>, busy: number, n: number): ProfileFrame[] {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), selfPercent: Math.round((us / busy) * 1000) / 10 }));
}

export function summariseProfile(path: string, topN = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  // Self time per node from the sample stream (time deltas precede each sample).
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
  }
  const byName = new Map<string, number>();
  const byFile = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  let busy = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName;
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    if (name === '(garbage collector)') gc += us;
    const key = frameName(n);
    byName.set(key, (byName.get(key) ?? 0) + us);
    const file = fileBucket(n);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  return {
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    gcPercent: Math.round((gc / busy) * 1000) / 10,
    top: topOf(byName, busy, topN),
    files: topOf(byFile, busy, topN),
  };
}

export function formatProfile(title: string, s: ProfileSummary): string {
  const lines = [`${title}: ${s.busyMs} ms busy, ${s.idleMs} ms idle, GC ${s.gcPercent}% of busy`];
  lines.push(' top functions (self time):');
  for (const f of s.top) lines.push(`  ${f.selfPercent.toFixed(1).padStart(5)}%  ${f.name}`);
  lines.push(' by file (self time):');
  for (const f of s.files) lines.push(`  ${f.selfPercent.toFixed(1).padStart(5)}%  ${f.name}`);
  return lines.join('\n');
}

/** The summary of the (newest) profile written into `dir`, or a line saying there is none. */
export function summariseProfileDir(dir: string, title: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) return `${title}: no profile was written in ${dir}`;
  return formatProfile(`${title} [${files[0]}]`, summariseProfile(files[0]!));
}
