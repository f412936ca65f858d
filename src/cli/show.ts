/** `vpdn show ...` — see src/server/commands.ts for the command set. */
import { runRemote } from './remote.js';

export function run(args: string[]): Promise<number> {
  return runRemote('show', args);
}
