/**
 * TCP transfers between namespaces with content checks: a small Node script runs in each
 * namespace (a process lives in one namespace), one listening, one connecting.
 */
import type { Netns } from './netns.js';
import { Proc } from './vpdn.js';

const SERVER_JS = `
const net = require('node:net'); const crypto = require('node:crypto');
const [port, size] = process.argv.slice(1).map(Number);
const srv = net.createServer((s) => {
  const h = crypto.createHash('sha256'); let n = 0;
  s.on('data', (d) => { h.update(d); n += d.length;
    if (n === size) { const digest = h.digest('hex');
      // Answer with size pseudo-random bytes derived from the digest, then our hash of them.
      const out = crypto.createHash('sha256'); let left = size; let seed = Buffer.from(digest, 'hex');
      const chunk = () => { while (left > 0) { const b = Buffer.alloc(Math.min(65536, left)); for (let i = 0; i < b.length; i += 32) { seed = crypto.createHash('sha256').update(seed).digest(); seed.copy(b, i); }
          out.update(b); left -= b.length; if (!s.write(b)) { s.once('drain', chunk); return; } }
        s.end(); console.log('RECV ' + digest + ' SENT ' + out.digest('hex')); };
      chunk(); } });
});
srv.listen(port, () => console.log('READY'));
`;

const CLIENT_JS = `
const net = require('node:net'); const crypto = require('node:crypto');
const [host, port, size] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const s = net.connect(port, host); const sent = crypto.createHash('sha256'); const got = crypto.createHash('sha256'); let n = 0;
let left = size; const chunk = () => { while (left > 0) { const b = crypto.randomBytes(Math.min(65536, left)); sent.update(b); left -= b.length; if (!s.write(b)) { s.once('drain', chunk); return; } } };
s.on('connect', chunk); s.on('data', (d) => { got.update(d); n += d.length; });
s.on('end', () => { console.log('SENT ' + sent.digest('hex') + ' RECV ' + got.digest('hex') + ' BYTES ' + n); });
s.on('error', (e) => { console.log('ERROR ' + e.message); process.exit(1); });
`;

export interface ExchangeResult {
  sentOk: boolean;
  receivedOk: boolean;
  seconds: number;
}

export async function tcpExchange(client: Netns, server: Netns, serverAddress: string, size: number, port = 5001): Promise<ExchangeResult> {
  const srv = new Proc(server.spawn(process.execPath, ['-e', SERVER_JS, String(port), String(size)]));
  try {
    await srv.waitFor(/READY/, 10_000);
    const t0 = Date.now();
    const cli = new Proc(client.spawn(process.execPath, ['-e', CLIENT_JS, serverAddress, String(port), String(size)]));
    const c = await cli.waitFor(/SENT (\w+) RECV (\w+) BYTES (\d+)|ERROR .*/, 120_000);
    const s = await srv.waitFor(/RECV (\w+) SENT (\w+)/, 10_000);
    return { sentOk: c[1] === s[1], receivedOk: c[2] === s[2] && Number(c[3]) === size, seconds: (Date.now() - t0) / 1000 };
  } finally {
    srv.kill('SIGKILL');
  }
}
