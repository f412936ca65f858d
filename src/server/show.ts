/** `show vpdn ...`, `show ip local pool`, `show uauth` in the seed's text format (SPEC §6). */
import type { PoolStats } from './pool.js';
import type { CallView, TunnelView, UauthView } from './view.js';

function tunnelBlock(t: TunnelView): string[] {
  return [
    `Tunnel id ${t.tunnelId}, remote id is ${t.remoteId}, ${t.calls.length} active sessions`,
    `     Tunnel state is ${t.state}, time since event change ${t.sinceEventSecs} secs`,
    `     remote Internet Address ${t.remoteAddress}, port ${t.remotePort}`,
    `     Local Internet Address ${t.localAddress}, port ${t.localPort}`,
    `     ${t.traffic.packetsOut} packets sent, ${t.traffic.packetsIn} received, ${t.traffic.bytesOut} bytes sent, ${t.traffic.bytesIn} received`,
  ];
}

function callBlock(c: CallView): string[] {
  return [
    `Call id ${c.callId} is up on tunnel id ${c.tunnelId}`,
    `     Remote Internet Address is ${c.peerAddress}`,
    `     Session username is ${c.username || '<none>'}, state is ${c.state}`,
    `        Time since event change ${c.sinceEventSecs} secs, interface ${c.interfaceName}`,
    `        Remote call id is ${c.peerCallId}`,
    `        PPP interface id is ${c.pppInterfaceId}`,
    `        ${c.traffic.packetsOut} packets sent, ${c.traffic.packetsIn} received, ${c.traffic.bytesOut} bytes sent, ${c.traffic.bytesIn} received`,
    `        Seq ${c.gre.seq}, Ack ${c.gre.ack}, Ack_Rcvd ${c.gre.ackReceived}, peer RWS ${c.gre.peerRws}`,
    `        ${c.gre.outOfOrder} out of order packets`,
  ];
}

function header(tunnels: TunnelView[]): string {
  const sessions = tunnels.reduce((n, t) => n + t.calls.length, 0);
  return `PPTP Tunnel and Session Information (Total tunnels=${tunnels.length} sessions=${sessions})`;
}

/** `show vpdn`: tunnels, each followed by its sessions. */
export function showVpdn(tunnels: TunnelView[]): string {
  const out = [header(tunnels), ''];
  for (const t of tunnels) {
    out.push(...tunnelBlock(t), '');
    for (const c of t.calls) out.push(...callBlock(c), '');
  }
  return out.join('\n');
}

export function showVpdnTunnel(tunnels: TunnelView[]): string {
  const out = [header(tunnels), ''];
  for (const t of tunnels) out.push(...tunnelBlock(t), '');
  return out.join('\n');
}

export function showVpdnSession(tunnels: TunnelView[]): string {
  const out = [header(tunnels), ''];
  for (const t of tunnels) for (const c of t.calls) out.push(...callBlock(c), '');
  return out.join('\n');
}

/** `show ip local pool [NAME]` in the PIX layout. */
export function showIpLocalPool(pools: PoolStats[], inUse: (name: string) => string[], name?: string): string {
  const selected = name ? pools.filter((p) => p.name === name) : pools;
  if (name && selected.length === 0) throw new Error(`pool ${name} does not exist`);
  const out: string[] = [];
  if (!name) {
    out.push('Pool                     Begin           End             Free  In use');
    for (const p of selected) {
      out.push(`${p.name.padEnd(24)} ${p.first.padEnd(15)} ${p.last.padEnd(15)} ${String(p.free).padStart(5)} ${String(p.inUse).padStart(7)}`);
    }
    return out.join('\n');
  }
  const p = selected[0]!;
  out.push('Pool                     Begin           End             Free  In use');
  out.push(`${p.name.padEnd(24)} ${p.first.padEnd(15)} ${p.last.padEnd(15)} ${String(p.free).padStart(5)} ${String(p.inUse).padStart(7)}`);
  const used = inUse(p.name);
  if (used.length > 0) {
    out.push('', 'In use addresses:');
    for (const a of used) out.push(`  ${a}`);
  }
  return out.join('\n');
}

/** `show uauth`: authenticated users. */
export function showUauth(users: UauthView[]): string {
  const out = [
    `                        Current    Most Seen`,
    `Authenticated Users       ${String(users.length).padEnd(10)} ${users.length}`,
    `Authen In Progress        0          0`,
  ];
  for (const u of users) {
    out.push(`ppp user '${u.username}' at ${u.clientAddress}, authenticated (${u.authType}, ${u.server})`);
    out.push(`   absolute timeout: none, up ${u.upSecs} secs`);
  }
  return out.join('\n');
}
