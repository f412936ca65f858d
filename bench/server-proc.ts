/**
 * `vpdn serve` for the bench: its own process in the server namespace (so its RSS and event loop
 * are measured alone), pinned to the given CPUs, with a raised descriptor limit, optionally under
 * `node --cpu-prof`. Read through the management socket and /proc.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MgmtClient } from '../src/mgmt/client.js';
import type { PoolStats } from '../src/server/pool.js';
import type { GlobalCounters } from '../src/server/view.js';
import type { ProcessMetrics } from '../src/server/metrics.js';
import type { Netns } from '../test/helpers/netns.js';
import { repoRoot, vpdnBin } from '../test/helpers/paths.js';
import { Proc } from '../test/helpers/vpdn.js';
import { sample, type ProcSample } from './proc-stats.js';
import { launchPrefix, pin } from './script.js';

export type ServerCounters = GlobalCounters & ProcessMetrics & { spoofedDropped: number };

export interface BenchServerOptions {
  /** CPUs for taskset, e.g. "0"; undefined = any. */
  cpus?: string;
  /** Write a V8 CPU profile here when the server exits. */
  cpuProfDir?: string;
  /** More options for node (e.g. --heapsnapshot-signal=SIGHUP). */
  nodeFlags?: string[];
}

export class BenchServer {
  private constructor(
    readonly proc: Proc,
    readonly pid: number,
    private readonly dir: string,
    private readonly mgmt: MgmtClient,
  ) {}

  static async start(ns: Netns, configText: string, opts: BenchServerOptions = {}): Promise<BenchServer> {
    const dir = mkdtempSync(join(tmpdir(), 'vpdn-bench-'));
    const cfg = join(dir, 'vpdn.cfg');
    const control = join(dir, 'vpdn.sock');
    writeFileSync(cfg, configText);
    // The server runs from dist (bin/vpdn), so its preload does too.
    const gcPreload = pathToFileURL(join(repoRoot, 'dist', 'bench', 'gc-preload.js')).href;
    const flags = ['--expose-gc', '--import', gcPreload, ...(opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : []), ...(opts.nodeFlags ?? [])];
    const [cmd, ...args] = [...launchPrefix(opts.cpus), process.execPath, ...flags, vpdnBin, 'serve', '--config', cfg, '--control', control];
    const proc = new Proc(ns.spawn(cmd!, args));
    try {
      await proc.waitFor(/listening on/, 20_000);
      const mgmt = await MgmtClient.connect(control);
      return new BenchServer(proc, proc.child.pid!, dir, mgmt);
    } catch (e) {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  private async command<T>(line: string): Promise<T> {
    const r = await this.mgmt.command(line, true);
    if (!r.ok) throw new Error(`vpdn ${line}: ${r.error}`);
    return r.data as T;
  }

  counters(): Promise<ServerCounters> {
    return this.command<ServerCounters>('show counters');
  }

  async pools(): Promise<PoolStats[]> {
    return (await this.command<{ pools: PoolStats[] }>('show ip local pool')).pools;
  }

  sample(): ProcSample {
    return sample(this.pid);
  }

  /** A full garbage collection in the server (see gc-preload.ts), then a moment for it to finish. */
  async collectGarbage(): Promise<void> {
    process.kill(this.pid, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 1000));
  }

  /** Moves the running server to other CPUs. */
  pin(cpus: string): void {
    pin(this.pid, cpus);
  }

  /** SIGTERM (clean teardown of every session, and the CPU profile written), SIGKILL after 30 s. */
  async stop(): Promise<number> {
    this.mgmt.close();
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 30_000);
    const code = await this.proc.exited;
    clearTimeout(t);
    rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}
