/**
 * vpdn serve: TCP 1723 listeners, the raw GRE socket, the TUN device, the AAA back ends and the
 * management socket, wired to Tunnels and Calls. All protocol logic lives in the sans-IO engines;
 * this file only moves bytes and keeps the tables (call id → call, client address → call).
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AccountingRecord, AuthRequest, AuthResult } from '../aaa/authenticator.js';
import type { VpdnConfig, VpdnGroupConfig } from '../config/model.js';
import { formatConfig } from '../config/index.js';
import { GreSocket, type PacketBatch } from '../io/gre-socket.js';
import { TunDevice } from '../io/tun.js';
import { addRoute, delRoute, linkUp, setForwarding } from '../io/netlink-cmd.js';
import { rangeToCidrs } from '../io/cidr.js';
import { DynamicAuthorizationServer, type SessionSelector } from '../aaa/radius/index.js';
import { decodeGreHeader, type GreHeader } from '../wire/gre.js';
import { isDecodeError } from '../wire/errors.js';
import { ipv4ToU32, toHex } from '../wire/bytes.js';
import { pooledRandom } from '../ppp/crypto/random.js';
import { MgmtServer } from '../mgmt/server.js';
import { ServerMetrics } from './metrics.js';
import { AaaRouter } from './aaa.js';
import { Call } from './call.js';
import type { CallHost, DataCounters } from './call-host.js';
import { Commands } from './commands.js';
import { FD_RESERVE, nofileLimit, openFds } from './fd-limit.js';
import { Lockout } from './lockout.js';
import { PixLogger } from './log.js';
import { Messages } from './messages.js';
import { DeadlineQueue } from './deadlines.js';
import { MemoryPool, type AddressPool } from './pool.js';
import { Tunnel, type TunnelHost } from './tunnel.js';
import { newGlobalCounters, type GlobalCounters, type ServerView, type UauthView } from './view.js';

export const VERSION = '0.1.0';

export interface ServeOptions {
  config: VpdnConfig;
  /** Addresses to listen on instead of the `vpdn enable` interfaces' (tests, 0.0.0.0). */
  listen?: string[];
  port?: number;
  controlPath: string;
  /** Where console messages go (default stderr). */
  consoleWrite?: (line: string) => void;
}

const PPTP_PORT = 1723;
/** Outgoing packets sent per system call (sendmmsg) or native call (TUN writes). */
const TX_BATCH = 64;
/** Transmit memory per queued GRE packet: a TUN datagram (MTU 1500) with GRE, PPP and MPPE headers. */
const TX_SLOT = 1600;
/** Protocol-error lines per control connection before they go to `debug vpdn error` only. */
const CONTROL_ERROR_LINES = 5;

export class VpdnServer implements TunnelHost {
  readonly logger: PixLogger;
  readonly messages: Messages;
  readonly counters: GlobalCounters & DataCounters = { ...newGlobalCounters(), spoofedDropped: 0 };
  private readonly config: VpdnConfig;
  private readonly group: VpdnGroupConfig;
  private readonly pools = new Map<string, MemoryPool>();
  private readonly aaa: AaaRouter;
  private readonly lockout: Lockout;
  private readonly tunnels = new Map<number, Tunnel>();
  /** Every tunnel's and call's timer in one (see deadlines.ts). */
  readonly deadlines = new DeadlineQueue(() => performance.now());
  /** Open tunnels that have not placed a call yet (they count against the session limit). */
  private readonly pendingTunnels = new Set<Tunnel>();
  /** Calls by our call id (the GRE key the peer sends). */
  private readonly callsById = new Map<number, Call>();
  /** Established calls by client address (u32), for packets from the TUN. */
  private readonly callsByAddress = new Map<number, Call>();
  /** RLIMIT_NOFILE, the descriptors open once started, and refusals not yet logged (see accept). */
  private readonly fdLimit = nofileLimit();
  private fdBaseline = 0;
  private fdRefused = 0;
  private fdRefusedLoggedAt = -Infinity;
  /** Protocol-error lines logged per control connection (see controlLog). */
  private readonly controlErrorLines = new WeakMap<Tunnel, number>();
  private readonly listeners: NetServer[] = [];
  private gre: GreSocket | undefined;
  private tun: TunDevice | undefined;
  private mgmt: MgmtServer | undefined;
  private readonly metrics = new ServerMetrics();
  // Outgoing GRE and TUN packets, sent together: when TX_BATCH are queued, after each receive
  // batch, and otherwise (timers, control messages) by a microtask at the end of the current job.
  private readonly greTx: Uint8Array[] = [];
  private readonly greTxTo = new Uint32Array(TX_BATCH);
  private readonly tunTx: Uint8Array[] = [];
  /** Data packets are built in slot i of this when they will be greTx[i]: flushTx frees every slot. */
  private readonly greTxSlots = new Uint8Array(TX_BATCH * TX_SLOT);
  private txFlushQueued = false;
  /** While a receive batch is handled: its end sends what it queued, no microtask is needed. */
  private inBatch = false;
  private dynauth: DynamicAuthorizationServer[] = [];
  private nextTunnelId = 1;
  private nextCallId = 1 + (randomBytes(2).readUInt16BE(0) % 60000);
  private nextPppIf = 1;
  private sessionSeq = 0;
  private readonly bootTag = Math.floor(Date.now() / 1000).toString(16).toUpperCase();
  private readonly greHeader = {} as GreHeader;
  private stopping = false;
  startupLine = '';
  readonly serverAddress: string;
  readonly callHost: CallHost;

  constructor(private readonly options: ServeOptions) {
    const config = options.config;
    this.config = config;
    const lg = config.logging;
    this.logger = new PixLogger({
      hostname: config.hostname,
      enabled: lg.on,
      timestamp: lg.timestamp,
      consoleLevel: lg.console,
      bufferedLevel: lg.buffered ?? (lg.on ? 6 : null),
      trapLevel: lg.trap,
      syslogHost: lg.hosts[0] ? { address: lg.hosts[0].address, port: lg.hosts[0].port } : undefined,
      facility: lg.facility,
      consoleWrite: options.consoleWrite,
    });
    this.messages = new Messages(this.logger);
    const group = config.groups.find((g) => g.acceptDialinPptp);
    if (!group) throw new Error('no vpdn group accepts dialin pptp');
    this.group = group;
    for (const p of config.pools) this.pools.set(p.name, new MemoryPool(p.name, p.first, p.last));
    const inside = config.interfaces.find((i) => i.name === 'inside')?.address;
    const serverAddress = group.serverAddress ?? (inside && inside !== '0.0.0.0' ? inside : undefined);
    if (!serverAddress) throw new Error('no server address: give the inside interface an address or set client configuration server-address');
    this.serverAddress = serverAddress;
    this.aaa = new AaaRouter(config, this.nasAddress());
    this.lockout = new Lockout(
      config.lockout
        ? { attempts: config.lockout.attempts, windowMs: config.lockout.windowSeconds * 1000, durationMs: config.lockout.durationSeconds * 1000 }
        : null,
    );
    this.callHost = this.makeCallHost();
  }

  private nasAddress(): string {
    for (const name of this.config.vpdnEnable) {
      const a = this.config.interfaces.find((i) => i.name === name)?.address;
      if (a && a !== '0.0.0.0') return a;
    }
    return this.serverAddress;
  }

  now(): number {
    return performance.now();
  }

  // ---- start / stop -------------------------------------------------------------------------

  async start(): Promise<void> {
    this.metrics.start();
    // Raw socket first: it is the capability most often missing (CAP_NET_RAW), then TUN (CAP_NET_ADMIN).
    this.gre = GreSocket.open({});
    this.gre.onBatch((b) => this.onGreBatch(b));
    this.tun = TunDevice.open({ name: this.config.tunInterface, mtu: 1500 });
    this.tun.onBatch((b) => this.onTunBatch(b));
    await linkUp(this.tun.name, 1500);
    for (const p of this.config.pools) for (const cidr of rangeToCidrs(p.first, p.last)) await addRoute(cidr, this.tun.name);
    if (this.config.forwarding) await setForwarding(true);

    for (const address of this.listenAddresses()) {
      // Bound to one address, that is every connection's local address: no getsockname per accept.
      const local = address !== '0.0.0.0' && ipv4ToU32(address) !== undefined ? address : undefined;
      const srv = createServer({ noDelay: true }, (s) => this.accept(s, local));
      // Once listening, errors are accept errors (EMFILE, ENFILE); libuv drops that connection and goes on.
      srv.on('error', (e: NodeJS.ErrnoException) => this.messages.controlSocketError(`accept error ${e.code ?? e.message}`, Math.abs(e.errno ?? 0)));
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ host: address, port: this.options.port ?? PPTP_PORT, backlog: 4096 }, () => {
          srv.off('error', reject);
          resolve();
        });
      });
      this.listeners.push(srv);
    }

    this.mgmt = new MgmtServer(this.options.controlPath, new Commands(this.control()));
    await this.mgmt.listen();

    for (const s of this.config.aaaServers) {
      if (s.protocol !== 'radius' || s.dynamicAuthorizationPort === null) continue;
      this.dynauth.push(
        await DynamicAuthorizationServer.listen({
          port: s.dynamicAuthorizationPort,
          clients: s.hosts.map((h) => ({ address: h.address, secret: h.key ?? '' })),
          disconnect: (sel) => this.disconnectBySelector(sel),
          changeSession: (sel, change) => this.changeSession(sel, change),
        }),
      );
    }
    for (const acct of this.aaa.allAccounting()) acct.on?.().catch((e: Error) => this.messages.warn(`accounting-on failed: ${e.message}`));
    this.fdBaseline = openFds() ?? 0;
    this.startupLine = `vpdn ${VERSION} listening on ${this.listenAddresses().join(', ')} port ${this.options.port ?? PPTP_PORT}, tunnel interface ${this.tun.name}, control socket ${this.options.controlPath}`;
    this.messages.info(this.startupLine);
  }

  private listenAddresses(): string[] {
    if (this.options.listen && this.options.listen.length > 0) return this.options.listen;
    const out: string[] = [];
    for (const name of this.config.vpdnEnable) {
      const a = this.config.interfaces.find((i) => i.name === name)?.address;
      if (a) out.push(a);
    }
    return out.length > 0 ? [...new Set(out)] : ['0.0.0.0'];
  }

  /** Clean shutdown: every session torn down properly, then the sockets closed. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const l of this.listeners) l.close();
    await this.clearAllTunnels('administrative shutdown');
    // Give the Stop-Control-Connection exchange a moment to go out.
    await new Promise((r) => setTimeout(r, 200));
    for (const acct of this.aaa.allAccounting()) await acct.off?.().catch(() => undefined);
    for (const d of this.dynauth) await d.close();
    await this.aaa.close();
    await this.mgmt?.close();
    this.metrics.stop();
    this.gre?.close();
    this.tun?.close();
    this.logger.close();
  }

  // ---- control connections --------------------------------------------------------------------

  private accept(socket: Socket, localAddress: string | undefined): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const remote = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const remoteU32 = ipv4ToU32(remote);
    if (remoteU32 === undefined) {
      socket.destroy();
      return;
    }
    // One descriptor per control connection: refuse while some are still free for AAA and logging.
    if (this.fdLimit !== undefined && this.fdBaseline + this.tunnels.size >= this.fdLimit - FD_RESERVE) {
      socket.destroy();
      this.counters.tunnelsRefused++;
      this.fdRefused++;
      const now = this.now();
      if (now - this.fdRefusedLoggedAt >= 1000) {
        this.messages.controlSocketError(`accept refused for ${remote}: file descriptors nearly exhausted (limit ${this.fdLimit}), ${this.fdRefused} connection(s) refused`, 24);
        this.fdRefusedLoggedAt = now;
        this.fdRefused = 0;
      }
      return;
    }
    const id = this.nextTunnelId++;
    const local = localAddress ?? (socket.localAddress ?? '').replace(/^::ffff:/, '');
    const t = new Tunnel(this, id, socket, remote, remoteU32, local, {
      echoIntervalMs: this.group.pptpEcho * 1000,
      idleTimeoutMs: this.config.idleTimeoutSeconds * 1000,
      receiveWindow: this.group.pptpWindow,
      hostName: this.config.hostname,
    });
    this.tunnels.set(id, t);
    this.pendingTunnels.add(t);
    if (this.logger.debugOn['vpdn events']) this.logger.debug('vpdn events', `PPTP: new peer ${remote} Tnl ${id}`);
  }

  private activeSessions(): number {
    return this.callsById.size;
  }

  admitTunnel(t: Tunnel): boolean {
    // Tunnels that have not placed a call yet count too, so a flood of SCCRQs cannot exceed the limit.
    // A set, not a scan of every tunnel: this runs for each new tunnel (O(n²) over 10,000 set-ups).
    const pendingTunnels = this.pendingTunnels.size - (this.pendingTunnels.has(t) ? 1 : 0);
    if (this.activeSessions() + pendingTunnels < this.config.maxSessions) return true;
    this.counters.tunnelsRefused++;
    this.messages.controlSocketError(`accept refused for ${t.remoteAddress}: session limit ${this.config.maxSessions} reached`, 5);
    return false;
  }

  admitCall(t: Tunnel): boolean {
    if (this.activeSessions() < this.config.maxSessions) return true;
    this.counters.tunnelsRefused++;
    this.messages.controlSocketError(`call refused for ${t.remoteAddress}: session limit ${this.config.maxSessions} reached`, 5);
    return false;
  }

  allocateCallId(): number | undefined {
    for (let i = 0; i < 65535; i++) {
      const id = this.nextCallId;
      this.nextCallId = this.nextCallId >= 65535 ? 1 : this.nextCallId + 1;
      if (!this.callsById.has(id)) return id;
    }
    return undefined;
  }

  createCall(t: Tunnel, callId: number, peerCallId: number, peerReceiveWindow: number): Call {
    const call = new Call(this.callHost, t.tunnelId, callId, peerCallId, t.remoteAddress, t.remoteAddressU32, peerReceiveWindow, this.now());
    this.callsById.set(callId, call);
    this.pendingTunnels.delete(t);
    this.counters.tunnelsCreated++;
    return call;
  }

  tunnelClosed(t: Tunnel, reason: string): void {
    this.tunnels.delete(t.tunnelId);
    this.pendingTunnels.delete(t);
    if (this.logger.debugOn['vpdn events']) this.logger.debug('vpdn events', `PPTP: Tnl ${t.tunnelId} closed: ${reason}`);
  }

  controlLog(t: Tunnel, category: 'events' | 'packets' | 'error', message: string): void {
    if (category === 'error') {
      this.counters.controlErrors++;
      // A peer's protocol errors are the operator's business even without `debug vpdn error`;
      // one that repeats them gets a few lines, not a log flood.
      const lines = (this.controlErrorLines.get(t) ?? 0) + 1;
      this.controlErrorLines.set(t, lines);
      if (lines <= CONTROL_ERROR_LINES) {
        const more = lines === CONTROL_ERROR_LINES ? '; further errors on this tunnel only under debug vpdn error' : '';
        this.messages.warn(`${message} (peer ${t.remoteAddress})${more}`);
      } else this.logger.debug('vpdn error', message);
    } else this.logger.debug(category === 'events' ? 'vpdn events' : 'vpdn packets', message);
  }

  readonly debugPackets = (): boolean => this.logger.debugOn['vpdn packets'];
  readonly debugEvents = (): boolean => this.logger.debugOn['vpdn events'];

  // ---- data path ------------------------------------------------------------------------------

  private onGreBatch(b: PacketBatch): void {
    this.inBatch = true;
    try {
      this.receiveGreBatch(b);
    } finally {
      this.inBatch = false;
    }
    // Before the receive buffer is reused: queued TUN packets may be views into it.
    this.flushTx();
  }

  private receiveGreBatch(b: PacketBatch): void {
    const now = this.now();
    const h = this.greHeader;
    for (let i = 0; i < b.count; i++) {
      const off = b.offsets[i]!;
      const len = b.lengths[i]!;
      this.counters.greIn++;
      const pkt = b.buffer.subarray(off, off + len);
      const r = decodeGreHeader(pkt, 0, h);
      if (isDecodeError(r)) {
        this.counters.greDropped++;
        continue;
      }
      const call = this.callsById.get(r.callId);
      // A packet naming another tunnel's call, or from an address that is not the call's peer: drop.
      if (call === undefined || call.peerAddressU32 !== b.sources[i]) {
        this.counters.greDropped++;
        continue;
      }
      if (this.logger.debugOn['vpdn packets']) {
        this.logger.debug('vpdn packets', `outside PPTP: Recvd xGRE pak from ${call.peerAddress}, Len ${len}, seq ${r.seq ?? '-'}${r.ack !== undefined ? `, ack ${r.ack}` : ''}`);
      }
      try {
        call.receiveGre(r, pkt, 0, now);
      } catch (e) {
        // An engine fault must cost this call only, never the process or other sessions.
        this.messages.error(`PPTP: Call id ${call.callId} internal error, call dropped: ${(e as Error).message}`);
        void call.close('internal error', now, 'lower-down');
      }
    }
  }

  private onTunBatch(b: PacketBatch): void {
    this.inBatch = true;
    try {
      this.receiveTunBatch(b);
    } finally {
      this.inBatch = false;
    }
    this.flushTx();
  }

  private receiveTunBatch(b: PacketBatch): void {
    const now = this.now();
    const buf = b.buffer;
    for (let i = 0; i < b.count; i++) {
      const off = b.offsets[i]!;
      const len = b.lengths[i]!;
      this.counters.tunIn++;
      if (len < 20 || buf[off]! >> 4 !== 4) {
        this.counters.tunDropped++;
        continue;
      }
      const dst = ((buf[off + 16]! << 24) | (buf[off + 17]! << 16) | (buf[off + 18]! << 8) | buf[off + 19]!) >>> 0;
      const call = this.callsByAddress.get(dst);
      if (call === undefined) {
        this.counters.tunDropped++;
        continue;
      }
      call.sendIp(buf.subarray(off, off + len), now);
    }
  }

  /** See CallHost.txBuffer: the slot of the packet sendGre will queue next. */
  private txBuffer(length: number): Uint8Array {
    if (length > TX_SLOT) return new Uint8Array(length);
    const at = this.greTx.length * TX_SLOT;
    return this.greTxSlots.subarray(at, at + TX_SLOT);
  }

  private sendGre(destination: number, packet: Uint8Array): void {
    this.counters.greOut++;
    this.greTxTo[this.greTx.length] = destination;
    if (this.greTx.push(packet) === TX_BATCH) this.flushTx();
    else this.queueFlush();
  }

  private deliverToTun(packet: Uint8Array): void {
    this.counters.tunOut++;
    if (this.tunTx.push(packet) === TX_BATCH) this.flushTx();
    else this.queueFlush();
  }

  private queueFlush(): void {
    if (this.txFlushQueued || this.inBatch) return;
    this.txFlushQueued = true;
    queueMicrotask(this.flushTxTask);
  }

  private readonly flushTxTask = (): void => {
    this.txFlushQueued = false;
    this.flushTx();
  };

  /** Sends what is queued. Drops (full queues; unreachable peers, whose keepalives will end them) are counted. */
  private flushTx(): void {
    const g = this.greTx.length;
    if (g > 0) {
      const sent = this.gre && !this.gre.closed ? this.gre.sendBatch(this.greTxTo, this.greTx, g) : 0;
      this.counters.greDropped += g - sent;
      this.greTx.length = 0;
    }
    const t = this.tunTx.length;
    if (t > 0) {
      const written = this.tun && !this.tun.closed ? this.tun.writeBatch(this.tunTx, t) : 0;
      this.counters.tunDropped += t - written;
      this.tunTx.length = 0;
    }
  }

  // ---- calls ----------------------------------------------------------------------------------

  private makeCallHost(): CallHost {
    const logger = this.logger;
    const epochOffset = Date.now() - performance.now();
    // Offer only what the group's back end can check: LCP runs before the user name is known, so
    // a per-domain back end cannot narrow this further.
    const backEnd = this.aaa.choose(this.group, '');
    const offered = this.group.authTypes.filter((t) => backEnd.authenticator.methods.has(t));
    for (const t of this.group.authTypes) {
      if (!offered.includes(t)) this.messages.warn(`vpdn group ${this.group.name}: ${t} not offered: ${backEnd.label} (${backEnd.protocol}) cannot check it`);
    }
    return {
      group: this.group,
      offeredAuthTypes: offered,
      serverAddress: this.serverAddress,
      interfaceName: this.config.vpdnEnable[0] ?? 'outside',
      counters: this.counters,
      random: pooledRandom,
      now: () => performance.now(),
      deadlines: this.deadlines,
      wallClock: (now) => Math.round(now + epochOffset),
      nextPppInterfaceId: () => this.nextPppIf++,
      txBuffer: (n) => this.txBuffer(n),
      sendGre: (d, p) => this.sendGre(d, p),
      deliverToTun: (p) => this.deliverToTun(p),
      authenticate: (call, req) => this.authenticate(call, req),
      allocateAddress: (call, framed) => this.allocateAddress(call, framed),
      releaseAddress: (a, fromPool) => this.releaseAddress(a, fromPool),
      callUp: (call) => this.callUp(call),
      callDown: (call, reason, cause) => this.callDown(call, reason, cause),
      tracePpp(direction, call, frame) {
        if (logger.debugOn['ppp io']) {
          logger.debug('ppp io', `PPP ${direction}, ifc = ${call.pppInterfaceId}, Len: ${frame.length} data: ${toHex(frame.subarray(0, 22))}${frame.length > 22 ? '...' : ''}`);
        }
      },
      pppLog(call, category, message) {
        const cat = category === 'error' ? 'ppp error' : category === 'uauth' ? 'ppp uauth' : 'vpdn events';
        if (logger.debugOn[cat]) logger.debug(cat, `PPP virtual interface ${call.pppInterfaceId}: ${message}`);
      },
    };
  }

  private async authenticate(call: Call, request: Omit<AuthRequest, 'context'>): Promise<AuthResult> {
    const user = request.username;
    this.messages.authStarted(call.pppInterfaceId, user);
    const now = this.now();
    const locked = this.lockout.lockedFor(user, call.peerAddress, now);
    if (locked > 0) {
      this.counters.authRejected++;
      this.messages.authResult(call.pppInterfaceId, user, false);
      this.messages.authRejected(call.pppInterfaceId, user, `locked out for ${Math.ceil(locked / 1000)} s after repeated failures`);
      return { accepted: false, reason: 'locked out', mschapError: 647 };
    }
    const choice = this.aaa.choose(this.group, user);
    const full = {
      ...request,
      context: {
        sessionId: this.sessionId(call),
        callingStationId: call.peerAddress,
        calledStationId: this.nasAddress(),
        nasPort: call.pppInterfaceId,
        group: this.group.name,
      },
    } as AuthRequest;
    let result: AuthResult;
    if (!choice.authenticator.methods.has(request.method)) {
      result = { accepted: false, reason: `${choice.label} cannot check ${request.method}`, mschapError: 691 };
    } else {
      result = await choice.authenticator.authenticate(full);
    }
    this.messages.authResult(call.pppInterfaceId, user, result.accepted);
    if (result.accepted) {
      this.counters.authAccepted++;
      this.lockout.success(user, call.peerAddress);
      this.messages.authenSessionStart(user, call.pppInterfaceId);
      if (!result.mppeKeys && this.group.encryption) {
        // MPPE keys come from MS-CHAP (RFC 3079); PAP and CHAP have none, and TACACS+ returns none.
        const why =
          request.method === 'pap' || request.method === 'chap-md5'
            ? `${request.method} yields no MPPE keys (MPPE needs MS-CHAP)`
            : choice.protocol === 'tacacs+'
              ? `TACACS+ server ${choice.label} cannot return MPPE keys`
              : `no MPPE keys from ${choice.label}`;
        if (this.group.encryption.required) {
          this.messages.missingMppeKey(call.pppInterfaceId, user);
          this.messages.warn(`PPP virtual interface ${call.pppInterfaceId}, user: ${user}: refused: encryption is required but ${why}`);
        } else this.messages.warn(`PPP virtual interface ${call.pppInterfaceId}, user: ${user}: session will not be encrypted: ${why}`);
      }
    } else {
      this.counters.authRejected++;
      this.messages.authRejected(call.pppInterfaceId, user, result.reason);
      if (this.lockout.failure(user, call.peerAddress, this.now())) {
        this.messages.warn(`user ${user} / source ${call.peerAddress} locked out after repeated authentication failures`);
      }
    }
    return result;
  }

  private sessionId(call: Call): string {
    return `${this.bootTag}${call.callId.toString(16).padStart(4, '0').toUpperCase()}${(this.sessionSeq & 0xffff).toString(16)}`;
  }

  private async allocateAddress(call: Call, framed: string | undefined): Promise<string | undefined> {
    if (framed !== undefined) {
      const pool = this.group.pool ? this.pools.get(this.group.pool) : undefined;
      // A Framed-IP-Address must not collide with a live session (from any pool or outside them).
      const claimed = pool ? await pool.claim(framed) : !this.callsByAddress.has(ipv4ToU32(framed)!);
      if (!claimed || this.callsByAddress.has(ipv4ToU32(framed)!)) {
        this.messages.warn(`PPP virtual interface ${call.pppInterfaceId}: Framed-IP-Address ${framed} is in use by another session`);
        return undefined;
      }
      return framed;
    }
    const pool = this.group.pool ? this.pools.get(this.group.pool) : undefined;
    const a = await pool?.allocate();
    if (!a) this.messages.ipAllocationFailed(call.pppInterfaceId);
    return a;
  }

  private async releaseAddress(address: string, _fromPool: boolean): Promise<void> {
    const pool: AddressPool | undefined = this.group.pool ? this.pools.get(this.group.pool) : undefined;
    await pool?.release(address);
  }

  /** Whether an address is covered by a pool's routes; a Framed-IP outside them needs its own /32. */
  private inPools(address: string): boolean {
    for (const p of this.pools.values()) if (p.contains(address)) return true;
    return false;
  }

  private callUp(call: Call): void {
    this.sessionSeq++;
    if (call.clientAddress) {
      this.callsByAddress.set(call.clientAddressU32, call);
      if (!this.inPools(call.clientAddress) && this.tun) {
        addRoute(`${call.clientAddress}/32`, this.tun.name).catch((e: Error) => this.messages.error(`route for ${call.clientAddress}: ${e.message}`));
      }
    }
    this.messages.tunnelCreated({
      tunnelId: call.tunnelId,
      peer: call.peerAddress,
      pppIf: call.pppInterfaceId,
      clientIp: call.clientAddress ?? '0.0.0.0',
      user: call.username,
      mppeBits: call.mppe?.bits ?? null,
    });
    const acct = this.aaa.accountingFor(this.group);
    acct?.start(this.accountingRecord(call)).catch((e: Error) => this.messages.warn(`accounting start failed: ${e.message}`));
  }

  private callDown(call: Call, reason: string, cause: string | undefined): void {
    this.callsById.delete(call.callId);
    if (call.clientAddress && this.callsByAddress.get(call.clientAddressU32) === call) {
      this.callsByAddress.delete(call.clientAddressU32);
      if (!this.inPools(call.clientAddress) && this.tun && !this.stopping) {
        delRoute(`${call.clientAddress}/32`, this.tun.name).catch(() => undefined);
      }
    }
    this.counters.tunnelsDeleted++;
    if (cause === 'mppe-required') this.messages.callTerminated(call.callId, 0x21, 'mppe required but not active');
    else if (cause === 'mppe-keys-missing') this.messages.callTerminated(call.callId, null, 'missing MPPE key from aaa server');
    else {
      // Ordinary hang-ups are informational; anything else is a warning an operator should see.
      const normal = cause === 'peer-terminated' || cause === 'local-close' || cause === undefined;
      this.messages.callTerminated(call.callId, null, reason, normal ? 6 : 4);
    }
    if (call.upSince !== null) {
      const acct = this.aaa.accountingFor(this.group);
      acct?.stop({ ...this.accountingRecord(call), terminateCause: terminateCause(cause, reason) }).catch((e: Error) => this.messages.warn(`accounting stop failed: ${e.message}`));
    }
    this.messages.tunnelDeleted(call.tunnelId, call.peerAddress);
    this.flushTx(); // the call's last GRE (LCP Terminate) before the control connection's Call-Disconnect-Notify
    const t = this.tunnels.get(call.tunnelId);
    t?.callEnded(call, reason, this.now());
  }

  private accountingRecord(call: Call): AccountingRecord {
    const s = call.gre.stats;
    return {
      sessionId: this.sessionId(call),
      username: call.username,
      callingStationId: call.peerAddress,
      calledStationId: this.nasAddress(),
      nasPort: call.pppInterfaceId,
      framedAddress: call.clientAddress ?? undefined,
      classes: call.classes,
      sessionTime: call.upSince === null ? 0 : Math.floor((this.now() - call.upSince) / 1000),
      inputOctets: BigInt(s.bytesIn),
      outputOctets: BigInt(s.bytesOut),
      inputPackets: BigInt(s.packetsIn),
      outputPackets: BigInt(s.packetsOut),
    };
  }

  // ---- operations -----------------------------------------------------------------------------

  async clearTunnel(id: number, reason = 'administrative clear'): Promise<boolean> {
    const t = this.tunnels.get(id);
    if (!t) return false;
    await t.clear(reason);
    return true;
  }

  async clearAllTunnels(reason = 'administrative clear'): Promise<number> {
    const all = [...this.tunnels.values()];
    // At once: each waits for its peer's LCP Terminate-Ack.
    await Promise.all(all.map((t) => t.clear(reason)));
    return all.length;
  }

  private findCalls(sel: SessionSelector): Call[] {
    return [...this.callsById.values()].filter(
      (c) =>
        (sel.acctSessionId === undefined || this.sessionId(c) === sel.acctSessionId) &&
        (sel.userName === undefined || c.username === sel.userName) &&
        (sel.framedIpAddress === undefined || c.clientAddress === sel.framedIpAddress),
    );
  }

  private async disconnectBySelector(sel: SessionSelector): Promise<{ found: boolean }> {
    const calls = this.findCalls(sel);
    for (const c of calls) await c.close('RADIUS Disconnect-Request', this.now());
    return { found: calls.length > 0 };
  }

  private async changeSession(sel: SessionSelector, change: { sessionTimeout?: number }): Promise<{ found: boolean }> {
    const calls = this.findCalls(sel);
    for (const c of calls) if (change.sessionTimeout !== undefined) c.setSessionTimeout(change.sessionTimeout, this.now());
    return { found: calls.length > 0 };
  }

  private control() {
    const view: ServerView = {
      hostname: this.config.hostname,
      maxSessions: this.config.maxSessions,
      tunnels: () => [...this.tunnels.values()].map((t) => t.view(this.now())),
      pools: () => [...this.pools.values()].map((p) => p.stats()),
      uauth: (): UauthView[] =>
        [...this.callsById.values()]
          .filter((c) => c.upSince !== null)
          .map((c) => ({
            username: c.username,
            clientAddress: c.clientAddress ?? '',
            authType: c.authType ?? 'none',
            server: c.authServer,
            upSecs: Math.floor((this.now() - c.upSince!) / 1000),
          })),
      global: () => ({ ...this.counters, ...this.metrics.read() }),
    };
    return {
      view,
      logger: this.logger,
      version: VERSION,
      clearTunnel: (id: number) => this.clearTunnel(id),
      clearAllTunnels: () => this.clearAllTunnels(),
      poolInUse: (name: string) => this.pools.get(name)?.inUse() ?? [],
      runningConfig: () => formatConfig(this.config),
    };
  }
}

/** RFC 2866 §5.10 Acct-Terminate-Cause names for how a call ended. */
function terminateCause(cause: string | undefined, reason: string): string {
  switch (cause) {
    case 'peer-terminated':
      return 'User-Request';
    case 'echo-timeout':
    case 'lower-down':
      return 'Lost-Carrier';
    case 'auth-failed':
    case 'mppe-keys-missing':
      return 'User-Error';
    case undefined:
      if (reason.includes('session timeout')) return 'Session-Timeout';
      if (reason.includes('idle timeout')) return 'Idle-Timeout';
      if (reason.includes('shutdown')) return 'Admin-Reboot';
      return 'Admin-Reset';
    default:
      return 'NAS-Error';
  }
}
