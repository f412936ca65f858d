/**
 * The test server's users and how it checks each login kind: PAP and ASCII compare the
 * password, CHAP recomputes MD5(id || secret || challenge) (RFC 1994 §4.1), MS-CHAP v1/v2
 * recompute the NT response (RFC 2433 §A, RFC 2759 §8) with src/ppp/mschap.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { generateNtResponse, mschapV1NtResponse } from '../../src/ppp/mschap.js';

export interface TacacsUser {
  name: string;
  password: string;
  /** Authorization reply for service=ppp, e.g. ["addr=10.1.1.9"]. */
  avpairs?: string[];
  /** false: authorization answers FAIL for this user. */
  authorize?: boolean;
}

export type Verdict = { pass: true } | { pass: false; reason: string };

const PASS: Verdict = { pass: true };
const BAD_PASSWORD: Verdict = { pass: false, reason: 'bad password' };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkPassword(user: TacacsUser, typed: Uint8Array): Verdict {
  return sameBytes(Buffer.from(user.password, 'utf8'), typed) ? PASS : BAD_PASSWORD;
}

/** RFC 8907 §5.4.2.3: data = id (1) + challenge + response (16). */
export function checkChap(user: TacacsUser, data: Uint8Array): Verdict {
  if (data.length < 1 + 1 + 16) return { pass: false, reason: `CHAP data of ${data.length} bytes is too short` };
  const id = data[0];
  const challenge = data.subarray(1, data.length - 16);
  const response = data.subarray(data.length - 16);
  const expected = createHash('md5').update(Uint8Array.of(id)).update(user.password, 'utf8').update(challenge).digest();
  return sameBytes(expected, response) ? PASS : BAD_PASSWORD;
}

/** RFC 8907 §5.4.2.4: id + 8-byte challenge + 49-byte response (LM 24, NT 24, flags). */
export function checkMschapV1(user: TacacsUser, data: Uint8Array): Verdict {
  if (data.length !== 1 + 8 + 49) return { pass: false, reason: 'MS-CHAP challenge must be 8 bytes' };
  const challenge = data.subarray(1, 9);
  const response = data.subarray(9);
  if (response[48] !== 1) return { pass: false, reason: 'LM-only MS-CHAP response is not accepted' };
  const expected = mschapV1NtResponse(challenge, user.password);
  return sameBytes(expected, response.subarray(24, 48)) ? PASS : BAD_PASSWORD;
}

/** RFC 8907 §5.4.2.5: id + 16-byte challenge + 49-byte response (peer challenge 16, reserved 8, NT 24, flags). */
export function checkMschapV2(user: TacacsUser, data: Uint8Array): Verdict {
  if (data.length !== 1 + 16 + 49) return { pass: false, reason: 'MS-CHAP v2 challenge must be 16 bytes' };
  const authenticatorChallenge = data.subarray(1, 17);
  const response = data.subarray(17);
  const peerChallenge = response.subarray(0, 16);
  const expected = generateNtResponse(authenticatorChallenge, peerChallenge, user.name, user.password);
  return sameBytes(expected, response.subarray(24, 48)) ? PASS : BAD_PASSWORD;
}
