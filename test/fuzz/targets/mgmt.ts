/**
 * Fuzz target for the management socket's line protocol: a real MgmtServer with the real command
 * set on a Unix socket in a temporary folder, fed mutated request streams. After each input a
 * `show version` must still be answered on the same connection (or the server closed it, for a
 * line that is too long) and nothing may escape as an unhandled rejection.
 */
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MgmtServer } from '../../../src/mgmt/server.js';
import { Commands } from '../../../src/server/commands.js';
import { PixLogger } from '../../../src/server/log.js';
import { MemoryPool } from '../../../src/server/pool.js';
import { newGlobalCounters } from '../../../src/server/view.js';
import type { FuzzTarget } from '../harness.js';

const REQUESTS = [
  '{"command":"show vpdn"}',
  '{"command":"show vpdn session","json":true}',
  '{"command":"show ip local pool p"}',
  '{"command":"show counters","json":true}',
  '{"command":"debug ppp io"}',
  '{"command":"undebug all"}',
  '{"command":"clear vpdn tunnel id 7"}',
  '{"command":"help show"}',
  '{"monitor":true}',
];

export class MgmtFixture {
  private readonly dir = mkdtempSync(join(tmpdir(), 'vpdn-fuzz-mgmt-'));
  readonly path = join(this.dir, 'mgmt.sock');
  private readonly logger = new PixLogger({ hostname: 'PIX', enabled: true, timestamp: false, consoleLevel: null, bufferedLevel: 7, trapLevel: null, consoleWrite: () => undefined });
  private readonly server: MgmtServer;
  private rejections: unknown[] = [];
  private readonly onRejection = (e: unknown) => this.rejections.push(e);

  constructor() {
    const pool = new MemoryPool('p', '192.168.1.1', '192.168.1.50');
    this.server = new MgmtServer(
      this.path,
      new Commands({
        view: { hostname: 'PIX', maxSessions: 10, tunnels: () => [], pools: () => [pool.stats()], uauth: () => [], global: newGlobalCounters },
        logger: this.logger,
        version: 'fuzz',
        clearTunnel: async () => false,
        clearAllTunnels: async () => 0,
        poolInUse: () => pool.inUse(),
        runningConfig: () => 'hostname PIX',
      }),
    );
  }

  async start(): Promise<void> {
    process.on('unhandledRejection', this.onRejection);
    await this.server.listen();
  }

  async stop(): Promise<void> {
    process.off('unhandledRejection', this.onRejection);
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Sends the bytes, then a `show version` on its own line; resolves with how the connection ended. */
  exchange(input: Uint8Array): Promise<string> {
    return new Promise((resolve, reject) => {
      const s = connect(this.path);
      let got = '';
      let done = false;
      const finish = (err: Error | undefined, how: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        s.destroy();
        // An unhandled rejection surfaces one turn later: look after this exchange has settled.
        setImmediate(() => {
          const r = this.rejections.splice(0);
          if (r.length > 0) reject(new Error(`unhandled rejection in the management server: ${String((r[0] as Error)?.stack ?? r[0])}`));
          else if (err) reject(err);
          else resolve(how);
        });
      };
      const timer = setTimeout(() => finish(new Error(`no answer to show version; got ${JSON.stringify(got.slice(-300))}`), ''), 2000);
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        got += d;
        if (got.includes('"output":"vpdn Version fuzz"')) finish(undefined, `answered:${got.split('\n').length > 3 ? 'many' : 'few'}`);
      });
      s.on('close', () => finish(/line too long/.test(got) ? undefined : new Error(`server closed the connection: ${got.slice(-300)}`), 'closed:too-long'));
      s.on('error', () => undefined);
      s.write(input);
      s.write('\n{"command":"show version"}\n');
    });
  }
}

let fixture: MgmtFixture | undefined;

/** The target needs its server up: call startMgmt() before fuzzing and stopMgmt() after. */
export async function startMgmt(): Promise<void> {
  fixture = new MgmtFixture();
  await fixture.start();
}

export async function stopMgmt(): Promise<void> {
  await fixture?.stop();
  fixture = undefined;
}

export const mgmtLines: FuzzTarget = {
  name: 'mgmt-line',
  seeds: () => [new Uint8Array(Buffer.from(REQUESTS.join('\n') + '\n')), ...REQUESTS.map((r) => new Uint8Array(Buffer.from(r + '\n')))],
  dictionary: ['{"command":', '"show vpdn"', '"json":true', '"monitor":', 'null', '[]', '\n', '}', '{', '"', '\\u0000'].map((w) => new Uint8Array(Buffer.from(w))),
  maxMs: 2500,
  run: (input) => {
    if (!fixture) throw new Error('startMgmt() first');
    return fixture.exchange(input);
  },
};
