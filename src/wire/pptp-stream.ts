/**
 * Splits the TCP byte stream of a control connection into messages. The header is checked as soon
 * as its bytes arrive, so a peer that lost framing is caught before a whole message is buffered;
 * after the first error the stream is dead (RFC 2637 §1.4: loss of synchronization closes it).
 */
import { DecodeError, type Decoded } from './errors.js';
import { decodeBody, inspectControlHeader } from './pptp-codec.js';
import type { PptpControlMessage } from './pptp-messages.js';

const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * Between messages a connection holds no buffer: a whole chunk is decoded where it lies, and only
 * the start of a message cut by TCP is copied out (at most one message, 220 octets, RFC 2637 §1.4).
 * A concentrator holds thousands of mostly idle connections, so an up-front buffer each would add up.
 */
export class ControlStreamDecoder {
  private buf: Uint8Array = EMPTY;
  /** Whether buf is ours to write into; otherwise it is the caller's chunk, only read. */
  private owned = false;
  private start = 0;
  private end = 0;
  private error: DecodeError | undefined;
  private last: Uint8Array | undefined;

  /** Appends bytes read from the TCP connection. The chunk is read, never written, and may be kept until next() has used it. */
  push(chunk: Uint8Array): void {
    if (this.error || chunk.length === 0) return;
    this.last = undefined;
    const kept = this.end - this.start;
    if (kept === 0) {
      this.buf = chunk;
      this.owned = false;
      this.start = 0;
      this.end = chunk.length;
      return;
    }
    if (!this.owned || kept + chunk.length > this.buf.length) {
      const joined = new Uint8Array(kept + chunk.length);
      joined.set(this.buf.subarray(this.start, this.end));
      this.buf = joined;
      this.owned = true;
    } else if (this.end + chunk.length > this.buf.length) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      this.buf.set(chunk, this.end);
      this.end += chunk.length;
      return;
    }
    this.buf.set(chunk, kept);
    this.start = 0;
    this.end = kept + chunk.length;
  }

  /** The next whole message, a DecodeError (then always the same one), or undefined until more bytes arrive. */
  next(): Decoded<PptpControlMessage> | undefined {
    if (this.error) return this.error;
    const length = inspectControlHeader(this.buf, this.start, this.end);
    if (length === undefined) return this.wait();
    if (typeof length !== 'number') {
      this.error = length;
      return length;
    }
    if (this.end - this.start < length) return this.wait();
    const message = decodeBody(this.buf, this.start);
    this.last = this.buf.subarray(this.start, this.start + length);
    this.start += length;
    return message;
  }

  /** Waiting for more bytes: keep only the unfinished message, in a buffer of our own. */
  private wait(): undefined {
    this.last = undefined;
    if (this.start === this.end) {
      this.buf = EMPTY;
      this.owned = false;
      this.start = this.end = 0;
    } else if (!this.owned) {
      this.buf = this.buf.slice(this.start, this.end);
      this.owned = true;
      this.end -= this.start;
      this.start = 0;
    }
    return undefined;
  }

  /** Raw bytes of the message next() returned last; valid until the next push() or next(). */
  get lastBytes(): Uint8Array | undefined {
    return this.last;
  }

  /** Bytes held that do not yet form a whole message. */
  get buffered(): number {
    return this.end - this.start;
  }

  get failed(): DecodeError | undefined {
    return this.error;
  }
}
