/**
 * `vpdn serve [--config FILE] [--listen ADDR]... [--port N] [--control PATH]`
 * Refuses to start on any configuration error (printed as FILE:LINE: message). SIGTERM/SIGINT
 * tear every session down cleanly and exit 0; a second signal exits at once.
 */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/index.js';
import { CapabilityError, requireCapability } from '../io/capabilities.js';
import { controlSocketPath } from '../mgmt/protocol.js';
import { VpdnServer } from '../server/server.js';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c', default: 'config/default.cfg' },
      listen: { type: 'string', multiple: true },
      port: { type: 'string' },
      control: { type: 'string' },
    },
    strict: true,
  });
  const file = values.config!;
  let parsed;
  try {
    parsed = await loadConfigFile(file);
  } catch (e) {
    console.error(`vpdn: cannot read ${file}: ${(e as Error).message}`);
    return 1;
  }
  if (parsed.errors.length > 0) {
    for (const e of parsed.errors) console.error(`${file}:${e.line}: ${e.message}`);
    console.error(`vpdn: ${parsed.errors.length} configuration error(s); not starting`);
    return 1;
  }
  try {
    requireCapability('CAP_NET_RAW', 'opening the raw GRE socket');
    requireCapability('CAP_NET_ADMIN', 'creating the TUN device');
  } catch (e) {
    console.error(`vpdn: ${(e as Error).message}`);
    return 1;
  }
  const server = new VpdnServer({
    config: parsed.config,
    listen: values.listen,
    port: values.port ? Number(values.port) : undefined,
    controlPath: controlSocketPath(values.control),
  });
  try {
    await server.start();
  } catch (e) {
    console.error(`vpdn: ${e instanceof CapabilityError ? e.message : `cannot start: ${(e as Error).message}`}`);
    await server.stop().catch(() => undefined);
    return 1;
  }
  // Always said on stdout, whatever the logging configuration: supervisors and tests wait for it.
  console.log(`vpdn: ${server.startupLine}`);
  if (parsed.ignored.length > 0) {
    server.messages.info(`${parsed.ignored.length} configuration command(s) ignored: ${[...new Set(parsed.ignored.map((i) => i.command))].join(', ')}`);
  }
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (sig: string) => {
      signals++;
      if (signals > 1) process.exit(1);
      server.messages.info(`${sig} received: tearing down every session`);
      server.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
}
