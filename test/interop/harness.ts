/**
 * Real PPP software for interop tests: small qemu guests (Debian's kernel, pppd, pptp-linux,
 * pptpd) on a bridge inside a network namespace. Host processes started in that namespace
 * (e.g. `vpdn serve`) are reachable from the guests at the bridge address.
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Netns } from '../helpers/netns.js';
import { ensureGuestImage, type GuestImage } from './guest-image.js';
import { requireHostTools, RUN_TOOLS } from './host-tools.js';
import { JobChannel, type JobResult, type JobState } from './job-channel.js';

export type { JobResult, JobState } from './job-channel.js';

let image: GuestImage | undefined;

/** The guest image, built or found in the cache on first use in this process. */
export function guestImage(): GuestImage {
  image ??= ensureGuestImage((line) => process.stderr.write(`guest-image: ${line}\n`));
  return image;
}

/** A POSIX shell word holding s verbatim. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The address part of 'a.b.c.d/len'. */
export function addressOf(cidr: string): string {
  return cidr.split('/')[0];
}

let tapCounter = 0;

export class GuestNetwork {
  readonly bridge = 'br0';
  /** The bridge's own address (no prefix length): where host-side servers listen. */
  readonly address: string;
  private readonly guests = new Set<Guest>();

  private constructor(
    readonly netns: Netns,
    readonly bridgeAddress: string,
  ) {
    this.address = addressOf(bridgeAddress);
  }

  static create(opts: { bridgeAddress: string }): GuestNetwork {
    const netns = new Netns('g');
    try {
      netns.exec('ip', 'link', 'add', 'br0', 'type', 'bridge');
      netns.exec('ip', 'addr', 'add', opts.bridgeAddress, 'dev', 'br0');
      netns.exec('ip', 'link', 'set', 'br0', 'up');
    } catch (e) {
      netns.destroy();
      throw e;
    }
    return new GuestNetwork(netns, opts.bridgeAddress);
  }

  /** A tap on the bridge for one guest. */
  addTap(): string {
    const tap = `gt${process.pid % 10000}x${tapCounter++}`.slice(0, 15);
    this.netns.exec('ip', 'tuntap', 'add', 'dev', tap, 'mode', 'tap');
    this.netns.exec('ip', 'link', 'set', tap, 'master', 'br0');
    this.netns.exec('ip', 'link', 'set', tap, 'up');
    return tap;
  }

  removeTap(tap: string): void {
    try {
      this.netns.exec('ip', 'link', 'del', tap);
    } catch {
      /* already gone with the namespace */
    }
  }

  attach(g: Guest): void {
    this.guests.add(g);
  }

  detach(g: Guest): void {
    this.guests.delete(g);
  }

  /** Kills whatever guests are still up and deletes the namespace. */
  destroy(): void {
    for (const g of [...this.guests]) g.kill();
    this.netns.destroy();
  }
}

export interface GuestOptions {
  name: string;
  /** eth0's address, CIDR. */
  address: string;
  gateway?: string;
  /** More eth0 addresses (CIDR), e.g. one per pptp --localbind session. */
  extraAddresses?: string[];
  memoryMb?: number;
  bootTimeoutMs?: number;
}

let guestCounter = 0;

export class Guest {
  /** eth0's address without the prefix length. */
  readonly address: string;
  /** Time from starting qemu to the job runner answering. */
  bootMs = 0;
  private qemuExit: string | undefined;
  private qemuStderr = '';

  private constructor(
    readonly name: string,
    private readonly net: GuestNetwork,
    readonly workDir: string,
    private readonly tap: string,
    private readonly qemu: ChildProcess,
    private readonly channel: JobChannel,
    opts: GuestOptions,
  ) {
    this.address = addressOf(opts.address);
    qemu.stderr?.on('data', (d: Buffer) => {
      this.qemuStderr = (this.qemuStderr + d.toString()).slice(-4000);
    });
    qemu.on('exit', (code, signal) => {
      this.qemuExit = `qemu exited (${signal ?? `code ${code}`})`;
    });
    qemu.on('error', (e) => {
      this.qemuExit = `qemu could not be started: ${e.message}`;
    });
  }

  /** Where the serial console is written (kernel messages and the guest's setup output). */
  get consoleLog(): string {
    return join(this.workDir, 'console.log');
  }

  /** The last lines of the serial console, for error messages. */
  consoleTail(lines = 30): string {
    if (!existsSync(this.consoleLog)) return '(no console output)';
    return readFileSync(this.consoleLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Why the guest can no longer answer, or undefined while it can. */
  failure(): string | undefined {
    if (!this.qemuExit) return undefined;
    const err = this.qemuStderr.trim();
    return `guest ${this.name}: ${this.qemuExit}${err ? `; qemu stderr: ${err}` : ''}\n--- console tail (${this.consoleLog}) ---\n${this.consoleTail()}`;
  }

  static async boot(net: GuestNetwork, opts: GuestOptions): Promise<Guest> {
    requireHostTools(RUN_TOOLS);
    const img = guestImage();
    const workDir = mkdtempSync(join(tmpdir(), `vpdn-guest-${opts.name}-`));
    const share = join(workDir, 'share');
    const n = guestCounter++;
    const ref: { guest?: Guest } = {};
    const channel = new JobChannel(share, () => ref.guest?.failure());
    // Extra addresses go through the share: the kernel command line is too short for many.
    writeFileSync(join(share, 'addresses'), (opts.extraAddresses ?? []).join('\n') + '\n');
    const tap = net.addTap();
    const mac = `52:54:00:${[(process.pid >> 8) & 255, process.pid & 255, n & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    const cmdline = [
      'console=ttyS0',
      'acpi=off',
      'mitigations=off',
      'panic=-1',
      'loglevel=4',
      `vpdn.name=${opts.name}`,
      `vpdn.addr=${opts.address}`,
      ...(opts.gateway ? [`vpdn.gw=${opts.gateway}`] : []),
    ].join(' ');
    const kvm = process.env.VPDN_GUEST_ACCEL === 'kvm';
    const args = [
      ...['-M', 'pc', '-smp', '1', '-m', String(opts.memoryMb ?? 384)],
      ...(kvm ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg,tb-size=256']),
      ...['-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot'],
      ...['-kernel', img.vmlinux, '-initrd', img.initramfs, '-append', cmdline],
      ...['-serial', `file:${join(workDir, 'console.log')}`],
      ...['-netdev', `tap,id=n0,ifname=${tap},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=n0,mac=${mac}`],
      ...['-fsdev', `local,id=s0,path=${share},security_model=none`, '-device', 'virtio-9p-pci,fsdev=s0,mount_tag=share'],
    ];
    const t0 = Date.now();
    // setpriv --pdeathsig: qemu dies with this process even if it is killed before cleaning up.
    const qemu = net.netns.spawn('setpriv', ['--pdeathsig', 'KILL', 'qemu-system-x86_64', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const g = new Guest(opts.name, net, workDir, tap, qemu, channel, opts);
    ref.guest = g;
    net.attach(g);
    const timeout = opts.bootTimeoutMs ?? 90000;
    try {
      await g.channel.waitFor(() => existsSync(join(share, 'ready')), timeout, `guest ${opts.name} did not boot`);
    } catch (e) {
      const why = (e as Error).message;
      const tail = g.consoleTail();
      g.kill();
      throw new Error(
        `${why}\n--- console tail (${g.consoleLog}; VPDN_GUEST_KEEP=1 keeps it) ---\n${tail}\n` +
          `--- qemu stderr ---\n${g.qemuStderr.trim()}`,
      );
    }
    g.bootMs = Date.now() - t0;
    return g;
  }

  /** Runs a shell command (dash) in the guest; resolves with its exit status and output. */
  run(command: string, opts: { timeoutMs?: number } = {}): Promise<JobResult> {
    return this.channel.run(command, opts.timeoutMs ?? 30000);
  }

  /** Like run, but throws unless the command exits 0; resolves with its stdout. */
  async check(command: string, opts: { timeoutMs?: number } = {}): Promise<string> {
    const r = await this.run(command, opts);
    if (r.code !== 0) {
      throw new Error(`guest ${this.name}: \`${command}\` exited ${r.code}\n  stdout: ${r.stdout}\n  stderr: ${r.stderr}`);
    }
    return r.stdout;
  }

  /** Starts a background job in its own session (e.g. pppd nodetach, pptpd --fg). */
  async start(command: string): Promise<{ id: string }> {
    const { id } = await this.channel.start(command);
    return { id };
  }

  /** Output so far and, once ended, the exit status of a background job. */
  job(id: string): JobState {
    return this.channel.state(id);
  }

  /** Signals a background job's whole session (process group) and waits until the job has ended. */
  async stop(id: string, signal = 'TERM', timeoutMs = 10000): Promise<JobState> {
    const pidFile = join(this.workDir, 'share', 'out', `${id}.pid`);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    await this.run(`kill -${signal} -${pid} 2>/dev/null; true`);
    await this.channel.waitFor(() => !this.channel.state(id).running, timeoutMs, `guest ${this.name}: job ${id} did not end`);
    return this.channel.state(id);
  }

  async readFile(path: string): Promise<string> {
    const r = await this.run(`cat -- ${shellQuote(path)}`);
    if (r.code !== 0) throw new Error(`guest ${this.name}: cannot read ${path}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  async writeFile(path: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
    await this.writeFiles([{ path, content, mode }]);
  }

  /** Writes several files with one job (mode defaults to 0644). */
  async writeFiles(files: { path: string; content: string | Uint8Array; mode?: number }[]): Promise<void> {
    const steps = files.map((f) => {
      const staged = this.channel.stage(f.content);
      const p = shellQuote(f.path);
      return `cp ${staged} ${p} && chmod ${(f.mode ?? 0o644).toString(8)} ${p} && rm ${staged}`;
    });
    await this.check(steps.join(' && '));
  }

  /** Waits until something in the guest listens on a TCP port. */
  async waitListening(port: number, timeoutMs = 15000): Promise<void> {
    const tries = Math.ceil(timeoutMs / 100);
    await this.check(
      `i=0; until netstat -ltn | grep -q ':${port} '; do i=$((i+1)); [ $i -gt ${tries} ] && exit 1; sleep 0.1; done`,
      { timeoutMs: timeoutMs + 5000 },
    );
  }

  /** Adds eth0 addresses (CIDR) after boot. */
  async addAddresses(cidrs: string[]): Promise<void> {
    if (cidrs.length === 0) return;
    const batch = this.channel.stage(cidrs.map((a) => `addr add ${a} dev eth0\n`).join(''));
    await this.check(`ip -batch ${batch} && rm ${batch}`);
  }

  /** Reboots the guest (qemu exits, -no-reboot), kills qemu if that takes too long, cleans up. */
  async shutdown(): Promise<void> {
    if (!this.qemuExit) {
      this.channel.fire('reboot -f');
      const deadline = Date.now() + 10000;
      while (!this.qemuExit && Date.now() < deadline) await sleep(50);
    }
    if (!this.qemuExit && this.qemu.pid !== undefined) {
      this.qemu.kill('SIGKILL');
      const deadline = Date.now() + 5000;
      while (!this.qemuExit && Date.now() < deadline) await sleep(20);
    }
    this.kill();
  }

  /** Ends qemu at once and removes the tap and the work folder (kept when VPDN_GUEST_KEEP is set). */
  kill(): void {
    if (!this.qemuExit && this.qemu.pid !== undefined) {
      try {
        process.kill(this.qemu.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    this.net.removeTap(this.tap);
    this.net.detach(this);
    if (!process.env.VPDN_GUEST_KEEP) rmSync(this.workDir, { recursive: true, force: true });
  }
}
