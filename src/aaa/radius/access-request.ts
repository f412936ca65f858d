/**
 * Access-Request attributes for a PPP login (RFC 2865 §5, RFC 2548 §2.3): the user's credentials in
 * the form of their method, and the NAS attributes that say where the call came in.
 */
import type { AuthContext, AuthRequest } from '../authenticator.js';
import {
  FramedProtocol,
  MsAttr,
  NasPortType,
  RadiusAttr,
  ServiceType,
  VENDOR_MICROSOFT,
} from '../../wire/radius-codes.js';
import { hideUserPassword } from '../../wire/radius-hiding.js';
import { encodeMsChap2Response, encodeMsChapResponse } from '../../wire/radius-microsoft.js';
import type { RadiusAttribute } from '../../wire/radius-packet.js';
import {
  integerAttribute,
  ipv4Attribute,
  octetsAttribute,
  textAttribute,
  vendorAttribute,
} from '../../wire/radius-values.js';

export interface NasIdentity {
  nasIpAddress: string;
  nasIdentifier?: string;
}

/** The attributes that are the same for every request of one NAS, built once. */
const fixedAttributes = new WeakMap<NasIdentity, RadiusAttribute[]>();

function nasFixed(nas: NasIdentity): RadiusAttribute[] {
  let attrs = fixedAttributes.get(nas);
  if (!attrs) {
    attrs = [ipv4Attribute(RadiusAttr.NasIpAddress, nas.nasIpAddress)];
    if (nas.nasIdentifier) attrs.push(textAttribute(RadiusAttr.NasIdentifier, nas.nasIdentifier));
    attrs.push(
      integerAttribute(RadiusAttr.NasPortType, NasPortType.Virtual),
      integerAttribute(RadiusAttr.ServiceType, ServiceType.Framed),
      integerAttribute(RadiusAttr.FramedProtocol, FramedProtocol.PPP),
    );
    fixedAttributes.set(nas, attrs);
  }
  return attrs;
}

/** NAS-side attributes shared by Access-Request and Accounting-Request. */
export function nasAttributes(nas: NasIdentity, context: Omit<AuthContext, 'group'>): RadiusAttribute[] {
  const attrs = [...nasFixed(nas), integerAttribute(RadiusAttr.NasPort, context.nasPort >>> 0)];
  if (context.callingStationId) attrs.push(textAttribute(RadiusAttr.CallingStationId, context.callingStationId));
  if (context.calledStationId) attrs.push(textAttribute(RadiusAttr.CalledStationId, context.calledStationId));
  if (context.sessionId) attrs.push(textAttribute(RadiusAttr.AcctSessionId, context.sessionId));
  return attrs;
}

function credentialAttributes(
  req: AuthRequest,
  secret: Uint8Array,
  requestAuthenticator: Uint8Array,
): RadiusAttribute[] {
  switch (req.method) {
    case 'pap':
      return [octetsAttribute(RadiusAttr.UserPassword, hideUserPassword(req.password, secret, requestAuthenticator))];
    case 'chap-md5': {
      // RFC 2865 §5.3: CHAP Ident then the 16-octet response; §5.40 the challenge.
      const chapPassword = new Uint8Array(1 + req.response.length);
      chapPassword[0] = req.id;
      chapPassword.set(req.response, 1);
      return [
        octetsAttribute(RadiusAttr.ChapPassword, chapPassword),
        octetsAttribute(RadiusAttr.ChapChallenge, req.challenge),
      ];
    }
    case 'mschap-v1':
      return [
        vendorAttribute(VENDOR_MICROSOFT, MsAttr.ChapChallenge, req.challenge),
        vendorAttribute(
          VENDOR_MICROSOFT,
          MsAttr.ChapResponse,
          encodeMsChapResponse(req.id, req.useNtResponse, req.lmResponse, req.ntResponse),
        ),
      ];
    case 'mschap-v2':
      return [
        vendorAttribute(VENDOR_MICROSOFT, MsAttr.ChapChallenge, req.authenticatorChallenge),
        vendorAttribute(
          VENDOR_MICROSOFT,
          MsAttr.Chap2Response,
          encodeMsChap2Response(req.id, req.flags, req.peerChallenge, req.ntResponse),
        ),
      ];
  }
}

/** Why the request cannot be put into RADIUS, or undefined when it can. */
export function accessRequestProblem(req: AuthRequest): string | undefined {
  const nameLength = Buffer.byteLength(req.username, 'utf8');
  if (nameLength === 0 || nameLength > 253) return `user name of ${nameLength} octets`;
  switch (req.method) {
    case 'pap':
      return req.password.length > 128 ? 'PAP password longer than 128 octets (RFC 2865 §5.2)' : undefined;
    case 'chap-md5':
      if (req.response.length !== 16) return 'CHAP response is not 16 octets';
      return req.challenge.length === 0 || req.challenge.length > 253 ? 'CHAP challenge length out of range' : undefined;
    case 'mschap-v1':
      if (req.challenge.length !== 8) return 'MS-CHAP challenge is not 8 octets';
      return req.ntResponse.length !== 24 || req.lmResponse.length !== 24 ? 'MS-CHAP response is not 24 octets' : undefined;
    case 'mschap-v2':
      if (req.authenticatorChallenge.length !== 16 || req.peerChallenge.length !== 16) {
        return 'MS-CHAP v2 challenge is not 16 octets';
      }
      return req.ntResponse.length !== 24 ? 'MS-CHAP v2 response is not 24 octets' : undefined;
  }
}

/** Every attribute but Message-Authenticator (the sealing adds it first). Check accessRequestProblem first. */
export function accessRequestAttributes(
  req: AuthRequest,
  nas: NasIdentity,
  secret: Uint8Array,
  requestAuthenticator: Uint8Array,
): RadiusAttribute[] {
  return [
    textAttribute(RadiusAttr.UserName, req.username),
    ...credentialAttributes(req, secret, requestAuthenticator),
    ...nasAttributes(nas, req.context),
  ];
}
