/**
 * Local users (`vpdn username NAME password PASS`): checks PAP (RFC 1334), CHAP-MD5 (RFC 1994),
 * MS-CHAP v1 (RFC 2433) and v2 (RFC 2759) and derives MPPE master keys (RFC 3079).
 * Names are exact: "DOMAIN\cisco" is not "cisco" unless stripDomain is set, and then only when
 * no entry matches the full name.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthRequest, AuthResult, AuthType, Authenticator } from './authenticator.js';
import {
  authenticatorResponse,
  challengeHash,
  challengeResponse,
  hashNtPasswordHash,
  ntPasswordHash,
  stripDomain,
  timingSafeEqualBytes,
} from '../ppp/mschap.js';
import { mschapV1MasterKeys, mschapV2MasterKeys } from '../ppp/mppe-keys.js';

export interface LocalUser {
  username: string;
  password: string;
}

interface Secret {
  bytes: Uint8Array; // UTF-8, for PAP and CHAP
  ntHash: Uint8Array; // RFC 2759 §8.3
  ntHashHash: Uint8Array; // RFC 2759 §8.4, fixed per user like the hash: computed once, not per login
}

const MSCHAP_AUTH_FAILURE = 691; // RFC 2433 §3 ERROR_AUTHENTICATION_FAILURE

function secretOf(password: string): Secret {
  const ntHash = ntPasswordHash(password);
  return { bytes: new Uint8Array(Buffer.from(password, 'utf8')), ntHash, ntHashHash: hashNtPasswordHash(ntHash) };
}

function sha256(b: Uint8Array): Uint8Array {
  return createHash('sha256').update(b).digest();
}

export class LocalAuthenticator implements Authenticator {
  readonly methods: ReadonlySet<AuthType> = new Set<AuthType>(['mschap-v2', 'mschap-v1', 'chap-md5', 'pap']);
  readonly providesMppeKeys = true;
  private readonly users = new Map<string, Secret>();
  // Checked when the user is unknown, so that a miss costs as much time as a wrong password.
  private readonly decoy = secretOf(randomBytes(12).toString('base64'));

  constructor(
    users: LocalUser[],
    private readonly options: { stripDomain?: boolean } = {},
  ) {
    for (const u of users) this.users.set(u.username, secretOf(u.password)); // a later line replaces an earlier one
  }

  async authenticate(request: AuthRequest): Promise<AuthResult> {
    let secret = this.users.get(request.username);
    if (!secret && this.options.stripDomain) secret = this.users.get(stripDomain(request.username));
    const verdict = this.check(request, secret ?? this.decoy);
    if (!secret) return this.reject('no such user');
    if (typeof verdict === 'string') return this.reject(verdict);
    return { accepted: true, reason: 'ok', server: 'LOCAL', ...verdict };
  }

  private reject(reason: string): AuthResult {
    return { accepted: false, reason, mschapError: MSCHAP_AUTH_FAILURE, server: 'LOCAL' };
  }

  /** What a successful check adds to the result, or why it failed. */
  private check(request: AuthRequest, secret: Secret): Partial<AuthResult> | string {
    switch (request.method) {
      case 'pap':
        // Compare digests so that neither content nor length leaks through timing.
        return timingSafeEqualBytes(sha256(request.password), sha256(secret.bytes)) ? {} : 'bad password';

      case 'chap-md5': {
        // RFC 1994 §4.1: MD5(Identifier || secret || Challenge).
        const expected = createHash('md5').update(Uint8Array.of(request.id & 255)).update(secret.bytes).update(request.challenge).digest();
        return timingSafeEqualBytes(request.response, expected) ? {} : 'bad password';
      }

      case 'mschap-v1': {
        if (request.challenge.length !== 8 || request.ntResponse.length !== 24) return 'malformed response';
        if (!request.useNtResponse) return 'LAN Manager response not supported';
        const expected = challengeResponse(request.challenge, secret.ntHash); // RFC 2433 §A.5
        if (!timingSafeEqualBytes(request.ntResponse, expected)) return 'bad password';
        return { mppeKeys: mschapV1MasterKeys(secret.ntHashHash, request.challenge) };
      }

      case 'mschap-v2': {
        const { authenticatorChallenge: auth, peerChallenge: peer, ntResponse } = request;
        if (auth.length !== 16 || peer.length !== 16 || ntResponse.length !== 24) return 'malformed response';
        // RFC 2759 §8.2: the challenge hash uses the name as the peer sent it, without its domain.
        const challenge = challengeHash(peer, auth, request.username);
        const expected = challengeResponse(challenge, secret.ntHash); // §8.1
        if (!timingSafeEqualBytes(ntResponse, expected)) return 'bad password';
        return {
          authenticatorResponse: authenticatorResponse(secret.ntHashHash, ntResponse, challenge), // §8.7
          mppeKeys: mschapV2MasterKeys(secret.ntHashHash, ntResponse, 'server'),
        };
      }

      default:
        return 'unsupported method'; // never accept what we did not check
    }
  }
}
