/** TACACS+ accounting (RFC 8907 §7): START, watchdog with update (interim) and STOP records. */
import type { Accounting, AccountingRecord } from '../authenticator.js';
import {
  TAC_PLUS_ACCT,
  TAC_PLUS_ACCT_FLAG_START,
  TAC_PLUS_ACCT_FLAG_STOP,
  TAC_PLUS_ACCT_FLAG_WATCHDOG,
  TAC_PLUS_ACCT_STATUS_SUCCESS,
  TAC_PLUS_AUTHEN_METH_NOT_SET,
  TAC_PLUS_AUTHEN_SVC_PPP,
  TAC_PLUS_AUTHEN_TYPE_NOT_SET,
  TAC_PLUS_MINOR_VER_DEFAULT,
  TAC_PLUS_PRIV_LVL_USER,
  decodeAcctReply,
  encodeAcctRequest,
  type AcctReply,
} from '../../wire/tacacs.js';
import { accountingArgs, type AccountingKind } from './accounting-args.js';
import { portName } from './authen-start.js';
import { TacacsClient } from './client.js';
import type { TacacsOptions } from './options.js';

const FLAGS: Record<AccountingKind, number> = {
  start: TAC_PLUS_ACCT_FLAG_START,
  // §7.2: WATCHDOG with START set is a watchdog with update.
  watchdog: TAC_PLUS_ACCT_FLAG_WATCHDOG | TAC_PLUS_ACCT_FLAG_START,
  stop: TAC_PLUS_ACCT_FLAG_STOP,
};

export class TacacsAccounting implements Accounting {
  private readonly client: TacacsClient;

  constructor(
    options: TacacsOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.client = new TacacsClient(options);
  }

  start(record: AccountingRecord): Promise<void> {
    return this.send('start', record);
  }

  interim(record: AccountingRecord): Promise<void> {
    return this.send('watchdog', record);
  }

  stop(record: AccountingRecord): Promise<void> {
    return this.send('stop', record);
  }

  async close(): Promise<void> {
    this.client.close();
  }

  /** Resolves on SUCCESS from some host; rejects with every host's failure otherwise. */
  private async send(kind: AccountingKind, record: AccountingRecord): Promise<void> {
    const body = encodeAcctRequest({
      flags: FLAGS[kind],
      // The accounting back end is not told how the user authenticated.
      authenMethod: TAC_PLUS_AUTHEN_METH_NOT_SET,
      privLvl: TAC_PLUS_PRIV_LVL_USER,
      authenType: TAC_PLUS_AUTHEN_TYPE_NOT_SET,
      service: TAC_PLUS_AUTHEN_SVC_PPP,
      user: record.username,
      port: portName(record.nasPort),
      remAddr: record.callingStationId,
      args: accountingArgs(kind, record, this.now()),
    });
    const result = await this.client.request(TAC_PLUS_ACCT, TAC_PLUS_MINOR_VER_DEFAULT, body, decodeAcctReply, acctError);
    if (!result.ok) throw new Error(`TACACS+ accounting ${kind} for ${record.sessionId} failed: ${result.reason}`);
  }
}

/** §7.2: anything but SUCCESS (ERROR, or the deprecated FOLLOW) goes to the next host. */
function acctError(reply: AcctReply): string | undefined {
  if (reply.status === TAC_PLUS_ACCT_STATUS_SUCCESS) return undefined;
  return `accounting status ${reply.status === 0x02 ? 'ERROR' : reply.status}${reply.serverMsg ? ` ("${reply.serverMsg}")` : ''}`;
}
