/**
 * MPPE keys (RFC 3079): master keys from MS-CHAP v1/v2 credentials, the initial session key,
 * and the key change of RFC 3078 §7.3. Key lengths: 16 bytes for 128-bit, 8 for 40/56-bit.
 */
import type { MppeKeys } from '../aaa/authenticator.js';
import { Rc4 } from './crypto/rc4.js';
import { Sha1Fixed, sha1Concat } from './crypto/sha1.js';

export type MppeKeyBits = 40 | 56 | 128;

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

// RFC 3079 §3.4 pads and magic strings.
const SHA_PAD1 = new Uint8Array(40);
const SHA_PAD2 = new Uint8Array(40).fill(0xf2);
const MAGIC1 = ascii('This is the MPPE Master Key');
const MAGIC2 = ascii('On the client side, this is the send key; on the server side, it is the receive key.');
const MAGIC3 = ascii('On the client side, this is the receive key; on the server side, it is the send key.');

/** Session key length in bytes for a key strength (RFC 3078 §7.3: 8 for 40/56-bit, 16 for 128). */
export function sessionKeyLength(bits: MppeKeyBits): 8 | 16 {
  return bits === 128 ? 16 : 8;
}

/** RFC 3078 §7.3 / RFC 3079 §3.1-3.2: 40-bit keys start D1 26 9E, 56-bit keys D1. */
function reduceKey(key: Uint8Array, bits: MppeKeyBits): void {
  if (bits === 128) return;
  key[0] = 0xd1;
  if (bits === 40) {
    key[1] = 0x26;
    key[2] = 0x9e;
  }
}

/** RFC 3079 §3.4 GetAsymmetricStartKey, 16 bytes (shorter keys use its first bytes). */
function asymmetricStartKey(masterKey: Uint8Array, magic: Uint8Array): Uint8Array {
  return sha1Concat(masterKey, SHA_PAD1, magic, SHA_PAD2).slice(0, 16);
}

/** MS-CHAP v2 (RFC 3079 §3.4): master keys from the password hash hash and the NT response, as seen by `side`. */
export function mschapV2MasterKeys(passwordHashHash: Uint8Array, ntResponse: Uint8Array, side: 'server' | 'client'): MppeKeys {
  const masterKey = sha1Concat(passwordHashHash, ntResponse, MAGIC1).slice(0, 16); // GetMasterKey
  // The server sends with Magic3 and receives with Magic2; the client the reverse.
  const server = side === 'server';
  return {
    sendKey: asymmetricStartKey(masterKey, server ? MAGIC3 : MAGIC2),
    recvKey: asymmetricStartKey(masterKey, server ? MAGIC2 : MAGIC3),
  };
}

/** MS-CHAP v1 (RFC 3079 §2.4): one start key for both directions, from the hash hash and the challenge. */
export function mschapV1MasterKeys(passwordHashHash: Uint8Array, challenge8: Uint8Array): MppeKeys {
  const key = sha1Concat(passwordHashHash, passwordHashHash, challenge8).slice(0, 16); // Get_Start_Key
  return { sendKey: key, recvKey: new Uint8Array(key) };
}

/**
 * The key change of RFC 3078 §7.3 for one direction, reusing its buffers: stateless MPPE runs it
 * for every packet. Holds the start (master) key truncated to the session key length.
 */
export class KeyChanger {
  readonly keyLength: 8 | 16;
  // SHA-1 over GetNewKeyFromSHA's input: StartKey || SHApad1 || SessionKey || SHApad2.
  private readonly sha: Sha1Fixed;

  constructor(
    masterKey: Uint8Array,
    readonly bits: MppeKeyBits,
  ) {
    const n = sessionKeyLength(bits);
    if (masterKey.length < n) throw new RangeError(`MPPE ${bits}-bit needs a ${n}-byte master key`);
    this.keyLength = n;
    this.sha = new Sha1Fixed(2 * n + 80);
    this.sha.message.set(masterKey.subarray(0, n), 0);
    this.sha.message.set(SHA_PAD2, 2 * n + 40);
  }

  /** GetNewKeyFromSHA (RFC 3078 §7.3): the interim key from the start key and `sessionKey`, into `out`. */
  interimKey(sessionKey: Uint8Array, out: Uint8Array): void {
    const n = this.keyLength;
    const message = this.sha.message;
    for (let i = 0; i < n; i++) message[n + 40 + i] = sessionKey[i];
    this.sha.digest(out, n);
  }

  /** RFC 3079 §3.4 GetNewKeyFromSHA + reduction: the initial session key, a fresh keyLength-byte array. */
  initialSessionKey(): Uint8Array {
    const key = this.sha.message.slice(0, this.keyLength); // the start key
    this.interimKey(key, key);
    reduceKey(key, this.bits);
    return key;
  }

  /**
   * RFC 3078 §7.3: `sessionKey` (keyLength bytes) becomes the next session key, encrypting the
   * interim key with RC4 keyed by it. `rc4` is then keyed with the new key unless `keyRc4` is false.
   */
  change(sessionKey: Uint8Array, rc4: Rc4, keyRc4 = true): void {
    const n = this.keyLength;
    this.interimKey(sessionKey, sessionKey);
    rc4.setKey(sessionKey, n);
    rc4.process(sessionKey, 0, n);
    reduceKey(sessionKey, this.bits);
    if (keyRc4) rc4.setKey(sessionKey, n);
  }
}

/** RFC 3079 §3.4 GetNewKeyFromSHA + reduction: the initial session key for `bits` from a master key. */
export function initialSessionKey(masterKey: Uint8Array, bits: 40 | 56 | 128): Uint8Array {
  return new KeyChanger(masterKey, bits).initialSessionKey();
}

/** Rekey (RFC 3079 §3.5 / RFC 3078 §7.3): next session key from the start key and the current key. */
export function nextSessionKey(masterKey: Uint8Array, currentKey: Uint8Array, bits: 40 | 56 | 128): Uint8Array {
  const changer = new KeyChanger(masterKey, bits);
  if (currentKey.length < changer.keyLength) throw new RangeError(`MPPE ${bits}-bit session key is ${changer.keyLength} bytes`);
  const key = new Uint8Array(currentKey.subarray(0, changer.keyLength));
  changer.change(key, new Rc4(key), false);
  return key;
}
