/**
 * Linux capabilities the data plane needs: CAP_NET_RAW for the raw GRE socket, CAP_NET_ADMIN
 * for creating a TUN device and configuring interfaces (capabilities(7)).
 */
import { readFileSync } from 'node:fs';

export type Capability = 'CAP_NET_RAW' | 'CAP_NET_ADMIN';

/** Bit numbers from linux/capability.h. */
const CAP_BIT: Record<Capability, number> = { CAP_NET_ADMIN: 12, CAP_NET_RAW: 13 };

export class CapabilityError extends Error {
  override readonly name = 'CapabilityError';
  constructor(
    readonly capability: Capability,
    /** What was attempted, e.g. 'opening the raw GRE socket'. */
    readonly action: string,
    /** The errno name the kernel answered with (EPERM, EACCES). */
    readonly code: string,
  ) {
    super(`${action} needs ${capability} (run as root or grant it, e.g. setcap cap_net_raw,cap_net_admin+ep node) [${code}]`);
  }
}

/** Whether the capability is in this process's effective set (CapEff of /proc/self/status). */
export function hasCapability(cap: Capability, status?: string): boolean {
  const text = status ?? readFileSync('/proc/self/status', 'utf8');
  const m = /^CapEff:\s*([0-9a-fA-F]+)$/m.exec(text);
  if (!m) return false;
  return ((BigInt('0x' + m[1]) >> BigInt(CAP_BIT[cap])) & 1n) === 1n;
}

/** Throws CapabilityError when the capability is missing. */
export function requireCapability(cap: Capability, action: string): void {
  if (!hasCapability(cap)) throw new CapabilityError(cap, action, 'EPERM');
}

/** A syscall error turned into CapabilityError when it is a permission refusal; else as is. */
export function asCapabilityError(e: unknown, cap: Capability, action: string): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'EPERM' || code === 'EACCES' ? new CapabilityError(cap, action, code) : e;
}
