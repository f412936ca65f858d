/**
 * The other helpers' benchmarks, run in this process and put in the same table: MPPE and
 * MS-CHAP v2 CPU cost (bench/mppe.ts), PPP engine handshakes (bench/ppp.ts), RADIUS logins
 * against FreeRADIUS next to radclient (bench/radius.ts), batched vs unbatched GRE (bench/io.ts).
 * One that is missing or fails is reported as a failure and the others still run.
 */
import type { BenchContext } from './context.js';
import type { Figure } from './report.js';

interface PlainFigure {
  name: string;
  value: number;
  unit: string;
  reference?: { name: string; value: number; unit: string };
}

function adopt(section: string, figures: PlainFigure[]): Figure[] {
  return figures.map((f) => ({ section, name: f.name, value: f.value, unit: f.unit, reference: f.reference }));
}

async function gre(seconds: number): Promise<Figure[]> {
  const { benchGre } = await import('./io.js');
  const r = await benchGre({ seconds });
  const section = 'io GRE (bench/io.ts)';
  const out: Figure[] = [
    {
      section,
      name: `GreSocket ${r.batched.packetBytes} B, batched (sendmmsg/recvmmsg, ${r.batched.batchSize}): received`,
      value: r.batched.receivedPps,
      unit: 'packets/s',
      reference: { name: 'unbatched, one packet per syscall', value: r.unbatched.receivedPps, unit: 'packets/s' },
      note: `${r.batched.receivedMbps} vs ${r.unbatched.receivedMbps} Mbit/s; ${(r.batched.sent / Math.max(1, r.batched.sendSyscalls)).toFixed(1)} packets per send syscall`,
    },
  ];
  if (r.iperf3) {
    out.push({
      section,
      name: 'GreSocket batched, received',
      value: r.batched.receivedPps,
      unit: 'packets/s',
      reference: { name: `iperf3 UDP, same veth (${r.iperf3.lostPercent}% lost)`, value: r.iperf3.receivedPps, unit: 'packets/s' },
    });
  }
  return out;
}

export async function othersScenario(ctx: BenchContext): Promise<string[]> {
  const failures: string[] = [];
  const seconds = ctx.sizes.otherSeconds;
  const parts: [string, () => Promise<Figure[]>][] = [
    ['bench/mppe.ts benchMppe', async () => adopt('crypto (bench/mppe.ts)', await (await import('./mppe.js')).benchMppe({ seconds: seconds * 2 }))],
    ['bench/ppp.ts benchHandshakes', async () => adopt('PPP engine (bench/ppp.ts)', await (await import('./ppp.js')).benchHandshakes({ seconds: seconds * 2 }))],
    ['bench/radius.ts benchRadius', async () => adopt('RADIUS (bench/radius.ts)', await (await import('./radius.js')).benchRadius({ requests: ctx.sizes.radiusRequests }))],
    ['bench/io.ts benchGre', () => gre(seconds)],
  ];
  for (const [name, run] of parts) {
    ctx.log(`${name}`);
    try {
      for (const f of await run()) ctx.add(f);
    } catch (e) {
      const msg = `${name}: ${(e as Error).message.split('\n')[0]}`;
      ctx.log(`  failed: ${msg}`);
      failures.push(msg);
    }
  }
  return failures;
}
