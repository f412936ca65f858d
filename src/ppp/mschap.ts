/**
 * MS-CHAP hashes: RFC 2759 §8 (version 2) and RFC 2433 Appendix A (version 1).
 * User names given here may carry "DOMAIN\"; the v2 challenge hash strips it (RFC 2759 §8.2).
 * User names are hashed as UTF-8 bytes, passwords as UTF-16LE ("unicode-char", §8.3).
 */
import { timingSafeEqual } from 'node:crypto';
import { md4 } from './crypto/md4.js';
import { desEncryptBlock } from './crypto/des.js';
import { sha1Concat } from './crypto/sha1.js';

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

// RFC 2759 §8.7 magic constants.
const AUTH_MAGIC1 = ascii('Magic server to client signing constant');
const AUTH_MAGIC2 = ascii('Pad to make it do more than one iteration');
// RFC 2433 §A.3 DesHash known text.
const LM_MAGIC = ascii('KGS!@#$%');

/** The user name without a leading "DOMAIN\" (everything up to the last backslash). */
export function stripDomain(username: string): string {
  const i = username.lastIndexOf('\\');
  return i < 0 ? username : username.slice(i + 1);
}

/** RFC 2759 §8.3 NtPasswordHash: MD4 of the UTF-16LE password, 16 bytes. */
export function ntPasswordHash(password: string): Uint8Array {
  return md4(new Uint8Array(Buffer.from(password, 'utf16le')));
}

/** RFC 2759 §8.4 HashNtPasswordHash: MD4 of the password hash, 16 bytes. */
export function hashNtPasswordHash(hash: Uint8Array): Uint8Array {
  return md4(hash);
}

/** RFC 2759 §8.2 ChallengeHash: first 8 bytes of SHA-1(peer || authenticator || user without domain). */
export function challengeHash(peerChallenge: Uint8Array, authenticatorChallenge: Uint8Array, username: string): Uint8Array {
  const user = new Uint8Array(Buffer.from(stripDomain(username), 'utf8'));
  return sha1Concat(peerChallenge, authenticatorChallenge, user).slice(0, 8);
}

/** RFC 2759 §8.5 ChallengeResponse: three DES blocks keyed by the zero-padded 21-byte hash; 24 bytes. */
export function challengeResponse(challenge8: Uint8Array, passwordHash16: Uint8Array): Uint8Array {
  if (challenge8.length !== 8 || passwordHash16.length !== 16) throw new RangeError('challenge 8 bytes, hash 16 bytes');
  const z = new Uint8Array(21);
  z.set(passwordHash16);
  const out = new Uint8Array(24);
  for (let i = 0; i < 3; i++) out.set(desEncryptBlock(z.subarray(i * 7, i * 7 + 7), challenge8), i * 8);
  return out;
}

/** RFC 2759 §8.1 GenerateNTResponse: the peer's 24-byte NT-Response. */
export function generateNtResponse(
  authenticatorChallenge: Uint8Array,
  peerChallenge: Uint8Array,
  username: string,
  password: string,
): Uint8Array {
  return challengeResponse(challengeHash(peerChallenge, authenticatorChallenge, username), ntPasswordHash(password));
}

/**
 * RFC 2759 §8.7 GenerateAuthenticatorResponse, starting from the NT password hash (MD4 of the
 * password, as a RADIUS server or a local user table holds it): "S=" + 40 upper-case hex digits.
 */
export function generateAuthenticatorResponse(
  passwordHash: Uint8Array,
  ntResponse: Uint8Array,
  peerChallenge: Uint8Array,
  authenticatorChallenge: Uint8Array,
  username: string,
): string {
  return authenticatorResponse(hashNtPasswordHash(passwordHash), ntResponse, challengeHash(peerChallenge, authenticatorChallenge, username));
}

/**
 * RFC 2759 §8.7 from its intermediate values, PasswordHashHash (§8.4) and the 8-octet
 * ChallengeHash (§8.2), for a caller that already holds them (a local user's fixed hash hash,
 * the challenge hash the NT-Response check computed).
 */
export function authenticatorResponse(passwordHashHash: Uint8Array, ntResponse: Uint8Array, challenge8: Uint8Array): string {
  const digest = sha1Concat(passwordHashHash, ntResponse, AUTH_MAGIC1);
  const final = sha1Concat(digest, challenge8, AUTH_MAGIC2);
  return 'S=' + Buffer.from(final).toString('hex').toUpperCase();
}

/** RFC 2433 §A.5 NtChallengeResponse: MS-CHAP v1 NT response, 24 bytes. */
export function mschapV1NtResponse(challenge8: Uint8Array, password: string): Uint8Array {
  return challengeResponse(challenge8, ntPasswordHash(password));
}

/**
 * RFC 2433 §A.2 LmPasswordHash: DES of "KGS!@#$%" under each half of the upper-cased password,
 * truncated or zero-padded to 14 OEM characters (latin1 here). The basis of MS-CHAP v1 40-bit
 * MPPE keys (RFC 3079 §2.1).
 */
export function lmPasswordHash(password: string): Uint8Array {
  const oem = new Uint8Array(14);
  oem.set(new Uint8Array(Buffer.from(password.toUpperCase(), 'latin1')).subarray(0, 14));
  const out = new Uint8Array(16);
  out.set(desEncryptBlock(oem.subarray(0, 7), LM_MAGIC), 0);
  out.set(desEncryptBlock(oem.subarray(7, 14), LM_MAGIC), 8);
  return out;
}

/** Constant-time comparison; false when the lengths differ. */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
