/**
 * vpdn command line: `vpdn <command> [args]`. Each command lives in its own module exporting
 * `run(args: string[]): Promise<number>` (the exit code).
 */
const commands: Record<string, { module: string; summary: string }> = {
  serve: { module: './serve.js', summary: 'run the concentrator: vpdn serve --config FILE' },
  dial: { module: './dial.js', summary: 'PPTP client: vpdn dial SERVER --user U --password P' },
  'check-config': { module: './check-config.js', summary: 'check a PIX configuration file' },
  show: { module: './show.js', summary: 'show vpdn | show vpdn tunnel | show vpdn session | show ip local pool | show uauth' },
  clear: { module: './clear.js', summary: 'clear vpdn tunnel all | clear vpdn tunnel id N' },
  debug: { module: './debug.js', summary: 'debug ppp io|error|uauth, debug vpdn error|packets|events' },
  no: { module: './debug.js', summary: 'no debug ...: stop a trace' },
  undebug: { module: './debug.js', summary: 'undebug all' },
  console: { module: './console.js', summary: 'interactive PIX-style prompt on a running server' },
  bench: { module: './bench.js', summary: 'run the benchmarks' },
};

function usage(): string {
  const lines = ['usage: vpdn <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(13)} ${c.summary}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const cmd = commands[name];
  if (!cmd) {
    console.error(`vpdn: unknown command '${name}'\n\n${usage()}`);
    return 1;
  }
  const mod = (await import(cmd.module)) as { run(args: string[], verb?: string): Promise<number> };
  return mod.run(rest, name);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('vpdn:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
