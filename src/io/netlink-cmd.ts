/**
 * Interface configuration through iproute2 (`ip`), run without a shell. Permission refusals
 * become CapabilityError(CAP_NET_ADMIN).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { ipv4ToU32 } from '../wire/bytes.js';
import { CapabilityError, asCapabilityError } from './capabilities.js';

const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;

function checkName(name: string): string {
  if (!IFNAME.test(name)) throw new RangeError(`bad interface name: ${name}`);
  return name;
}

function checkAddress(a: string): string {
  if (ipv4ToU32(a) === undefined) throw new RangeError(`not an IPv4 address: ${a}`);
  return a;
}

function checkCidr(cidr: string): string {
  const [addr, len, ...rest] = cidr.split('/');
  const n = Number(len);
  if (rest.length > 0 || ipv4ToU32(addr) === undefined || !/^\d{1,2}$/.test(len ?? '') || n > 32) {
    throw new RangeError(`not an IPv4 CIDR block: ${cidr}`);
  }
  return cidr;
}

/** Runs `ip ARGS...`; resolves to stdout, rejects with ip's own error text. */
export function ipCommand(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const text = `ip ${args.join(' ')}: ${stderr.trim() || err.message}`;
      if (/Operation not permitted|Permission denied/.test(stderr)) {
        reject(new CapabilityError('CAP_NET_ADMIN', text, 'EPERM'));
      } else {
        reject(new Error(text));
      }
    });
  });
}

/** Sets the MTU (when given) and brings the link up. */
export async function linkUp(name: string, mtu?: number): Promise<void> {
  const args = ['link', 'set', 'dev', checkName(name)];
  if (mtu !== undefined) {
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw new RangeError(`bad MTU ${mtu}`);
    args.push('mtu', String(mtu));
  }
  await ipCommand([...args, 'up']);
}

/** Adds a local address: 'a.b.c.d' (a /32), 'a.b.c.d/len', or point-to-point with a peer. */
export async function addAddress(name: string, local: string, peer?: string): Promise<void> {
  const addr = local.includes('/') ? checkCidr(local) : checkAddress(local);
  const args = ['addr', 'add', addr];
  if (peer !== undefined) args.push('peer', checkAddress(peer));
  await ipCommand([...args, 'dev', checkName(name)]);
}

/** Routes a CIDR block to a device; replaces an existing route to the same block. */
export async function addRoute(cidr: string, dev: string): Promise<void> {
  await ipCommand(['route', 'replace', checkCidr(cidr), 'dev', checkName(dev)]);
}

export async function delRoute(cidr: string, dev: string): Promise<void> {
  await ipCommand(['route', 'del', checkCidr(cidr), 'dev', checkName(dev)]);
}

/** IPv4 forwarding in this network namespace (net.ipv4.ip_forward). */
export async function setForwarding(on: boolean): Promise<void> {
  try {
    await writeFile('/proc/sys/net/ipv4/ip_forward', on ? '1\n' : '0\n');
  } catch (e) {
    throw asCapabilityError(e, 'CAP_NET_ADMIN', 'setting net.ipv4.ip_forward');
  }
}
