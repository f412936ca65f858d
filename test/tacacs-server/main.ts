/**
 * The test TACACS+ server as a process, for tests that run it in a network namespace:
 *   node dist/test/tacacs-server/main.js --port N --key K --users FILE
 *     [--host A] [--accounting-file F] [--single-connection] [--no-mschap] [--fail-delay MS]
 * FILE is a JSON array of { name, password, avpairs?, authorize? }. Prints "listening <port>"
 * once ready; SIGTERM or SIGINT stops it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startTacacsServer } from './server.js';
import type { TacacsUser } from './users.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '49' },
    key: { type: 'string' },
    users: { type: 'string' },
    'accounting-file': { type: 'string' },
    'single-connection': { type: 'boolean', default: false },
    'no-mschap': { type: 'boolean', default: false },
    'fail-delay': { type: 'string', default: '0' },
  },
});

if (values.key === undefined || values.users === undefined) {
  process.stderr.write('usage: main.js --port N --key K --users FILE [--host A] [--accounting-file F] [--single-connection] [--no-mschap] [--fail-delay MS]\n');
  process.exit(2);
}

const users = JSON.parse(readFileSync(values.users, 'utf8')) as TacacsUser[];
const server = await startTacacsServer({
  host: values.host,
  port: Number(values.port),
  key: values.key,
  users,
  msChap: !values['no-mschap'],
  singleConnection: values['single-connection'],
  failDelayMs: Number(values['fail-delay']),
  accountingFile: values['accounting-file'],
});
process.stdout.write(`listening ${server.port}\n`);

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
