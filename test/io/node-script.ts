/**
 * Arguments for `node` to run a sibling script of the calling module: the compiled .js under
 * dist, or the .ts source through tsx when the tests run from source.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function nodeScriptArgs(callerUrl: string, name: string): string[] {
  const caller = fileURLToPath(callerUrl);
  const ext = caller.endsWith('.ts') ? '.ts' : '.js';
  const script = join(dirname(caller), name + ext);
  return ext === '.ts' ? ['--import', 'tsx', script] : [script];
}
