/**
 * Failure injection for the test server: what happens to a reply instead of a normal send.
 * Pure: turns a reply into the bytes to write (or none) plus what to do with the connection.
 */
import { randomBytes } from 'node:crypto';
import {
  TAC_PLUS_ACCT,
  TAC_PLUS_ACCT_STATUS_ERROR,
  TAC_PLUS_AUTHEN,
  TAC_PLUS_AUTHEN_STATUS_ERROR,
  TAC_PLUS_AUTHOR,
  TAC_PLUS_AUTHOR_STATUS_ERROR,
  TAC_PLUS_HEADER_SIZE,
  TAC_PLUS_UNENCRYPTED_FLAG,
  encodeAcctReply,
  encodeAuthenReply,
  encodeAuthorResponse,
  encodePacket,
  type TacacsPacketType,
} from '../../src/wire/tacacs.js';
import type { Reply } from './engine.js';

export type InjectionMode =
  /** Close the TCP connection instead of replying. */
  | 'drop'
  /** Never reply; keep the connection open. */
  | 'silent'
  /** Reply after delayMs. */
  | 'delay'
  /** Random body bytes (a client's view of a wrong key). */
  | 'garbage'
  /** seq_no off by two. */
  | 'wrong-seq'
  /** Other minor version. */
  | 'wrong-version'
  /** Other session_id. */
  | 'wrong-session'
  /** Header length far beyond the body (and beyond any sane maximum). */
  | 'bad-length'
  /** Body sent in clear with TAC_PLUS_UNENCRYPTED_FLAG. */
  | 'unencrypted'
  /** A well-formed ERROR status of the reply's type (RFC 8907 §4.4). */
  | 'error';

export interface Injection {
  mode: InjectionMode;
  delayMs?: number;
  /** Only replies of these kinds (default: all). */
  types?: ('authen' | 'author' | 'acct')[];
  /** Only the first N matching replies (default: all). */
  times?: number;
}

export interface Outgoing {
  bytes?: Uint8Array;
  delayMs: number;
  /** Destroy the connection (after writing bytes, if any). */
  drop: boolean;
}

const TYPE_NAMES: Record<TacacsPacketType, 'authen' | 'author' | 'acct'> = {
  [TAC_PLUS_AUTHEN]: 'authen',
  [TAC_PLUS_AUTHOR]: 'author',
  [TAC_PLUS_ACCT]: 'acct',
};

export function appliesTo(injection: Injection | undefined, reply: Reply): boolean {
  if (!injection) return false;
  if (injection.times !== undefined && injection.times <= 0) return false;
  return !injection.types || injection.types.includes(TYPE_NAMES[reply.header.type]);
}

/** The bytes for `reply` under `injection` (undefined: a normal reply). */
export function injectReply(reply: Reply, key: string, injection: Injection | undefined): Outgoing {
  const normal = (): Uint8Array => encodePacket(reply.header, reply.body, key);
  if (!injection) return { bytes: normal(), delayMs: 0, drop: false };
  const h = reply.header;
  switch (injection.mode) {
    case 'drop':
      return { delayMs: 0, drop: true };
    case 'silent':
      return { delayMs: 0, drop: false };
    case 'delay':
      return { bytes: normal(), delayMs: injection.delayMs ?? 1000, drop: false };
    case 'garbage':
      return { bytes: encodePacket(h, randomBytes(Math.max(reply.body.length, 8)), key), delayMs: 0, drop: false };
    case 'wrong-seq':
      return { bytes: encodePacket({ ...h, seqNo: (h.seqNo + 2) & 0xff }, reply.body, key), delayMs: 0, drop: false };
    case 'wrong-version':
      return { bytes: encodePacket({ ...h, minorVersion: h.minorVersion ^ 1 }, reply.body, key), delayMs: 0, drop: false };
    case 'wrong-session':
      return { bytes: encodePacket({ ...h, sessionId: (h.sessionId + 1) >>> 0 }, reply.body, key), delayMs: 0, drop: false };
    case 'bad-length': {
      const bytes = normal();
      new DataView(bytes.buffer, bytes.byteOffset).setUint32(8, 0x7fffff00);
      return { bytes: bytes.subarray(0, TAC_PLUS_HEADER_SIZE + reply.body.length), delayMs: 0, drop: false };
    }
    case 'error':
      return { bytes: encodePacket(h, errorBody(h.type), key), delayMs: 0, drop: false };
    case 'unencrypted':
      return {
        bytes: encodePacket({ ...h, flags: h.flags | TAC_PLUS_UNENCRYPTED_FLAG }, reply.body, key),
        delayMs: 0,
        drop: false,
      };
  }
}

function errorBody(type: TacacsPacketType): Uint8Array {
  const serverMsg = 'injected error';
  const data = new Uint8Array(0);
  if (type === TAC_PLUS_AUTHEN) return encodeAuthenReply({ status: TAC_PLUS_AUTHEN_STATUS_ERROR, flags: 0, serverMsg, data });
  if (type === TAC_PLUS_AUTHOR) return encodeAuthorResponse({ status: TAC_PLUS_AUTHOR_STATUS_ERROR, serverMsg, data, args: [] });
  return encodeAcctReply({ status: TAC_PLUS_ACCT_STATUS_ERROR, serverMsg, data });
}
