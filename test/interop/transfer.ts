/**
 * Bulk TCP transfers with a content check between a host namespace (Node) and a guest (busybox
 * nc + sha256sum; the guest has no Node): byte count and SHA-256 are taken on both ends. Busybox
 * nc ends the connection when its own stdin ends, so the guest side runs `nc -l -e` with a
 * program that owns the socket (cat into or out of a file).
 */
import type { Netns } from '../helpers/netns.js';
import { Proc } from '../helpers/vpdn.js';
import type { Guest } from './harness.js';

// Sends `size` pseudo-random bytes to HOST:PORT, then prints their SHA-256.
const SEND_JS = `
const net = require('node:net'); const crypto = require('node:crypto');
const [host, port, size] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const h = crypto.createHash('sha256'); let left = size; const t0 = Date.now();
// Hashes only what the socket took; the receiver's count shows whether all of it arrived.
const s = net.connect(port, host);
const more = () => { while (left > 0) { const b = crypto.randomBytes(Math.min(65536, left)); h.update(b); left -= b.length;
  if (!s.write(b)) { s.once('drain', more); return; } } s.end(); };
s.on('connect', more);
s.on('close', () => console.log('SENT ' + h.digest('hex') + ' MS ' + (Date.now() - t0)));
s.on('error', (e) => { console.log('ERROR ' + e.message); process.exit(1); });
`;

// Reads `size` bytes from HOST:PORT, then prints their SHA-256.
const RECEIVE_JS = `
const net = require('node:net'); const crypto = require('node:crypto');
const [host, port, size] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const h = crypto.createHash('sha256'); let n = 0; const t0 = Date.now();
const s = net.connect(port, host);
const done = () => { console.log('RECV ' + h.digest('hex') + ' BYTES ' + n + ' MS ' + (Date.now() - t0)); s.destroy(); };
s.on('data', (d) => { const part = d.subarray(0, size - n); h.update(part); n += part.length; if (n === size) done(); });
s.on('end', () => { if (n < size) done(); });
s.on('error', (e) => { console.log('ERROR ' + e.message); process.exit(1); });
`;

export interface TransferResult {
  /** Both ends hashed the same bytes, and all of them arrived. */
  intact: boolean;
  seconds: number;
  detail: string;
}

async function guestJobOutput(guest: Guest, id: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = guest.job(id);
    if (!st.running) return st.stdout + st.stderr;
    if (Date.now() > deadline) {
      await guest.stop(id, 'KILL');
      throw new Error(`guest ${guest.name}: transfer job ${id} did not end`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Host namespace → guest: the guest listens on `guestAddress:port` and stores what arrives. */
export async function hostToGuest(ns: Netns, guest: Guest, guestAddress: string, port: number, size: number, timeoutMs = 120_000): Promise<TransferResult> {
  const file = `/tmp/xfer-in-${port}`;
  const { id } = await guest.start(`rm -f ${file}; nc -l -p ${port} -e dash -c 'cat > ${file}'; wc -c < ${file}; sha256sum ${file}; rm -f ${file}`);
  await guest.waitListening(port);
  const t0 = Date.now();
  const sender = new Proc(ns.spawn(process.execPath, ['-e', SEND_JS, guestAddress, String(port), String(size)]));
  try {
    const sent = await sender.waitFor(/SENT (\w+)|ERROR .*/, timeoutMs);
    const got = await guestJobOutput(guest, id, 30_000);
    const seconds = (Date.now() - t0) / 1000;
    const m = /^(\d+)\s+([0-9a-f]{64})/.exec(got);
    const intact = m !== null && Number(m[1]) === size && sent[1] === m[2];
    return { intact, seconds, detail: `host ${sent[0]}; guest ${got.trim().replace(/\s+/g, ' ')}` };
  } finally {
    sender.kill('SIGKILL');
  }
}

/** Guest → host namespace: the guest serves a file of random bytes; the host reads and hashes it. */
export async function guestToHost(ns: Netns, guest: Guest, guestAddress: string, port: number, size: number, timeoutMs = 120_000): Promise<TransferResult> {
  const file = `/tmp/xfer-${port}`;
  const made = await guest.check(`head -c ${size} /dev/urandom > ${file} && sha256sum ${file}`, { timeoutMs: 30_000 });
  const digest = /^([0-9a-f]{64})/.exec(made)?.[1];
  const { id } = await guest.start(`nc -l -p ${port} -e cat ${file}; rm -f ${file}`);
  await guest.waitListening(port);
  const t0 = Date.now();
  const receiver = new Proc(ns.spawn(process.execPath, ['-e', RECEIVE_JS, guestAddress, String(port), String(size)]));
  try {
    const got = await receiver.waitFor(/RECV (\w+) BYTES (\d+)|ERROR .*/, timeoutMs);
    const seconds = (Date.now() - t0) / 1000;
    await guestJobOutput(guest, id, 30_000);
    return { intact: digest !== undefined && got[1] === digest && Number(got[2]) === size, seconds, detail: `guest ${digest}; host ${got[0]}` };
  } finally {
    receiver.kill('SIGKILL');
  }
}
