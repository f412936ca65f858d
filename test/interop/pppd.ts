/**
 * Dialling PPTP from a guest the way Linux users do: `pppd pty "pptp SERVER --nolaunchpppd"`,
 * with the client's choice of authentication and MPPE, and reading back what was negotiated.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { shellQuote, type Guest } from './harness.js';
import { parsePppdLog, type PppAuth, type PppNegotiation } from './ppp-log.js';

export type DialAuth = Exclude<PppAuth, 'eap'>;
export type DialMppe = 'none' | '40' | '128';

export interface PppdDialOptions {
  /** The PPTP server's address. */
  server: string;
  user: string;
  password: string;
  /** The only authentication protocol this client accepts (it refuses the others). */
  auth: DialAuth;
  /** 'none' refuses MPPE; '40' / '128' require that strength. */
  mppe: DialMppe;
  /**
   * Allow stateful MPPE (pppd mppe-stateful). pppd still asks for stateless itself and goes
   * stateful only when the server asks for it (pppd ccp.c, ccp_nakci / ccp_reqci).
   */
  stateful?: boolean;
  /** Source address for the PPTP connection (pptp --localbind): one per session to one server. */
  localbind?: string;
  /** pppd unit: the interface is ppp<unit>, the log /var/log/ppp-<unit>.log. */
  unit: number;
  /** More pppd options, e.g. ['lcp-max-configure', '30']. */
  extraOptions?: string[];
  /** Until IPCP is up or pppd gives up; default 45 s. */
  timeoutMs?: number;
}

export interface PppdSession extends PppNegotiation {
  unit: number;
  /** IPCP came up: the interface has its address. */
  up: boolean;
  /** pppd's exit status (0 once it detached with the link up). */
  exitCode: number;
  logPath: string;
  log: string;
  /** When pppdDial started and when it saw IPCP up or pppd give up (epoch ms). */
  startedAt: number;
  endedAt: number;
}

const REFUSE: Record<DialAuth, string> = {
  pap: 'refuse-pap',
  chap: 'refuse-chap',
  mschap: 'refuse-mschap',
  'mschap-v2': 'refuse-mschap-v2',
};

function authOptions(auth: DialAuth): string[] {
  return [...Object.entries(REFUSE).filter(([a]) => a !== auth).map(([, o]) => o), 'refuse-eap'];
}

function mppeOptions(mppe: DialMppe, stateful: boolean): string[] {
  if (mppe === 'none') return ['nomppe'];
  return [`require-mppe-${mppe}`, ...(stateful ? ['mppe-stateful'] : [])];
}

/** The pppd command line pppdDial runs (exported so tests can show it in messages). */
export function pppdCommand(o: PppdDialOptions): string {
  const pty = ['pptp', o.server, '--nolaunchpppd', ...(o.localbind ? ['--localbind', o.localbind] : [])].join(' ');
  const args = [
    ...['unit', String(o.unit), 'linkname', `vpdn${o.unit}`, 'logfile', `/var/log/ppp-${o.unit}.log`],
    ...['debug', 'updetach', 'noauth', 'nodefaultroute', 'nobsdcomp', 'nodeflate'],
    ...['user', o.user, 'password', o.password],
    ...authOptions(o.auth),
    ...mppeOptions(o.mppe, o.stateful ?? false),
    ...(o.extraOptions ?? []),
    ...['pty', pty],
  ];
  return `pppd ${args.map(shellQuote).join(' ')}`;
}

/**
 * Dials and waits until IPCP is up or pppd has given up, in one guest job. pppd's updetach
 * returns as soon as the first network protocol is up, which may be IPV6CP, so the job then
 * watches the log for IPCP before handing it back.
 */
export async function pppdDial(guest: Guest, o: PppdDialOptions): Promise<PppdSession> {
  const timeoutMs = o.timeoutMs ?? 45000;
  const logPath = `/var/log/ppp-${o.unit}.log`;
  const t0 = Date.now();
  const polls = Math.ceil(timeoutMs / 100);
  const r = await guest.run(
    `rm -f ${logPath}; ${pppdCommand(o)} >&2; rc=$?; if [ $rc -eq 0 ]; then i=0; ` +
      `while [ $i -lt ${polls} ] && ! grep -qE '^(local  IP address|Connection terminated)' ${logPath}; do i=$((i+1)); sleep 0.1; done; fi; ` +
      `cat ${logPath} 2>/dev/null; exit $rc`,
    { timeoutMs: timeoutMs + 5000 },
  );
  const log = r.stdout;
  const n = parsePppdLog(log);
  const up = r.code === 0 && n.localAddress !== undefined && !/^Connection terminated/m.test(log);
  return { ...n, unit: o.unit, up, exitCode: r.code, logPath, log: log || r.stderr, startedAt: t0, endedAt: Date.now() };
}

/** Dials several sessions, starting one every intervalMs (an emulated CPU cannot take 50 at once). */
export async function pppdDialMany(guest: Guest, sessions: PppdDialOptions[], intervalMs = 500): Promise<PppdSession[]> {
  const pending: Promise<PppdSession>[] = [];
  for (const [i, s] of sessions.entries()) {
    if (i > 0) await sleep(intervalMs);
    pending.push(pppdDial(guest, s));
  }
  return Promise.all(pending);
}

/**
 * Hangs up a session (SIGTERM to its pppd) and waits for pppd to exit; returns the final log.
 * pppd then waits up to 5 s (its child-timeout) for pptp to finish clearing the call.
 */
export async function pppdHangup(guest: Guest, unit: number): Promise<string> {
  const pidFile = `/run/ppp-vpdn${unit}.pid`;
  await guest.check(
    `pid=$(head -n1 ${pidFile}) || exit 1; kill -TERM $pid; i=0; while kill -0 $pid 2>/dev/null; do ` +
      `i=$((i+1)); [ $i -gt 100 ] && exit 1; sleep 0.1; done`,
    { timeoutMs: 20000 },
  );
  return guest.readFile(`/var/log/ppp-${unit}.log`);
}

/** IPv4 address and peer of a ppp interface as `ip` shows them, or undefined if it has none. */
export async function pppInterfaceAddress(
  guest: Guest,
  iface: string,
): Promise<{ local: string; peer: string } | undefined> {
  const r = await guest.run(`ip -4 -o addr show dev ${shellQuote(iface)}`);
  const m = /inet (\S+) peer (\S+?)(?:\/\d+)? /.exec(r.stdout);
  return m ? { local: m[1], peer: m[2] } : undefined;
}

/**
 * Waits until the session's pppd has exited by itself (e.g. after the server hung up) and returns
 * its final log; throws if it is still running after timeoutMs.
 */
export async function pppdWaitExit(guest: Guest, unit: number, timeoutMs = 20000): Promise<string> {
  const pidFile = `/run/ppp-vpdn${unit}.pid`;
  const polls = Math.ceil(timeoutMs / 100);
  const r = await guest.run(
    `i=0; while pid=$(head -n1 ${pidFile} 2>/dev/null) && kill -0 "$pid" 2>/dev/null; do ` +
      `i=$((i+1)); [ $i -gt ${polls} ] && exit 1; sleep 0.1; done; cat /var/log/ppp-${unit}.log`,
    { timeoutMs: timeoutMs + 5000 },
  );
  if (r.code !== 0) throw new Error(`pppd unit ${unit} in ${guest.name} did not exit within ${timeoutMs} ms`);
  return r.stdout;
}

/** Hangs up every pppd in the guest at once (SIGTERM) and waits until none is left. */
export async function pppdHangupAll(guest: Guest, timeoutMs = 30000): Promise<void> {
  const polls = Math.ceil(timeoutMs / 100);
  await guest.check(
    `for f in /run/ppp-vpdn*.pid; do [ -e "$f" ] && kill -TERM "$(head -n1 "$f")" 2>/dev/null; done; i=0; ` +
      `while pidof pppd >/dev/null; do i=$((i+1)); [ $i -gt ${polls} ] && exit 1; sleep 0.1; done; true`,
    { timeoutMs: timeoutMs + 5000 },
  );
}

/**
 * pppd options that keep a session cheap for the emulated client CPU (about 1.5 s of it per
 * session, mostly process starts), for tests that start many: no IPV6CP (updetach then means
 * IPCP is up, no log polling), no ip-up/ip-down scripts, and after a hang-up pppd waits 2 s,
 * not 5, for pptp; plus a longer LCP Configure-Request budget while the guest is saturated.
 */
export const LEAN_SESSION_OPTIONS = ['lcp-max-configure', '30', 'noipv6', 'ip-up-script', '/run/none', 'ip-down-script', '/run/none', 'child-timeout', '2'];

/**
 * Pings `target` once through each unit's own link (busybox ping -I binds to ppp<unit>); a unit
 * whose first packet was lost (it can beat the far side's ip-up) gets one more try. Throws with
 * the units that still could not reach it.
 */
export async function pingThroughEach(guest: Guest, units: number[], target: string): Promise<void> {
  const out = await guest.check(`for u in ${units.join(' ')}; do ping -c 1 -W 5 -I ppp$u ${target} >/dev/null 2>&1 && echo ok $u || echo lost $u; done`, {
    timeoutMs: 10_000 + units.length * 6000,
  });
  const failed: string[] = [];
  for (const line of out.split('\n').filter((l) => l.startsWith('lost'))) {
    const u = line.split(' ')[1];
    const r = await guest.run(`ping -c 2 -W 5 -I ppp${u} ${target}`, { timeoutMs: 20_000 });
    if (r.code !== 0) failed.push(`ppp${u}`);
  }
  if (failed.length > 0) throw new Error(`no ping reply from ${target} through ${failed.join(', ')}`);
}
