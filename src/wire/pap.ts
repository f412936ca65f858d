/** PAP (RFC 1334 §2.2): Authenticate-Request, -Ack and -Nak. */
import { DecodeError, type Decoded } from './errors.js';
import { decodeControlPacket, encodeControlPacket } from './ppp-control.js';

export const PapCode = { AuthenticateRequest: 1, AuthenticateAck: 2, AuthenticateNak: 3 } as const;

export type PapPacket =
  | { code: 1; identifier: number; peerId: Uint8Array; password: Uint8Array }
  | { code: 2 | 3; identifier: number; message: Uint8Array };

export function decodePapPacket(info: Uint8Array): Decoded<PapPacket> {
  const packet = decodeControlPacket(info, 'PAP');
  if (packet instanceof DecodeError) return packet;
  const { code, identifier, data } = packet;
  if (code === 1) {
    if (data.length < 1) return new DecodeError('PAP', 'peerIdLength', 'missing');
    const idLength = data[0];
    if (1 + idLength + 1 > data.length) return new DecodeError('PAP', 'peerId', 'Peer-ID overruns the packet');
    const pwLength = data[1 + idLength];
    if (2 + idLength + pwLength > data.length) return new DecodeError('PAP', 'password', 'Password overruns the packet');
    return {
      code,
      identifier,
      peerId: data.subarray(1, 1 + idLength),
      password: data.subarray(2 + idLength, 2 + idLength + pwLength),
    };
  }
  if (code === 2 || code === 3) {
    // RFC 1334: Msg-Length then Message; an empty data field is taken as an empty message.
    if (data.length === 0) return { code, identifier, message: data };
    const msgLength = data[0];
    if (1 + msgLength > data.length) return new DecodeError('PAP', 'message', 'Message overruns the packet');
    return { code, identifier, message: data.subarray(1, 1 + msgLength) };
  }
  return new DecodeError('PAP', 'code', `unknown code ${code}`);
}

export function encodePapPacket(packet: PapPacket): Uint8Array {
  if (packet.code === 1) {
    const { peerId, password } = packet;
    if (peerId.length > 255 || password.length > 255) throw new RangeError('PAP Peer-ID and Password are at most 255 octets');
    const data = new Uint8Array(2 + peerId.length + password.length);
    data[0] = peerId.length;
    data.set(peerId, 1);
    data[1 + peerId.length] = password.length;
    data.set(password, 2 + peerId.length);
    return encodeControlPacket(1, packet.identifier, data);
  }
  const message = packet.message.subarray(0, 255);
  const data = new Uint8Array(1 + message.length);
  data[0] = message.length;
  data.set(message, 1);
  return encodeControlPacket(packet.code, packet.identifier, data);
}
