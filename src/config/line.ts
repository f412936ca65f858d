/** One acting command being applied: its captured words and helpers to check them. */
import { parseAddress } from './addresses.js';
import type { Draft, Sources } from './draft.js';
import type { Caps } from './grammar.js';
import type { VpdnConfig } from './model.js';

export class Line {
  constructor(
    readonly d: Draft,
    readonly line: number,
    readonly caps: Caps,
    readonly negated: boolean,
    /** The command's words as far as they matched, secrets masked (for messages). */
    readonly shown: string,
  ) {}

  get config(): VpdnConfig {
    return this.d.config;
  }

  get src(): Sources {
    return this.d.src;
  }

  /** The first word captured under `name` ('' if none). */
  one(name: string): string {
    return this.caps[name]?.[0] ?? '';
  }

  has(name: string): boolean {
    return (this.caps[name]?.length ?? 0) > 0;
  }

  error(message: string): void {
    this.d.errors.push({ line: this.line, message });
  }

  /** A whole number in [min, max], or undefined after reporting why not. */
  int(name: string, what: string, min: number, max: number): number | undefined {
    const n = Number(this.one(name));
    if (!Number.isInteger(n) || n < min || n > max) {
      this.error(`${this.shown}: ${what} must be ${min}..${max}, not ${this.one(name)}`);
      return undefined;
    }
    return n;
  }

  address(value: string, what: string): string | undefined {
    const a = parseAddress(value);
    if (a === undefined) this.error(`${this.shown}: bad IP address '${value}' for ${what}`);
    return a;
  }
}
