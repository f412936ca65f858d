/** TACACS+ accounting bodies: REQUEST and REPLY (RFC 8907 §7.1–§7.2). */
import { DecodeError, type Decoded } from './errors.js';
import { bytesText, concat, innerLengthError, longField, shortField, splitFields, textBytes } from './tacacs-fields.js';

/** RFC 8907 §7.1 flags; WATCHDOG|START is a watchdog with update (§7.2). */
export const TAC_PLUS_ACCT_FLAG_START = 0x02;
export const TAC_PLUS_ACCT_FLAG_STOP = 0x04;
export const TAC_PLUS_ACCT_FLAG_WATCHDOG = 0x08;

/** RFC 8907 §7.2 status */
export const TAC_PLUS_ACCT_STATUS_SUCCESS = 0x01;
export const TAC_PLUS_ACCT_STATUS_ERROR = 0x02;
export const TAC_PLUS_ACCT_STATUS_FOLLOW = 0x21;

const ACCT_STATUSES = new Set([0x01, 0x02, 0x21]);

export interface AcctRequest {
  flags: number;
  authenMethod: number;
  privLvl: number;
  authenType: number;
  service: number;
  user: string;
  port: string;
  remAddr: string;
  /** AV pairs, e.g. "task_id=42", "start_time=1700000000", "bytes_in=1234". */
  args: string[];
}

export interface AcctReply {
  status: number;
  serverMsg: string;
  data: Uint8Array;
}

const REQUEST_FIXED = 9;
const REPLY_FIXED = 5;

export function encodeAcctRequest(r: AcctRequest): Uint8Array {
  const user = shortField('user', textBytes(r.user));
  const port = shortField('port', textBytes(r.port));
  const remAddr = shortField('rem_addr', textBytes(r.remAddr));
  if (r.args.length > 255) throw new RangeError(`TACACS+ arg_cnt ${r.args.length}, at most 255`);
  const args = r.args.map((a) => shortField('arg', textBytes(a)));
  const fixed = new Uint8Array([
    r.flags,
    r.authenMethod,
    r.privLvl,
    r.authenType,
    r.service,
    user.length,
    port.length,
    remAddr.length,
    args.length,
  ]);
  return concat([fixed, new Uint8Array(args.map((a) => a.length)), user, port, remAddr, ...args]);
}

/** RFC 8907 §7.1 */
export function decodeAcctRequest(b: Uint8Array): Decoded<AcctRequest> {
  if (b.length < REQUEST_FIXED) return innerLengthError('acct request', REQUEST_FIXED, b.length);
  const argCnt = b[8];
  const head = REQUEST_FIXED + argCnt;
  if (b.length < head) return innerLengthError('acct request', head, b.length);
  const argLens = Array.from(b.subarray(REQUEST_FIXED, head));
  const lengths = [b[5], b[6], b[7], ...argLens];
  const sum = head + lengths.reduce((x, y) => x + y, 0);
  if (sum !== b.length) return innerLengthError('acct request', sum, b.length);
  const [user, port, remAddr, ...args] = splitFields(b, head, lengths);
  return {
    flags: b[0],
    authenMethod: b[1],
    privLvl: b[2],
    authenType: b[3],
    service: b[4],
    user: bytesText(user),
    port: bytesText(port),
    remAddr: bytesText(remAddr),
    args: args.map(bytesText),
  };
}

export function encodeAcctReply(r: AcctReply): Uint8Array {
  const msg = longField('server_msg', textBytes(r.serverMsg));
  const data = longField('data', r.data);
  const fixed = new Uint8Array(REPLY_FIXED);
  const view = new DataView(fixed.buffer);
  view.setUint16(0, msg.length);
  view.setUint16(2, data.length);
  fixed[4] = r.status;
  return concat([fixed, msg, data]);
}

/** RFC 8907 §7.2; an unknown status is refused (garbage from a wrong key). */
export function decodeAcctReply(b: Uint8Array): Decoded<AcctReply> {
  if (b.length < REPLY_FIXED) return innerLengthError('acct reply', REPLY_FIXED, b.length);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const msgLen = view.getUint16(0);
  const dataLen = view.getUint16(2);
  const sum = REPLY_FIXED + msgLen + dataLen;
  if (sum !== b.length) return innerLengthError('acct reply', sum, b.length);
  if (!ACCT_STATUSES.has(b[4])) {
    return new DecodeError('TACACS+', 'acct reply status', `unknown status ${b[4]}: bad key or protocol error`);
  }
  const [msg, data] = splitFields(b, REPLY_FIXED, [msgLen, dataLen]);
  return { status: b[4], serverMsg: bytesText(msg), data: new Uint8Array(data) };
}
