/**
 * UDP blaster for the server-to-client direction: runs in the inside namespace and sends
 * datagrams to a client's pool address at a given rate (pps, 0 = as fast as it can) for a while, then prints one JSON line
 * {sent, failed, seconds}: sent counts the datagrams the kernel took. argv[2]: JSON {dst, port, ipBytes, seconds, pps}.
 */
import { createSocket } from 'node:dgram';

const o = JSON.parse(process.argv[2] ?? '{}') as { dst: string; port: number; ipBytes: number; seconds: number; pps: number };
const payload = Buffer.alloc(o.ipBytes - 28, 0x5a); // 20 IPv4 + 8 UDP header octets
const socket = createSocket('udp4');
socket.on('error', () => undefined); // ICMP errors from earlier sends: keep going
socket.connect(o.port, o.dst, () => {
  const t0 = performance.now();
  const end = t0 + o.seconds * 1000;
  let sent = 0;
  let failed = 0;
  let inFlight = 0;
  const done = (err: Error | null): void => {
    inFlight--;
    if (err) failed++;
    else sent++;
  };
  const burst = (): void => {
    // Token bucket for the rate; the queue of unsent datagrams bounded so memory stays flat.
    const due = o.pps > 0 ? Math.min(256, Math.floor(((performance.now() - t0) * o.pps) / 1000) - sent - failed - inFlight) : 64;
    for (let i = 0; i < due && inFlight < 4096; i++) {
      inFlight++;
      socket.send(payload, done);
    }
    if (performance.now() < end) setImmediate(burst);
    else {
      const seconds = (performance.now() - t0) / 1000;
      const finish = (): void => {
        if (inFlight > 0) return void setImmediate(finish);
        process.stdout.write(JSON.stringify({ sent, failed, seconds }) + '\n');
        socket.close();
      };
      finish();
    }
  };
  burst();
});
