/**
 * RADIUS accounting (RFC 2866): Start, Interim-Update, Stop, Accounting-On/-Off. A retransmission
 * carries the grown Acct-Delay-Time and therefore a new Identifier (RFC 2866 §5.2).
 */
import type { Accounting, AccountingRecord } from '../authenticator.js';
import { sealRequest } from '../../wire/radius-authenticator.js';
import { AcctStatusType, RadiusCode } from '../../wire/radius-codes.js';
import type { NasIdentity } from './access-request.js';
import { type AccountingEvent, accountingAttributes } from './accounting-request.js';
import { type RadiusHostStatus, RadiusClient } from './client.js';
import { DEFAULT_DEAD_TIME_MS, DEFAULT_MAX_SOCKETS, type RadiusOptions, resolveHosts } from './options.js';
import type { RadiusCounters } from './transport.js';

export class RadiusAccountingError extends Error {
  override name = 'RadiusAccountingError';
}

export class RadiusAccounting implements Accounting {
  /** Seconds between automatic Interim-Updates for sessions started with a snapshot; 0 = none. */
  readonly interimIntervalSec: number;
  private readonly client: RadiusClient;
  private readonly nas: NasIdentity;
  private readonly interims = new Map<string, NodeJS.Timeout>();

  constructor(options: RadiusOptions) {
    this.nas = { nasIpAddress: options.nasIpAddress, nasIdentifier: options.nasIdentifier };
    this.interimIntervalSec = Math.max(0, options.interimIntervalSec ?? 0);
    this.client = new RadiusClient(resolveHosts(options, 'acct'), {
      deadTimeMs: options.deadTimeMs ?? DEFAULT_DEAD_TIME_MS,
      maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS,
      sourceAddress: options.sourceAddress,
      statusReplyCode: RadiusCode.AccountingResponse,
      nasIdentifier: options.nasIdentifier ?? options.nasIpAddress,
    });
  }

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

  /**
   * Acct-Status-Type Start. With `snapshot` and interimIntervalSec > 0, an Interim-Update built from
   * snapshot() follows every interval until stop() for the same session id.
   */
  async start(record: AccountingRecord, snapshot?: () => AccountingRecord): Promise<void> {
    await this.send({ statusType: AcctStatusType.Start, record, eventTime: epochSeconds() });
    if (snapshot && this.interimIntervalSec > 0 && !this.interims.has(record.sessionId)) {
      const timer = setInterval(() => {
        this.interim(snapshot()).catch(() => undefined);
      }, this.interimIntervalSec * 1000);
      timer.unref();
      this.interims.set(record.sessionId, timer);
    }
  }

  interim(record: AccountingRecord): Promise<void> {
    return this.send({ statusType: AcctStatusType.InterimUpdate, record, eventTime: epochSeconds() });
  }

  stop(record: AccountingRecord): Promise<void> {
    this.cancelInterim(record.sessionId);
    return this.send({ statusType: AcctStatusType.Stop, record, eventTime: epochSeconds() });
  }

  on(): Promise<void> {
    return this.send({ statusType: AcctStatusType.AccountingOn, nasSessionId: nasSessionId('on'), eventTime: epochSeconds() });
  }

  off(): Promise<void> {
    return this.send({ statusType: AcctStatusType.AccountingOff, nasSessionId: nasSessionId('off'), eventTime: epochSeconds() });
  }

  async close(): Promise<void> {
    for (const id of [...this.interims.keys()]) this.cancelInterim(id);
    await this.client.close();
  }

  private cancelInterim(sessionId: string): void {
    const timer = this.interims.get(sessionId);
    if (timer) clearInterval(timer);
    this.interims.delete(sessionId);
  }

  /** Resolves on Accounting-Response; rejects with RadiusAccountingError when no host answered. */
  private async send(event: AccountingEvent): Promise<void> {
    const firstTry = Date.now();
    const outcome = await this.client.exchange({
      build: (host, identifier) => {
        const delay = (Date.now() - firstTry) / 1000;
        const attrs = accountingAttributes(event, this.nas, delay);
        const bytes = sealRequest(
          RadiusCode.AccountingRequest,
          identifier,
          attrs,
          host.secret,
          host.requireMessageAuthenticator,
        );
        return { bytes, requestAuthenticator: bytes.subarray(4, 20) };
      },
      rebuildPerTry: true,
      replyCodes: [RadiusCode.AccountingResponse],
      // Accounting-Response need not carry Message-Authenticator (RFC 5080 §2.2.2); checked when present.
      requireMessageAuthenticator: false,
    });
    if (!outcome.ok) throw new RadiusAccountingError(`RADIUS accounting ${outcome.reason}`);
  }
}

function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function nasSessionId(kind: string): string {
  return `${kind}-${Date.now().toString(16)}`;
}
