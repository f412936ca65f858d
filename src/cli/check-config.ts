/**
 * `vpdn check-config [--print] FILE`: exit 0 with a summary (or, with --print, the canonical
 * configuration) for a good file; exit 1 with `FILE:LINE: message` lines for a bad one.
 */
import { formatConfig } from '../config/format.js';
import { loadConfigFile } from '../config/parse.js';
import { summarizeConfig, summarizeIgnored } from '../config/summary.js';
import type { ParseResult } from '../config/model.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = 'usage: vpdn check-config [--print] FILE';

const processOutput: Output = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** The command; `io` defaults to stdout/stderr (tests pass their own). */
export async function run(args: string[], io: Output = processOutput): Promise<number> {
  const print = args.includes('--print');
  const files = args.filter((a) => a !== '--print');
  if (files.length !== 1 || files[0].startsWith('-')) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  const file = files[0];
  let result: ParseResult;
  try {
    result = await loadConfigFile(file);
  } catch (e) {
    io.err(`vpdn check-config: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (result.errors.length > 0) {
    io.err(result.errors.map((e) => `${file}:${e.line}: ${e.message}\n`).join(''));
    io.err(`${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; vpdn will not start with this configuration\n`);
    return 1;
  }
  if (print) io.out(formatConfig(result.config));
  else io.out(`${file}: OK\n${summarizeConfig(result.config)}${summarizeIgnored(result.ignored)}\n`);
  return 0;
}
