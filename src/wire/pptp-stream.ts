/**
 * Splits the TCP byte stream of a control connection into messages. The header is checked as soon
 * as its bytes arrive, so a peer that lost framing is caught before a whole message is buffered;
 * after the first error the stream is dead (RFC 2637 §1.4: loss of synchronization closes it).
 */
import { DecodeError, type Decoded } from './errors.js';
import { decodeBody, inspectControlHeader } from './pptp-codec.js';
import type { PptpControlMessage } from './pptp-messages.js';

export class ControlStreamDecoder {
  private buf = new Uint8Array(1024);
  private start = 0;
  private end = 0;
  private error: DecodeError | undefined;
  private last: Uint8Array | undefined;

  /** Appends bytes read from the TCP connection. */
  push(chunk: Uint8Array): void {
    if (this.error || chunk.length === 0) return;
    if (this.end + chunk.length > this.buf.length) {
      const kept = this.end - this.start;
      if (kept + chunk.length <= this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const bigger = new Uint8Array(Math.max(this.buf.length * 2, kept + chunk.length));
        bigger.set(this.buf.subarray(this.start, this.end));
        this.buf = bigger;
      }
      this.start = 0;
      this.end = kept;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next whole message, a DecodeError (then always the same one), or undefined until more bytes arrive. */
  next(): Decoded<PptpControlMessage> | undefined {
    if (this.error) return this.error;
    const length = inspectControlHeader(this.buf, this.start, this.end);
    if (length === undefined) return undefined;
    if (typeof length !== 'number') {
      this.error = length;
      return length;
    }
    if (this.end - this.start < length) return undefined;
    const message = decodeBody(this.buf, this.start);
    this.last = this.buf.subarray(this.start, this.start + length);
    this.start += length;
    if (this.start === this.end) this.start = this.end = 0;
    return message;
  }

  /** Raw bytes of the message next() returned last; valid until the next push(). */
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
