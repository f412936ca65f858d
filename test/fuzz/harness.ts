/**
 * A small time-bounded fuzzer: start from valid inputs (a target's seeds plus the files in
 * test/fuzz/corpus/<target>/), mutate them, run the target, and keep any input that produced an
 * outcome not seen before as a new starting point. An exception, or an input slower than the
 * target's bound, is a failure: the input is written to the corpus as crash-<hash>.bin, so from
 * then on every run replays it (test/fuzz/regressions.test.ts).
 *
 * VPDN_FUZZ_SECONDS  seconds per target (default 2; CI keeps the whole suite well under a minute)
 * VPDN_FUZZ_SEED     generator seed, to replay a run (default: random, printed on failure)
 * VPDN_FUZZ_SAVE=1   also write inputs with new outcomes to the corpus (for long runs), at most
 *                    VPDN_FUZZ_SAVE_MAX (default 40) per target and run
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Rng } from '../ppp/link.js';
import { repoRoot } from '../helpers/paths.js';
import { int, mutate } from './mutate.js';

export interface FuzzTarget {
  /** Corpus folder name: test/fuzz/corpus/<name>/. */
  name: string;
  /** Valid inputs built with the project's encoders (or recorded from a real exchange). */
  seeds(): Uint8Array[];
  /** Tokens worth inserting: magic numbers, keywords. */
  dictionary?: Uint8Array[];
  /**
   * Runs one input and returns a short outcome signature ('ok:SCCRQ', 'err:PPTP length').
   * Throwing means a bug: decoders and engines must answer hostile input with typed results.
   */
  run(input: Uint8Array): string | Promise<string>;
  /** Inputs are cut to this many bytes (default 2048). */
  maxInputBytes?: number;
  /** Time bound for one input, ms (default 250: generous for a loaded CI machine). */
  maxMs?: number;
}

export interface FuzzFailure {
  input: Uint8Array;
  file: string;
  error: string;
}

export interface FuzzReport {
  target: string;
  seed: number;
  runs: number;
  corpus: number;
  outcomes: number;
  slowestMs: number;
  failure: FuzzFailure | undefined;
}

export function fuzzSeconds(): number {
  const s = Number(process.env.VPDN_FUZZ_SECONDS ?? '2');
  return Number.isFinite(s) && s >= 0 ? s : 2;
}

export function corpusDir(target: string): string {
  return join(repoRoot, 'test', 'fuzz', 'corpus', target);
}

/** The stored inputs of a target, crash regressions included. */
export function loadCorpus(target: string): { file: string; bytes: Uint8Array }[] {
  const dir = corpusDir(target);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => ({ file: join(dir, f), bytes: new Uint8Array(readFileSync(join(dir, f))) }));
}

export function saveInput(target: string, prefix: string, input: Uint8Array): string {
  const dir = corpusDir(target);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${prefix}-${createHash('sha1').update(input).digest('hex').slice(0, 12)}.bin`);
  writeFileSync(file, input);
  return file;
}

/** Runs one input under the target's rules: a thrown error or a slow answer is returned as text. */
export async function runOne(target: FuzzTarget, input: Uint8Array): Promise<{ outcome?: string; error?: string; ms: number }> {
  const start = performance.now();
  try {
    const outcome = await target.run(input);
    const ms = performance.now() - start;
    const limit = target.maxMs ?? 250;
    if (ms > limit) return { ms, error: `took ${ms.toFixed(1)} ms (bound ${limit} ms)` };
    return { outcome, ms };
  } catch (e) {
    return { ms: performance.now() - start, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

export async function fuzz(target: FuzzTarget, seconds = fuzzSeconds()): Promise<FuzzReport> {
  const seed = process.env.VPDN_FUZZ_SEED !== undefined ? Number(process.env.VPDN_FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
  const rng = new Rng(seed);
  const maxBytes = target.maxInputBytes ?? 2048;
  let saveLeft = process.env.VPDN_FUZZ_SAVE === '1' ? Number(process.env.VPDN_FUZZ_SAVE_MAX ?? '40') : 0;
  const corpus: Uint8Array[] = [...target.seeds(), ...loadCorpus(target.name).map((c) => c.bytes)];
  const dictionary = target.dictionary ?? [];
  const outcomes = new Set<string>();
  const report: FuzzReport = { target: target.name, seed, runs: 0, corpus: 0, outcomes: 0, slowestMs: 0, failure: undefined };
  const fail = (input: Uint8Array, error: string): FuzzReport => {
    report.failure = { input, error, file: saveInput(target.name, 'crash', input) };
    return finish();
  };
  const finish = (): FuzzReport => {
    report.corpus = corpus.length;
    report.outcomes = outcomes.size;
    return report;
  };

  // Every starting input must pass as it is.
  for (const input of corpus) {
    const r = await runOne(target, input);
    report.runs++;
    report.slowestMs = Math.max(report.slowestMs, r.ms);
    if (r.error) return fail(input, r.error);
    outcomes.add(r.outcome!);
  }
  if (corpus.length === 0) corpus.push(new Uint8Array(0));

  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    // Yield now and then so timers (and the test runner) stay alive during long runs.
    if ((report.runs & 255) === 0) await new Promise((r) => setImmediate(r));
    const base = corpus[int(rng, corpus.length)]!;
    const input = rng.next() < 0.02 ? rng.bytes(int(rng, 64)) : mutate(rng, base, corpus, dictionary, maxBytes);
    const r = await runOne(target, input);
    report.runs++;
    report.slowestMs = Math.max(report.slowestMs, r.ms);
    if (r.error) return fail(input, r.error);
    if (!outcomes.has(r.outcome!)) {
      outcomes.add(r.outcome!);
      corpus.push(input);
      if (saveLeft-- > 0) saveInput(target.name, 'new', input);
    }
  }
  return finish();
}

/** The assertion message for a failed run: how to replay it. */
export function describeFailure(r: FuzzReport): string {
  const f = r.failure!;
  const hex = Buffer.from(f.input).toString('hex');
  return [
    `fuzz target ${r.target} failed after ${r.runs} runs (VPDN_FUZZ_SEED=${r.seed})`,
    `input (${f.input.length} bytes) saved as ${f.file}: ${hex.length > 400 ? hex.slice(0, 400) + '...' : hex}`,
    f.error,
  ].join('\n');
}
