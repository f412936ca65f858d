/**
 * A real FreeRADIUS (test/helpers/freeradius.ts, on 127.0.0.1 of the test's namespace) reached by
 * the server through a RadiusRelay on the lab link, and the configuration lines that use it for
 * authentication and accounting (tag RADIUS, as in the seed).
 */
import { FreeRadius } from '../helpers/freeradius.js';
import { RadiusRelay } from './radius-relay.js';
import type { Lab } from './topology.js';

export interface RadiusLab {
  radius: FreeRadius;
  relay: RadiusRelay;
  /** aaa-server host line plus group authentication and accounting. */
  config: string[];
  stop(): Promise<void>;
}

export async function radiusLab(l: Lab, hostOptions = 'timeout 2 retries 1'): Promise<RadiusLab> {
  const radius = await FreeRadius.start();
  let relay: RadiusRelay;
  try {
    relay = await RadiusRelay.start(l.labHost, { auth: 1812, acct: 1813 }, { address: '127.0.0.1', authPort: radius.ports.authStrict, acctPort: radius.ports.acctStrict });
  } catch (e) {
    await radius.stop();
    throw e;
  }
  return {
    radius,
    relay,
    config: [
      `aaa-server RADIUS (inside) host ${l.labHost} ${radius.secret} ${hostOptions}`,
      'vpdn group 1 client authentication aaa RADIUS',
      'vpdn group 1 client accounting RADIUS',
    ],
    async stop() {
      await relay.close();
      await radius.stop();
    },
  };
}
