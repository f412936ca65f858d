/**
 * `npm run bench` / `vpdn bench [--quick] [--json] [--only LIST] [--profile DIR] [--markdown FILE]`
 * (issue 8): setup rate, scale, throughput, latency and churn in network namespaces, plus the other
 * helpers' micro-benchmarks, each figure next to a reference measured in the same run. Prints a
 * table (progress goes to stderr), or with --json one JSON object. Needs root.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { isRoot } from '../test/helpers/netns.js';
import { churnScenario } from './churn.js';
import { BenchContext, FULL, QUICK } from './context.js';
import { dataScenario } from './data-path.js';
import { othersScenario } from './others.js';
import { loadAverage } from './proc-stats.js';
import { formatMarkdown, formatTable, type BenchReport, type Machine } from './report.js';
import { sessionsScenario } from './sessions.js';

export const SCENARIOS = ['sessions', 'data', 'churn', 'others'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  quick: boolean;
  only: Scenario[];
  profileDir?: string;
  progress?: (line: string) => void;
}

function machine(loadBefore: number): Machine {
  return {
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    kernel: release(),
    loadBefore,
    loadAfter: loadAverage(),
  };
}

/** Runs the chosen scenarios; a failing scenario is recorded and the rest still run. */
export async function runBench(options: BenchOptions, command: string): Promise<BenchReport> {
  const started = performance.now();
  const loadBefore = loadAverage();
  const ctx = new BenchContext(options.quick ? QUICK : FULL, options.profileDir, options.progress ?? ((l) => process.stderr.write(l + '\n')));
  const failures: string[] = [];
  const onSignal = (sig: NodeJS.Signals): void => {
    ctx.log(`${sig}: cleaning up`);
    void ctx.cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const run: Record<Scenario, () => Promise<void>> = {
      sessions: () => sessionsScenario(ctx),
      data: () => dataScenario(ctx),
      churn: () => churnScenario(ctx),
      others: async () => void failures.push(...(await othersScenario(ctx))),
    };
    for (const s of SCENARIOS) {
      if (!options.only.includes(s)) continue;
      const t0 = performance.now();
      try {
        await run[s]();
        ctx.log(`${s}: done in ${Math.round((performance.now() - t0) / 1000)} s`);
      } catch (e) {
        failures.push(`${s}: ${(e as Error).stack ?? e}`);
        ctx.log(`${s} failed: ${(e as Error).message}`);
      } finally {
        await ctx.cleanup();
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return {
    date: new Date().toISOString(),
    command,
    mode: options.quick ? 'quick' : 'full',
    seconds: Math.round((performance.now() - started) / 1000),
    machine: machine(loadBefore),
    figures: ctx.figures,
    profiles: ctx.profiles,
    failures,
  };
}

export function formatReport(r: BenchReport): string {
  const m = r.machine;
  const lines = [
    `vpdn bench (${r.mode}) ${r.date}: ${r.seconds} s; ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryMiB} MiB, Node ${m.node}, Linux ${m.kernel}; load average ${m.loadBefore} before, ${m.loadAfter} after`,
    '',
    formatTable(r.figures),
  ];
  for (const [name, text] of Object.entries(r.profiles)) lines.push('', `profile ${name}:`, text);
  if (r.failures.length > 0) lines.push('', 'FAILED:', ...r.failures.map((f) => `  ${f}`));
  return lines.join('\n');
}

export function markdownReport(r: BenchReport): string {
  const m = r.machine;
  const out = [
    `Run ${r.date} (${r.mode}, ${r.seconds} s): \`${r.command}\``,
    '',
    `Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryMiB} MiB, Node ${m.node}, Linux ${m.kernel}; load average ${m.loadBefore} at the start, ${m.loadAfter} at the end.`,
    '',
    formatMarkdown(r.figures),
  ];
  for (const [name, text] of Object.entries(r.profiles)) out.push('', `Profile, ${name}:`, '', '```', text, '```');
  if (r.failures.length > 0) out.push('', 'Failed parts:', '', ...r.failures.map((f) => `- ${f.split('\n')[0]}`));
  return out.join('\n') + '\n';
}

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'string' },
      markdown: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(`usage: vpdn bench [--quick] [--json] [--only ${SCENARIOS.join(',')}] [--profile DIR] [--markdown FILE]`);
    return 0;
  }
  if (!isRoot()) {
    console.error('vpdn bench: needs root (network namespaces, raw GRE socket, TUN)');
    return 1;
  }
  const only = (values.only ?? SCENARIOS.join(',')).split(',').map((s) => s.trim()) as Scenario[];
  const unknown = only.filter((s) => !SCENARIOS.includes(s));
  if (unknown.length > 0) {
    console.error(`vpdn bench: unknown part ${unknown.join(', ')} (${SCENARIOS.join(', ')})`);
    return 2;
  }
  process.stdout.on('error', () => undefined); // a closed pipe must not stop the cleanup
  const command = ['vpdn bench', ...args].join(' ');
  const report = await runBench({ quick: values.quick!, only, profileDir: values.profile }, command);
  if (values.markdown) writeFileSync(values.markdown, markdownReport(report));
  console.log(values.json ? JSON.stringify(report) : formatReport(report));
  return report.failures.length > 0 ? 1 : 0;
}
