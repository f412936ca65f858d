/** Parent side of loadgen.ts: starts it in a namespace (pinned, with a raised fd limit) and talks to it. */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Netns } from '../test/helpers/netns.js';
import { repoRoot } from '../test/helpers/paths.js';
import type { DialReply, LoadgenConfig, LoadgenRequest } from './loadgen.js';
import { benchScriptArgs, launchPrefix } from './script.js';

interface Reply {
  ok: boolean;
  result?: unknown;
  error?: string;
}

export class Loadgen {
  private readonly replies: Reply[] = [];
  private wake: (() => void) | undefined;
  private stderr = '';
  private exited = false;
  pid = 0;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.replies.push(JSON.parse(line) as Reply);
      this.wake?.();
    });
    child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    child.on('exit', () => {
      this.exited = true;
      this.wake?.();
    });
  }

  static async start(ns: Netns, config: LoadgenConfig, cpus: string | undefined): Promise<Loadgen> {
    const [cmd, ...args] = [...launchPrefix(cpus), process.execPath, ...benchScriptArgs('loadgen'), JSON.stringify(config)];
    const lg = new Loadgen(ns.spawn(cmd!, args, { cwd: repoRoot }));
    const hello = (await lg.next(20_000)) as { pid: number };
    lg.pid = hello.pid;
    return lg;
  }

  private async next(timeoutMs: number): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length === 0) {
      if (this.exited) throw new Error(`load generator exited: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`load generator timed out: ${this.stderr}`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 100);
      });
    }
    const r = this.replies.shift()!;
    if (!r.ok) throw new Error(`load generator: ${r.error}`);
    return r.result;
  }

  async request<T>(req: LoadgenRequest, timeoutMs = 120_000): Promise<T> {
    this.child.stdin!.write(JSON.stringify(req) + '\n');
    return (await this.next(timeoutMs)) as T;
  }

  dial(count: number, concurrency: number, mppe: 'none' | 'required' = 'required', echoMs = 20_000): Promise<DialReply> {
    return this.request({ op: 'dial', count, concurrency, mppe, echoMs }, 60_000 + count * 20);
  }

  status(): Promise<{ sessions: number; up: number; gone: Record<string, number> }> {
    return this.request({ op: 'status' });
  }

  hangup(concurrency = 500): Promise<{ closed: number; seconds: number }> {
    return this.request({ op: 'hangup', concurrency });
  }

  /** Closes stdin (the child hangs its sessions up and exits), then kills it if it lingers. */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.end();
    const deadline = Date.now() + 15_000;
    while (!this.exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
