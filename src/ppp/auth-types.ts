/** Authentication protocols ordered by strength, as vpdn offers and prefers them (SPEC §3). */
import type { AuthType } from '../aaa/authenticator.js';

export const AUTH_STRENGTH_ORDER: readonly AuthType[] = ['mschap-v2', 'mschap-v1', 'chap-md5', 'pap'];

/** MS-CHAP is the only authentication that yields MPPE keys (RFC 3079). */
export function keysMppe(auth: AuthType | null): boolean {
  return auth === 'mschap-v1' || auth === 'mschap-v2';
}

/** The strongest of the given types, or undefined if none. */
export function strongest(types: readonly AuthType[]): AuthType | undefined {
  return AUTH_STRENGTH_ORDER.find((t) => types.includes(t));
}

export const AUTH_NAMES: Record<AuthType, string> = {
  'mschap-v2': 'MS-CHAP v2',
  'mschap-v1': 'MS-CHAP v1',
  'chap-md5': 'CHAP-MD5',
  pap: 'PAP',
};
