/** Sends a TACACS+ request to the configured hosts in order until one gives a usable answer. */
import type { Decoded } from '../../wire/errors.js';
import type { TacacsPacketType } from '../../wire/tacacs.js';
import { TacacsHost } from './host.js';
import type { TacacsOptions } from './options.js';

export type ClientResult<T> = { ok: true; value: T; host: TacacsHost; hostIndex: number } | { ok: false; reason: string };

export class TacacsClient {
  readonly hosts: TacacsHost[];

  constructor(options: TacacsOptions) {
    if (options.hosts.length === 0) throw new RangeError('TACACS+ needs at least one host');
    const common = {
      nasAddress: options.nasAddress,
      singleConnection: options.singleConnection ?? false,
      idleCloseMs: options.idleCloseMs ?? 30_000,
    };
    this.hosts = options.hosts.map((h) => new TacacsHost(h, common));
  }

  /**
   * Tries hosts from `first` on, wrapping round. `serverError` says why a decoded reply is an
   * ERROR the next host should get instead (RFC 8907 §4.4), or undefined for a final answer.
   */
  async request<T>(
    type: TacacsPacketType,
    minorVersion: number,
    body: Uint8Array,
    decode: (body: Uint8Array) => Decoded<T>,
    serverError: (value: T) => string | undefined,
    first = 0,
  ): Promise<ClientResult<T>> {
    const failures: string[] = [];
    for (let i = 0; i < this.hosts.length; i++) {
      const hostIndex = (first + i) % this.hosts.length;
      const host = this.hosts[hostIndex];
      const result = await host.exchange(type, minorVersion, body, decode);
      if (!result.ok) {
        failures.push(result.reason);
        continue;
      }
      const error = serverError(result.value);
      if (error !== undefined) {
        failures.push(`${host.name}: ${error}`);
        continue;
      }
      return { ok: true, value: result.value, host, hostIndex };
    }
    return { ok: false, reason: failures.join('; ') };
  }

  close(): void {
    for (const h of this.hosts) h.close();
  }
}
