/**
 * Hidden attribute values: User-Password (RFC 2865 §5.2), MS-CHAP-MPPE-Keys (RFC 2548 §2.4.1, hidden
 * the same way) and the salted MS-MPPE-Send-Key / Recv-Key (RFC 2548 §2.4.2, §2.4.3).
 */
import { DecodeError, type Decoded } from './errors.js';
import { md5 } from './radius-md5.js';

/** c(i) = p(i) xor MD5(S + c(i-1)), with c(0) the given seed (RFC 2865 §5.2). */
function xorChain(input: Uint8Array, secret: Uint8Array, seed: Uint8Array, decrypt: boolean): Uint8Array {
  const out = new Uint8Array(input.length);
  const scratch = Buffer.allocUnsafe(secret.length + Math.max(16, seed.length));
  scratch.set(secret, 0);
  let prev: Uint8Array = seed;
  for (let i = 0; i < input.length; i += 16) {
    scratch.set(prev, secret.length);
    const b = md5(scratch.subarray(0, secret.length + prev.length));
    for (let j = 0; j < 16; j++) out[i + j] = input[i + j] ^ b[j];
    prev = decrypt ? input.subarray(i, i + 16) : out.subarray(i, i + 16);
  }
  return out;
}

function padTo16(data: Uint8Array, minimum: number): Uint8Array {
  const len = Math.max(minimum, Math.ceil(data.length / 16) * 16);
  const out = new Uint8Array(len);
  out.set(data);
  return out;
}

/** RFC 2865 §5.2: the password padded to a multiple of 16 octets and hidden. Max 128 octets. */
export function hideUserPassword(password: Uint8Array, secret: Uint8Array, requestAuthenticator: Uint8Array): Uint8Array {
  if (password.length > 128) throw new RangeError('User-Password is longer than 128 octets');
  return xorChain(padTo16(password, 16), secret, requestAuthenticator, false);
}

/** Reverse of hideUserPassword; trailing zero padding is removed. */
export function revealUserPassword(
  hidden: Uint8Array,
  secret: Uint8Array,
  requestAuthenticator: Uint8Array,
): Decoded<Uint8Array> {
  if (hidden.length < 16 || hidden.length > 128 || hidden.length % 16 !== 0) {
    return new DecodeError('RADIUS', 'User-Password', `hidden value of ${hidden.length} octets`);
  }
  const plain = xorChain(hidden, secret, requestAuthenticator, true);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return plain.subarray(0, end);
}

export interface MsChapMppeKeys {
  /** 8 octets of the LAN Manager key (zero when the server has none). */
  lmKey: Uint8Array;
  /** 16 octets: for MS-CHAP v1 the NT password hash hash (RFC 3079 §2.4). */
  ntKey: Uint8Array;
}

/** RFC 2548 §2.4.1: LM-Key (8) + NT-Key (16) + padding, hidden like User-Password. */
export function hideMsChapMppeKeys(
  keys: MsChapMppeKeys,
  secret: Uint8Array,
  requestAuthenticator: Uint8Array,
): Uint8Array {
  const plain = new Uint8Array(32);
  plain.set(keys.lmKey.subarray(0, 8), 0);
  plain.set(keys.ntKey.subarray(0, 16), 8);
  return xorChain(plain, secret, requestAuthenticator, false);
}

export function revealMsChapMppeKeys(
  hidden: Uint8Array,
  secret: Uint8Array,
  requestAuthenticator: Uint8Array,
): Decoded<MsChapMppeKeys> {
  if (hidden.length < 32 || hidden.length % 16 !== 0) {
    return new DecodeError('RADIUS', 'MS-CHAP-MPPE-Keys', `value of ${hidden.length} octets`);
  }
  const plain = xorChain(hidden, secret, requestAuthenticator, true);
  return { lmKey: plain.slice(0, 8), ntKey: plain.slice(8, 24) };
}

/**
 * RFC 2548 §2.4.2: Salt (2 octets, high bit set) + encrypted (Key-Length, Key, padding to 16),
 * with b(1) = MD5(S + R + A) and b(i) = MD5(S + c(i-1)).
 */
export function saltEncrypt(
  key: Uint8Array,
  secret: Uint8Array,
  requestAuthenticator: Uint8Array,
  salt: Uint8Array,
): Uint8Array {
  if (key.length > 239) throw new RangeError('salt-encrypted value is longer than 239 octets');
  if (salt.length !== 2 || (salt[0] & 0x80) === 0) throw new RangeError('salt must be 2 octets with the high bit set');
  const plain = new Uint8Array(Math.ceil((key.length + 1) / 16) * 16);
  plain[0] = key.length;
  plain.set(key, 1);
  const seed = new Uint8Array(18);
  seed.set(requestAuthenticator, 0);
  seed.set(salt, 16);
  const out = new Uint8Array(2 + plain.length);
  out.set(salt, 0);
  out.set(xorChain(plain, secret, seed, false), 2);
  return out;
}

/** The key inside an MS-MPPE-Send-Key / Recv-Key value. */
export function saltDecrypt(
  value: Uint8Array,
  secret: Uint8Array,
  requestAuthenticator: Uint8Array,
): Decoded<Uint8Array> {
  if (value.length < 18 || (value.length - 2) % 16 !== 0) {
    return new DecodeError('RADIUS', 'salt-encrypted', `value of ${value.length} octets`);
  }
  if ((value[0] & 0x80) === 0) return new DecodeError('RADIUS', 'salt-encrypted', 'salt high bit not set');
  const seed = new Uint8Array(18);
  seed.set(requestAuthenticator, 0);
  seed.set(value.subarray(0, 2), 16);
  const plain = xorChain(value.subarray(2), secret, seed, true);
  const keyLength = plain[0];
  if (keyLength > plain.length - 1) {
    return new DecodeError('RADIUS', 'salt-encrypted', `Key-Length ${keyLength} exceeds the value (wrong secret?)`);
  }
  return plain.slice(1, 1 + keyLength);
}
