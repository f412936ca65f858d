/**
 * The authentication START for a PPP login (RFC 8907 §5.4.2.2–§5.4.2.5): action LOGIN,
 * service PPP, minor version 1, and data = PAP password, or PPP id + challenge + response.
 */
import type { AuthRequest } from '../authenticator.js';
import {
  TAC_PLUS_AUTHEN_LOGIN,
  TAC_PLUS_AUTHEN_SVC_PPP,
  TAC_PLUS_AUTHEN_TYPE_CHAP,
  TAC_PLUS_AUTHEN_TYPE_MSCHAP,
  TAC_PLUS_AUTHEN_TYPE_MSCHAPV2,
  TAC_PLUS_AUTHEN_TYPE_PAP,
  TAC_PLUS_PRIV_LVL_USER,
  concat,
  type AuthenStart,
} from '../../wire/tacacs.js';

export function authenTypeOf(request: AuthRequest): number {
  switch (request.method) {
    case 'pap':
      return TAC_PLUS_AUTHEN_TYPE_PAP;
    case 'chap-md5':
      return TAC_PLUS_AUTHEN_TYPE_CHAP;
    case 'mschap-v1':
      return TAC_PLUS_AUTHEN_TYPE_MSCHAP;
    case 'mschap-v2':
      return TAC_PLUS_AUTHEN_TYPE_MSCHAPV2;
  }
}

/** The port field names the PPP virtual interface; rem_addr is the caller's address. */
export function portName(nasPort: number): string {
  return `Virtual${nasPort}`;
}

/** The START data field, or why the request cannot be expressed. */
export function authenData(request: AuthRequest): Uint8Array | string {
  switch (request.method) {
    case 'pap':
      return request.password;
    case 'chap-md5':
      // §5.4.2.3: id (1) + challenge + response (16)
      if (request.response.length !== 16) return `CHAP response of ${request.response.length} bytes, expected 16`;
      return concat([new Uint8Array([request.id]), request.challenge, request.response]);
    case 'mschap-v1':
      // §5.4.2.4: id + challenge (8) + MS-CHAP response (49: LM 24, NT 24, flags 1; RFC 2433 §3)
      if (request.challenge.length !== 8) return `MS-CHAP challenge of ${request.challenge.length} bytes, expected 8`;
      if (request.lmResponse.length !== 24 || request.ntResponse.length !== 24) return 'MS-CHAP responses must be 24 bytes';
      return concat([
        new Uint8Array([request.id]),
        request.challenge,
        request.lmResponse,
        request.ntResponse,
        new Uint8Array([request.useNtResponse ? 1 : 0]),
      ]);
    case 'mschap-v2':
      // §5.4.2.5: id + authenticator challenge (16) + response (49: peer challenge 16, reserved 8,
      // NT response 24, flags 1; RFC 2759 §4)
      if (request.authenticatorChallenge.length !== 16 || request.peerChallenge.length !== 16) {
        return 'MS-CHAP v2 challenges must be 16 bytes';
      }
      if (request.ntResponse.length !== 24) return 'MS-CHAP v2 NT response must be 24 bytes';
      return concat([
        new Uint8Array([request.id]),
        request.authenticatorChallenge,
        request.peerChallenge,
        new Uint8Array(8),
        request.ntResponse,
        new Uint8Array([request.flags]),
      ]);
  }
}

export function authenStart(request: AuthRequest, data: Uint8Array): AuthenStart {
  return {
    action: TAC_PLUS_AUTHEN_LOGIN,
    privLvl: TAC_PLUS_PRIV_LVL_USER,
    authenType: authenTypeOf(request),
    service: TAC_PLUS_AUTHEN_SVC_PPP,
    user: request.username,
    port: portName(request.context.nasPort),
    remAddr: request.context.callingStationId,
    data,
  };
}
