/**
 * File descriptors: the process's RLIMIT_NOFILE and how many are open, from Linux /proc. A server
 * at the limit cannot even refuse politely (libuv closes what it cannot accept, silently), so vpdn
 * refuses new control connections while a reserve is still free, and says so.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors kept free for AAA sockets, management connections and logging. */
export const FD_RESERVE = 16;

/** The soft "Max open files" limit, or undefined where /proc does not say. */
export function nofileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Descriptors open now (O(n): call it at start, not per connection), or undefined without /proc. */
export function openFds(): number | undefined {
  try {
    // The directory read itself holds one.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}
