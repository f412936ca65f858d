/**
 * What an authentic Access-Accept / -Reject / -Challenge means for a PPP login: MS-CHAP2-Success,
 * MPPE keys (RFC 2548 §2.4), encryption policy, address, timeouts, Class and Reply-Message.
 */
import type { AuthRequest, AuthResult, MppeKeys, MppePolicy } from '../authenticator.js';
import { mschapV1MasterKeys } from '../../ppp/mppe-keys.js';
import { isDecodeError } from '../../wire/errors.js';
import {
  MppeEncryptionPolicy,
  MppeEncryptionTypes,
  MsAttr,
  RadiusAttr,
  RadiusCode,
  radiusCodeName,
  VENDOR_MICROSOFT,
} from '../../wire/radius-codes.js';
import { revealMsChapMppeKeys, saltDecrypt } from '../../wire/radius-hiding.js';
import { decodeMsChap2Success, decodeMsChapError } from '../../wire/radius-microsoft.js';
import { getAttribute, getAttributes, type RadiusPacket } from '../../wire/radius-packet.js';
import { getVendorAttribute, optionalInteger, readIpv4, readText } from '../../wire/radius-values.js';

/** RFC 2433 §3 / RFC 2759 §6: "authentication failure". */
const MSCHAP_AUTHENTICATION_FAILURE = 691;

function replyMessage(packet: RadiusPacket): string | undefined {
  const parts = getAttributes(packet.attributes, RadiusAttr.ReplyMessage).map(readText);
  return parts.length > 0 ? parts.join('') : undefined;
}

function msAttr(packet: RadiusPacket, type: number): Uint8Array | undefined {
  return getVendorAttribute(packet.attributes, VENDOR_MICROSOFT, type);
}

/** RFC 2548 §2.4.2/2.4.3 (v2: Send/Recv keys) or §2.4.1 (v1: MS-CHAP-MPPE-Keys → RFC 3079 §2.4). */
function mppeKeys(
  req: AuthRequest,
  packet: RadiusPacket,
  secret: Uint8Array,
  requestAuthenticator: Uint8Array,
): MppeKeys | string | undefined {
  const send = msAttr(packet, MsAttr.MppeSendKey);
  const recv = msAttr(packet, MsAttr.MppeRecvKey);
  if (send && recv) {
    const sendKey = saltDecrypt(send, secret, requestAuthenticator);
    const recvKey = saltDecrypt(recv, secret, requestAuthenticator);
    if (isDecodeError(sendKey)) return sendKey.toString();
    if (isDecodeError(recvKey)) return recvKey.toString();
    if (sendKey.length < 16 || recvKey.length < 16) return 'MS-MPPE key shorter than 16 octets';
    return { sendKey: sendKey.slice(0, 16), recvKey: recvKey.slice(0, 16) };
  }
  const v1 = msAttr(packet, MsAttr.ChapMppeKeys);
  if (v1 && req.method === 'mschap-v1') {
    const keys = revealMsChapMppeKeys(v1, secret, requestAuthenticator);
    if (isDecodeError(keys)) return keys.toString();
    return mschapV1MasterKeys(keys.ntKey, req.challenge);
  }
  return undefined;
}

function mppePolicy(packet: RadiusPacket): MppePolicy | undefined {
  const policy = optionalInteger(msAttr(packet, MsAttr.MppeEncryptionPolicy));
  const types = optionalInteger(msAttr(packet, MsAttr.MppeEncryptionTypes));
  if (policy === undefined && types === undefined) return undefined;
  return {
    required: policy === MppeEncryptionPolicy.Required,
    allow40: types === undefined || (types & MppeEncryptionTypes.Rc4Bits40) !== 0,
    allow128: types === undefined || (types & MppeEncryptionTypes.Rc4Bits128) !== 0,
  };
}

/** RFC 2865 §5.8: 0xFFFFFFFF (user may choose) and 0xFFFFFFFE (NAS chooses) are not addresses. */
function framedAddress(packet: RadiusPacket): string | undefined {
  const v = getAttribute(packet.attributes, RadiusAttr.FramedIpAddress);
  if (!v) return undefined;
  const address = readIpv4(v);
  if (isDecodeError(address) || address === '255.255.255.255' || address === '255.255.255.254') return undefined;
  return address;
}

function isMschap(req: AuthRequest): boolean {
  return req.method === 'mschap-v1' || req.method === 'mschap-v2';
}

export function accessResult(
  req: AuthRequest,
  packet: RadiusPacket,
  secret: Uint8Array,
  requestAuthenticator: Uint8Array,
  server: string,
): AuthResult {
  const message = replyMessage(packet);
  const base = { server, ...(message !== undefined ? { replyMessage: message } : {}) };
  if (packet.code === RadiusCode.AccessReject || packet.code === RadiusCode.AccessChallenge) {
    const reason =
      packet.code === RadiusCode.AccessReject
        ? `rejected by ${server}`
        : `${server} sent Access-Challenge, which PPP logins cannot answer`;
    const result: AuthResult = { accepted: false, reason: message ? `${reason}: ${message}` : reason, ...base };
    if (isMschap(req)) {
      const error = msAttr(packet, MsAttr.ChapError);
      const decoded = error ? decodeMsChapError(error) : undefined;
      result.mschapError = decoded && !isDecodeError(decoded) ? decoded.code : MSCHAP_AUTHENTICATION_FAILURE;
    }
    return result;
  }
  if (packet.code !== RadiusCode.AccessAccept) {
    return { accepted: false, reason: `${server} sent ${radiusCodeName(packet.code)}`, ...base };
  }

  const result: AuthResult = { accepted: true, reason: `accepted by ${server}`, ...base };
  if (req.method === 'mschap-v2') {
    const success = msAttr(packet, MsAttr.Chap2Success);
    const decoded = success ? decodeMsChap2Success(success) : undefined;
    if (!decoded || isDecodeError(decoded)) {
      const why = decoded ? decoded.toString() : 'no MS-CHAP2-Success';
      return { accepted: false, reason: `${server} accepted MS-CHAP v2 without a usable MS-CHAP2-Success (${why})`, server, mschapError: MSCHAP_AUTHENTICATION_FAILURE };
    }
    result.authenticatorResponse = decoded.authenticatorResponse;
  }
  const keys = mppeKeys(req, packet, secret, requestAuthenticator);
  if (typeof keys === 'string') result.reason += ` (MPPE keys unusable: ${keys})`;
  else if (keys) result.mppeKeys = keys;
  const policy = mppePolicy(packet);
  if (policy) result.mppePolicy = policy;
  const address = framedAddress(packet);
  if (address) result.framedAddress = address;
  const sessionTimeout = optionalInteger(getAttribute(packet.attributes, RadiusAttr.SessionTimeout));
  if (sessionTimeout !== undefined) result.sessionTimeout = sessionTimeout;
  const idleTimeout = optionalInteger(getAttribute(packet.attributes, RadiusAttr.IdleTimeout));
  if (idleTimeout !== undefined) result.idleTimeout = idleTimeout;
  const classes = getAttributes(packet.attributes, RadiusAttr.Class);
  if (classes.length > 0) result.classes = classes.map((c) => Uint8Array.from(c));
  return result;
}
