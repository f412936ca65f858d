/**
 * Does a reply belong to the request it answers? RFC 8907 §4.1: same session_id, same type,
 * seq_no one more than the request's, the version the request used; §4.5: an obfuscated
 * request must not get an unobfuscated reply.
 */
import { TAC_PLUS_UNENCRYPTED_FLAG, type TacacsHeader } from '../../wire/tacacs.js';

/** undefined when the reply header fits the request, else why not. */
export function replyHeaderProblem(request: Omit<TacacsHeader, 'length'>, reply: TacacsHeader): string | undefined {
  if (reply.sessionId !== request.sessionId) {
    return `reply for session 0x${hex(reply.sessionId)}, expected 0x${hex(request.sessionId)}`;
  }
  if (reply.type !== request.type) return `reply of type ${reply.type} to a request of type ${request.type}`;
  if (reply.seqNo !== request.seqNo + 1) return `reply seq_no ${reply.seqNo}, expected ${request.seqNo + 1}`;
  if (reply.minorVersion !== request.minorVersion) {
    return `reply minor version ${reply.minorVersion}, request used ${request.minorVersion}`;
  }
  if (reply.flags & TAC_PLUS_UNENCRYPTED_FLAG && !(request.flags & TAC_PLUS_UNENCRYPTED_FLAG)) {
    return 'unobfuscated reply to an obfuscated request';
  }
  return undefined;
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
