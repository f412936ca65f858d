/**
 * Authorization for a PPP session (RFC 8907 §6, AV pairs §8.2): ask `service=ppp protocol=ip`
 * and turn the server's answer into AuthResult fields.
 */
import { ipv4ToU32 } from '../../wire/bytes.js';
import { DecodeError } from '../../wire/errors.js';
import {
  TAC_PLUS_AUTHEN_METH_TACACSPLUS,
  TAC_PLUS_AUTHEN_SVC_PPP,
  TAC_PLUS_PRIV_LVL_USER,
  parseAvPair,
  type AuthorRequest,
} from '../../wire/tacacs.js';
import type { AuthRequest } from '../authenticator.js';
import { authenTypeOf, portName } from './authen-start.js';

export const PPP_AUTHORIZATION_ARGS = ['service=ppp', 'protocol=ip'];

export function authorizationRequest(request: AuthRequest): AuthorRequest {
  return {
    authenMethod: TAC_PLUS_AUTHEN_METH_TACACSPLUS,
    privLvl: TAC_PLUS_PRIV_LVL_USER,
    authenType: authenTypeOf(request),
    service: TAC_PLUS_AUTHEN_SVC_PPP,
    user: request.username,
    port: portName(request.context.nasPort),
    remAddr: request.context.callingStationId,
    args: PPP_AUTHORIZATION_ARGS,
  };
}

export interface Authorized {
  framedAddress?: string;
  /** Seconds (the AV pairs carry minutes). */
  sessionTimeout?: number;
  idleTimeout?: number;
}

/**
 * The reply's AV pairs (PASS_ADD additions or the PASS_REPL list). §6.1: a mandatory pair the
 * client cannot act on fails the authorization; optional ones it does not know are ignored.
 */
export function applyAuthorization(args: string[]): Authorized | { refused: string } {
  const out: Authorized = {};
  for (const arg of args) {
    const pair = parseAvPair(arg);
    if (pair instanceof DecodeError) return { refused: pair.message };
    const problem = applyPair(out, pair.name, pair.value);
    if (problem !== undefined && pair.mandatory) return { refused: `mandatory ${arg}: ${problem}` };
  }
  return out;
}

function applyPair(out: Authorized, name: string, value: string): string | undefined {
  switch (name) {
    case 'service':
      return value === 'ppp' ? undefined : 'not a PPP service';
    case 'protocol':
      return value === 'ip' ? undefined : 'only protocol ip is carried';
    case 'addr':
      if (ipv4ToU32(value) === undefined) return 'not an IPv4 address';
      out.framedAddress = value;
      return undefined;
    case 'timeout':
    case 'idletime': {
      if (!/^\d{1,9}$/.test(value)) return 'not a number of minutes';
      const seconds = Number(value) * 60;
      if (name === 'timeout') out.sessionTimeout = seconds;
      else out.idleTimeout = seconds;
      return undefined;
    }
    default:
      return 'not supported by vpdn';
  }
}
