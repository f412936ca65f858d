/** Parent side of gre-peer.ts: starts it in a namespace and sends it commands. */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Netns } from '../helpers/netns.js';
import { repoRoot } from '../helpers/paths.js';
import { nodeScriptArgs } from './node-script.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = Record<string, any>;

export class GrePeer {
  private readonly replies: Reply[] = [];
  private wake: (() => void) | undefined;
  private stderr = '';
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.replies.push(JSON.parse(line) as Reply);
      this.wake?.();
    });
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.on('exit', () => {
      this.exited = true;
      this.wake?.();
    });
  }

  /** Starts a peer; resolves with it and its first line ({ready} or {error}). */
  static async start(ns: Netns, opts: object = {}): Promise<{ peer: GrePeer; hello: Reply }> {
    const child = ns.spawn(process.execPath, [...nodeScriptArgs(import.meta.url, 'gre-peer'), JSON.stringify(opts)], {
      cwd: repoRoot,
    });
    const peer = new GrePeer(child);
    return { peer, hello: await peer.next(15000) };
  }

  private async next(timeoutMs: number): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length === 0) {
      if (this.exited) throw new Error(`gre-peer exited: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`gre-peer timed out: ${this.stderr}`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 50);
      });
    }
    return this.replies.shift()!;
  }

  async request(cmd: object, timeoutMs = 10000): Promise<Reply> {
    this.child.stdin!.write(JSON.stringify(cmd) + '\n');
    const r = await this.next(timeoutMs);
    if (r.error) throw new Error(`gre-peer: ${r.error}`);
    return r;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.end();
    const deadline = Date.now() + 3000;
    while (!this.exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
