/**
 * `vpdn console`: an interactive HOSTNAME# prompt on a running server, with the same commands as
 * `vpdn show|clear|debug`, `terminal monitor` to stream messages, history and `?` help.
 */
import { createInterface } from 'node:readline';
import { MgmtClient } from '../mgmt/client.js';
import { controlSocketPath } from '../mgmt/protocol.js';
import { splitOptions } from './remote.js';

export async function run(args: string[]): Promise<number> {
  const { control } = splitOptions(args);
  const client = await MgmtClient.connect(controlSocketPath(control));
  const hello = await client.command('show hostname');
  const hostname = hello.ok ? (hello.output ?? 'vpdn').trim() : 'vpdn';
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: `${hostname}# `, historySize: 200 });
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit' || line === 'logout') break;
    if (line === '') {
      rl.prompt();
      continue;
    }
    if (line === 'terminal monitor') {
      await client.monitor((l) => {
        process.stdout.write(`\r${l}\n`);
        rl.prompt(true);
      });
      rl.prompt();
      continue;
    }
    const reply = await client.command(line.endsWith('?') ? `help ${line.slice(0, -1).trim()}` : line);
    if (!reply.ok) process.stdout.write(`ERROR: ${reply.error}\n`);
    else if (reply.output) process.stdout.write(reply.output.endsWith('\n') ? reply.output : reply.output + '\n');
    rl.prompt();
  }
  rl.close();
  client.close();
  return 0;
}
