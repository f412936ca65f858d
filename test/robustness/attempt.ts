/** One login with `vpdn dial`, hung up as soon as it is up: the exit code tells how it went. */
import { dial } from '../helpers/vpdn.js';
import { CLIENT, SERVER, type Lab } from './topology.js';

/** 0 when the session came up, else dial's exit code (3 = Error 691). */
export async function attempt(l: Lab, opts: { user: string; password: string; auth?: string; source?: string; timeoutS?: number }): Promise<number> {
  const args = ['--user', opts.user, '--password', opts.password, '--auth', opts.auth ?? 'mschapv2', '--local', opts.source ?? CLIENT];
  const p = dial(l.client, SERVER, [...args, '--timeout', String(opts.timeoutS ?? 10)]);
  const first = await Promise.race([p.exited, p.waitFor(/connected/, (opts.timeoutS ?? 10) * 1000 + 2000).then(() => 'up' as const)]);
  if (first !== 'up') return first;
  p.kill();
  await p.exited;
  return 0;
}
