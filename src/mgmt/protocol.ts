/**
 * The management socket speaks newline-delimited JSON over a Unix domain socket.
 * Request: { "command": "show vpdn tunnel", "json": false } or { "monitor": true }.
 * Reply:   { "ok": true, "output": "...text...", "data": {...} } | { "ok": false, "error": "..." };
 * a monitor connection then receives { "log": "line" } objects until it closes.
 */
export const DEFAULT_CONTROL_SOCKET = '/run/vpdn/vpdn.sock';

export interface MgmtRequest {
  command?: string;
  json?: boolean;
  monitor?: boolean;
}

export interface MgmtReply {
  ok: boolean;
  output?: string;
  data?: unknown;
  error?: string;
  log?: string;
}

/** Splits a byte stream into lines; bounded so a client cannot grow memory without end. */
export class LineSplitter {
  private partial = '';
  constructor(private readonly maxLine = 64 * 1024) {}

  push(chunk: string): string[] | Error {
    this.partial += chunk;
    const lines = this.partial.split('\n');
    this.partial = lines.pop()!;
    if (this.partial.length > this.maxLine) return new Error('line too long');
    return lines.filter((l) => l.trim() !== '');
  }
}

export function controlSocketPath(explicit?: string): string {
  return explicit ?? process.env.VPDN_CONTROL ?? DEFAULT_CONTROL_SOCKET;
}
