/**
 * Network namespaces with veth links for tests (root only). Names carry the pid so test files
 * running at the same time never collide, and everything is deleted by destroy().
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

let counter = 0;

export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export class Netns {
  readonly name: string;
  constructor(label: string) {
    this.name = `vt${process.pid % 100000}${label}${counter++}`.slice(0, 15);
    ip('netns', 'add', this.name);
    this.exec('ip', 'link', 'set', 'lo', 'up');
  }

  /** Run a command in the namespace, synchronously; returns stdout. Throws on non-zero exit. */
  exec(cmd: string, ...args: string[]): string {
    return execFileSync('ip', ['netns', 'exec', this.name, cmd, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Start a long-running process in the namespace. */
  spawn(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.name, cmd, ...args], { stdio: 'pipe', ...opts });
  }

  destroy(): void {
    try {
      // Kill whatever still runs inside, then delete.
      const pids = execFileSync('ip', ['netns', 'pids', this.name], { encoding: 'utf8' }).trim();
      for (const p of pids.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(p), 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    } catch {
      /* namespace already gone */
    }
    try {
      ip('netns', 'del', this.name);
    } catch {
      /* already gone */
    }
  }
}

let linkCounter = 0;

/** A veth pair between two namespaces, with an address on each end ('A/len' or 'A peer B'). */
export function link(a: Netns, aAddr: string, b: Netns, bAddr: string): { aIf: string; bIf: string } {
  const n = `${process.pid % 100000}${linkCounter++}`;
  const aIf = `va${n}`.slice(0, 15);
  const bIf = `vb${n}`.slice(0, 15);
  ip('link', 'add', aIf, 'netns', a.name, 'type', 'veth', 'peer', 'name', bIf, 'netns', b.name);
  a.exec('ip', 'addr', 'add', ...aAddr.split(' '), 'dev', aIf);
  b.exec('ip', 'addr', 'add', ...bAddr.split(' '), 'dev', bIf);
  a.exec('ip', 'link', 'set', aIf, 'up');
  b.exec('ip', 'link', 'set', bIf, 'up');
  return { aIf, bIf };
}

/**
 * The seed's topology: client 10.44.17.104 — server outside 172.18.124.152, inside 10.1.1.1 —
 * inside host 10.1.1.5; pool 192.168.1.0/24 routed back through the server.
 */
export interface SeedTopology {
  client: Netns;
  server: Netns;
  inside: Netns;
  destroy(): void;
}

export function seedTopology(): SeedTopology {
  const client = new Netns('c');
  const server = new Netns('s');
  const inside = new Netns('i');
  try {
    // Client and server outside are on different nets, as in the seed: a point-to-point veth
    // ("peer" addresses) gives each a route to the other and nothing else.
    link(client, '10.44.17.104 peer 172.18.124.152', server, '172.18.124.152 peer 10.44.17.104');
    link(server, '10.1.1.1/24', inside, '10.1.1.5/24');
    inside.exec('ip', 'route', 'add', '192.168.1.0/24', 'via', '10.1.1.1');
    server.exec('sysctl', '-qw', 'net.ipv4.ip_forward=1');
  } catch (e) {
    client.destroy();
    server.destroy();
    inside.destroy();
    throw e;
  }
  return {
    client,
    server,
    inside,
    destroy() {
      client.destroy();
      server.destroy();
      inside.destroy();
    },
  };
}
