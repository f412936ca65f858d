/** Splits a TCP byte stream into whole TACACS+ packets (RFC 8907 §4.1 length field). */
import { DecodeError, type Decoded } from '../../wire/errors.js';
import { packetSize, TAC_PLUS_DEFAULT_MAX_LENGTH } from '../../wire/tacacs.js';

export class PacketFramer {
  private buffer: Uint8Array = new Uint8Array(0);

  constructor(private readonly maxLength = TAC_PLUS_DEFAULT_MAX_LENGTH) {}

  /** Adds bytes; returns the packets now complete, or a DecodeError once the stream is unusable. */
  push(chunk: Uint8Array): Decoded<Uint8Array[]> {
    if (this.buffer.length === 0) {
      this.buffer = chunk;
    } else {
      const joined = new Uint8Array(this.buffer.length + chunk.length);
      joined.set(this.buffer, 0);
      joined.set(chunk, this.buffer.length);
      this.buffer = joined;
    }
    const packets: Uint8Array[] = [];
    while (true) {
      const size = packetSize(this.buffer, this.maxLength);
      if (size === undefined) break;
      if (size instanceof DecodeError) return size;
      if (this.buffer.length < size) break;
      packets.push(this.buffer.slice(0, size));
      this.buffer = this.buffer.subarray(size);
    }
    return packets;
  }

  /** Bytes held back waiting for the rest of a packet. */
  get pending(): number {
    return this.buffer.length;
  }
}
