/**
 * PIX-style messages (`%PIX-<sev>-<id>: text`) to the console, a ring buffer (`show logging`),
 * `terminal monitor` subscribers and syslog over UDP (`logging host`), each filtered by its level.
 * Debug tracing is per category and costs one boolean test when off.
 */
import { createSocket, type Socket } from 'node:dgram';


export type DebugCategory =
  | 'ppp io'
  | 'ppp error'
  | 'ppp uauth'
  | 'vpdn error'
  | 'vpdn packets'
  | 'vpdn events';

export const DEBUG_CATEGORIES: readonly DebugCategory[] = [
  'ppp io',
  'ppp error',
  'ppp uauth',
  'vpdn error',
  'vpdn packets',
  'vpdn events',
];

export interface LoggerOptions {
  hostname: string;
  enabled: boolean; // `logging on`
  timestamp: boolean; // `logging timestamp`
  /** Levels 0-7, or null when that destination is off. */
  consoleLevel: number | null;
  bufferedLevel: number | null;
  trapLevel: number | null;
  /** `logging host IF A.B.C.D` (UDP 514 unless a port is given). */
  syslogHost?: { address: string; port: number };
  /** Syslog facility 16..23 (local0..local7). */
  facility?: number;
  bufferSize?: number;
  /** Where console lines go (default: stderr). */
  consoleWrite?: (line: string) => void;
}

/** Syslog facility local4 (20), the PIX default (`logging facility N`). */
const DEFAULT_FACILITY = 20;

export class PixLogger {
  private readonly buffer: string[] = [];
  private readonly monitors = new Set<(line: string) => void>();
  private syslog: Socket | undefined;
  /** Debug switches, indexed by category: a plain object lookup on the hot path. */
  readonly debugOn: Record<DebugCategory, boolean> = {
    'ppp io': false,
    'ppp error': false,
    'ppp uauth': false,
    'vpdn error': false,
    'vpdn packets': false,
    'vpdn events': false,
  };
  /** Messages counted per id, for metrics. */
  readonly counts = new Map<number, number>();

  constructor(private options: LoggerOptions) {}

  reconfigure(options: LoggerOptions): void {
    this.options = options;
  }

  private stamp(): string {
    if (!this.options.timestamp) return '';
    const d = new Date();
    const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const t = d.toISOString().slice(11, 19);
    return `${mon} ${String(d.getUTCDate()).padStart(2, '0')} ${d.getUTCFullYear()} ${t}: `;
  }

  /** A numbered message, e.g. message(6, 603104, 'PPTP Tunnel created, ...'). */
  message(severity: number, id: number, text: string): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    const body = `%PIX-${severity}-${id}: ${text}`;
    this.emit(severity, body);
  }

  /** A debug line of a category; callers test `debugOn[cat]` first when building the text costs. */
  debug(category: DebugCategory, text: string): void {
    if (!this.debugOn[category]) return;
    this.emitDebug(text);
  }

  private emitDebug(text: string): void {
    const line = `${this.stamp()}${text}`;
    // Debug output goes to the console and to monitors, like `debug` on a PIX terminal.
    (this.options.consoleWrite ?? defaultConsole)(line);
    for (const m of this.monitors) m(line);
  }

  private emit(severity: number, body: string): void {
    const o = this.options;
    if (!o.enabled && o.consoleLevel === null) return;
    const line = `${this.stamp()}${body}`;
    if (o.consoleLevel !== null && severity <= o.consoleLevel) (o.consoleWrite ?? defaultConsole)(line);
    if (o.enabled && o.bufferedLevel !== null && severity <= o.bufferedLevel) {
      this.buffer.push(line);
      // Trimmed in chunks, not one line per message: a splice of a full buffer costs O(size).
      const max = o.bufferSize ?? 4096;
      if (this.buffer.length >= 2 * max) this.buffer.splice(0, this.buffer.length - max);
    }
    if (o.enabled) for (const m of this.monitors) m(line);
    if (o.enabled && o.syslogHost && o.trapLevel !== null && severity <= o.trapLevel) {
      this.sendSyslog(severity, body);
    }
  }

  private sendSyslog(severity: number, body: string): void {
    const host = this.options.syslogHost!;
    if (!this.syslog) {
      this.syslog = createSocket('udp4');
      this.syslog.on('error', () => {
        /* syslog is best effort: a lost datagram must not hurt sessions */
      });
      this.syslog.unref();
    }
    const pri = (this.options.facility ?? DEFAULT_FACILITY) * 8 + severity;
    const msg = Buffer.from(`<${pri}>${this.stamp()}${this.options.hostname} ${body}`);
    this.syslog.send(msg, host.port, host.address);
  }

  /** `terminal monitor`: receive every message and debug line from now on. */
  subscribe(fn: (line: string) => void): () => void {
    this.monitors.add(fn);
    return () => this.monitors.delete(fn);
  }

  /** `show logging` */
  bufferedLines(): readonly string[] {
    const max = this.options.bufferSize ?? 4096;
    return this.buffer.length > max ? this.buffer.slice(-max) : this.buffer;
  }

  clearBuffer(): void {
    this.buffer.length = 0;
  }

  close(): void {
    this.syslog?.close();
    this.syslog = undefined;
  }
}

function defaultConsole(line: string): void {
  process.stderr.write(line + '\n');
}
