/**
 * Meaning of an authentic Disconnect-Request or CoA-Request (RFC 5176 §3): which session it names,
 * what it changes, or which Error-Cause (§3.6) the NAK carries; and the reply datagram.
 */
import { isDecodeError } from '../../wire/errors.js';
import { sealResponse } from '../../wire/radius-authenticator.js';
import { ErrorCause, RadiusAttr, RadiusCode, ServiceType } from '../../wire/radius-codes.js';
import { getAttribute, getAttributes, type RadiusAttribute, type RadiusPacket } from '../../wire/radius-packet.js';
import { integerAttribute, octetsAttribute, optionalInteger, readIpv4, readText } from '../../wire/radius-values.js';

/** How the request names the session (RFC 5176 §3 session identification attributes). */
export interface SessionSelector {
  acctSessionId?: string;
  userName?: string;
  framedIpAddress?: string;
}

export type DynamicAuthorizationAction =
  | { kind: 'disconnect'; selector: SessionSelector }
  | { kind: 'coa'; selector: SessionSelector; sessionTimeout?: number }
  | { kind: 'nak'; errorCause: number; reason: string };

/** Attributes understood in either request; anything else is NAKed with 401 (RFC 5176 §3.5). */
const UNDERSTOOD = new Set<number>([
  RadiusAttr.UserName,
  RadiusAttr.NasIpAddress,
  RadiusAttr.NasPort,
  RadiusAttr.FramedIpAddress,
  RadiusAttr.State,
  RadiusAttr.Class,
  RadiusAttr.CalledStationId,
  RadiusAttr.CallingStationId,
  RadiusAttr.NasIdentifier,
  RadiusAttr.ProxyState,
  RadiusAttr.AcctSessionId,
  RadiusAttr.AcctTerminateCause,
  RadiusAttr.EventTimestamp,
  RadiusAttr.NasPortType,
  RadiusAttr.MessageAuthenticator,
  RadiusAttr.ReplyMessage,
]);
const UNDERSTOOD_COA = new Set<number>([...UNDERSTOOD, RadiusAttr.SessionTimeout, RadiusAttr.ServiceType]);

export interface NasNames {
  nasIpAddress?: string;
  nasIdentifier?: string;
}

export function dynamicAuthorizationAction(packet: RadiusPacket, nas: NasNames): DynamicAuthorizationAction {
  const coa = packet.code === RadiusCode.CoaRequest;
  const understood = coa ? UNDERSTOOD_COA : UNDERSTOOD;
  const unknown = packet.attributes.find((a) => !understood.has(a.type));
  if (unknown) {
    return { kind: 'nak', errorCause: ErrorCause.UnsupportedAttribute, reason: `unsupported attribute ${unknown.type}` };
  }
  const nasIp = getAttribute(packet.attributes, RadiusAttr.NasIpAddress);
  if (nasIp && nas.nasIpAddress) {
    const ip = readIpv4(nasIp);
    if (isDecodeError(ip) || ip !== nas.nasIpAddress) {
      return { kind: 'nak', errorCause: ErrorCause.NasIdentificationMismatch, reason: 'NAS-IP-Address is not ours' };
    }
  }
  const nasId = getAttribute(packet.attributes, RadiusAttr.NasIdentifier);
  if (nasId && nas.nasIdentifier && readText(nasId) !== nas.nasIdentifier) {
    return { kind: 'nak', errorCause: ErrorCause.NasIdentificationMismatch, reason: 'NAS-Identifier is not ours' };
  }

  const selector: SessionSelector = {};
  const sessionId = getAttribute(packet.attributes, RadiusAttr.AcctSessionId);
  if (sessionId) selector.acctSessionId = readText(sessionId);
  const user = getAttribute(packet.attributes, RadiusAttr.UserName);
  if (user) selector.userName = readText(user);
  const framed = getAttribute(packet.attributes, RadiusAttr.FramedIpAddress);
  if (framed) {
    const ip = readIpv4(framed);
    if (isDecodeError(ip)) {
      return { kind: 'nak', errorCause: ErrorCause.InvalidAttributeValue, reason: 'Framed-IP-Address is not 4 octets' };
    }
    selector.framedIpAddress = ip;
  }
  if (!selector.acctSessionId && !selector.userName && !selector.framedIpAddress) {
    return {
      kind: 'nak',
      errorCause: ErrorCause.MissingAttribute,
      reason: 'no Acct-Session-Id, User-Name or Framed-IP-Address to find the session',
    };
  }
  if (!coa) return { kind: 'disconnect', selector };

  const service = optionalInteger(getAttribute(packet.attributes, RadiusAttr.ServiceType));
  if (service !== undefined && service !== ServiceType.Framed) {
    return { kind: 'nak', errorCause: ErrorCause.UnsupportedService, reason: `Service-Type ${service} not supported` };
  }
  const timeoutValue = getAttribute(packet.attributes, RadiusAttr.SessionTimeout);
  const sessionTimeout = optionalInteger(timeoutValue);
  if (timeoutValue && sessionTimeout === undefined) {
    return { kind: 'nak', errorCause: ErrorCause.InvalidAttributeValue, reason: 'Session-Timeout is not 4 octets' };
  }
  return sessionTimeout === undefined ? { kind: 'coa', selector } : { kind: 'coa', selector, sessionTimeout };
}

/**
 * The ACK or NAK: Proxy-State copied in order (RFC 5176 §3.1), Error-Cause on NAK, and
 * Message-Authenticator when the request carried one.
 */
export function dynamicAuthorizationReply(
  request: RadiusPacket,
  ack: boolean,
  errorCause: number | undefined,
  secret: Uint8Array,
  withMessageAuthenticator: boolean,
): Buffer {
  const disconnect = request.code === RadiusCode.DisconnectRequest;
  const code = disconnect
    ? ack
      ? RadiusCode.DisconnectAck
      : RadiusCode.DisconnectNak
    : ack
      ? RadiusCode.CoaAck
      : RadiusCode.CoaNak;
  const attrs: RadiusAttribute[] = [];
  if (errorCause !== undefined) attrs.push(integerAttribute(RadiusAttr.ErrorCause, errorCause));
  for (const p of getAttributes(request.attributes, RadiusAttr.ProxyState)) attrs.push(octetsAttribute(RadiusAttr.ProxyState, p));
  return sealResponse(code, request.identifier, request.authenticator, attrs, secret, withMessageAuthenticator);
}
