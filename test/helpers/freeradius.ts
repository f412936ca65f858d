/**
 * A real FreeRADIUS 3.2 for tests: the configuration in test/fixtures/freeradius/ is copied to a temp
 * dir with free 127.0.0.1 ports filled in, the server runs in the foreground (`freeradius -f -l stdout`,
 * or `-X` when debugging), readiness is a Status-Server (RFC 5997) answered, stop is SIGTERM.
 * Ports: *Strict listeners require Message-Authenticator and put one in every Access reply; *Lax
 * listeners behave like an old server (no Message-Authenticator in replies).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sealAccessRequest, verifyResponseAuthenticator } from '../../src/wire/radius-authenticator.js';
import { RadiusCode } from '../../src/wire/radius-codes.js';
import type {
  AuthContext,
  ChapMd5Request,
  MschapV1Request,
  MschapV2Request,
  PapRequest,
} from '../../src/aaa/authenticator.js';
import { generateNtResponse, mschapV1NtResponse } from '../../src/ppp/mschap.js';
import { createHash } from 'node:crypto';
import { fixture } from './paths.js';
import type { Netns } from './netns.js';

export const FREERADIUS_SECRET = 'testing123';

export interface FreeRadiusPorts {
  authStrict: number;
  acctStrict: number;
  authLax: number;
  acctLax: number;
}

export interface FreeRadiusOptions {
  /** Shared secret for 127.0.0.1 (default testing123). */
  secret?: string;
  /** Run with -X (single-threaded, full debug log in .output). */
  debug?: boolean;
  /** Fixed ports, e.g. to bring a server back on the ports a client already knows. */
  ports?: FreeRadiusPorts;
  /** Run inside this namespace (on its loopback), e.g. next to a `vpdn serve` under test. */
  netns?: Netns;
}

/** Throws a clear error when FreeRADIUS is not installed: these tests must not silently pass. */
export function requireFreeradius(): void {
  const r = spawnSync('freeradius', ['-v'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('freeradius is not installed (apt-get install freeradius freeradius-utils): RADIUS tests need it');
  }
}

/** Free UDP ports on 127.0.0.1 (bound together, then released). */
export async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () => {
      const s = createSocket('udp4');
      return new Promise<typeof s>((resolve, reject) => {
        s.once('error', reject);
        s.bind(0, '127.0.0.1', () => resolve(s));
      });
    }),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

export class FreeRadius {
  private out = '';
  private exited: Promise<number | null>;

  private constructor(
    readonly dir: string,
    readonly ports: FreeRadiusPorts,
    readonly secret: string,
    private readonly proc: ChildProcess,
  ) {
    const keep = (chunk: Buffer): void => {
      this.out += chunk.toString('utf8');
      if (this.out.length > 4_000_000) this.out = this.out.slice(-2_000_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  static async start(options: FreeRadiusOptions = {}): Promise<FreeRadius> {
    requireFreeradius();
    const secret = options.secret ?? FREERADIUS_SECRET;
    const [a, b, c, d] = options.ports ? [] : await freeUdpPorts(4);
    const ports = options.ports ?? { authStrict: a, acctStrict: b, authLax: c, acctLax: d };
    const dir = mkdtempSync(join(tmpdir(), 'vpdn-freeradius-'));
    mkdirSync(join(dir, 'log', 'radacct'), { recursive: true });
    mkdirSync(join(dir, 'run'));
    const words: Record<string, string> = {
      DIR: dir,
      SECRET: secret,
      AUTH_STRICT: String(ports.authStrict),
      ACCT_STRICT: String(ports.acctStrict),
      AUTH_LAX: String(ports.authLax),
      ACCT_LAX: String(ports.acctLax),
    };
    const source = fixture('freeradius');
    for (const name of readdirSync(source)) {
      const text = readFileSync(join(source, name), 'utf8').replace(/@([A-Z_]+)@/g, (m, w: string) => words[w] ?? m);
      writeFileSync(join(dir, name), text);
    }
    const args = options.debug ? ['-X', '-d', dir] : ['-f', '-l', 'stdout', '-d', dir];
    const proc = options.netns
      ? options.netns.spawn('freeradius', args, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('freeradius', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new FreeRadius(dir, ports, secret, proc);
    try {
      // A namespace's loopback is out of this process's reach: there, wait for the ready line instead.
      if (options.netns) await server.waitReadyLine(10_000);
      else await server.waitReady(10_000);
    } catch (err) {
      await server.stop();
      throw new Error(`${(err as Error).message}\n--- freeradius output ---\n${server.output.slice(-4000)}`);
    }
    return server;
  }

  get output(): string {
    return this.out;
  }

  /** The accounting detail file (FreeRADIUS `detail` module). */
  get detailFile(): string {
    return join(this.dir, 'log', 'radacct', 'detail');
  }

  readDetail(): string {
    return existsSync(this.detailFile) ? readFileSync(this.detailFile, 'utf8') : '';
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitReadyLine(limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!/Ready to process requests/.test(this.out)) {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) throw new Error('freeradius exited at start');
      if (Date.now() > deadline) throw new Error('freeradius did not say it was ready in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Status-Server every 25 ms until an authentic Access-Accept comes back. */
  private async waitReady(limitMs: number): Promise<void> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const secret = Buffer.from(this.secret);
    const deadline = Date.now() + limitMs;
    try {
      let id = 0;
      const auths = new Map<number, Uint8Array>();
      const ready = new Promise<void>((resolve) => {
        socket.on('message', (msg) => {
          const auth = auths.get(msg[1]);
          if (auth && msg[0] === RadiusCode.AccessAccept && verifyResponseAuthenticator(msg, auth, secret)) resolve();
        });
      });
      let done = false;
      void ready.then(() => (done = true));
      while (!done) {
        if (this.proc.exitCode !== null || this.proc.signalCode !== null) throw new Error('freeradius exited at start');
        if (Date.now() > deadline) throw new Error('freeradius did not answer Status-Server in time');
        const auth = randomBytes(16);
        id = (id + 1) & 255;
        auths.set(id, auth);
        socket.send(sealAccessRequest(RadiusCode.StatusServer, id, auth, [], secret), this.ports.authStrict, '127.0.0.1');
        await Promise.race([ready, new Promise((r) => setTimeout(r, 25))]);
      }
    } finally {
      socket.close();
    }
  }
}

/** Where a test login comes from. */
export function loginContext(n = 1): AuthContext {
  return {
    sessionId: `sess-${n}`,
    callingStationId: '198.51.100.7',
    calledStationId: '203.0.113.1',
    nasPort: n,
    group: 'test',
  };
}

export function papLogin(username: string, password: string, n = 1): PapRequest {
  return { method: 'pap', username, password: new Uint8Array(Buffer.from(password)), context: loginContext(n) };
}

/** RFC 1994 §4.1: response = MD5(Identifier || secret || Challenge). */
export function chapLogin(username: string, password: string, n = 1): ChapMd5Request {
  const id = n & 255;
  const challenge = new Uint8Array(randomBytes(16));
  const response = createHash('md5').update(Buffer.from([id])).update(password).update(challenge).digest();
  return { method: 'chap-md5', username, id, challenge, response: new Uint8Array(response), context: loginContext(n) };
}

export function mschapV1Login(username: string, password: string, n = 1, challenge = randomBytes(8)): MschapV1Request {
  return {
    method: 'mschap-v1',
    username,
    id: n & 255,
    challenge: new Uint8Array(challenge),
    lmResponse: new Uint8Array(24),
    ntResponse: mschapV1NtResponse(challenge, password),
    useNtResponse: true,
    context: loginContext(n),
  };
}

export function mschapV2Login(
  username: string,
  password: string,
  n = 1,
  authenticatorChallenge: Uint8Array = randomBytes(16),
  peerChallenge: Uint8Array = randomBytes(16),
): MschapV2Request {
  return {
    method: 'mschap-v2',
    username,
    id: n & 255,
    authenticatorChallenge: new Uint8Array(authenticatorChallenge),
    peerChallenge: new Uint8Array(peerChallenge),
    ntResponse: generateNtResponse(authenticatorChallenge, peerChallenge, username, password),
    flags: 0,
    context: loginContext(n),
  };
}
