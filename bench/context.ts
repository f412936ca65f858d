/**
 * What every scenario gets: the run's size (full or quick), progress output, where CPU profiles
 * go, and a cleanup stack that runs even when a scenario fails or the bench is interrupted.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './report.js';

export interface Sizes {
  warmup: number;
  setupSmall: number;
  setupLarge: number;
  holdSeconds: number;
  dataSeconds: number;
  pings: number;
  churnTotal: number;
  churnBatch: number;
  /** Cycles before the 'before' reading: RSS settles only after some 10,000 (V8 and malloc keep what they grew to). */
  churnWarmup: number;
  /** Dials in flight at once per load generator. */
  concurrency: number;
  otherSeconds: number;
  radiusRequests: number;
}

export const FULL: Sizes = {
  warmup: 2000,
  setupSmall: 1000,
  setupLarge: 10_000,
  holdSeconds: 60,
  dataSeconds: 5,
  pings: 500,
  churnTotal: 100_000,
  churnBatch: 2000,
  churnWarmup: 30_000,
  concurrency: 256,
  otherSeconds: 3,
  radiusRequests: 5000,
};

export const QUICK: Sizes = {
  warmup: 500,
  setupSmall: 1000,
  setupLarge: 2000,
  holdSeconds: 10,
  dataSeconds: 1,
  pings: 100,
  churnTotal: 4000,
  churnBatch: 1000,
  churnWarmup: 2000,
  concurrency: 256,
  otherSeconds: 1,
  radiusRequests: 1000,
};

export class BenchContext {
  readonly figures: Figure[] = [];
  readonly profiles: Record<string, string> = {};
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  constructor(
    readonly sizes: Sizes,
    readonly profileDir: string | undefined,
    private readonly progress: (line: string) => void,
  ) {}

  log(line: string): void {
    this.progress(line);
  }

  add(f: Figure): void {
    this.figures.push(f);
    const ref = f.reference ? ` (ref: ${f.reference.value} ${f.reference.unit} ${f.reference.name})` : '';
    this.progress(`  ${f.section}: ${f.name}: ${f.value} ${f.unit}${ref}${f.aim ? ` [aim ${f.aim}: ${f.met ? 'met' : 'missed'}]` : ''}`);
  }

  /** A directory for one scenario's server CPU profile, when profiling. */
  profileDirFor(scenario: string): string | undefined {
    if (!this.profileDir) return undefined;
    const dir = join(this.profileDir, scenario);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Registers a cleanup; returns a function that runs it now (and unregisters it). */
  defer(fn: () => Promise<void> | void): () => Promise<void> {
    this.cleanups.push(fn);
    return async () => {
      const i = this.cleanups.indexOf(fn);
      if (i >= 0) {
        this.cleanups.splice(i, 1);
        await fn();
      }
    };
  }

  /** Runs every registered cleanup, newest first, ignoring their errors. */
  async cleanup(): Promise<void> {
    while (this.cleanups.length > 0) {
      const fn = this.cleanups.pop()!;
      try {
        await fn();
      } catch (e) {
        this.progress(`cleanup failed: ${(e as Error).message}`);
      }
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
