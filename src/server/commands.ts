/**
 * PIX-style operator commands, shared by the control socket (`vpdn show ...`) and `vpdn console`.
 * Each command has a text form (the seed's layout) and, with json, a data form for scripts.
 */
import type { CommandHandler, CommandResult } from '../mgmt/server.js';
import { DEBUG_CATEGORIES, type DebugCategory, type PixLogger } from './log.js';
import { showIpLocalPool, showUauth, showVpdn, showVpdnSession, showVpdnTunnel } from './show.js';
import type { ServerView } from './view.js';

export interface ServerControl {
  view: ServerView;
  logger: PixLogger;
  /** Tears a tunnel down cleanly (Call-Disconnect-Notify, Stop-Control-Connection, accounting Stop). */
  clearTunnel(tunnelId: number): Promise<boolean>;
  clearAllTunnels(): Promise<number>;
  poolInUse(name: string): string[];
  runningConfig(): string;
  version: string;
}

const HELP: [string, string][] = [
  ['show vpdn', 'tunnels and sessions'],
  ['show vpdn tunnel', 'tunnels only'],
  ['show vpdn session', 'sessions only'],
  ['show ip local pool [NAME]', 'address pools'],
  ['show uauth', 'authenticated users'],
  ['show logging', 'buffered messages'],
  ['show debug', 'debug switches that are on'],
  ['show counters', 'global counters'],
  ['show running-config', 'the vpdn part of the configuration'],
  ['show version', 'software version'],
  ['clear vpdn tunnel all', 'end every tunnel'],
  ['clear vpdn tunnel id N', 'end one tunnel'],
  ['clear logging', 'empty the message buffer'],
  ['debug ppp io|error|uauth', 'trace PPP'],
  ['debug vpdn error|packets|events', 'trace PPTP'],
  ['no debug ...', 'stop a trace (undebug all: every trace)'],
  ['terminal monitor', 'stream messages to this console'],
];

export class Commands implements CommandHandler {
  constructor(private readonly s: ServerControl) {}

  monitor(fn: (line: string) => void): () => void {
    return this.s.logger.subscribe(fn);
  }

  async execute(line: string, json: boolean): Promise<CommandResult> {
    const w = line.trim().split(/\s+/).filter(Boolean);
    const lower = w.map((x) => x.toLowerCase());
    const is = (...p: string[]) => p.length === lower.length && p.every((x, i) => x === lower[i]);
    const starts = (...p: string[]) => p.every((x, i) => x === lower[i]);
    const v = this.s.view;

    if (lower[0] === 'help') {
      const prefix = lower.slice(1).join(' ');
      const rows = HELP.filter(([c]) => c.startsWith(prefix));
      return { output: rows.map(([c, d]) => `  ${c.padEnd(34)} ${d}`).join('\n') || '% Unrecognized command' };
    }
    if (is('show', 'hostname')) return { output: v.hostname };
    if (is('show', 'version')) return { output: `vpdn Version ${this.s.version}`, data: { version: this.s.version } };
    if (is('show', 'vpdn') || is('show', 'vpdn', 'tunnel') || is('show', 'vpdn', 'session')) {
      const tunnels = v.tunnels();
      const output = is('show', 'vpdn') ? showVpdn(tunnels) : is('show', 'vpdn', 'tunnel') ? showVpdnTunnel(tunnels) : showVpdnSession(tunnels);
      return { output, data: { tunnels } };
    }
    if (starts('show', 'ip', 'local', 'pool') && w.length <= 5) {
      const name = w[4];
      return { output: showIpLocalPool(v.pools(), (n) => this.s.poolInUse(n), name), data: { pools: v.pools() } };
    }
    if (is('show', 'uauth')) {
      const users = v.uauth();
      return { output: showUauth(users), data: { users } };
    }
    if (is('show', 'logging')) {
      const lines = this.s.logger.bufferedLines();
      return { output: lines.join('\n'), data: { lines } };
    }
    if (is('show', 'debug')) {
      const on = DEBUG_CATEGORIES.filter((c) => this.s.logger.debugOn[c]);
      return { output: on.map((c) => `debug ${c}`).join('\n'), data: { on } };
    }
    if (is('show', 'counters')) {
      const g = v.global();
      return { output: Object.entries(g).map(([k, n]) => `${k.padEnd(20)} ${n}`).join('\n'), data: g };
    }
    if (is('show', 'running-config')) return { output: this.s.runningConfig() };
    if (is('clear', 'vpdn', 'tunnel', 'all')) {
      const n = await this.s.clearAllTunnels();
      return { output: `${n} tunnel(s) cleared`, data: { cleared: n } };
    }
    if (starts('clear', 'vpdn', 'tunnel', 'id') && w.length === 5) {
      const id = Number(w[4]);
      if (!Number.isInteger(id)) throw new Error(`tunnel id must be a number: ${w[4]}`);
      if (!(await this.s.clearTunnel(id))) throw new Error(`tunnel id ${id} does not exist`);
      return { output: `tunnel ${id} cleared`, data: { cleared: 1 } };
    }
    if (is('clear', 'logging')) {
      this.s.logger.clearBuffer();
      return { output: '' };
    }
    if (is('undebug', 'all') || is('no', 'debug', 'all')) {
      for (const c of DEBUG_CATEGORIES) this.s.logger.debugOn[c] = false;
      return { output: 'All possible debugging has been turned off' };
    }
    const neg = lower[0] === 'no' || lower[0] === 'undebug';
    const dw = lower[0] === 'no' ? lower.slice(1) : lower[0] === 'undebug' ? ['debug', ...lower.slice(1)] : lower;
    if (dw[0] === 'debug' && dw.length === 3) {
      const cat = `${dw[1]} ${dw[2]}` as DebugCategory;
      if (!DEBUG_CATEGORIES.includes(cat)) throw new Error(`unknown debug category '${dw.slice(1).join(' ')}' (try: ${DEBUG_CATEGORIES.join(', ')})`);
      this.s.logger.debugOn[cat] = !neg;
      return { output: `debug ${cat} ${neg ? 'disabled' : 'enabled'}` };
    }
    if (json) throw new Error(`% Invalid input: ${line}`);
    throw new Error(`% Invalid input detected: '${line}' (type ? for help)`);
  }
}
