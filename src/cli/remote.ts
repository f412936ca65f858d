/** `vpdn show|clear|debug ...`: sends the PIX command line to a running server's control socket. */
import { MgmtClient } from '../mgmt/client.js';
import { controlSocketPath } from '../mgmt/protocol.js';

export function splitOptions(args: string[]): { words: string[]; control?: string; json: boolean } {
  const words: string[] = [];
  let control: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--control') control = args[++i];
    else if (a.startsWith('--control=')) control = a.slice('--control='.length);
    else if (a === '--json') json = true;
    else words.push(a);
  }
  return { words, control, json };
}

export async function runRemote(verb: string, args: string[]): Promise<number> {
  const { words, control, json } = splitOptions(args);
  const client = await MgmtClient.connect(controlSocketPath(control));
  try {
    const reply = await client.command([verb, ...words].join(' '), json);
    if (!reply.ok) {
      console.error(`vpdn: ${reply.error}`);
      return 1;
    }
    if (json) console.log(JSON.stringify(reply.data ?? null, null, 2));
    else if (reply.output) process.stdout.write(reply.output.endsWith('\n') ? reply.output : reply.output + '\n');
    return 0;
  } finally {
    client.close();
  }
}
