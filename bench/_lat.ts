import { benchTopology, benchConfig, USER, SERVER, CLIENT } from './topology.js';
import { BenchServer } from './server-proc.js';
import { Loadgen } from './loadgen-control.js';
const topo = benchTopology();
try {
  const server = await BenchServer.start(topo.server, benchConfig(4000), { cpus: '0' });
  const lg = await Loadgen.start(topo.client, { server: SERVER, local: CLIENT, ...USER }, '1');
  await lg.dial(200, 16); await lg.hangup();
  for (const c of [1, 1, 4, 16, 64, 128, 256]) {
    const n = c === 1 ? 50 : 1000;
    const s0 = server.sample();
    const r = await lg.dial(n, c);
    const s1 = server.sample();
    console.log('conc', c, 'rate', Math.round(r.established / r.seconds), 'p50', r.setupMsP50, 'p99', r.setupMsP99, 'server busy', ((s1.cpuMs - s0.cpuMs) / (s1.at - s0.at)).toFixed(2), 'wait', ((s1.waitMs - s0.waitMs) / (s1.at - s0.at)).toFixed(2), 'client cpu/s', (r.cpuMs / r.seconds / 1000).toFixed(2));
    await lg.hangup();
  }
  await lg.stop(); await server.stop();
} finally { topo.destroy(); }
