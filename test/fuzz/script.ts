/**
 * Engine fuzz inputs are scripts: a sequence of steps, each an opcode octet, a 16-bit length and
 * that many octets of argument. The reader is tolerant (a mutated script still reads as some
 * sequence of steps), so byte mutations reach every engine call in every order.
 */
export interface Step {
  op: number;
  arg: Uint8Array;
}

export function* readScript(b: Uint8Array, maxSteps = 400): Generator<Step> {
  let at = 0;
  for (let n = 0; n < maxSteps && at < b.length; n++) {
    const op = b[at]!;
    const len = at + 2 < b.length ? (b[at + 1]! << 8) | b[at + 2]! : 0;
    const start = Math.min(at + 3, b.length);
    const end = Math.min(start + len, b.length);
    yield { op, arg: b.subarray(start, end) };
    at = end;
  }
}

export class ScriptWriter {
  private readonly parts: number[] = [];

  step(op: number, arg: Uint8Array = new Uint8Array(0)): this {
    this.parts.push(op, arg.length >> 8, arg.length & 255, ...arg);
    return this;
  }

  /** A step whose argument is a 16-bit number (time advances, choices). */
  num(op: number, n: number): this {
    return this.step(op, new Uint8Array([(n >> 8) & 255, n & 255]));
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.parts);
  }
}

/** The argument as a number: its first two octets, big-endian (0 when empty). */
export function argNumber(arg: Uint8Array): number {
  return arg.length === 0 ? 0 : arg.length === 1 ? arg[0]! : (arg[0]! << 8) | arg[1]!;
}
