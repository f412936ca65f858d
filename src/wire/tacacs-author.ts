/** TACACS+ authorization bodies: REQUEST and RESPONSE with AV pairs (RFC 8907 §6.1–§6.2). */
import { DecodeError, type Decoded } from './errors.js';
import { bytesText, concat, innerLengthError, longField, shortField, splitFields, textBytes } from './tacacs-fields.js';

/** RFC 8907 §6.2 status */
export const TAC_PLUS_AUTHOR_STATUS_PASS_ADD = 0x01;
export const TAC_PLUS_AUTHOR_STATUS_PASS_REPL = 0x02;
export const TAC_PLUS_AUTHOR_STATUS_FAIL = 0x10;
export const TAC_PLUS_AUTHOR_STATUS_ERROR = 0x11;
export const TAC_PLUS_AUTHOR_STATUS_FOLLOW = 0x21;

const AUTHOR_STATUSES = new Set([0x01, 0x02, 0x10, 0x11, 0x21]);

export interface AuthorRequest {
  authenMethod: number;
  privLvl: number;
  authenType: number;
  service: number;
  user: string;
  port: string;
  remAddr: string;
  /** AV pairs as sent, e.g. "service=ppp", "protocol=ip", "addr*". */
  args: string[];
}

export interface AuthorResponse {
  status: number;
  serverMsg: string;
  data: Uint8Array;
  args: string[];
}

const REQUEST_FIXED = 8;
const RESPONSE_FIXED = 6;

function argBytes(args: string[]): Uint8Array[] {
  if (args.length > 255) throw new RangeError(`TACACS+ arg_cnt ${args.length}, at most 255`);
  return args.map((a) => shortField('arg', textBytes(a)));
}

export function encodeAuthorRequest(r: AuthorRequest): Uint8Array {
  const user = shortField('user', textBytes(r.user));
  const port = shortField('port', textBytes(r.port));
  const remAddr = shortField('rem_addr', textBytes(r.remAddr));
  const args = argBytes(r.args);
  const fixed = new Uint8Array([
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

/** RFC 8907 §6.1 */
export function decodeAuthorRequest(b: Uint8Array): Decoded<AuthorRequest> {
  if (b.length < REQUEST_FIXED) return innerLengthError('author request', REQUEST_FIXED, b.length);
  const argCnt = b[7];
  const head = REQUEST_FIXED + argCnt;
  if (b.length < head) return innerLengthError('author request', head, b.length);
  const argLens = Array.from(b.subarray(REQUEST_FIXED, head));
  const lengths = [b[4], b[5], b[6], ...argLens];
  const sum = head + lengths.reduce((x, y) => x + y, 0);
  if (sum !== b.length) return innerLengthError('author request', sum, b.length);
  const [user, port, remAddr, ...args] = splitFields(b, head, lengths);
  return {
    authenMethod: b[0],
    privLvl: b[1],
    authenType: b[2],
    service: b[3],
    user: bytesText(user),
    port: bytesText(port),
    remAddr: bytesText(remAddr),
    args: args.map(bytesText),
  };
}

export function encodeAuthorResponse(r: AuthorResponse): Uint8Array {
  const msg = longField('server_msg', textBytes(r.serverMsg));
  const data = longField('data', r.data);
  const args = argBytes(r.args);
  const fixed = new Uint8Array(RESPONSE_FIXED);
  const view = new DataView(fixed.buffer);
  fixed[0] = r.status;
  fixed[1] = args.length;
  view.setUint16(2, msg.length);
  view.setUint16(4, data.length);
  return concat([fixed, new Uint8Array(args.map((a) => a.length)), msg, data, ...args]);
}

/** RFC 8907 §6.2; an unknown status is refused (garbage from a wrong key). */
export function decodeAuthorResponse(b: Uint8Array): Decoded<AuthorResponse> {
  if (b.length < RESPONSE_FIXED) return innerLengthError('author response', RESPONSE_FIXED, b.length);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const argCnt = b[1];
  const msgLen = view.getUint16(2);
  const dataLen = view.getUint16(4);
  const head = RESPONSE_FIXED + argCnt;
  if (b.length < head) return innerLengthError('author response', head, b.length);
  const argLens = Array.from(b.subarray(RESPONSE_FIXED, head));
  const sum = head + msgLen + dataLen + argLens.reduce((x, y) => x + y, 0);
  if (sum !== b.length) return innerLengthError('author response', sum, b.length);
  if (!AUTHOR_STATUSES.has(b[0])) {
    return new DecodeError('TACACS+', 'author response status', `unknown status ${b[0]}: bad key or protocol error`);
  }
  const [msg, data, ...args] = splitFields(b, head, [msgLen, dataLen, ...argLens]);
  return { status: b[0], serverMsg: bytesText(msg), data: new Uint8Array(data), args: args.map(bytesText) };
}
