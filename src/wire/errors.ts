/**
 * Decoders in src/wire never throw: they return a value or a DecodeError naming the protocol and
 * the field that was wrong. No stack trace is captured, so hostile input costs little.
 */
export class DecodeError {
  constructor(
    /** e.g. 'PPTP', 'GRE', 'LCP', 'RADIUS'. */
    readonly protocol: string,
    /** The field that failed, e.g. 'magicCookie', 'length'. */
    readonly field: string,
    readonly message: string,
  ) {}

  toString(): string {
    return `${this.protocol} ${this.field}: ${this.message}`;
  }
}

export type Decoded<T> = T | DecodeError;

export function isDecodeError(x: unknown): x is DecodeError {
  return x instanceof DecodeError;
}
