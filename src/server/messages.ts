/**
 * The PIX messages vpdn emits, with their numbers and severities (PIX 6.3 system log messages;
 * texts as the seed and the ASA syslog guide print them).
 */
import type { PixLogger } from './log.js';

export class Messages {
  constructor(private readonly log: PixLogger) {}

  /** 603102 */
  authStarted(pppIf: number, user: string): void {
    this.log.message(6, 603102, `PPP virtual interface ${pppIf} - user: ${user} aaa authentication started`);
  }

  /** 603103 */
  authResult(pppIf: number, user: string, ok: boolean): void {
    this.log.message(6, 603103, `PPP virtual interface ${pppIf} - user: ${user} aaa authentication ${ok ? 'succeed' : 'failed'}`);
  }

  /** 109011 */
  authenSessionStart(user: string, sid: number): void {
    this.log.message(6, 109011, `Authen Session Start: user '${user}', sid ${sid}`);
  }

  /** 603104 */
  tunnelCreated(t: { tunnelId: number; peer: string; pppIf: number; clientIp: string; user: string; mppeBits: number | null }): void {
    this.log.message(
      6,
      603104,
      `PPTP Tunnel created, tunnel_id is ${t.tunnelId}, remote_peer_ip is ${t.peer} ppp_virtual_interface_id is ${t.pppIf}, ` +
        `client_dynamic_ip is ${t.clientIp} username is ${t.user}, MPPE_key_strength is ${t.mppeBits ? `${t.mppeBits} bits` : 'None'}`,
    );
  }

  /** 603105 */
  tunnelDeleted(tunnelId: number, peer: string): void {
    this.log.message(6, 603105, `PPTP Tunnel deleted, tunnel_id = ${tunnelId}, remote_peer_ip = ${peer}`);
  }

  /** 403110 */
  missingMppeKey(pppIf: number, user: string): void {
    this.log.message(3, 403110, `PPP virtual interface ${pppIf}, user: ${user} missing MPPE key from aaa server`);
  }

  /** 403106: MPPE needs MS-CHAP (the peer authenticated otherwise). */
  mppeNeedsMschap(pppIf: number, user: string): void {
    this.log.message(3, 403106, `PPP virtual interface ${pppIf}, user: ${user} MPPE requires MSCHAP, disconnecting`);
  }

  /** 213001 */
  controlSocketError(what: string, errno: number): void {
    this.log.message(3, 213001, `PPTP control daemon socket io ${what}, errno = ${errno}`);
  }

  /** 213004 */
  ipAllocationFailed(pppIf: number): void {
    this.log.message(3, 213004, `PPP virtual interface ${pppIf} client ip allocation failed`);
  }

  /** 880011: authentication rejected by the back end (the reason never holds a secret). */
  authRejected(pppIf: number, user: string, reason: string): void {
    this.log.message(4, 880011, `PPP virtual interface ${pppIf}, user: ${user} authentication rejected: ${reason}`);
  }

  /**
   * Why a call ended. For an unencrypted packet under `mppe required` this is the seed's line:
   * "PPTP: Call id 8, no session id protocol: 21, reason: mppe required but not active, tunnel terminated".
   */
  callTerminated(callId: number, protocol: number | null, reason: string, severity = 4): void {
    const proto = protocol === null ? '' : ` no session id protocol: ${protocol.toString(16)},`;
    this.log.message(severity, 880010, `PPTP: Call id ${callId},${proto} reason: ${reason}, tunnel terminated`);
  }

  /** vpdn's own messages (beyond PIX) are numbered 880xxx. */
  info(text: string): void {
    this.log.message(6, 880001, text);
  }

  warn(text: string): void {
    this.log.message(4, 880002, text);
  }

  error(text: string): void {
    this.log.message(3, 880003, text);
  }
}
