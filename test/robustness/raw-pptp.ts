/**
 * A PPTP control connection driven by hand from the test process: send any bytes, read back the
 * server's messages (decoded with the project's stream splitter) and see whether it closed.
 */
import { connect, type Socket } from 'node:net';
import { isDecodeError } from '../../src/wire/errors.js';
import { ControlStreamDecoder, encodeControlMessage, type PptpControlMessage } from '../../src/wire/pptp.js';

export class RawControl {
  readonly messages: PptpControlMessage[] = [];
  closed = false;
  /** A reset (RST) rather than an orderly close. */
  reset = false;
  private readonly decoder = new ControlStreamDecoder();
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.decoder.push(d);
      for (let m = this.decoder.next(); m !== undefined && !isDecodeError(m); m = this.decoder.next()) this.messages.push(m);
      this.wake();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') this.reset = true;
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(host: string, options: { port?: number; localAddress?: string; read?: boolean } = {}): Promise<RawControl> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port: options.port ?? 1723, localAddress: options.localAddress });
      s.once('connect', () => {
        s.off('error', reject);
        const c = new RawControl(s);
        if (options.read === false) s.pause();
        resolve(c);
      });
      s.once('error', reject);
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(...parts: (Uint8Array | PptpControlMessage)[]): void {
    if (this.socket.destroyed) return;
    for (const p of parts) this.socket.write(p instanceof Uint8Array ? p : encodeControlMessage(p));
  }

  /** Waits for a message of this type (the first one not yet taken), or throws after timeoutMs. */
  async next<T extends PptpControlMessage['messageType']>(type: T, timeoutMs = 5000): Promise<Extract<PptpControlMessage, { messageType: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((m) => m.messageType === type);
      if (i >= 0) return this.messages.splice(i, 1)[0] as Extract<PptpControlMessage, { messageType: T }>;
      if (this.closed) throw new Error(`connection closed before message type ${type}`);
      if (Date.now() > deadline) throw new Error(`no message type ${type} within ${timeoutMs} ms`);
      await this.wait(deadline);
    }
  }

  /** True once the server closed the connection, false if still open after timeoutMs. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await this.wait(deadline);
    return this.closed;
  }

  private wait(deadline: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(r, Math.max(1, Math.min(200, deadline - Date.now())));
      this.waiters.push(() => {
        clearTimeout(t);
        r();
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
