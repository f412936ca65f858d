/** The host programs the guest harness runs, checked up front so a missing one fails loudly. */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export interface HostTool {
  command: string;
  /** The Debian package that provides it. */
  debianPackage: string;
}

export const BUILD_TOOLS: HostTool[] = [
  { command: 'apt-get', debianPackage: 'apt' },
  { command: 'apt-cache', debianPackage: 'apt' },
  { command: 'dpkg-deb', debianPackage: 'dpkg' },
  { command: 'xz', debianPackage: 'xz-utils' },
  { command: 'depmod', debianPackage: 'kmod' },
];

export const RUN_TOOLS: HostTool[] = [
  { command: 'qemu-system-x86_64', debianPackage: 'qemu-system-x86' },
  { command: 'ip', debianPackage: 'iproute2' },
  { command: 'setpriv', debianPackage: 'util-linux' },
];

export function findExecutable(command: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/local/sbin', '/usr/sbin', '/sbin']);
  for (const d of dirs.filter(Boolean)) {
    const p = join(d, command);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Throws naming every missing tool and the package to install. */
export function requireHostTools(tools: HostTool[]): void {
  const missing = tools.filter((t) => findExecutable(t.command) === undefined);
  if (missing.length > 0) {
    const list = missing.map((t) => `${t.command} (apt-get install ${t.debianPackage})`).join(', ');
    throw new Error(`vpdn guest harness: missing host tools: ${list}`);
  }
}
