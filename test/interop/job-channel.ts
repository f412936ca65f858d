/**
 * Host side of the guest command channel over the virtio-9p share (guest side: guest/runner).
 * A job is a shell script dropped as jobs/<id>.job; its results come back as out/<id>.* files,
 * each made visible by rename so a half-written file is never read.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface JobResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface JobState {
  running: boolean;
  /** Exit status once the job has ended. */
  code?: number;
  stdout: string;
  stderr: string;
}

const POLL_MS = 20;

export class JobChannel {
  private next = 1;

  /**
   * @param share the host folder the guest mounts at /share
   * @param failure says why the guest can no longer answer (qemu gone), or undefined while it can
   */
  constructor(
    readonly share: string,
    private readonly failure: () => string | undefined,
  ) {
    for (const d of ['jobs', 'out', 'xfer']) mkdirSync(join(share, d), { recursive: true });
  }

  private out(name: string): string {
    return join(this.share, 'out', name);
  }

  private read(name: string): string {
    const p = this.out(name);
    return existsSync(p) ? readFileSync(p, 'utf8') : '';
  }

  private submit(header: string, script: string): string {
    const id = `j${this.next++}`;
    const tmp = join(this.share, 'jobs', `${id}.tmp`);
    writeFileSync(tmp, `${header}\n${script}\n`);
    renameSync(tmp, join(this.share, 'jobs', `${id}.job`));
    return id;
  }

  /** Polls until test() holds; throws on timeout or when the guest is gone. */
  async waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      const dead = this.failure();
      if (dead) throw new Error(`${what}: ${dead}`);
      if (Date.now() > deadline) throw new Error(`${what}: no answer within ${timeoutMs} ms`);
      await sleep(POLL_MS);
    }
  }

  /** Runs a script and waits for it; the guest kills it a little after timeoutMs as a backstop. */
  async run(script: string, timeoutMs: number): Promise<JobResult> {
    const id = this.submit(`#vpdn fg ${Math.ceil(timeoutMs / 1000) + 2}`, script);
    try {
      await this.waitFor(() => existsSync(this.out(`${id}.status`)), timeoutMs, `job ${id} timed out`);
    } catch (e) {
      const so = this.read(`${id}.out`).slice(-2000);
      const se = this.read(`${id}.err`).slice(-2000);
      throw new Error(`${(e as Error).message}\n  command: ${script}\n  stdout: ${so}\n  stderr: ${se}`);
    }
    const result = {
      code: Number(this.read(`${id}.status`).trim()),
      stdout: this.read(`${id}.out`),
      stderr: this.read(`${id}.err`),
    };
    for (const ext of ['status', 'out', 'err']) rmSync(this.out(`${id}.${ext}`), { force: true });
    return result;
  }

  /** Starts a detached script (its own session); resolves with its id and guest pid once running. */
  async start(script: string, timeoutMs = 15000): Promise<{ id: string; pid: number }> {
    const id = this.submit('#vpdn bg', script);
    await this.waitFor(() => existsSync(this.out(`${id}.pid`)), timeoutMs, `background job ${id} did not start`);
    return { id, pid: Number(this.read(`${id}.pid`).trim()) };
  }

  /** What a detached job has written so far, and its status once it has ended. */
  state(id: string): JobState {
    const status = this.read(`${id}.status`).trim();
    return {
      running: status === '',
      ...(status === '' ? {} : { code: Number(status) }),
      stdout: this.read(`${id}.out`),
      stderr: this.read(`${id}.err`),
    };
  }

  /** Sends a job without waiting for anything (used for the final reboot). */
  fire(script: string): void {
    this.submit('#vpdn bg', script);
  }

  /** Puts bytes in the share; returns the path the guest sees them at. */
  stage(content: string | Uint8Array): string {
    const name = `f${this.next++}`;
    writeFileSync(join(this.share, 'xfer', name), content);
    return `/share/xfer/${name}`;
  }
}
