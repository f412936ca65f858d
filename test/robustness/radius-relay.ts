/**
 * A UDP relay in front of a real FreeRADIUS, on the lab link, that can misbehave on demand: pass
 * replies on, drop requests (a server that is down), hold replies past the client's timeout (a
 * slow server), answer with garbage, or spoil the Response Authenticator (a wrong secret, a
 * forger). It keeps every request it saw, decoded, so tests can read the accounting.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { isDecodeError } from '../../src/wire/errors.js';
import { RadiusAttr } from '../../src/wire/radius-codes.js';
import { decodeRadiusPacket, getAttribute, type RadiusPacket } from '../../src/wire/radius-packet.js';
import { readText } from '../../src/wire/radius-values.js';

export type RelayMode = 'pass' | 'drop' | 'slow' | 'garbage' | 'bad-authenticator';

export interface SeenRequest {
  kind: 'auth' | 'acct';
  packet: RadiusPacket;
}

export class RadiusRelay {
  mode: RelayMode = 'pass';
  /** How long 'slow' holds a reply. */
  slowMs = 4000;
  readonly seen: SeenRequest[] = [];
  private readonly upstreams = new Map<string, Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly auth: Socket,
    private readonly acct: Socket,
    private readonly target: { address: string; authPort: number; acctPort: number },
  ) {
    auth.on('message', (m, r) => this.request('auth', m, r));
    acct.on('message', (m, r) => this.request('acct', m, r));
  }

  /** Listens on address:authPort and address:acctPort, relaying to the target's ports. */
  static async start(address: string, ports: { auth: number; acct: number }, target: { address: string; authPort: number; acctPort: number }): Promise<RadiusRelay> {
    const bind = (port: number) =>
      new Promise<Socket>((resolve, reject) => {
        const s = createSocket('udp4');
        s.once('error', reject);
        s.bind(port, address, () => resolve(s));
      });
    return new RadiusRelay(await bind(ports.auth), await bind(ports.acct), target);
  }

  /** Accounting-Requests seen with this Acct-Status-Type (RFC 2866 §5.1). */
  accounting(status: number): RadiusPacket[] {
    return this.seen
      .filter((s) => s.kind === 'acct')
      .map((s) => s.packet)
      .filter((p) => {
        const v = getAttribute(p.attributes, RadiusAttr.AcctStatusType);
        return v !== undefined && v.length === 4 && new DataView(v.buffer, v.byteOffset).getUint32(0) === status;
      });
  }

  private request(kind: 'auth' | 'acct', msg: Buffer, from: RemoteInfo): void {
    const p = decodeRadiusPacket(msg);
    if (!isDecodeError(p)) this.seen.push({ kind, packet: p });
    if (this.mode === 'drop') return;
    const key = `${kind} ${from.address}:${from.port}`;
    let up = this.upstreams.get(key);
    if (!up) {
      up = createSocket('udp4');
      up.on('message', (reply) => this.reply(kind, reply, from));
      up.on('error', () => undefined);
      this.upstreams.set(key, up);
    }
    up.send(msg, kind === 'auth' ? this.target.authPort : this.target.acctPort, this.target.address);
  }

  private reply(kind: 'auth' | 'acct', reply: Buffer, to: RemoteInfo): void {
    const out = kind === 'auth' ? this.auth : this.acct;
    const send = (b: Uint8Array) => out.send(b, to.port, to.address);
    switch (this.mode) {
      case 'drop':
        return;
      case 'garbage':
        return send(randomBytes(reply.length));
      case 'bad-authenticator': {
        const b = Buffer.from(reply);
        b[4] ^= 0xff;
        return send(b);
      }
      case 'slow': {
        const t = setTimeout(() => {
          this.timers.delete(t);
          send(reply);
        }, this.slowMs);
        this.timers.add(t);
        return;
      }
      default:
        send(reply);
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of [this.auth, this.acct, ...this.upstreams.values()]) await new Promise<void>((r) => s.close(() => r()));
  }
}

/** The User-Name of a request, for assertions. */
export function userOf(p: RadiusPacket): string | undefined {
  const v = getAttribute(p.attributes, RadiusAttr.UserName);
  return v && readText(v);
}
