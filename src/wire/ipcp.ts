/** IPCP (RFC 1332) with the DNS/NBNS address options of RFC 1877: typed options and packets. */
import { ipv4ToBytes, ipv4ToString } from './bytes.js';
import { DecodeError, type Decoded } from './errors.js';
import {
  type CodeRejectPacket,
  type ConfigurePacket,
  type RawOption,
  type TerminatePacket,
  concatBytes,
  decodeCommonPacket,
  decodeControlPacket,
  encodeCommonPacket,
  encodeOption,
  readU16,
  u16,
} from './ppp-control.js';

/** IPCP option types (RFC 1332 §3, RFC 1877 §1). */
export const IpcpOptionType = {
  IpAddresses: 1,
  IpCompressionProtocol: 2,
  IpAddress: 3,
  PrimaryDnsAddress: 129,
  PrimaryNbnsAddress: 130,
  SecondaryDnsAddress: 131,
  SecondaryNbnsAddress: 132,
} as const;

/** The four RFC 1877 name-server options by name. */
export type NameServerOption = 'primary-dns' | 'secondary-dns' | 'primary-nbns' | 'secondary-nbns';

const NAME_SERVER_CODES: Record<NameServerOption, number> = {
  'primary-dns': IpcpOptionType.PrimaryDnsAddress,
  'secondary-dns': IpcpOptionType.SecondaryDnsAddress,
  'primary-nbns': IpcpOptionType.PrimaryNbnsAddress,
  'secondary-nbns': IpcpOptionType.SecondaryNbnsAddress,
};

export type IpcpOption =
  | { type: 'ip-address'; address: string }
  | { type: NameServerOption; address: string }
  | { type: 'ip-compression'; protocol: number; data: Uint8Array }
  | { type: 'raw'; code: number; data: Uint8Array };

export function decodeIpcpOption(raw: RawOption): IpcpOption {
  const { type, data } = raw;
  if (type === IpcpOptionType.IpAddress && data.length === 4) return { type: 'ip-address', address: ipv4ToString(data) };
  if (type === IpcpOptionType.IpCompressionProtocol && data.length >= 2) {
    return { type: 'ip-compression', protocol: readU16(data, 0), data: data.subarray(2) };
  }
  for (const name of Object.keys(NAME_SERVER_CODES) as NameServerOption[]) {
    if (NAME_SERVER_CODES[name] === type && data.length === 4) return { type: name, address: ipv4ToString(data) };
  }
  return { type: 'raw', code: type, data };
}

export function encodeIpcpOption(option: IpcpOption): Uint8Array {
  switch (option.type) {
    case 'ip-address':
      return encodeOption(IpcpOptionType.IpAddress, ipv4ToBytes(option.address));
    case 'ip-compression':
      return encodeOption(IpcpOptionType.IpCompressionProtocol, concatBytes([u16(option.protocol), option.data]));
    case 'raw':
      return encodeOption(option.code, option.data);
    default:
      return encodeOption(NAME_SERVER_CODES[option.type], ipv4ToBytes(option.address));
  }
}

export type IpcpPacket = ConfigurePacket<IpcpOption> | TerminatePacket | CodeRejectPacket;

export function decodeIpcpPacket(info: Uint8Array): Decoded<IpcpPacket> {
  const packet = decodeControlPacket(info, 'IPCP');
  if (packet instanceof DecodeError) return packet;
  return decodeCommonPacket(packet, decodeIpcpOption, 'IPCP') ?? new DecodeError('IPCP', 'code', `unknown code ${packet.code}`);
}

export function encodeIpcpPacket(packet: IpcpPacket): Uint8Array {
  return encodeCommonPacket(packet, encodeIpcpOption);
}
