/**
 * Fuzz targets for MppeDecryptor (RFC 3078), stateless and stateful: a script of MPPE packets, the
 * seeds being a real encryptor's output with losses, reorderings, a reset and the count wrap. The
 * decryptor must answer every packet with plaintext or a typed error, in bounded time: a coherency
 * count far ahead costs key changes, never more than the 12-bit count space allows.
 */
import assert from 'node:assert/strict';
import { MppeDecryptor, MppeEncryptor } from '../../../src/ppp/mppe.js';
import type { FuzzTarget } from '../harness.js';
import { readScript, ScriptWriter } from '../script.js';

const KEY = new Uint8Array(16).map((_, i) => (i * 37 + 11) & 255);
const PLAIN = new Uint8Array([0x00, 0x21, 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 10, 1, 1, 5, 192, 168, 1, 1]);

function seeds(stateless: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const bits of [128, 40] as const) {
    const e = new MppeEncryptor(KEY, bits, stateless);
    const w = new ScriptWriter();
    const packets: Uint8Array[] = [];
    for (let i = 0; i < 300; i++) {
      if (i === 40) e.resetRequest();
      packets.push(e.encrypt(PLAIN).slice());
    }
    // In order, then with a loss, a swap and a duplicate; a jump past a flag packet (count 0xff).
    for (const i of [0, 1, 2, 4, 3, 3, 5, 39, 40, 41, 254, 255, 256, 299]) w.step(0, packets[i]!);
    out.push(new Uint8Array([bits === 40 ? 1 : 0, ...w.bytes()]));
  }
  // The count wraps at 4096.
  const e = new MppeEncryptor(KEY, 128, stateless);
  const w = new ScriptWriter();
  for (let i = 0; i < 4100; i++) {
    const p = e.encrypt(PLAIN).slice();
    if (i % 512 === 0 || i > 4090) w.step(0, p);
  }
  out.push(new Uint8Array([0, ...w.bytes()]));
  return out;
}

function target(stateless: boolean): FuzzTarget {
  return {
    name: stateless ? 'mppe-stateless' : 'mppe-stateful',
    seeds: () => seeds(stateless),
    dictionary: [new Uint8Array([0x90, 0x00]), new Uint8Array([0x10, 0xff]), new Uint8Array([0x9f, 0xff]), new Uint8Array([0x00, 0x21])],
    maxInputBytes: 8192,
    run(input) {
      const d = new MppeDecryptor(KEY, (input[0] ?? 0) & 1 ? 40 : 128, stateless);
      let opened = 0;
      const errors = new Set<string>();
      for (const { arg } of readScript(input.subarray(1), 1000)) {
        const r = d.decrypt(arg);
        if (r instanceof Uint8Array) {
          opened++;
          // Always a 2-octet PPP protocol MPPE may carry (RFC 3078 §3: 0x0021-0x00fa).
          assert.ok(r.length >= 2 && r[0] === 0 && r[1]! >= 0x21 && r[1]! <= 0xfa, 'plaintext starts with a protocol');
        } else errors.add(r.error + (r.resetRequest ? '+reset' : ''));
      }
      return `${opened > 5 ? 'many' : opened} ${[...errors].sort().join(',')}`;
    },
  };
}

export const mppeStateless = target(true);
export const mppeStateful = target(false);
