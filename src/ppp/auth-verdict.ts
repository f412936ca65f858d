/**
 * What the server makes of the back end's answer (SPEC §5.4): an accept still fails when MS-CHAP v2
 * lacks its authenticator response (RFC 2759 §5), when encryption is required but no MPPE keys
 * exist (PIX 403110; PAP and CHAP-MD5 never yield keys, RFC 3079), or when no address is left.
 */
import type { AuthResult, AuthType } from '../aaa/authenticator.js';
import { AUTH_NAMES, keysMppe } from './auth-types.js';
import { assignedAddress } from './ipcp.js';
import type { PppDownCause } from './session-types.js';

export interface AuthRefusal {
  cause: PppDownCause;
  reason: string;
}

export function refusal(
  type: AuthType,
  user: string,
  result: AuthResult,
  peerAddress: string | undefined,
  mppeRequired: boolean,
): AuthRefusal | undefined {
  if (!result.accepted) return { cause: 'auth-failed', reason: `authentication failed for ${user}: ${result.reason}` };
  if (type === 'mschap-v2' && !result.authenticatorResponse) {
    return { cause: 'auth-failed', reason: `aaa server gave no MS-CHAP v2 authenticator response for ${user}` };
  }
  if (mppeRequired && !keysMppe(type)) {
    return { cause: 'mppe-keys-missing', reason: `user: ${user} missing MPPE key: ${AUTH_NAMES[type]} yields no MPPE keys and encryption is required` };
  }
  if (mppeRequired && !result.mppeKeys) return { cause: 'mppe-keys-missing', reason: `user: ${user} missing MPPE key from aaa server` };
  if (peerAddress === undefined || !assignedAddress(peerAddress)) return { cause: 'ipcp-failed', reason: `no IP address to assign to ${user}` };
  return undefined;
}
