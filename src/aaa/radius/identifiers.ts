/**
 * The 256 Identifiers of one source port (RFC 2865 §3). Freed identifiers go to the back of the
 * queue, so an identifier is reused as late as possible and a late reply rarely meets a new request.
 */
export class IdentifierPool {
  private readonly ring = new Uint8Array(256);
  private head = 0;
  private count = 256;

  constructor() {
    for (let i = 0; i < 256; i++) this.ring[i] = i;
  }

  get free(): number {
    return this.count;
  }

  /** An identifier, or undefined when all 256 are in use. */
  take(): number | undefined {
    if (this.count === 0) return undefined;
    const id = this.ring[this.head];
    this.head = (this.head + 1) & 255;
    this.count--;
    return id;
  }

  give(id: number): void {
    if (this.count === 256) throw new RangeError('identifier pool: release without take');
    this.ring[(this.head + this.count) & 255] = id;
    this.count++;
  }
}
