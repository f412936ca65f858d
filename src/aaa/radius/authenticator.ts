/** RADIUS authentication (RFC 2865) behind the common Authenticator interface. */
import type { AuthRequest, AuthResult, AuthType, Authenticator } from '../authenticator.js';
import { sealAccessRequest } from '../../wire/radius-authenticator.js';
import { RadiusCode } from '../../wire/radius-codes.js';
import { accessRequestAttributes, accessRequestProblem, type NasIdentity } from './access-request.js';
import { accessResult } from './access-result.js';
import { type RadiusHostStatus, RadiusClient } from './client.js';
import { DEFAULT_DEAD_TIME_MS, DEFAULT_MAX_SOCKETS, type RadiusOptions, resolveHosts } from './options.js';
import { randomAuthenticator } from './random.js';
import type { RadiusCounters } from './transport.js';

const ACCESS_REPLIES = [RadiusCode.AccessAccept, RadiusCode.AccessReject, RadiusCode.AccessChallenge];

export class RadiusAuthenticator implements Authenticator {
  readonly methods: ReadonlySet<AuthType> = new Set<AuthType>(['mschap-v2', 'mschap-v1', 'chap-md5', 'pap']);
  readonly providesMppeKeys = true;
  private readonly client: RadiusClient;
  private readonly nas: NasIdentity;

  constructor(options: RadiusOptions) {
    this.nas = { nasIpAddress: options.nasIpAddress, nasIdentifier: options.nasIdentifier };
    this.client = new RadiusClient(resolveHosts(options, 'auth'), {
      deadTimeMs: options.deadTimeMs ?? DEFAULT_DEAD_TIME_MS,
      maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS,
      sourceAddress: options.sourceAddress,
      statusReplyCode: RadiusCode.AccessAccept,
      nasIdentifier: options.nasIdentifier ?? options.nasIpAddress,
    });
  }

  /** Packets sent, received and dropped (with why). */
  get counters(): Readonly<RadiusCounters> {
    return this.client.counters;
  }

  /** UDP source ports open (256 Identifiers each). */
  get sockets(): number {
    return this.client.sockets;
  }

  hostStatus(): RadiusHostStatus[] {
    return this.client.hostStatus();
  }

  async authenticate(request: AuthRequest): Promise<AuthResult> {
    const problem = accessRequestProblem(request);
    if (problem) return { accepted: false, reason: `cannot send to RADIUS: ${problem}` };
    try {
      const outcome = await this.client.exchange({
        build: (host, identifier) => {
          const requestAuthenticator = randomAuthenticator();
          const attrs = accessRequestAttributes(request, this.nas, host.secret, requestAuthenticator);
          const bytes = sealAccessRequest(RadiusCode.AccessRequest, identifier, requestAuthenticator, attrs, host.secret);
          return { bytes, requestAuthenticator };
        },
        rebuildPerTry: false,
        replyCodes: ACCESS_REPLIES,
      });
      if (!outcome.ok) return { accepted: false, reason: `RADIUS ${outcome.reason}` };
      return accessResult(
        request,
        outcome.packet,
        outcome.host.secret,
        outcome.requestAuthenticator,
        `RADIUS ${outcome.host.address}`,
      );
    } catch (err) {
      return { accepted: false, reason: `RADIUS error: ${(err as Error).message}` };
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
