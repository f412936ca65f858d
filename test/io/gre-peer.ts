/**
 * Child process owning one GreSocket inside a network namespace, driven by JSON lines on stdin
 * (one reply line each on stdout). Used by the GRE tests and bench/io.ts.
 * argv[2]: JSON GreSocketOptions plus { store?: number } (packets kept for 'take').
 */
import { createInterface } from 'node:readline';
import { ipv4FromU32, ipv4ToU32, toHex, fromHex } from '../../src/wire/bytes.js';
import { GreSocket, type GreSocketOptions } from '../../src/io/gre-socket.js';

type Command =
  | { op: 'send'; dst: string; packets: string[]; batch: boolean }
  | { op: 'take' }
  | { op: 'reset' }
  | { op: 'pause' }
  | { op: 'resume' }
  | { op: 'stats' }
  | { op: 'waitFor'; count: number; timeoutMs: number }
  | { op: 'blast'; dst: string; size: number; seconds: number; batch: number }
  | { op: 'exit' };

const opts = JSON.parse(process.argv[2] ?? '{}') as GreSocketOptions & { store?: number };
const storeMax = opts.store ?? 2000;
const reply = (o: object): void => void process.stdout.write(JSON.stringify(o) + '\n');

let sock: GreSocket;
try {
  sock = GreSocket.open(opts);
} catch (e) {
  const err = e as Error & { capability?: string };
  reply({ error: err.message, name: err.name, capability: err.capability });
  process.exit(1);
}

let received = 0;
let stored: { source: string; hex: string }[] = [];
let waiter: (() => void) | undefined;

const onBatch = (b: import('../../src/io/gre-socket.js').PacketBatch): void => {
  received += b.count;
  for (let i = 0; i < b.count && stored.length < storeMax; i++) {
    const bytes = b.buffer.subarray(b.offsets[i], b.offsets[i] + b.lengths[i]);
    stored.push({ source: ipv4FromU32(b.sources[i]), hex: toHex(bytes) });
  }
  waiter?.();
};
sock.onBatch(onBatch);

function addr(s: string): number {
  const n = ipv4ToU32(s);
  if (n === undefined) throw new RangeError(`bad address ${s}`);
  return n;
}

/** A PPTP-style GRE packet (RFC 2637 section 4.1) of `size` bytes carrying a sequence number. */
function greData(size: number, seq: number): Uint8Array {
  const p = new Uint8Array(size);
  const v = new DataView(p.buffer);
  v.setUint16(0, 0x3001); // K and S bits, version 1
  v.setUint16(2, 0x880b); // PPP
  v.setUint16(4, size - 12); // payload length
  v.setUint16(6, 7); // call id
  v.setUint32(8, seq);
  return p;
}

function blast(dst: number, size: number, seconds: number, batch: number): object {
  const pkt = greData(size, 0);
  const dsts = new Uint32Array(batch).fill(dst);
  const pkts = new Array<Uint8Array>(batch).fill(pkt);
  const start = performance.now();
  const end = start + seconds * 1000;
  let attempted = 0;
  let sent = 0;
  while (performance.now() < end) {
    if (batch === 1) {
      for (let i = 0; i < 64; i++) if (sock.send(dst, pkt)) sent++;
      attempted += 64;
    } else {
      sent += sock.sendBatch(dsts, pkts, batch);
      attempted += batch;
    }
  }
  return { attempted, sent, seconds: (performance.now() - start) / 1000, stats: sock.stats };
}

async function handle(c: Command): Promise<object> {
  switch (c.op) {
    case 'send': {
      const pkts = c.packets.map(fromHex);
      if (c.batch) {
        const dsts = new Uint32Array(pkts.length).fill(addr(c.dst));
        return { sent: sock.sendBatch(dsts, pkts, pkts.length) };
      }
      let sent = 0;
      for (const p of pkts) if (sock.send(addr(c.dst), p)) sent++;
      return { sent };
    }
    case 'take': {
      const out = { received, packets: stored };
      stored = [];
      return out;
    }
    case 'reset':
      received = 0;
      stored = [];
      return { ok: true };
    case 'pause':
      sock.pause();
      return { ok: true };
    case 'resume':
      sock.onBatch(onBatch);
      return { ok: true };
    case 'stats':
      return { received, stats: sock.stats };
    case 'waitFor': {
      const deadline = Date.now() + c.timeoutMs;
      while (received < c.count && Date.now() < deadline) {
        await new Promise<void>((r) => {
          waiter = r;
          setTimeout(r, 20);
        });
      }
      waiter = undefined;
      return { received };
    }
    case 'blast':
      return blast(addr(c.dst), c.size, c.seconds, c.batch);
    case 'exit':
      sock.close();
      process.exit(0);
  }
}

reply({ ready: true, recvBufferBytes: sock.recvBufferBytes });
const lines = createInterface({ input: process.stdin });
// One command at a time, in order.
let chain = Promise.resolve();
lines.on('line', (line) => {
  chain = chain.then(async () => {
    try {
      reply(await handle(JSON.parse(line) as Command));
    } catch (e) {
      reply({ error: (e as Error).message });
    }
  });
});
lines.on('close', () => {
  sock.close();
  process.exit(0);
});
