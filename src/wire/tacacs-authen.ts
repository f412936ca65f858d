/** TACACS+ authentication bodies: START, REPLY, CONTINUE (RFC 8907 §5.1–§5.3). */
import { DecodeError, type Decoded } from './errors.js';
import {
  bytesText,
  concat,
  innerLengthError,
  longField,
  shortField,
  splitFields,
  textBytes,
} from './tacacs-fields.js';

/** RFC 8907 §5.2 status */
export const TAC_PLUS_AUTHEN_STATUS_PASS = 0x01;
export const TAC_PLUS_AUTHEN_STATUS_FAIL = 0x02;
export const TAC_PLUS_AUTHEN_STATUS_GETDATA = 0x03;
export const TAC_PLUS_AUTHEN_STATUS_GETUSER = 0x04;
export const TAC_PLUS_AUTHEN_STATUS_GETPASS = 0x05;
export const TAC_PLUS_AUTHEN_STATUS_RESTART = 0x06;
export const TAC_PLUS_AUTHEN_STATUS_ERROR = 0x07;
export const TAC_PLUS_AUTHEN_STATUS_FOLLOW = 0x21;

const AUTHEN_STATUSES = new Set([1, 2, 3, 4, 5, 6, 7, 0x21]);

export const TAC_PLUS_REPLY_FLAG_NOECHO = 0x01;
export const TAC_PLUS_CONTINUE_FLAG_ABORT = 0x01;

export interface AuthenStart {
  action: number;
  privLvl: number;
  authenType: number;
  service: number;
  user: string;
  port: string;
  remAddr: string;
  /** Arbitrary bytes: the PAP password, or CHAP/MS-CHAP id + challenge + response. */
  data: Uint8Array;
}

export interface AuthenReply {
  status: number;
  flags: number;
  serverMsg: string;
  data: Uint8Array;
}

export interface AuthenContinue {
  /** What the user typed (ASCII login: the username or the password). */
  userMsg: Uint8Array;
  data: Uint8Array;
  flags: number;
}

const START_FIXED = 8;
const REPLY_FIXED = 6;
const CONTINUE_FIXED = 5;

export function encodeAuthenStart(s: AuthenStart): Uint8Array {
  const user = shortField('user', textBytes(s.user));
  const port = shortField('port', textBytes(s.port));
  const remAddr = shortField('rem_addr', textBytes(s.remAddr));
  const data = shortField('data', s.data);
  const fixed = new Uint8Array([
    s.action,
    s.privLvl,
    s.authenType,
    s.service,
    user.length,
    port.length,
    remAddr.length,
    data.length,
  ]);
  return concat([fixed, user, port, remAddr, data]);
}

/** RFC 8907 §5.1 */
export function decodeAuthenStart(b: Uint8Array): Decoded<AuthenStart> {
  if (b.length < START_FIXED) return innerLengthError('authen start', START_FIXED, b.length);
  const lengths = [b[4], b[5], b[6], b[7]];
  const sum = START_FIXED + lengths[0] + lengths[1] + lengths[2] + lengths[3];
  if (sum !== b.length) return innerLengthError('authen start', sum, b.length);
  const [user, port, remAddr, data] = splitFields(b, START_FIXED, lengths);
  return {
    action: b[0],
    privLvl: b[1],
    authenType: b[2],
    service: b[3],
    user: bytesText(user),
    port: bytesText(port),
    remAddr: bytesText(remAddr),
    data: new Uint8Array(data),
  };
}

export function encodeAuthenReply(r: AuthenReply): Uint8Array {
  const msg = longField('server_msg', textBytes(r.serverMsg));
  const data = longField('data', r.data);
  const fixed = new Uint8Array(REPLY_FIXED);
  fixed[0] = r.status;
  fixed[1] = r.flags;
  new DataView(fixed.buffer).setUint16(2, msg.length);
  new DataView(fixed.buffer).setUint16(4, data.length);
  return concat([fixed, msg, data]);
}

/** RFC 8907 §5.2; an unknown status is refused like a length mismatch (garbage from a wrong key). */
export function decodeAuthenReply(b: Uint8Array): Decoded<AuthenReply> {
  if (b.length < REPLY_FIXED) return innerLengthError('authen reply', REPLY_FIXED, b.length);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const msgLen = view.getUint16(2);
  const dataLen = view.getUint16(4);
  const sum = REPLY_FIXED + msgLen + dataLen;
  if (sum !== b.length) return innerLengthError('authen reply', sum, b.length);
  if (!AUTHEN_STATUSES.has(b[0])) {
    return new DecodeError('TACACS+', 'authen reply status', `unknown status ${b[0]}: bad key or protocol error`);
  }
  const [msg, data] = splitFields(b, REPLY_FIXED, [msgLen, dataLen]);
  return { status: b[0], flags: b[1], serverMsg: bytesText(msg), data: new Uint8Array(data) };
}

export function encodeAuthenContinue(c: AuthenContinue): Uint8Array {
  const msg = longField('user_msg', c.userMsg);
  const data = longField('data', c.data);
  const fixed = new Uint8Array(CONTINUE_FIXED);
  const view = new DataView(fixed.buffer);
  view.setUint16(0, msg.length);
  view.setUint16(2, data.length);
  fixed[4] = c.flags;
  return concat([fixed, msg, data]);
}

/** RFC 8907 §5.3 */
export function decodeAuthenContinue(b: Uint8Array): Decoded<AuthenContinue> {
  if (b.length < CONTINUE_FIXED) return innerLengthError('authen continue', CONTINUE_FIXED, b.length);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const msgLen = view.getUint16(0);
  const dataLen = view.getUint16(2);
  const sum = CONTINUE_FIXED + msgLen + dataLen;
  if (sum !== b.length) return innerLengthError('authen continue', sum, b.length);
  const [msg, data] = splitFields(b, CONTINUE_FIXED, [msgLen, dataLen]);
  return { userMsg: new Uint8Array(msg), data: new Uint8Array(data), flags: b[4] };
}
