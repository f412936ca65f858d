/**
 * Process health for `show counters`: resident memory, heap, and event-loop delay. The delay
 * histogram is closed and reset every window, so its figures describe the last complete window
 * (a load-average-like reading) rather than the whole uptime; readers that want a longer span
 * collect windows by their end time.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Flat numbers, so `show counters` can print them next to the other counters. */
export interface ProcessMetrics {
  rssBytes: number;
  heapUsedBytes: number;
  /** V8 heap reserved from the system (in use plus free space V8 keeps). */
  heapTotalBytes: number;
  externalBytes: number;
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Delay samples in the last complete window (one per resolution tick that ran). */
  loopDelaySamples: number;
  /** Epoch ms at which the last complete window ended; 0 before the first one. */
  loopDelayWindowEnd: number;
  loopDelayWindowMs: number;
}

export interface MetricsOptions {
  /** Window length; default 5 s. */
  windowMs?: number;
  /** Sampling timer of the delay histogram; default 5 ms. */
  resolutionMs?: number;
}

const NS_PER_MS = 1e6;

export class ServerMetrics {
  private readonly histogram: IntervalHistogram;
  private readonly windowMs: number;
  private readonly resolutionMs: number;
  private timer: NodeJS.Timeout | undefined;
  private last = { p50: 0, p99: 0, max: 0, samples: 0, end: 0 };

  constructor(options: MetricsOptions = {}) {
    this.windowMs = options.windowMs ?? 5000;
    this.resolutionMs = options.resolutionMs ?? 5;
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
  }

  start(): void {
    if (this.timer) return;
    this.histogram.enable();
    this.timer = setInterval(() => this.closeWindow(), this.windowMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.histogram.disable();
  }

  private closeWindow(): void {
    const h = this.histogram;
    // The histogram records whole sampling intervals; the delay is what exceeds the interval.
    const delay = (ns: number): number => (h.count > 0 ? Math.max(0, ns / NS_PER_MS - this.resolutionMs) : 0);
    this.last = {
      p50: delay(h.percentile(50)),
      p99: delay(h.percentile(99)),
      max: delay(h.max),
      samples: h.count,
      end: Date.now(),
    };
    h.reset();
  }

  read(): ProcessMetrics {
    const m = process.memoryUsage();
    const round = (ms: number): number => Math.round(ms * 1000) / 1000;
    return {
      rssBytes: m.rss,
      heapUsedBytes: m.heapUsed,
      heapTotalBytes: m.heapTotal,
      externalBytes: m.external,
      loopDelayP50Ms: round(this.last.p50),
      loopDelayP99Ms: round(this.last.p99),
      loopDelayMaxMs: round(this.last.max),
      loopDelaySamples: this.last.samples,
      loopDelayWindowEnd: this.last.end,
      loopDelayWindowMs: this.windowMs,
    };
  }
}
