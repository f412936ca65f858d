/** The client side of the management socket (used by `vpdn show|clear|debug|console`). */
import { connect, type Socket } from 'node:net';
import { LineSplitter, type MgmtReply, type MgmtRequest } from './protocol.js';

export class MgmtClient {
  private readonly pending: ((r: MgmtReply) => void)[] = [];
  private onLog: ((line: string) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    const splitter = new LineSplitter(16 * 1024 * 1024);
    socket.on('data', (chunk: string) => {
      const lines = splitter.push(chunk);
      if (lines instanceof Error) {
        socket.destroy(lines);
        return;
      }
      for (const line of lines) {
        const r = JSON.parse(line) as MgmtReply;
        if (r.log !== undefined) this.onLog?.(r.log);
        else this.pending.shift()?.(r);
      }
    });
    socket.on('close', () => {
      for (const p of this.pending.splice(0)) p({ ok: false, error: 'connection closed by the server' });
    });
  }

  static connect(path: string): Promise<MgmtClient> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => resolve(new MgmtClient(s)));
      s.once('error', (e: NodeJS.ErrnoException) => {
        const why = e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? 'is vpdn serve running?' : e.message;
        reject(new Error(`cannot reach the control socket ${path}: ${why}`));
      });
    });
  }

  request(req: MgmtRequest): Promise<MgmtReply> {
    return new Promise((resolve) => {
      this.pending.push(resolve);
      this.socket.write(JSON.stringify(req) + '\n');
    });
  }

  command(line: string, json = false): Promise<MgmtReply> {
    return this.request({ command: line, json });
  }

  async monitor(fn: (line: string) => void): Promise<void> {
    this.onLog = fn;
    await this.request({ monitor: true });
  }

  close(): void {
    this.socket.end();
  }
}
