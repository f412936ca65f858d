/**
 * CPU cost of the data path's crypto: MPPE-128 stateless encrypt+decrypt of 1400-byte packets next
 * to plain RC4 over the same bytes in the same run, the RFC 3078 §7.3 key change alone (stateless
 * MPPE does one per packet per direction), and MS-CHAP v2 checks as the server does them.
 * Pure CPU: no I/O, prints nothing. Rates are per second of CPU time on one core.
 */
import { randomBytes } from 'node:crypto';
import { Rc4 } from '../src/ppp/crypto/rc4.js';
import { MppeDecryptor, MppeEncryptor } from '../src/ppp/mppe.js';
import { KeyChanger, mschapV2MasterKeys } from '../src/ppp/mppe-keys.js';
import {
  challengeHash,
  challengeResponse,
  generateAuthenticatorResponse,
  generateNtResponse,
  hashNtPasswordHash,
  ntPasswordHash,
  timingSafeEqualBytes,
} from '../src/ppp/mschap.js';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  reference?: { name: string; value: number; unit: string };
}

const PACKET = 1400;

/** Milliseconds of CPU time this process has used (all threads). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Calls `step` in batches for `ms` of CPU time after a warm-up of a fifth of that; returns calls
 * per CPU-second. CPU time, not wall time, so that other load on the machine does not count;
 * a busy machine still stops it after three times `ms` of wall time.
 */
function rate(ms: number, batch: number, step: () => void): number {
  const warm = cpuMs();
  while (cpuMs() - warm < ms / 5) for (let i = 0; i < batch; i++) step();
  const start = cpuMs();
  const wallEnd = performance.now() + 3 * ms;
  let n = 0;
  let elapsed = 0;
  do {
    for (let i = 0; i < batch; i++) step();
    n += batch;
    elapsed = cpuMs() - start;
  } while (elapsed < ms && performance.now() < wallEnd);
  return (n * 1000) / elapsed;
}

export async function benchMppe(opts: { seconds: number }): Promise<BenchFigure[]> {
  const slice = Math.max(60, (opts.seconds * 1000) / 6.6); // CPU ms per measurement (+1/5 warm-up)
  const master = new Uint8Array(randomBytes(16));
  const payload = new Uint8Array(PACKET);
  payload[1] = 0x21;
  payload.set(randomBytes(PACKET - 2), 2);

  // Plain RC4 over the same bytes: once to encrypt, once to decrypt.
  const rc4 = new Rc4(master);
  const buf = Uint8Array.from(payload);
  const rc4Rate = (ms: number): number =>
    rate(ms, 200, () => {
      rc4.process(buf);
      rc4.process(buf);
    });

  const mppeRate = (ms: number, stateless: boolean): number => {
    const e = new MppeEncryptor(master, 128, stateless);
    const d = new MppeDecryptor(master, 128, stateless);
    let failures = 0;
    const r = rate(ms, 200, () => {
      if (!(d.decrypt(e.encrypt(payload)) instanceof Uint8Array)) failures++;
    });
    if (failures) throw new Error(`MPPE benchmark: ${failures} packets failed to decrypt`);
    return r;
  };

  // Interleave RC4 and MPPE so that both see the same machine and JIT state; report medians
  // (V8's first, on-stack-replaced run of a loop is often much faster than its steady state).
  const rc4Runs: number[] = [];
  const statelessRuns: number[] = [];
  for (let round = 0; round < 3; round++) {
    rc4Runs.push(rc4Rate(slice / 3));
    statelessRuns.push(mppeRate(slice / 3, true));
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1];
  const rc4Pps = median(rc4Runs);
  const statelessPps = median(statelessRuns);
  const stateful = mppeRate(slice, false);

  const changer = new KeyChanger(master, 128);
  const sessionKey = master.slice();
  const keyRc4 = new Rc4(master);
  const keyChanges = rate(slice, 500, () => changer.change(sessionKey, keyRc4));

  // MS-CHAP v2 as the server checks it: NT response, S=, MPPE master keys (password hash cached).
  const passwordHash = ntPasswordHash('correct horse battery staple');
  const authChallenge = new Uint8Array(randomBytes(16));
  const peerChallenge = new Uint8Array(randomBytes(16));
  const ntResponse = generateNtResponse(authChallenge, peerChallenge, 'DOMAIN\\user', 'correct horse battery staple');
  const verifies = rate(slice, 50, () => {
    const expected = challengeResponse(challengeHash(peerChallenge, authChallenge, 'DOMAIN\\user'), passwordHash);
    if (!timingSafeEqualBytes(expected, ntResponse)) throw new Error('MS-CHAP v2 benchmark: response mismatch');
    generateAuthenticatorResponse(passwordHash, ntResponse, peerChallenge, authChallenge, 'DOMAIN\\user');
    mschapV2MasterKeys(hashNtPasswordHash(passwordHash), ntResponse, 'server');
  });

  const rc4Ref = { name: 'RC4 alone over the same bytes (2 x 1400 B)', value: Math.round(rc4Pps), unit: 'packets/s' };
  const mb = (pps: number): number => Math.round((pps * PACKET) / 1e5) / 10;
  return [
    { name: 'MPPE-128 stateless encrypt+decrypt, 1400 B', value: Math.round(statelessPps), unit: 'packets/s', reference: rc4Ref },
    {
      name: 'MPPE-128 stateless encrypt+decrypt, 1400 B',
      value: mb(statelessPps),
      unit: 'MB/s',
      reference: { name: 'RC4 alone, same bytes', value: mb(rc4Pps), unit: 'MB/s' },
    },
    { name: 'MPPE-128 stateless as share of RC4', value: Math.round((statelessPps / rc4Pps) * 1000) / 10, unit: '%' },
    { name: 'MPPE-128 stateful encrypt+decrypt, 1400 B', value: Math.round(stateful), unit: 'packets/s', reference: rc4Ref },
    { name: 'MPPE key change (RFC 3078 §7.3: SHA-1 + 2 RC4 key schedules)', value: Math.round(keyChanges), unit: 'changes/s' },
    { name: 'MS-CHAP v2 server verify (NT response + S= + master keys)', value: Math.round(verifies), unit: 'verifies/s' },
  ];
}
