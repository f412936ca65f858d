/**
 * AuthRequests as the PPP engine would hand them to an Authenticator, computed the way a
 * PPP client computes its answers (RFC 1994 §4.1, RFC 2433 §A, RFC 2759 §8).
 */
import { createHash, randomBytes } from 'node:crypto';
import type {
  AuthContext,
  ChapMd5Request,
  MschapV1Request,
  MschapV2Request,
  PapRequest,
} from '../../src/aaa/authenticator.js';
import { generateNtResponse, mschapV1NtResponse } from '../../src/ppp/mschap.js';

export function context(nasPort = 1): AuthContext {
  return {
    sessionId: `sess-${nasPort}`,
    callingStationId: '10.44.17.104',
    calledStationId: '172.18.124.152',
    nasPort,
    group: '1',
  };
}

export function pap(username: string, password: string, nasPort = 1): PapRequest {
  return { method: 'pap', username, password: new Uint8Array(Buffer.from(password, 'utf8')), context: context(nasPort) };
}

export function chap(username: string, password: string): ChapMd5Request {
  const id = randomBytes(1)[0];
  const challenge = new Uint8Array(randomBytes(16));
  const response = new Uint8Array(createHash('md5').update(Uint8Array.of(id)).update(password, 'utf8').update(challenge).digest());
  return { method: 'chap-md5', username, id, challenge, response, context: context() };
}

export function mschapV1(username: string, password: string): MschapV1Request {
  const challenge = new Uint8Array(randomBytes(8));
  return {
    method: 'mschap-v1',
    username,
    id: 7,
    challenge,
    lmResponse: new Uint8Array(24),
    ntResponse: mschapV1NtResponse(challenge, password),
    useNtResponse: true,
    context: context(),
  };
}

export function mschapV2(username: string, password: string): MschapV2Request {
  const authenticatorChallenge = new Uint8Array(randomBytes(16));
  const peerChallenge = new Uint8Array(randomBytes(16));
  return {
    method: 'mschap-v2',
    username,
    id: 9,
    authenticatorChallenge,
    peerChallenge,
    ntResponse: generateNtResponse(authenticatorChallenge, peerChallenge, username, password),
    flags: 0,
    context: context(),
  };
}
