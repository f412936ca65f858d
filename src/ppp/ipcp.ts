/**
 * IPCP option negotiation (RFC 1332 §3, RFC 1877). Server: gives the peer its assigned address
 * (Nak with it when the peer asks for 0.0.0.0 or another one, or asks for none), names its own
 * address, answers DNS/NBNS requests from configuration and rejects them when none is configured;
 * IP-Compression and unknown options are rejected. Client: asks for 0.0.0.0 and name servers, and
 * takes the values the server Naks with.
 */
import { ipv4ToBytes } from '../wire/bytes.js';
import { isDecodeError } from '../wire/errors.js';
import { IpcpOptionType, decodeIpcpOption, encodeIpcpOption, type IpcpOption, type NameServerOption } from '../wire/ipcp.js';
import { concatBytes, decodeOptions } from '../wire/ppp-control.js';
import type { Judgement, NegotiationResult } from './fsm.js';
import { RequestJudge } from './judge.js';
import type { ProtocolOptions } from './ncp.js';

const ANY = '0.0.0.0';
const NAME_SERVERS: readonly NameServerOption[] = ['primary-dns', 'primary-nbns', 'secondary-dns', 'secondary-nbns'];

export interface IpcpSettings {
  role: 'server' | 'client';
  /** Server: our own address. */
  localAddress?: string;
  /** Server: the address the peer gets (set before IPCP opens). */
  peerAddress?: string;
  /** Server: name servers to hand out (RFC 1877), at most two of each. */
  dns: readonly string[];
  nbns: readonly string[];
}

export class IpcpOptions implements ProtocolOptions {
  /** Our address: the server's configured one, or what the client was given. */
  localAddress: string;
  /** The peer's address: the one we assign (server) or the server's own (client). */
  peerAddress = '';
  /** Client: name servers as the server gave them. */
  readonly nameServers = new Map<NameServerOption, string>();
  private requestAddress = true;
  private readonly requestedNameServers = new Set<NameServerOption>();
  failure: string | undefined;

  constructor(private readonly settings: IpcpSettings) {
    this.localAddress = settings.role === 'server' ? (settings.localAddress ?? '') : ANY;
  }

  resetOptions(): void {
    this.failure = undefined;
    if (this.settings.role === 'server') {
      this.requestAddress = this.settings.localAddress !== undefined;
      this.localAddress = this.settings.localAddress ?? '';
      return;
    }
    this.requestAddress = true;
    this.localAddress = ANY;
    this.nameServers.clear();
    this.requestedNameServers.clear();
    for (const n of NAME_SERVERS) {
      this.requestedNameServers.add(n);
      this.nameServers.set(n, ANY);
    }
  }

  buildRequest(): Uint8Array {
    const options: IpcpOption[] = [];
    if (this.requestAddress) options.push({ type: 'ip-address', address: this.localAddress });
    for (const n of NAME_SERVERS) if (this.requestedNameServers.has(n)) options.push({ type: n, address: this.nameServers.get(n)! });
    return concatBytes(options.map(encodeIpcpOption));
  }

  judgeRequest(bytes: Uint8Array, rejectIfDisagree: boolean): Judgement {
    const raws = decodeOptions(bytes, 'IPCP');
    if (isDecodeError(raws)) return { code: 4, options: bytes.slice() };
    const judge = new RequestJudge(rejectIfDisagree);
    const server = this.settings.role === 'server';
    let sawAddress = false;
    if (!server) this.peerAddress = '';
    for (const raw of raws) {
      const option = decodeIpcpOption(raw);
      if (option.type === 'ip-address') {
        sawAddress = true;
        if (server) {
          const assigned = this.settings.peerAddress;
          if (assigned === undefined) judge.reject(raw);
          else if (option.address !== assigned) judge.nak(raw, encodeIpcpOption({ type: 'ip-address', address: assigned }));
          else this.peerAddress = assigned;
        } else if (option.address === ANY) judge.reject(raw); // we have no address to give the server
        else this.peerAddress = option.address;
        continue;
      }
      const configured = server ? this.configuredNameServer(option.type) : undefined;
      if (configured === undefined) {
        judge.reject(raw); // name servers not configured, IP-Compression (VJ), unknown options
        continue;
      }
      const address = (option as { address: string }).address;
      if (address !== configured) judge.nak(raw, encodeIpcpOption({ type: option.type as NameServerOption, address: configured }));
    }
    if (server && !sawAddress && this.settings.peerAddress !== undefined) {
      judge.suggest(encodeIpcpOption({ type: 'ip-address', address: this.settings.peerAddress }));
    }
    return judge.result();
  }

  nakReceived(bytes: Uint8Array): NegotiationResult {
    const raws = decodeOptions(bytes, 'IPCP');
    if (isDecodeError(raws)) return 'discard';
    if (this.settings.role === 'server') return 'accept'; // our own address is not negotiable
    for (const raw of raws) {
      const option = decodeIpcpOption(raw);
      if (option.type === 'ip-address') {
        if (this.requestAddress && option.address !== ANY) this.localAddress = option.address;
      } else if (option.type !== 'ip-compression' && option.type !== 'raw' && this.requestedNameServers.has(option.type)) {
        this.nameServers.set(option.type, option.address);
      }
    }
    return 'accept';
  }

  rejectReceived(bytes: Uint8Array): NegotiationResult {
    const raws = decodeOptions(bytes, 'IPCP');
    if (isDecodeError(raws)) return 'discard';
    for (const raw of raws) {
      if (raw.type === IpcpOptionType.IpAddress) {
        if (this.settings.role === 'server') this.requestAddress = false;
        else {
          this.failure = 'peer refused to assign an IP address';
          return { giveUp: this.failure };
        }
      }
      const option = decodeIpcpOption(raw);
      if (option.type !== 'ip-address' && option.type !== 'ip-compression' && option.type !== 'raw') {
        this.requestedNameServers.delete(option.type);
        this.nameServers.delete(option.type);
      }
    }
    return 'accept';
  }

  /** Client: the name servers the server gave (non-zero), DNS and NBNS in primary, secondary order. */
  givenNameServers(kind: 'dns' | 'nbns'): string[] {
    const out: string[] = [];
    for (const n of [`primary-${kind}`, `secondary-${kind}`] as NameServerOption[]) {
      const a = this.nameServers.get(n);
      if (a !== undefined && a !== ANY) out.push(a);
    }
    return out;
  }

  private configuredNameServer(type: IpcpOption['type']): string | undefined {
    switch (type) {
      case 'primary-dns':
        return this.settings.dns[0];
      case 'secondary-dns':
        return this.settings.dns[1];
      case 'primary-nbns':
        return this.settings.nbns[0];
      case 'secondary-nbns':
        return this.settings.nbns[1];
      default:
        return undefined;
    }
  }
}

/** True when the address is a usable unicast-looking dotted quad (not 0.0.0.0). */
export function assignedAddress(address: string): boolean {
  try {
    ipv4ToBytes(address);
  } catch {
    return false;
  }
  return address !== ANY;
}
