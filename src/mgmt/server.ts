/** The server side of the management socket: one command per line, answered in order. */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdirSync, unlinkSync, existsSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineSplitter, type MgmtReply, type MgmtRequest } from './protocol.js';

export interface CommandResult {
  output: string;
  data?: unknown;
}

export interface CommandHandler {
  /** Runs one PIX-style command line; throws an Error with an operator's message when it is wrong. */
  execute(line: string, json: boolean): Promise<CommandResult>;
  /** Subscribes to messages for `terminal monitor`; returns the unsubscribe function. */
  monitor(fn: (line: string) => void): () => void;
}

export class MgmtServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly path: string,
    private readonly handler: CommandHandler,
  ) {}

  async listen(): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    // A stale socket from a killed process would make listen fail with EADDRINUSE.
    if (existsSync(this.path)) unlinkSync(this.path);
    this.server = createServer((s) => this.accept(s));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.path, () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    chmodSync(this.path, 0o600);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setEncoding('utf8');
    const splitter = new LineSplitter();
    let unsubscribe: (() => void) | undefined;
    let chain = Promise.resolve();
    const send = (r: MgmtReply) => {
      if (!socket.destroyed) socket.write(JSON.stringify(r) + '\n');
    };
    socket.on('data', (chunk: string) => {
      const lines = splitter.push(chunk);
      if (lines instanceof Error) {
        send({ ok: false, error: lines.message });
        socket.destroy();
        return;
      }
      for (const line of lines) {
        chain = chain.then(async () => {
          let req: MgmtRequest;
          try {
            req = JSON.parse(line) as MgmtRequest;
          } catch {
            send({ ok: false, error: 'request is not JSON' });
            return;
          }
          // `null`, numbers and strings are JSON too; reading a field of null would throw here.
          if (req === null || typeof req !== 'object') {
            send({ ok: false, error: 'request is not a JSON object' });
            return;
          }
          if (req.monitor) {
            unsubscribe ??= this.handler.monitor((l) => send({ ok: true, log: l }));
            send({ ok: true, output: '' });
            return;
          }
          if (typeof req.command !== 'string') {
            send({ ok: false, error: 'missing command' });
            return;
          }
          try {
            const r = await this.handler.execute(req.command, req.json === true);
            send({ ok: true, output: r.output, data: r.data });
          } catch (e) {
            send({ ok: false, error: e instanceof Error ? e.message : String(e) });
          }
        });
      }
    });
    const done = () => {
      unsubscribe?.();
      this.sockets.delete(socket);
    };
    socket.on('close', done);
    socket.on('error', done);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    try {
      unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}
