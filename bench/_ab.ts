import { benchTopology, benchConfig, USER, SERVER, CLIENT, INSIDE_HOST } from './topology.js';
import { BenchServer } from './server-proc.js';
import { Loadgen } from './loadgen-control.js';
import { benchScriptArgs, launchPrefix } from './script.js';
import { loadAverage } from './proc-stats.js';
import { createInterface } from 'node:readline';
const topo = benchTopology();
const secs = Number(process.argv[2] ?? 3), rounds = Number(process.argv[3] ?? 3);
const fmt = (x: number) => x.toFixed(2).padStart(7);
try {
  for (let r = 0; r < rounds; r++) for (const v of ['1', '0']) {
    process.env.XX_UNBATCHED = v;
    const server = await BenchServer.start(topo.server, benchConfig(100), { cpus: '0' });
    const lg = await Loadgen.start(topo.client, { server: SERVER, local: CLIENT, ...USER }, '1');
    const out: string[] = [];
    for (const [mode, rate] of [['required', 30000], ['none', 60000]] as const) {
      let d = await lg.dial(1, 1, mode);
      await lg.request({ op: 'blast', seconds: 0.5, ipBytes: 1400, dst: INSIDE_HOST, port: 9, pps: 10000 });
      let s0 = server.sample();
      const b = await lg.request<{ sent: number }>({ op: 'blast', seconds: secs, ipBytes: 1400, dst: INSIDE_HOST, port: 9, pps: rate });
      let s1 = server.sample();
      out.push(`${mode === 'none' ? 'plain' : 'mppe '} up ${fmt(((s1.cpuMs - s0.cpuMs) * 1000) / b.sent)}us wait ${fmt((s1.waitMs - s0.waitMs) / (s1.at - s0.at))}`);
      await lg.hangup();
      d = await lg.dial(1, 1, mode);
      await lg.request({ op: 'received' });
      const [cmd, ...args] = [...launchPrefix(undefined), process.execPath, ...benchScriptArgs('udp-blaster'), JSON.stringify({ dst: d.addresses[0], port: 9, ipBytes: 1400, seconds: secs, pps: rate / 2 })];
      const child = topo.inside.spawn(cmd!, args);
      s0 = server.sample();
      const line = await new Promise<string>((res) => createInterface({ input: child.stdout! }).once('line', res));
      s1 = server.sample();
      const got = await lg.request<{ packets: number }>({ op: 'received' });
      out.push(`down ${fmt(((s1.cpuMs - s0.cpuMs) * 1000) / got.packets)}us deliv ${fmt(got.packets / JSON.parse(line).sent)} wait ${fmt((s1.waitMs - s0.waitMs) / (s1.at - s0.at))}`);
      await lg.hangup();
    }
    console.log(v === '1' ? 'unbatched' : 'batched  ', out.join(' | '), 'load', loadAverage());
    await lg.stop();
    await server.stop();
  }
} finally {
  topo.destroy();
}
