/** `vpdn debug ...` — see src/server/commands.ts for the command set. */
import { runRemote } from './remote.js';

export function run(args: string[], verb = 'debug'): Promise<number> {
  // `vpdn no debug ppp io` and `vpdn undebug all` arrive here with their own verb.
  return runRemote(verb, args);
}
