/** Test configurations built from the seed's first configuration (local users). */
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/paths.js';

export const SERVER = '172.18.124.152';
export const INSIDE_HOST = '10.1.1.5';

/**
 * The seed configuration with its `ppp authentication` lines replaced by `auth` (when given) and
 * extra lines appended; console logging on so tests can read the messages.
 */
export function seedConfig(opts: { auth?: string[]; extra?: string[] } = {}): string {
  let text = readFileSync(fixture('config', 'seed1-unfolded.cfg'), 'utf8');
  if (opts.auth) {
    text = text.replace(/^vpdn group 1 ppp authentication .*\n/gm, '');
    text = text.replace('vpdn group 1 accept dialin pptp', ['vpdn group 1 accept dialin pptp', ...opts.auth.map((a) => `vpdn group 1 ppp authentication ${a}`)].join('\n'));
  }
  return text.replace('vpdn enable outside', ['vpdn enable outside', 'logging console debugging', ...(opts.extra ?? [])].join('\n'));
}
