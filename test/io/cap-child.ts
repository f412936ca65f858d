/**
 * Started by capabilities.test.ts without CAP_NET_RAW and CAP_NET_ADMIN; prints one JSON line
 * with how each privileged step failed.
 */
import { GreSocket } from '../../src/io/gre-socket.js';
import { TunDevice } from '../../src/io/tun.js';
import { linkUp } from '../../src/io/netlink-cmd.js';
import { hasCapability } from '../../src/io/capabilities.js';

function outcome(e: unknown): object {
  const err = e as Error & { capability?: string; code?: string };
  return { name: err.name, capability: err.capability, code: err.code, message: err.message };
}

async function attempt(f: () => unknown): Promise<object> {
  try {
    const r = await f();
    (r as { close?: () => void } | undefined)?.close?.();
    return { opened: true };
  } catch (e) {
    return outcome(e);
  }
}

const result = {
  netRaw: hasCapability('CAP_NET_RAW'),
  netAdmin: hasCapability('CAP_NET_ADMIN'),
  gre: await attempt(() => GreSocket.open()),
  tun: await attempt(() => TunDevice.open({ name: 'vpdncap0' })),
  ip: await attempt(() => linkUp('lo', 1500)),
};
process.stdout.write(JSON.stringify(result) + '\n');
