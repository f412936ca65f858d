/**
 * Issue 8 part 5: connect/hang-up cycles in batches against one server; its RSS, V8 heap and
 * descriptor count after the run against before it (after one warm-up batch), the pool fully
 * returned and no call left behind.
 */
import { BenchContext, sleep } from './context.js';
import { summariseProfileDir } from './cpu-profile.js';
import { Loadgen } from './loadgen-control.js';
import { BenchServer } from './server-proc.js';
import { MIB, round } from './stats.js';
import { benchConfig, benchTopology, CLIENT, SERVER, USER } from './topology.js';

const SECTION = '5 churn';

/**
 * What the server looks like at rest: after the delayed socket destroys (2 s) have run and a full
 * garbage collection, so that garbage not yet collected does not pass for a leak.
 */
async function rest(server: BenchServer): Promise<{ rss: number; heap: number; heapTotal: number; external: number; fds: number; active: number; poolInUse: number }> {
  await sleep(3000);
  // Twice: the second also finds what the first only finalised, and V8 unmaps freed pages meanwhile.
  await server.collectGarbage();
  await server.collectGarbage();
  const s = server.sample();
  const c = await server.counters();
  const pool = (await server.pools())[0]!;
  return { rss: s.rssBytes, heap: c.heapUsedBytes, heapTotal: c.heapTotalBytes, external: c.externalBytes, fds: s.fds, active: c.tunnelsCreated - c.tunnelsDeleted, poolInUse: pool.inUse };
}

export async function churnScenario(ctx: BenchContext): Promise<void> {
  const { churnTotal, churnBatch, churnWarmup, concurrency } = ctx.sizes;
  ctx.log(`churn: ${churnTotal} connect/hang-up cycles in batches of ${churnBatch}`);
  const topo = benchTopology();
  const destroyTopo = ctx.defer(() => topo.destroy());
  const profileDir = ctx.profileDirFor('churn');
  const server = await BenchServer.start(topo.server, benchConfig(churnBatch + 1000), { cpus: '0', cpuProfDir: profileDir });
  const stopServer = ctx.defer(async () => void (await server.stop()));
  const lg = await Loadgen.start(topo.client, { server: SERVER, local: CLIENT, ...USER }, '1');
  const stopLg = ctx.defer(() => lg.stop());

  // Warm-up, so that V8's heap and the allocator's arenas reach their working size.
  for (let i = 0; i < churnWarmup / churnBatch; i++) {
    await lg.dial(churnBatch, concurrency);
    await lg.hangup();
  }
  const before = await rest(server);
  let mid: Awaited<ReturnType<typeof rest>> | undefined;

  let t0 = performance.now();
  let done = 0;
  let failed = 0;
  const errors: Record<string, number> = {};
  let peakRss = 0;
  while (done < churnTotal) {
    const n = Math.min(churnBatch, churnTotal - done);
    const r = await lg.dial(n, concurrency);
    peakRss = Math.max(peakRss, server.sample().rssBytes);
    failed += r.failed;
    for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
    await lg.hangup();
    done += n;
    if ((done / churnBatch) % 10 === 0) ctx.log(`  churn: ${done} cycles`);
    if (mid === undefined && done >= churnTotal / 2) {
      const restStart = performance.now();
      mid = await rest(server);
      t0 += performance.now() - restStart;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = await rest(server);
  const lgProcess = await lg.request<{ greDropped: number }>({ op: 'process' });

  const pct = (a: number, b: number): number => round(((b - a) / a) * 100, 1);
  const firstError = Object.entries(errors).sort((a, b) => b[1] - a[1])[0];
  ctx.add({
    section: SECTION,
    name: `${done.toLocaleString('en-US')} connect/hang-up cycles in batches of ${churnBatch}`,
    value: round(done / seconds),
    unit: 'cycles/s',
    note: `${round(seconds)} s, ${failed} failed${firstError ? ` (most: ${firstError[1]}× ${firstError[0]})` : ''}; load generator dropped ${lgProcess.greDropped} stray GRE packets`,
  });
  ctx.add({
    section: SECTION,
    name: 'server RSS after the run, change from before',
    value: pct(before.rss, after.rss),
    unit: '%',
    reference: { name: `RSS before (after ${churnWarmup.toLocaleString('en-US')} warm-up cycles)`, value: round(before.rss / MIB, 1), unit: 'MiB' },
    aim: 'no growth beyond a few % (≤ +5%)',
    met: pct(before.rss, after.rss) <= 5,
    note:
      `readings at rest after a full GC: ${round(before.rss / MIB, 1)} → ${round(mid!.rss / MIB, 1)} (half-way) → ${round(after.rss / MIB, 1)} MiB; ` +
      `V8 heap in use ${round(before.heap / MIB, 1)} → ${round(mid!.heap / MIB, 1)} → ${round(after.heap / MIB, 1)} MiB (reserved ${round(before.heapTotal / MIB, 1)} → ${round(mid!.heapTotal / MIB, 1)} → ${round(after.heapTotal / MIB, 1)}); ` +
      `outside V8's heap (malloc: sockets, libuv, OpenSSL) ${round((before.rss - before.heapTotal) / MIB, 1)} → ${round((mid!.rss - mid!.heapTotal) / MIB, 1)} → ${round((after.rss - after.heapTotal) / MIB, 1)} MiB; ` +
      `ArrayBuffers and other external memory ${round(before.external / MIB, 1)} → ${round(after.external / MIB, 1)} MiB; peak with a batch up ${round(peakRss / MIB, 1)} MiB`,
  });
  ctx.add({
    section: SECTION,
    name: 'server open descriptors after the run',
    value: after.fds,
    unit: 'fds',
    reference: { name: 'before', value: before.fds, unit: 'fds' },
    note: `half-way: ${mid!.fds}`,
    aim: 'same as before',
    met: after.fds <= before.fds,
  });
  ctx.add({
    section: SECTION,
    name: 'pool addresses in use / active calls after the run',
    value: `${after.poolInUse} / ${after.active}`,
    unit: '',
    aim: '0 / 0',
    met: after.poolInUse === 0 && after.active === 0,
  });
  await stopLg();
  await stopServer();
  await destroyTopo();
  if (profileDir) ctx.profiles.churn = summariseProfileDir(profileDir, 'server during churn (set-up + hang-up)');
}
