/**
 * Failed-login lockout (`vpdn lockout attempts N window S duration S`): after N failures within the
 * window, further logins for that user, or from that source address, are refused without asking the
 * back end until the lockout ends. Bounded memory: entries expire and the table has a size cap.
 */
export interface LockoutPolicy {
  attempts: number;
  windowMs: number;
  durationMs: number;
}

interface Entry {
  failures: number;
  windowStart: number;
  lockedUntil: number;
}

export class Lockout {
  private readonly users = new Map<string, Entry>();
  private readonly sources = new Map<string, Entry>();

  constructor(
    private readonly policy: LockoutPolicy | null,
    private readonly maxEntries = 100_000,
  ) {}

  /** If the user or the source is locked out, the number of ms left; else 0. */
  lockedFor(user: string, source: string, now: number): number {
    if (!this.policy) return 0;
    const u = this.users.get(user);
    const s = this.sources.get(source);
    return Math.max(0, (u?.lockedUntil ?? 0) - now, (s?.lockedUntil ?? 0) - now);
  }

  /** Records a failure; returns true when this failure started a lockout. */
  failure(user: string, source: string, now: number): boolean {
    if (!this.policy) return false;
    const a = this.bump(this.users, user, now);
    const b = this.bump(this.sources, source, now);
    return a || b;
  }

  success(user: string, source: string): void {
    this.users.delete(user);
    this.sources.delete(source);
  }

  private bump(map: Map<string, Entry>, key: string, now: number): boolean {
    const p = this.policy!;
    let e = map.get(key);
    if (!e || now - e.windowStart > p.windowMs) {
      if (!e && map.size >= this.maxEntries) this.evict(map, now);
      e = { failures: 0, windowStart: now, lockedUntil: 0 };
      map.set(key, e);
    }
    e.failures++;
    if (e.failures >= p.attempts && e.lockedUntil <= now) {
      e.lockedUntil = now + p.durationMs;
      e.failures = 0;
      e.windowStart = now;
      return true;
    }
    return false;
  }

  private evict(map: Map<string, Entry>, now: number): void {
    const p = this.policy!;
    for (const [k, e] of map) {
      if (e.lockedUntil <= now && now - e.windowStart > p.windowMs) map.delete(k);
    }
    // Still full (an attack from many sources): drop the oldest entries, Map keeps insertion order.
    const excess = map.size - Math.floor(this.maxEntries * 0.9);
    if (excess > 0) {
      let i = 0;
      for (const k of map.keys()) {
        if (i++ >= excess) break;
        map.delete(k);
      }
    }
  }
}
