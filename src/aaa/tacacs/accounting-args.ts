/** Accounting AV pairs for a PPP session (RFC 8907 §8.3): task_id, times, byte and packet counts. */
import type { AccountingRecord } from '../authenticator.js';

export type AccountingKind = 'start' | 'watchdog' | 'stop';

export function accountingArgs(kind: AccountingKind, record: AccountingRecord, nowMs: number): string[] {
  const now = Math.floor(nowMs / 1000);
  const args = [`task_id=${record.sessionId}`];
  if (kind === 'stop') {
    args.push(`stop_time=${now}`);
  } else {
    const startedAt = kind === 'start' ? now : now - (record.sessionTime ?? 0);
    args.push(`start_time=${startedAt}`);
  }
  args.push('timezone=UTC', 'service=ppp', 'protocol=ip');
  if (record.framedAddress) args.push(`addr=${record.framedAddress}`);
  if (kind !== 'start' && record.sessionTime !== undefined) args.push(`elapsed_time=${Math.floor(record.sessionTime)}`);
  if (record.inputOctets !== undefined) args.push(`bytes_in=${record.inputOctets}`);
  if (record.outputOctets !== undefined) args.push(`bytes_out=${record.outputOctets}`);
  if (record.inputPackets !== undefined) args.push(`paks_in=${record.inputPackets}`);
  if (record.outputPackets !== undefined) args.push(`paks_out=${record.outputPackets}`);
  if (kind === 'stop' && record.terminateCause) args.push(`reason=${record.terminateCause}`);
  return args;
}
