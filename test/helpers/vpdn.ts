/**
 * Runs the built `vpdn` CLI inside test namespaces: a server with a given configuration and
 * control socket, and `vpdn dial` clients. Output is collected so tests can wait for lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from './netns.js';
import { vpdnBin } from './paths.js';

export class Proc {
  out = '';
  err = '';
  readonly exited: Promise<number>;
  private waiters: (() => void)[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      this.out += d;
      this.wake();
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.err += d;
      this.wake();
    });
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.wake();
        resolve(code ?? (signal ? 128 : 1));
      }),
    );
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  get all(): string {
    return this.out + this.err;
  }

  /** Waits until stdout+stderr match, or throws with what was seen. */
  async waitFor(re: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const m = this.all.match(re);
      if (m) return m;
      if (exited) throw new Error(`process exited before ${re}:\n${this.all}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${re}:\n${this.all}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null) this.child.kill(signal);
  }
}

export interface ServerHandle {
  proc: Proc;
  control: string;
  dir: string;
  /** Runs `vpdn <args> --control SOCK` (show/clear/debug) and returns stdout. */
  cli(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  stop(): Promise<number>;
}

export async function startServer(ns: Netns, configText: string, extraArgs: string[] = []): Promise<ServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'vpdn-test-'));
  const cfg = join(dir, 'vpdn.cfg');
  const control = join(dir, 'vpdn.sock');
  writeFileSync(cfg, configText);
  const proc = new Proc(ns.spawn(process.execPath, [vpdnBin, 'serve', '--config', cfg, '--control', control, ...extraArgs]));
  await proc.waitFor(/listening on/, 20_000);
  return {
    proc,
    control,
    dir,
    async cli(...args: string[]) {
      const p = new Proc(spawn(process.execPath, [vpdnBin, ...args, '--control', control], { stdio: 'pipe' }));
      const code = await p.exited;
      return { code, out: p.out, err: p.err };
    },
    async stop() {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await proc.exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Starts `vpdn dial` in a namespace; resolves when it printed its connected line or exited. */
export function dial(ns: Netns, server: string, args: string[]): Proc {
  return new Proc(ns.spawn(process.execPath, [vpdnBin, 'dial', server, ...args]));
}
