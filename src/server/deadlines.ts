/**
 * One Node timer for every tunnel's and call's next deadline. Each session holds one deadline at a
 * time (retransmission, echo, idle or session timeout); a Timeout object and its closure per holder
 * cost more memory than the rest of an idle tunnel's bookkeeping, so holders sit in one binary
 * min-heap instead and the queue keeps a single timer for the earliest.
 */

/** Something with one deadline; its two fields belong to the queue. */
export interface DeadlineHolder {
  /** Monotonic ms of the deadline; Infinity when none is set. */
  deadlineAt: number;
  /** Position in the heap, -1 when not queued. */
  deadlineSlot: number;
  /** The deadline passed; it is no longer queued. */
  onDeadline(): void;
}

export class DeadlineQueue {
  private readonly heap: DeadlineHolder[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private firing = false;

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.heap.length;
  }

  /** Sets (or moves) the holder's deadline; Infinity removes it. */
  set(h: DeadlineHolder, at: number): void {
    if (at === h.deadlineAt && (h.deadlineSlot >= 0 || at === Infinity)) return;
    h.deadlineAt = at;
    if (at === Infinity) this.remove(h);
    else if (h.deadlineSlot < 0) {
      h.deadlineSlot = this.heap.length;
      this.heap.push(h);
      this.up(h.deadlineSlot);
    } else {
      this.up(h.deadlineSlot);
      this.down(h.deadlineSlot);
    }
    this.arm();
  }

  private remove(h: DeadlineHolder): void {
    const i = h.deadlineSlot;
    if (i < 0) return;
    h.deadlineSlot = -1;
    const last = this.heap.pop()!;
    if (last === h) return;
    this.heap[i] = last;
    last.deadlineSlot = i;
    this.up(i);
    this.down(i);
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.firing = true;
    try {
      const now = this.now();
      for (let top = this.heap[0]; top !== undefined && top.deadlineAt <= now; top = this.heap[0]) {
        this.remove(top);
        top.deadlineAt = Infinity;
        top.onDeadline();
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  }

  private arm(): void {
    if (this.firing) return;
    const at = this.heap.length > 0 ? this.heap[0]!.deadlineAt : Infinity;
    if (at === this.timerAt) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (at !== Infinity) this.timer = setTimeout(() => this.fire(), Math.max(0, at - this.now()));
  }

  private up(i: number): void {
    const heap = this.heap;
    const h = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]!.deadlineAt <= h.deadlineAt) break;
      heap[i] = heap[p]!;
      heap[i]!.deadlineSlot = i;
      i = p;
    }
    heap[i] = h;
    h.deadlineSlot = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const h = heap[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && heap[c + 1]!.deadlineAt < heap[c]!.deadlineAt) c++;
      if (heap[c]!.deadlineAt >= h.deadlineAt) break;
      heap[i] = heap[c]!;
      heap[i]!.deadlineSlot = i;
      i = c;
    }
    heap[i] = h;
    h.deadlineSlot = i;
  }
}
